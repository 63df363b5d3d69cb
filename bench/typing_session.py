"""Scripted typing sessions: single-character incremental edits at realistic spots of a file.

A session is a list of LSP `contentChanges` entries (one character inserted or deleted each), with
positions in UTF-16 code units (the encoding every server in the run negotiates). Every spot types
text and deletes it again (or deletes the end of a value and types it back), so a session leaves
the text as it found it and can be replayed any number of times.
"""

# Typed text mixes ASCII and non-ASCII (2- and 3-byte UTF-8, one UTF-16 unit each).
TYPED_PROSE = " naïve “fair” queuing — café ok"
TYPED_TITLE = " — naïve café"


def _u16(s):
    return len(s.encode("utf-16-le")) // 2


class Doc:
    """The client's copy of the text, to compute positions of each edit."""

    def __init__(self, text):
        self.text = text

    def pos(self, off):
        line = self.text.count("\n", 0, off)
        start = self.text.rfind("\n", 0, off) + 1
        return {"line": line, "character": _u16(self.text[start:off])}

    def insert(self, off, ch):
        p = self.pos(off)
        self.text = self.text[:off] + ch + self.text[off:]
        return {"range": {"start": p, "end": p}, "text": ch}

    def delete_before(self, off):
        a, b = self.pos(off - 1), self.pos(off)
        self.text = self.text[: off - 1] + self.text[off:]
        return {"range": {"start": a, "end": b}, "text": ""}


def _line_end(text, needle, after=0):
    """Offset of the end of the first line (at or after `after`) that contains `needle`."""
    i = text.find(needle, after)
    if i < 0:
        raise ValueError(f"spot not found: {needle!r}")
    j = text.find("\n", i)
    return len(text) if j < 0 else j


def _type_and_erase(doc, off, s, out, labels, label):
    for ch in s:
        out.append(doc.insert(off, ch))
        labels.append(label)
        off += 1
    for _ in s:
        out.append(doc.delete_before(off))
        labels.append(label)
        off -= 1


def _erase_and_retype(doc, off, k, out, labels, label):
    gone = doc.text[off - k : off]
    for _ in range(k):
        out.append(doc.delete_before(off))
        labels.append(label)
        off -= 1
    for ch in gone:
        out.append(doc.insert(off, ch))
        labels.append(label)
        off += 1


def build(text, spots):
    """The edits of a session and a label (the spot) per edit. `spots` are
    (label, kind, needle, arg): kind "type" types `arg` at the end of the needle's line (or right
    after the needle when needle ends with "|"), kind "retype" erases and retypes the last `arg`
    characters of the line."""
    doc = Doc(text)
    out, labels = [], []
    for label, kind, needle, arg in spots:
        if needle.endswith("|"):
            n = needle[:-1]
            off = doc.text.find(n)
            if off < 0:
                raise ValueError(f"spot not found: {n!r}")
            off += len(n)
        else:
            off = _line_end(doc.text, needle)
        if kind == "type":
            _type_and_erase(doc, off, arg, out, labels, label)
        else:
            _erase_and_retype(doc, off, arg, out, labels, label)
    if doc.text != text:
        raise AssertionError("a session must leave the text unchanged")
    return out, labels


# The largest README (sig-api-machinery/1040-priority-and-fairness): prose with ’ and …, a
# heading (the TOC goes stale while typing), a list item, a TOC entry, a fenced code block and
# the last line.
README_SPOTS = [
    ("prose with ’ (mid-line)", "type", "request’s flow identifier|", TYPED_PROSE),
    ("heading", "type", "\n## Motivation", " and goals"),
    ("prose with …", "type", "… A[H-1] in", TYPED_PROSE),
    ("TOC entry", "retype", "- [Proposal](#proposal)", 10),
    ("list item", "type", "\n- An optional rule for computing", TYPED_PROSE),
    ("code block", "type", "\n```", " yaml"),
    ("section body", "type", "\n## Summary\n\n", TYPED_PROSE),
    ("prose retype", "retype", "A FlowSchema’s boolean test", 12),
]

# kep.yaml of the same KEP: a title with non-ASCII, values whose half-typed states are invalid
# (status, SIG, milestones, a handle) and a metric name.
KEP_YAML_SPOTS = [
    ("title (non-ASCII)", "type", "title: ", TYPED_TITLE),
    ("status", "retype", "\nstatus: ", 11),
    ("owning-sig", "retype", "\nowning-sig: ", 9),
    ("reviewer handle", "retype", '- "@ahg-g"', 6),
    ("latest-milestone", "retype", "\nlatest-milestone: ", 5),
    ("milestone.beta", "retype", '\n  beta: "v1.20"', 5),
    ("stage", "retype", "\nstage: ", 6),
    ("feature gate", "type", "- name: APIPriorityAndFairness", "V2"),
    ("metric", "retype", "- apiserver_flowcontrol_demand_seats_average", 8),
    ("creation-date", "retype", "\ncreation-date: ", 5),
]


def completion_points(text, needles):
    """(line, character) positions right after each needle, for completion/hover requests."""
    doc = Doc(text)
    pts = []
    for n in needles:
        i = text.find(n)
        if i >= 0:
            p = doc.pos(i + len(n))
            pts.append(p)
    return pts


KEP_YAML_COMPLETION = ["\nstatus: ", "\nowning-sig: ", "\nstage: ", "  alpha: ", "\n- wg-"]
KEP_YAML_HOVER = ["\nsta", "\nowning-s", "\nlatest-mile", "  be", "- name: APIPrio"]
README_COMPLETION = ["\n## Mot", "](#", "\n- [Pro", "\n### "]
README_HOVER = ["\n## Mot", "[Proposal](#prop", "\n## Summ", "request’s flow"]
