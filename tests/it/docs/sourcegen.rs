//! Generated sources kept fresh (rust-analyzer's "sourcegen" tests): the committed
//! src/knowledge/embedded_groups.rs must be what `render_embedded_table` makes of data/sigs.yaml,
//! and the registry `Knowledge::embedded()` builds from it must be the one parsing would give.

use std::path::Path;

use kep_lsp::knowledge::sigs::{Group, GroupKind, RETIRED_GROUPS, render_embedded_table};
use kep_lsp::knowledge::{EMBEDDED_SIGS_YAML, Knowledge, SigRegistry};

const TABLE: &str = "src/knowledge/embedded_groups.rs";

fn parsed() -> SigRegistry {
    SigRegistry::from_sigs_yaml(EMBEDDED_SIGS_YAML).expect("the embedded sigs.yaml parses")
}

/// The first line where `a` and `b` differ, 1-based, with both versions of it.
fn first_difference(a: &str, b: &str) -> String {
    let (mut la, mut lb) = (a.lines(), b.lines());
    for n in 1.. {
        match (la.next(), lb.next()) {
            (Some(x), Some(y)) if x == y => continue,
            (None, None) => return "only in line endings".into(),
            (x, y) => {
                let show = |l: Option<&str>| l.map_or("<end of file>".to_string(), |l| format!("{l:?}"));
                return format!("line {n}:\n  committed: {}\n  generated: {}", show(x), show(y));
            }
        }
    }
    unreachable!()
}

#[test]
fn embedded_groups_table_is_fresh() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(TABLE);
    let want = render_embedded_table(&parsed());
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    if have == want {
        return;
    }
    if std::env::var_os("UPDATE_EXPECT").is_some_and(|v| v == "1") {
        std::fs::write(&path, &want).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
        eprintln!("rewrote {TABLE}; rebuild to use it");
        return;
    }
    panic!(
        "{TABLE} is not what data/sigs.yaml generates (was sigs.yaml updated?); first difference at {}\n\
         Regenerate it with `UPDATE_EXPECT=1 cargo test --test it docs::sourcegen::` and commit the result.",
        first_difference(&have, &want)
    );
}

#[test]
fn embedded_registry_equals_parsed_sigs_yaml() {
    let parsed = parsed();
    let embedded = Knowledge::embedded().sigs;
    let (p, e): (Vec<&Group>, Vec<&Group>) = (parsed.iter().collect(), embedded.iter().collect());
    // Field by field, so that a failure names the group and the field (and the order is checked:
    // completion offers the groups in sigs.yaml order).
    for (i, (p, e)) in p.iter().zip(&e).enumerate() {
        assert_eq!(p.dir, e.dir, "group #{i}: dir");
        assert_eq!(p.name, e.name, "{}: name", p.dir);
        assert_eq!(p.kind, e.kind, "{}: kind", p.dir);
        assert_eq!(p.mission, e.mission, "{}: mission", p.dir);
        assert_eq!(p.chairs, e.chairs, "{}: chairs", p.dir);
        assert_eq!(p.tech_leads, e.tech_leads, "{}: tech_leads", p.dir);
    }
    assert_eq!(p.len(), e.len(), "number of groups");
    assert_eq!(parsed, *embedded);
    // Not an empty table that trivially matches an empty parse.
    assert!(p.len() >= 30, "only {} groups in sigs.yaml", p.len());
    // (sigs.yaml has `usergroups: []` today.)
    for kind in [GroupKind::Sig, GroupKind::WorkingGroup, GroupKind::Committee] {
        assert!(
            p.iter().any(|g| g.kind == kind),
            "no {} in sigs.yaml",
            kind.as_str()
        );
    }
    assert!(p.iter().any(|g| !g.chairs.is_empty() && !g.tech_leads.is_empty()));

    // The lookups validation, completion and hover use answer the same.
    for g in &p {
        assert_eq!(embedded.get(&g.dir), Some(*g), "get({})", g.dir);
        assert!(embedded.contains(&g.dir));
        assert_eq!(embedded.retired(&g.dir), None);
        assert_eq!(embedded.suggest(&g.dir), Some(g.dir.as_str()));
    }
    let probes = RETIRED_GROUPS.iter().map(|(d, _)| *d).chain([
        "sig-apimachinery",
        "sig-arch",
        "sig-nodes",
        "sig-scheduler",
        "SIG-Network",
        "wg-device-mgmt",
        "monkeys",
        "",
    ]);
    for probe in probes {
        assert_eq!(
            embedded.contains(probe),
            parsed.contains(probe),
            "contains({probe:?})"
        );
        assert_eq!(
            embedded.retired(probe),
            parsed.retired(probe),
            "retired({probe:?})"
        );
        assert_eq!(
            embedded.suggest(probe),
            parsed.suggest(probe),
            "suggest({probe:?})"
        );
    }
    assert_eq!(embedded.suggest("sig-apimachinery"), Some("sig-api-machinery"));
    assert!(embedded.retired("wg-multitenancy").is_some());
}

#[test]
fn identical_workspace_sigs_yaml_reuses_the_embedded_registry() {
    let embedded = Knowledge::embedded();
    let same = embedded
        .clone()
        .with_sigs_yaml(EMBEDDED_SIGS_YAML)
        .map_err(|(_, e)| e)
        .unwrap();
    assert!(std::sync::Arc::ptr_eq(&same.sigs, &embedded.sigs));

    // A different sigs.yaml is parsed, and wins.
    let own = "sigs:\n  - dir: sig-only\n    name: Only\n    mission_statement: \" just one \"\n";
    let other = embedded.with_sigs_yaml(own).map_err(|(_, e)| e).unwrap();
    let groups: Vec<_> = other
        .sigs
        .iter()
        .map(|g| (g.dir.as_str(), g.mission.as_str()))
        .collect();
    assert_eq!(groups, [("sig-only", "just one")]);
}
