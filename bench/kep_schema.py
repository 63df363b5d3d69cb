"""The JSON schema of kep.yaml given to yaml-language-server, so that it has something real to
validate on every edit (enums for status/stage, patterns for SIGs, handles, dates and milestones,
no unknown top-level keys: roughly what upstream's Go validator checks structurally).

The driver writes it to .bench/kep.schema.json and maps it to `**/kep.yaml` in `yaml.schemas`.
"""

STATUS = ["provisional", "implementable", "implemented", "deferred", "rejected", "withdrawn", "replaced"]
STAGE = ["alpha", "beta", "stable", "deprecated", "disabled", "removed"]
GROUP = r"^(sig|wg|ug|committee)-[a-z0-9-]+$"
HANDLE = r"^@[A-Za-z0-9-]+$"
MILESTONE = r"^v[0-9]+\.[0-9]+$"
DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


def _list(item):
    return {"type": "array", "items": item}


def kep_schema():
    handle = {"type": "string", "pattern": HANDLE}
    milestone = {"type": "string", "pattern": MILESTONE}
    date = {"type": "string", "pattern": DATE}
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "KEP metadata (kep.yaml)",
        "type": "object",
        "additionalProperties": False,
        "required": ["title", "kep-number", "authors", "owning-sig", "status", "creation-date"],
        "properties": {
            "title": {"type": "string", "minLength": 1, "description": "The KEP's title."},
            "kep-number": {"type": ["integer", "string"], "pattern": "^[0-9]+$"},
            "authors": _list(handle),
            "owning-sig": {"type": "string", "pattern": GROUP, "description": "The owning SIG."},
            "participating-sigs": _list({"type": "string", "pattern": GROUP}),
            "status": {"enum": STATUS, "description": "The KEP's status."},
            "creation-date": date,
            "last-updated": date,
            "reviewers": _list(handle),
            "approvers": _list(handle),
            "prr-approvers": _list(handle),
            "editor": {"type": "string"},
            "see-also": _list({"type": "string"}),
            "replaces": _list({"type": "string"}),
            "superseded-by": _list({"type": "string"}),
            "stage": {"enum": STAGE, "description": "The target stage in the current cycle."},
            "latest-milestone": milestone,
            "milestone": {
                "type": "object",
                "additionalProperties": False,
                "properties": {s: milestone for s in STAGE},
            },
            "feature-gates": _list(
                {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["name"],
                    "properties": {
                        "name": {"type": "string", "pattern": "^[A-Z][A-Za-z0-9]*$"},
                        "components": _list({"type": "string"}),
                    },
                }
            ),
            "disable-supported": {"type": "boolean"},
            "metrics": _list({"type": "string"}),
        },
    }
