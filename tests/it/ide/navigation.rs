//! Hover, document symbols, workspace symbols, links, go-to-definition and folding on real KEPs.

use crate::common::ide as ide_support;

use ide_support::{ctx, knowledge};
use kep_lsp::analysis::WorkspaceView;
use kep_lsp::ide::folding::folding_ranges;
use kep_lsp::ide::hover::hover;
use kep_lsp::ide::links::{LinkTarget, definition, document_links};
use kep_lsp::ide::symbols::{Symbol, document_symbols, workspace_symbols};

const K2625: &str = "keps/sig-node/2625-cpumanager-policies-thread-placement/kep.yaml";
const K1591: &str = "keps/sig-apps/1591-daemonset-surge/kep.yaml";
const R1591: &str = "keps/sig-apps/1591-daemonset-surge/README.md";

/// Hover over the first occurrence of `needle` (cursor one byte into it).
fn hover_at(
    ws: &crate::common::MemWorkspace,
    path: &str,
    text: &str,
    needle: &str,
) -> Option<(String, String)> {
    let k = knowledge();
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in {path}"))
        + 1;
    hover(path, text, at, &ctx(&k, ws)).map(|h| (text[h.range].to_string(), h.markdown))
}

#[test]
fn hover_fields_values_sigs_and_people() {
    let ws = ide_support::fixture();
    let t = ws.text(K2625);
    let (r, md) = hover_at(&ws, K2625, t, "status:").unwrap();
    assert_eq!(r, "status");
    assert!(md.starts_with("**status** (string, required)"), "{md}");
    assert!(md.contains("- `implemented`: ") && md.contains("Upstream rule: R17"));

    let (r, md) = hover_at(&ws, K2625, t, "imlpemented").unwrap();
    assert_eq!(r, "imlpemented");
    assert!(md.starts_with("`imlpemented` is not a KEP status (R17)."));

    let t1591 = ws.text(K1591);
    let (r, md) = hover_at(&ws, K1591, t1591, "implementable").unwrap();
    assert_eq!(r, "implementable");
    assert!(
        md.contains("Workflow: provisional · **implementable** · implemented"),
        "{md}"
    );

    let (r, md) = hover_at(&ws, K2625, t, "sig-node\n").unwrap();
    assert_eq!(r, "sig-node");
    assert!(md.starts_with("**sig-node** (Node SIG)"), "{md}");
    assert!(md.ends_with("Owns 3 KEPs in this workspace."), "{md}");

    // Inside the quotes: the handle, with what the workspace knows of it.
    let (r, md) = hover_at(&ws, K2625, t, "@klueska\" #").unwrap();
    assert_eq!(r, "@klueska");
    assert_eq!(
        md,
        "**@klueska**\n\nReviewer of 1 KEP, approver of 1 KEP.\n\nNamed in 1 KEP (sig-node: 1).",
    );

    let (r, md) = hover_at(&ws, K2625, t, "kubelet\n").unwrap();
    assert_eq!(r, "kubelet");
    assert_eq!(
        md,
        "**kubelet**: The node agent: pods, containers, volumes and devices on the node."
    );

    let (r, md) = hover_at(&ws, K2625, t, "beta: \"v1.23\"").unwrap();
    assert_eq!(r, "beta");
    assert!(md.starts_with("**milestone.beta**"));
}

#[test]
fn hover_kep_references_and_template_guidance() {
    let ws = ide_support::fixture();
    let text = ws.text(K2625).replacen(
        "replaces: []",
        "replaces:\n  - \"/keps/sig-apps/1591-daemonset-surge\"",
        1,
    );
    let (r, md) = hover_at(&ws, K2625, &text, "/keps/sig-apps").unwrap();
    assert_eq!(r, "/keps/sig-apps/1591-daemonset-surge");
    assert_eq!(
        md,
        "**KEP-1591: Allow DaemonSets to surge during update like Deployments**\n\nstatus: implementable · \
         stage: stable · owning-sig: sig-apps\n\n`keps/sig-apps/1591-daemonset-surge`"
    );
    let (_, md) = hover_at(&ws, K2625, &text, "keps/sig-node/2902").unwrap();
    assert_eq!(
        md,
        "No KEP in this workspace at `keps/sig-node/2902-cpumanager-distribute-cpus-policy-option/`."
    );

    let readme = ws.text(R1591);
    let (r, md) = hover_at(&ws, R1591, readme, "## Summary").unwrap();
    assert_eq!(r, "Summary");
    assert!(
        md.starts_with("**Template: Summary**\n\nThis section is incredibly important"),
        "{md}"
    );
    assert!(hover_at(&ws, R1591, readme, "### Workload Implications").is_none());
}

fn outline(symbols: &[Symbol], text: &str, depth: usize, out: &mut String) {
    for s in symbols {
        out.push_str(&format!(
            "{}{} [{}]{}\n",
            "  ".repeat(depth),
            s.name,
            &text[s.selection_range.clone()],
            s.detail.as_deref().map(|d| format!(" = {d}")).unwrap_or_default()
        ));
        assert!(s.range.start <= s.selection_range.start && s.selection_range.end <= s.range.end);
        outline(&s.children, text, depth + 1, out);
    }
}

#[test]
fn document_symbols_of_kep_yaml_readme_and_legacy() {
    let ws = ide_support::fixture();
    let mut out = String::new();
    let t = ws.text(K2625);
    outline(&document_symbols(K2625, t), t, 0, &mut out);
    insta::assert_snapshot!("symbols_2625_kep_yaml", out);

    let mut out = String::new();
    let t = ws.text(R1591);
    let syms = document_symbols(R1591, t);
    assert_eq!(syms.len(), 1, "one H1 holding everything");
    assert_eq!(&t[syms[0].range.clone()], t.trim_end());
    outline(&syms, t, 0, &mut out);
    insta::assert_snapshot!("symbols_1591_readme", out);

    let f = "keps/sig-network/20190118-pod-dns-config.md";
    let t = ws.text(f);
    let syms = document_symbols(f, t);
    assert_eq!(syms[0].name, "title");
    assert_eq!(syms[0].detail.as_deref(), Some("Configurable Pod DNS"));
    assert!(
        syms.iter()
            .any(|s| s.name == "Configurable Pod DNS" && s.children.iter().any(|c| c.name == "Summary"))
    );
}

#[test]
fn workspace_symbols_by_number_and_title() {
    let ws = ide_support::fixture();
    let keps = ws.keps();
    let names = |q: &str| {
        workspace_symbols(q, &keps)
            .into_iter()
            .map(|s| s.name)
            .collect::<Vec<_>>()
    };
    assert_eq!(names("2625"), ["KEP-2625: SMT aware cpumanager policy"]);
    assert_eq!(names("KEP-2625"), names("2625"));
    // 281 exactly first, then numbers starting with 28 would follow.
    assert_eq!(names("281")[0], "KEP-281: Dynamic Kubelet Configuration");
    assert_eq!(
        names("surge DaemonSets"),
        ["KEP-1591: Allow DaemonSets to surge during update like Deployments"]
    );
    let all = workspace_symbols("", &keps);
    assert_eq!(all.len(), keps.len());
    let s = &workspace_symbols("1591", &keps)[0];
    assert_eq!(
        (s.detail.as_str(), s.path.as_str()),
        ("sig-apps · implementable · stable", K1591)
    );
}

#[test]
fn links_and_definition() {
    let mut ws = ide_support::fixture();
    let text = ws.text(K2625).replacen(
        "replaces: []",
        "replaces:\n  - \"/keps/sig-apps/1591-daemonset-surge\"",
        1,
    );
    let k = knowledge();
    let links = document_links(K2625, &text, &ctx(&k, &ws));
    // The 6 see-also entries of 2625 name KEPs outside the fixture: no link for them.
    assert_eq!(links.len(), 1);
    assert_eq!(
        &text[links[0].range.clone()],
        "/keps/sig-apps/1591-daemonset-surge"
    );
    assert_eq!(
        links[0].target,
        LinkTarget::File("keps/sig-apps/1591-daemonset-surge".into())
    );
    let at = links[0].range.start + 3;
    let def = definition(K2625, &text, at, &ctx(&k, &ws)).unwrap();
    assert_eq!(def.path, K1591);

    // README: a relative link and an image that exist; 2625's images are not in the fixture.
    ws.insert(
        "keps/sig-node/2625-cpumanager-policies-thread-placement/smtalign-topology.png",
        "",
    );
    let readme_path = "keps/sig-node/2625-cpumanager-policies-thread-placement/README.md";
    let readme = format!(
        "{}\nSee [the surge KEP](../../sig-apps/1591-daemonset-surge/README.md#summary).\n",
        ws.text(readme_path)
    );
    let links = document_links(readme_path, &readme, &ctx(&k, &ws));
    let shown: Vec<(&str, &LinkTarget)> = links
        .iter()
        .map(|l| (&readme[l.range.clone()], &l.target))
        .collect();
    assert_eq!(
        shown,
        [
            (
                "smtalign-topology.png",
                &LinkTarget::File(
                    "keps/sig-node/2625-cpumanager-policies-thread-placement/smtalign-topology.png".into()
                )
            ),
            (
                "../../sig-apps/1591-daemonset-surge/README.md#summary",
                &LinkTarget::File(R1591.into())
            ),
        ]
    );
    let at = readme.find("../../sig-apps").unwrap() + 2;
    assert_eq!(
        definition(readme_path, &readme, at, &ctx(&k, &ws)).unwrap().path,
        R1591
    );
}

#[test]
fn folding_sections_comments_and_fields() {
    let ws = ide_support::fixture();
    let t = ws.text(K1591);
    let folds: Vec<&str> = folding_ranges(K1591, t).into_iter().map(|r| &t[r]).collect();
    assert!(folds.contains(&"milestone:\n  alpha: \"v1.21\"\n  beta: \"v1.22\"\n  stable: \"v1.25\""));
    assert!(folds.contains(&"feature-gates:\n  - name: DaemonSetUpdateSurge\n    components:\n      - kube-apiserver\n      - kube-controller-manager"));
    assert!(
        !folds.iter().any(|f| f.starts_with("title")),
        "single lines do not fold"
    );

    let t = ws.text(R1591);
    let folds: Vec<&str> = folding_ranges(R1591, t).into_iter().map(|r| &t[r]).collect();
    assert!(
        folds
            .iter()
            .any(|f| f.starts_with("<!-- toc -->") && f.ends_with("<!-- /toc -->"))
    );
    assert!(
        folds
            .iter()
            .any(|f| f.starts_with("## Summary\n") && !f.contains("## Motivation"))
    );
    assert!(
        folds
            .iter()
            .any(|f| f.starts_with("## Motivation\n") && f.contains("### Goals"))
    );

    let f = "keps/sig-network/20190118-pod-dns-config.md";
    let t = ws.text(f);
    let folds: Vec<&str> = folding_ranges(f, t).into_iter().map(|r| &t[r]).collect();
    assert!(
        folds[0].starts_with("---\ntitle: Configurable Pod DNS")
            && folds[0].ends_with("status: implementable\n---")
    );
}
