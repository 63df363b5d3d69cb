//! Completion on real KEPs (tests/fixtures/ide/repo, copied from ../shared/corpus): fields,
//! values, SIGs, handles, KEP references, milestones, dates, README sections; exact replace
//! ranges and the text after applying the edit.

use crate::common::ide as ide_support;

use ide_support::{CURSOR, ctx, cursor, knowledge};
use kep_lsp::analysis::apply_edits;
use kep_lsp::ide::WorkspaceFacts;
use kep_lsp::ide::completion::{CompletionItem, CompletionKind, completions};

const K2625: &str = "keps/sig-node/2625-cpumanager-policies-thread-placement/kep.yaml";

fn complete(path: &str, marked: &str) -> (String, usize, Vec<CompletionItem>) {
    let ws = ide_support::fixture();
    let k = knowledge();
    let facts = WorkspaceFacts::from_view(&ws);
    let (text, at) = cursor(marked);
    let items = completions(path, &text, at, &ctx(&k, &ws), &facts);
    (text, at, items)
}

fn labels(items: &[CompletionItem]) -> Vec<&str> {
    items.iter().map(|i| i.label.as_str()).collect()
}

fn pick<'a>(items: &'a [CompletionItem], label: &str) -> &'a CompletionItem {
    items
        .iter()
        .find(|i| i.label == label)
        .unwrap_or_else(|| panic!("no item {label} in {:?}", labels(items)))
}

/// The real 2625 kep.yaml with `from` replaced by `to` (which holds the cursor marker).
fn k2625(from: &str, to: &str) -> String {
    let t = ide_support::fixture().text(K2625).to_string();
    assert!(t.contains(from), "fixture lacks {from:?}");
    t.replacen(from, to, 1)
}

#[test]
fn missing_top_level_fields_on_a_new_line() {
    let marked = k2625("replaces: []\n", &format!("replaces: []\n{CURSOR}\n"));
    let (text, at, items) = complete(K2625, &marked);
    let names = labels(&items);
    // 2625 has every field but editor and superseded-by; required fields come first (none missing).
    assert_eq!(names, ["editor", "superseded-by"]);
    let sup = pick(&items, "superseded-by");
    assert_eq!(sup.edit.range, at..at);
    assert!(sup.snippet);
    assert_eq!(sup.kind, CompletionKind::Field);
    assert_eq!(sup.detail.as_deref(), Some("list of strings"));
    let applied = apply_edits(&text, std::slice::from_ref(&sup.edit));
    assert!(applied.contains("replaces: []\nsuperseded-by:\n  - \"/keps/$1\"\n"));
}

#[test]
fn partial_key_is_replaced_and_required_fields_sort_first() {
    let marked = format!("title: New\nown{CURSOR}\n");
    let (text, _, items) = complete("keps/sig-apps/9999-new/kep.yaml", &marked);
    let own = pick(&items, "owning-sig");
    assert_eq!(&text[own.edit.range.clone()], "own");
    assert_eq!(own.edit.new_text, "owning-sig: ${1:sig-apps}");
    let first: Vec<&str> = labels(&items).into_iter().take(5).collect();
    assert_eq!(
        first,
        ["kep-number", "authors", "owning-sig", "status", "approvers"]
    );
    assert!(!labels(&items).contains(&"title"));
    let kn = pick(&items, "kep-number");
    assert_eq!(kn.edit.new_text, "kep-number: ${1:9999}");
    let doc = own.documentation.as_deref().unwrap();
    assert!(
        doc.contains("required") && doc.contains("Upstream rule: R5"),
        "{doc}"
    );
    let ms = complete(
        "keps/sig-apps/9999-new/kep.yaml",
        &format!("title: x\nmiles{CURSOR}"),
    );
    let m = pick(&ms.2, "milestone");
    assert_eq!(
        m.edit.new_text,
        "milestone:\n  alpha: \"${1:v1.37}\"\n  beta: \"$2\"\n  stable: \"$3\""
    );
}

#[test]
fn editing_an_existing_key_inserts_the_name_only() {
    let marked = "title: x\nstat‸us: provisional\n";
    let (text, _, items) = complete("keps/sig-apps/9999-new/kep.yaml", marked);
    let s = pick(&items, "status");
    assert_eq!(&text[s.edit.range.clone()], "status");
    assert_eq!(s.edit.new_text, "status");
    assert!(!s.snippet);
}

#[test]
fn status_values_replace_the_partial_word() {
    let marked = k2625("status: imlpemented", &format!("status: iml{CURSOR}pemented"));
    let (text, _, items) = complete(K2625, &marked);
    assert_eq!(
        labels(&items),
        [
            "provisional",
            "implementable",
            "implemented",
            "deferred",
            "rejected",
            "withdrawn",
            "replaced"
        ]
    );
    let imp = pick(&items, "implemented");
    assert_eq!(&text[imp.edit.range.clone()], "imlpemented");
    let applied = apply_edits(&text, std::slice::from_ref(&imp.edit));
    assert!(applied.contains("\nstatus: implemented\n"));
    assert!(imp.documentation.as_deref().unwrap().contains("stage stable"));
}

#[test]
fn value_inside_quotes_and_unclosed_quotes() {
    let marked = k2625("stage: stable", &format!("stage: \"be{CURSOR}\""));
    let (text, _, items) = complete(K2625, &marked);
    let beta = pick(&items, "beta");
    assert_eq!(&text[beta.edit.range.clone()], "be");
    assert_eq!(
        apply_edits(&text, std::slice::from_ref(&beta.edit))
            .matches("stage: \"beta\"\n")
            .count(),
        1
    );

    let marked = k2625(
        "latest-milestone: \"v1.33\"",
        &format!("latest-milestone: \"v1.3{CURSOR}"),
    );
    let (text, _, items) = complete(K2625, &marked);
    assert_eq!(
        labels(&items),
        ["v1.37", "v1.38", "v1.39", "v1.36", "v1.35", "v1.34"]
    );
    let m = pick(&items, "v1.38");
    assert_eq!(&text[m.edit.range.clone()], "v1.3");
    assert_eq!(m.edit.new_text, "v1.38\"");
    assert_eq!(m.kind, CompletionKind::Milestone);
}

#[test]
fn sigs_with_descriptions_and_participating_list() {
    let marked = k2625("owning-sig: sig-node", &format!("owning-sig: sig-no{CURSOR}"));
    let (text, _, items) = complete(K2625, &marked);
    let node = pick(&items, "sig-node");
    assert_eq!(node.kind, CompletionKind::Sig);
    assert_eq!(node.detail.as_deref(), Some("Node SIG"));
    assert_eq!(&text[node.edit.range.clone()], "sig-no");
    assert!(items.iter().any(|i| i.label == "wg-batch"));

    // Under `participating-sigs:` the SIGs already listed are not offered again.
    let f = "keps/sig-apps/1591-daemonset-surge/kep.yaml";
    let t = ide_support::fixture().text(f).replacen(
        "  - sig-node\n",
        &format!("  - sig-node\n  - {CURSOR}\n"),
        1,
    );
    let (text, at, items) = complete(f, &t);
    assert!(!labels(&items).contains(&"sig-node") && !labels(&items).contains(&"sig-scheduling"));
    let auth = pick(&items, "sig-auth");
    assert_eq!(auth.edit.range, at..at);
    assert_eq!(
        apply_edits(&text, std::slice::from_ref(&auth.edit))
            .matches("  - sig-auth\n")
            .count(),
        1
    );
}

#[test]
fn handles_ranked_for_the_owning_sig_with_quotes_and_at() {
    // A new sig-node KEP: people from the fixture's sig-node KEPs come first.
    let marked = format!("title: x\nowning-sig: sig-node\nauthors:\n  - \"@{CURSOR}\"\n");
    let (text, _, items) = complete("keps/sig-node/9999-new/kep.yaml", &marked);
    let first = &items[0];
    assert_eq!(first.kind, CompletionKind::Handle);
    // dchen1107 is in two of the fixture's sig-node KEPs (281, 5823), klueska in one (2625).
    assert_eq!(first.label, "@dchen1107", "{:?}", &labels(&items)[..5]);
    assert_eq!(first.detail.as_deref(), Some("2 sig-node KEPs, 2 in all"));
    assert_eq!(&text[first.edit.range.clone()], "@");
    assert_eq!(first.edit.new_text, "@dchen1107");

    // Unquoted: the handle is quoted because a plain YAML scalar cannot start with `@`.
    let marked = format!("title: x\nowning-sig: sig-node\napprovers:\n  - kl{CURSOR}\n");
    let (text, _, items) = complete("keps/sig-node/9999-new/kep.yaml", &marked);
    let k = pick(&items, "@klueska");
    assert_eq!(&text[k.edit.range.clone()], "kl");
    let applied = apply_edits(&text, std::slice::from_ref(&k.edit));
    assert!(applied.ends_with("approvers:\n  - \"@klueska\"\n"), "{applied:?}");

    // A blank line under the list: `- ` is inserted; handles already listed are left out.
    let marked = format!("authors:\n  - \"@klueska\"\n  {CURSOR}\n");
    let (text, _, items) = complete("keps/sig-node/9999-new/kep.yaml", &marked);
    assert!(!labels(&items).contains(&"@klueska"));
    let it = &items[0];
    let applied = apply_edits(&text, std::slice::from_ref(&it.edit));
    assert!(
        applied.starts_with(&format!("authors:\n  - \"@klueska\"\n  - \"{}\"\n", it.label)),
        "{applied}"
    );
}

#[test]
fn kep_references_inserted_as_repo_paths() {
    let marked = k2625(
        "replaces: []\n",
        &format!("replaces: []\nsuperseded-by:\n  - {CURSOR}\n"),
    );
    let (text, _, items) = complete(K2625, &marked);
    assert!(items.iter().all(|i| i.kind == CompletionKind::KepRef));
    assert!(
        !items.iter().any(|i| i.label.starts_with("KEP-2625")),
        "own KEP offered"
    );
    let ds = items.iter().find(|i| i.label.starts_with("KEP-1591: ")).unwrap();
    assert_eq!(
        ds.label,
        "KEP-1591: Allow DaemonSets to surge during update like Deployments"
    );
    let applied = apply_edits(&text, std::slice::from_ref(&ds.edit));
    assert!(applied.contains("superseded-by:\n  - \"/keps/sig-apps/1591-daemonset-surge\"\n"));
    assert!(ds.filter_text.contains("1591"));
    assert_eq!(ds.detail.as_deref(), Some("sig-apps · implementable · stable"));
}

#[test]
fn kep_number_dates_and_booleans() {
    let (text, _, items) = complete("keps/sig-node/9999-new/kep.yaml", "title: x\nkep-number: ‸\n");
    assert_eq!(labels(&items), ["9999"]);
    assert_eq!(
        apply_edits(&text, std::slice::from_ref(&items[0].edit)),
        "title: x\nkep-number: 9999\n"
    );
    // Without a numbered folder: the next free number in the workspace (5823 is the highest).
    let (_, _, items) = complete("kep.yaml", "kep-number:‸");
    assert_eq!(items[0].edit.new_text, " 5824");

    // 2625 quotes its dates, so today's date is quoted too.
    let marked = k2625("last-updated: \"2025-01-30\"", &format!("last-updated: {CURSOR}"));
    let (_, _, items) = complete(K2625, &marked);
    assert_eq!(labels(&items), ["2026-11-25"]);
    assert_eq!(items[0].edit.new_text, "\"2026-11-25\"");
    assert_eq!(items[0].kind, CompletionKind::Date);

    let marked = k2625("disable-supported: true", &format!("disable-supported: {CURSOR}"));
    let (_, _, items) = complete(K2625, &marked);
    assert_eq!(labels(&items), ["true", "false"]);
}

#[test]
fn feature_gate_components() {
    // A second component under 2625's last gate: kubelet is there, so it is not offered again.
    let marked = k2625(
        "      - kubelet\n",
        &format!("      - kubelet\n      - kube-{CURSOR}\n"),
    );
    let (text, at, items) = complete(K2625, &marked);
    assert_eq!(
        labels(&items),
        [
            "kube-apiserver",
            "kube-controller-manager",
            "kube-scheduler",
            "kube-proxy",
            "kubectl",
            "cloud-controller-manager",
            "kubeadm"
        ]
    );
    let item = pick(&items, "kube-scheduler");
    assert_eq!(item.edit.range, at - "kube-".len()..at);
    assert_eq!(
        apply_edits(&text, std::slice::from_ref(&item.edit)),
        k2625("      - kubelet\n", "      - kubelet\n      - kube-scheduler\n")
    );
    // A gate without components yet: every component, kube-apiserver first.
    let marked = k2625(
        "  - name: \"CPUManagerPolicyOptions\"\n",
        &format!("  - name: \"CPUManagerPolicyOptions\"\n    components:\n      - {CURSOR}\n"),
    );
    let (_, _, items) = complete(K2625, &marked);
    assert_eq!(
        labels(&items)[..3],
        ["kube-apiserver", "kubelet", "kube-controller-manager"]
    );
}

#[test]
fn milestone_sub_keys() {
    let marked = k2625("  stable: \"v1.33\"\n", &format!("  {CURSOR}\n"));
    let (_, _, items) = complete(K2625, &marked);
    assert_eq!(labels(&items), ["stable", "deprecated", "disabled", "removed"]);
    assert_eq!(items[0].edit.new_text, "stable: \"${1:v1.37}\"");
}

#[test]
fn broken_yaml_and_comments() {
    // An unclosed quote above does not stop completion below.
    let (_, _, items) = complete("keps/sig-node/9999-new/kep.yaml", "title: \"unclosed\nstage: ‸\n");
    assert_eq!(
        labels(&items),
        ["alpha", "beta", "stable", "deprecated", "disabled", "removed"]
    );
    let (_, _, items) = complete("keps/sig-node/9999-new/kep.yaml", "# status: ‸\n");
    assert!(items.is_empty());
    let (_, _, items) = complete("keps/sig-node/9999-new/kep.yaml", "stage: alpha # be‸\n");
    assert!(items.is_empty());
}

#[test]
fn legacy_front_matter_and_body() {
    let f = "keps/sig-network/20190118-pod-dns-config.md";
    let t = ide_support::fixture().text(f).replacen(
        "status: implementable\n",
        "status: implementable\nsta‸\n",
        1,
    );
    let (_, _, items) = complete(f, &t);
    assert!(labels(&items).contains(&"stage"));
    assert!(!labels(&items).contains(&"status"));
    // Below the front matter it is Markdown: sections, not fields.
    let t = ide_support::fixture().text(f).replacen(
        "# Configurable Pod DNS\n",
        "# Configurable Pod DNS\n## ‸\n",
        1,
    );
    let (_, _, items) = complete(f, &t);
    assert!(items.iter().all(|i| i.kind == CompletionKind::Section));
}

#[test]
fn prr_file_keys_and_approvers() {
    let f = "keps/prod-readiness/sig-node/5823.yaml";
    let t = format!("{}{CURSOR}", ide_support::fixture().text(f));
    let (_, _, items) = complete(f, &t);
    // The PRR stages in upstream's (api/approval.go) order.
    assert_eq!(
        labels(&items),
        ["beta", "stable", "deprecated", "removed", "disabled"]
    );
    assert_eq!(items[0].edit.new_text, "beta:\n  approver: \"@$1\"");
    // Approvers: the prod-readiness-approvers alias of the embedded OWNERS_ALIASES.
    let t = format!(
        "{}beta:\n  approver: \"@joh{CURSOR}\"\n",
        ide_support::fixture().text(f)
    );
    let (text, _, items) = complete(f, &t);
    let j = pick(&items, "@johnbelamaric");
    assert_eq!(&text[j.edit.range.clone()], "@joh");
    assert_eq!(j.edit.new_text, "@johnbelamaric");
    assert_eq!(j.detail.as_deref(), Some("prod-readiness-approvers"));
}

#[test]
fn readme_missing_sections_at_the_typed_level() {
    let f = "keps/sig-apps/1591-daemonset-surge/README.md";
    let orig = ide_support::fixture().text(f).to_string();
    let marked = orig.replacen("## Implementation History\n", &format!("## Impl{CURSOR}\n"), 1);
    let (text, _, items) = complete(f, &marked);
    // 1591 lacks the checklist, Implementation History (removed here), Drawbacks and Alternatives; the rest of
    // the level-2 template sections are present. Template order; optional ones included.
    assert_eq!(
        labels(&items),
        [
            "Release Signoff Checklist",
            "Implementation History",
            "Drawbacks",
            "Alternatives",
            "Infrastructure Needed (Optional)"
        ]
    );
    assert!(
        items
            .iter()
            .all(|i| i.detail.as_deref() == Some("template section, level 2"))
    );
    let d = pick(&items, "Implementation History");
    assert_eq!(&text[d.edit.range.clone()], "## Impl");
    assert_eq!(apply_edits(&text, std::slice::from_ref(&d.edit)), orig);
    assert!(
        pick(&items, "Drawbacks")
            .documentation
            .as_deref()
            .unwrap()
            .contains("Why should this KEP _not_ be implemented?")
    );

    // An empty line below `### Goals`-level content: siblings and children of the enclosing one.
    let marked = orig.replacen("## Implementation History\n", "", 1).replacen(
        "## Design Details\n",
        &format!("## Design Details\n{CURSOR}\n"),
        1,
    );
    let (_, _, items) = complete(f, &marked);
    // Design Details' missing children first (1591 has Test Plan and Graduation Criteria), then
    // the missing level-2 sections.
    assert_eq!(
        labels(&items),
        [
            "Upgrade / Downgrade Strategy",
            "Version Skew Strategy",
            "Release Signoff Checklist",
            "Implementation History",
            "Drawbacks",
            "Alternatives",
            "Infrastructure Needed (Optional)"
        ]
    );
    assert_eq!(items[1].edit.new_text, "### Version Skew Strategy");
}

#[test]
fn no_panic_at_any_offset() {
    let ws = ide_support::fixture();
    let k = knowledge();
    let facts = WorkspaceFacts::from_view(&ws);
    let c = ctx(&k, &ws);
    for (path, text) in [
        (K2625, ws.text(K2625).to_string()),
        (
            "keps/sig-network/20190118-pod-dns-config.md",
            ws.text("keps/sig-network/20190118-pod-dns-config.md").to_string(),
        ),
        (
            "keps/sig-x/1-x/kep.yaml",
            "é: \"😀\n- ‸ : :\n  - '\n\t-\n".to_string(),
        ),
    ] {
        for at in 0..=text.len() {
            for item in completions(path, &text, at, &c, &facts) {
                assert!(item.edit.range.start <= item.edit.range.end && item.edit.range.end <= text.len());
                assert!(
                    text.is_char_boundary(item.edit.range.start)
                        && text.is_char_boundary(item.edit.range.end)
                );
            }
        }
    }
}
