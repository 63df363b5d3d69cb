//! `kep-lsp list`'s filters and outputs beyond SIG/status/stage, after `kepctl query`
//! (kubernetes/enhancements): who wrote or approves a KEP, which SIGs take part, who approved
//! its production readiness review, which release it targets; as a table, JSON, YAML or CSV.
//!
//! Values of one flag are alternatives (OR); flags combine with AND. Handles compare without
//! `@` and ignoring ASCII case (GitHub logins are case-insensitive); milestones compare without
//! a leading `v` (`1.30` = `v1.30`); SIG names ignore ASCII case.

use crate::analysis::rules::prr::prr_path;
use crate::analysis::{KepEntry, KepMetadata, WorkspaceView};
use crate::knowledge::schema::PRR_STAGE_KEYS;
use crate::model::kep_yaml::{parse_legacy, parse_metadata};
use crate::syntax::yaml;

/// What the filters and outputs read of one KEP: its index entry plus the fields the index
/// does not keep (read from its metadata file and its PRR file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct KepFacts {
    pub entry: KepEntry,
    /// `authors`, without `@`, as written.
    pub authors: Vec<String>,
    /// `approvers`, without `@`.
    pub approvers: Vec<String>,
    pub participating_sigs: Vec<String>,
    /// `latest-milestone` and every `milestone.<stage>` value, as written.
    pub milestones: Vec<String>,
    /// The `approver` of every stage in `keps/prod-readiness/<sig>/<number>.yaml`, without `@`.
    pub prr_approvers: Vec<String>,
}

/// Read the facts of `entry` from `view` (missing or broken files give empty lists).
pub(crate) fn facts(entry: &KepEntry, view: &dyn WorkspaceView) -> KepFacts {
    let meta = view
        .file_text(&entry.metadata_path)
        .map(|text| metadata_of(&entry.metadata_path, &text))
        .unwrap_or_default();
    let values = |v: &[crate::analysis::Spanned<String>]| -> Vec<String> {
        v.iter()
            .map(|s| handle(&s.value).to_string())
            .filter(|s| !s.is_empty())
            .collect()
    };
    let mut milestones: Vec<String> = meta
        .latest_milestone
        .iter()
        .chain(meta.milestone.values())
        .map(|m| m.value.trim().to_string())
        .filter(|m| !m.is_empty())
        .collect();
    dedup(&mut milestones);
    let mut prr_approvers = view
        .file_text(&prr_path(&entry.owning_sig, &entry.number))
        .map(|text| prr_approvers(&text))
        .unwrap_or_default();
    dedup(&mut prr_approvers);
    KepFacts {
        entry: entry.clone(),
        authors: values(&meta.authors),
        approvers: values(&meta.approvers),
        participating_sigs: values(&meta.participating_sigs),
        milestones,
        prr_approvers,
    }
}

/// Drop repeated values, keeping the first of each (a PRR approver of several stages).
fn dedup(values: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    values.retain(|v| seen.insert(v.clone()));
}

fn metadata_of(path: &str, text: &str) -> KepMetadata {
    if path.ends_with(".md") {
        parse_legacy(text).map(|(_, m)| m).unwrap_or_default()
    } else {
        parse_metadata(text)
    }
}

/// The approvers of every stage of a PRR file (`alpha: {approver: "@x"}`), without `@`.
fn prr_approvers(text: &str) -> Vec<String> {
    let doc = yaml::parse(text);
    let Some(root) = doc.root.as_ref() else {
        return Vec::new();
    };
    PRR_STAGE_KEYS
        .iter()
        .filter_map(|stage| root.get(stage)?.get("approver")?.as_str())
        .map(|a| handle(a).to_string())
        .filter(|a| !a.is_empty())
        .collect()
}

fn handle(s: &str) -> &str {
    s.trim().trim_start_matches('@')
}

/// The filters of `kep-lsp list`. An empty list does not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Filter {
    pub sig: Vec<String>,
    pub status: Vec<String>,
    pub stage: Vec<String>,
    pub author: Vec<String>,
    pub approver: Vec<String>,
    pub participating_sig: Vec<String>,
    pub prr: Vec<String>,
    pub milestone: Vec<String>,
}

impl Filter {
    /// Whether the KEP passes every filter (AND), each by any of its values (OR).
    pub(crate) fn matches(&self, k: &KepFacts) -> bool {
        let any = |want: &[String], have: &[String], norm: fn(&str) -> String| {
            want.is_empty() || want.iter().any(|w| have.iter().any(|h| norm(h) == norm(w)))
        };
        let one = |v: &str| vec![v.to_string()];
        let lower = |s: &str| s.trim().to_ascii_lowercase();
        let handle_norm = |s: &str| handle(s).to_ascii_lowercase();
        let milestone_norm = |s: &str| s.trim().trim_start_matches('v').to_string();
        let exact = |s: &str| s.trim().to_string();
        any(&self.sig, &one(&k.entry.owning_sig), lower)
            && any(&self.status, &one(&k.entry.status), exact)
            && any(&self.stage, &one(&k.entry.stage), exact)
            && any(&self.author, &k.authors, handle_norm)
            && any(&self.approver, &k.approvers, handle_norm)
            && any(&self.participating_sig, &k.participating_sigs, lower)
            && any(&self.prr, &k.prr_approvers, handle_norm)
            && any(&self.milestone, &k.milestones, milestone_norm)
    }
}

/// Every value of a repeatable flag, with comma-separated values split (`--author a,b
/// --author c` gives `a`, `b`, `c`); empty pieces dropped.
pub(crate) fn split_values(raw: &[String]) -> Vec<String> {
    raw.iter()
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
        .collect()
}

/// The CSV output: a header line, then one line per KEP; list fields joined with `;`, every
/// field quoted when it holds `,`, `"`, `;` or a line break (RFC 4180 quoting).
pub(crate) fn render_csv(keps: &[KepFacts]) -> String {
    let field = |s: &str| {
        if s.contains([',', '"', '\n', '\r', ';']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    };
    let mut out = String::from(
        "number,title,owning_sig,status,stage,latest_milestone,path,authors,approvers,participating_sigs,prr_approvers\n",
    );
    for k in keps {
        let e = &k.entry;
        let cells = [
            field(&e.number),
            field(&e.title),
            field(&e.owning_sig),
            field(&e.status),
            field(&e.stage),
            field(&e.latest_milestone),
            field(&e.metadata_path),
            field(&k.authors.join(";")),
            field(&k.approvers.join(";")),
            field(&k.participating_sigs.join(";")),
            field(&k.prr_approvers.join(";")),
        ];
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

/// One KEP as a JSON object (the JSON and YAML outputs).
pub(crate) fn to_json(k: &KepFacts) -> serde_json::Value {
    let e = &k.entry;
    serde_json::json!({
        "number": e.number,
        "title": e.title,
        "owning_sig": e.owning_sig,
        "status": e.status,
        "stage": e.stage,
        "latest_milestone": e.latest_milestone,
        "path": e.metadata_path,
        "authors": k.authors,
        "approvers": k.approvers,
        "participating_sigs": k.participating_sigs,
        "prr_approvers": k.prr_approvers,
    })
}

/// The YAML output: a sequence of mappings, every string double-quoted. Written by hand (no
/// YAML serializer among the dependencies, and the shape is flat): a JSON string is a valid
/// YAML double-quoted scalar, so `serde_json` does the escaping.
pub(crate) fn render_yaml(keps: &[KepFacts]) -> String {
    if keps.is_empty() {
        return "[]\n".into();
    }
    let mut out = String::new();
    for k in keps {
        let Some(obj) = to_json(k).as_object().cloned() else {
            continue;
        };
        for (i, (key, value)) in obj.iter().enumerate() {
            out.push_str(if i == 0 { "- " } else { "  " });
            match value {
                serde_json::Value::Array(items) if items.is_empty() => out.push_str(&format!("{key}: []\n")),
                serde_json::Value::Array(items) => {
                    out.push_str(&format!("{key}:\n"));
                    for item in items {
                        out.push_str(&format!("    - {item}\n"));
                    }
                }
                other => out.push_str(&format!("{key}: {other}\n")),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kep() -> KepFacts {
        KepFacts {
            entry: KepEntry {
                number: "1001".into(),
                title: "A, \"quoted\" title".into(),
                owning_sig: "sig-node".into(),
                status: "implementable".into(),
                stage: "alpha".into(),
                latest_milestone: "v1.30".into(),
                dir: "keps/sig-node/1001-a".into(),
                metadata_path: "keps/sig-node/1001-a/kep.yaml".into(),
                people: Vec::new(),
            },
            authors: vec!["Alice".into(), "bob".into()],
            approvers: vec!["carol".into()],
            participating_sigs: vec!["sig-apps".into()],
            milestones: vec!["v1.30".into(), "v1.29".into()],
            prr_approvers: vec!["dave".into()],
        }
    }

    fn filter(f: impl FnOnce(&mut Filter)) -> Filter {
        let mut out = Filter::default();
        f(&mut out);
        out
    }

    #[test]
    fn or_within_a_flag_and_across_flags() {
        let k = kep();
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert!(filter(|_| {}).matches(&k));
        assert!(filter(|f| f.author = s(&["@alice"])).matches(&k));
        assert!(filter(|f| f.author = s(&["zed", "BOB"])).matches(&k));
        assert!(!filter(|f| f.author = s(&["zed"])).matches(&k));
        assert!(filter(|f| f.milestone = s(&["1.29"])).matches(&k));
        assert!(!filter(|f| f.milestone = s(&["v1.31"])).matches(&k));
        assert!(
            filter(|f| {
                f.approver = s(&["carol"]);
                f.prr = s(&["@dave"]);
                f.participating_sig = s(&["SIG-APPS"]);
            })
            .matches(&k)
        );
        assert!(
            !filter(|f| {
                f.approver = s(&["carol"]);
                f.prr = s(&["carol"]);
            })
            .matches(&k)
        );
        assert!(!filter(|f| f.sig = s(&["sig-apps"])).matches(&k));
    }

    #[test]
    fn values_split_on_commas() {
        let raw = vec!["a,b".to_string(), " c ".into(), ",".into()];
        assert_eq!(split_values(&raw), ["a", "b", "c"]);
    }

    #[test]
    fn csv_and_yaml_quote() {
        let csv = render_csv(&[kep()]);
        assert_eq!(
            csv.lines().nth(1),
            Some(
                "1001,\"A, \"\"quoted\"\" title\",sig-node,implementable,alpha,v1.30,keps/sig-node/1001-a/kep.yaml,\"Alice;bob\",carol,sig-apps,dave"
            )
        );
        let yaml = render_yaml(&[kep()]);
        assert!(
            yaml.starts_with("- approvers:\n    - \"carol\"\n  authors:\n"),
            "{yaml}"
        );
        assert!(yaml.contains("  title: \"A, \\\"quoted\\\" title\"\n"), "{yaml}");
        // What we write reads back as the same data.
        let back = crate::syntax::yaml::parse(&yaml);
        assert!(back.errors.is_empty());
        assert_eq!(render_yaml(&[]), "[]\n");
    }

    #[test]
    fn prr_approvers_of_every_stage() {
        let text =
            "kep-number: 1\nalpha:\n  approver: \"@a\"\nbeta:\n  approver: b\nstable:\n  approver: \"\"\n";
        assert_eq!(prr_approvers(text), ["a", "b"]);
        assert!(prr_approvers(": : :").is_empty());
    }
}
