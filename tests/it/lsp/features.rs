//! End-to-end tests of the authoring features through the real server (the pure functions are
//! tested in src/ide; these check the wiring: positions, ranges, edits, kinds).

use crate::common;

use common::lsp_client::{LspClient, Units, apply_lsp_edits, file_uri, fixtures};
use serde_json::{Value, json};

const KEP_2625: &str = "keps/sig-node/2625-cpumanager-policies-thread-placement";

fn repo() -> std::path::PathBuf {
    fixtures().join("repo")
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(repo().join(rel)).expect("fixture exists")
}

/// A server in the fixture repo, index ready, with the 2625 kep.yaml open (version 1).
fn with_kep_yaml() -> (LspClient, String, String) {
    let mut c = LspClient::spawn();
    c.initialize(json!({
        "rootUri": file_uri(&repo()),
        "capabilities": {"window": {"workDoneProgress": true}, "general": {"positionEncodings": ["utf-16"]}},
    }));
    c.wait_for("index ready", |m| {
        m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end"
    });
    let rel = format!("{KEP_2625}/kep.yaml");
    let uri = file_uri(&repo().join(&rel));
    let text = read(&rel);
    c.open(&uri, "yaml", 1, &text);
    (c, uri, text)
}

fn range(sl: u64, sc: u64, el: u64, ec: u64) -> Value {
    json!({"start": {"line": sl, "character": sc}, "end": {"line": el, "character": ec}})
}

#[test]
fn capabilities_announce_the_features() {
    let mut c = LspClient::spawn();
    let r = c.initialize(json!({"capabilities": {}}));
    let caps = &r["capabilities"];
    assert_eq!(caps["hoverProvider"], true);
    assert_eq!(
        caps["completionProvider"]["triggerCharacters"],
        json!([":", "@", "-", "#"])
    );
    assert_eq!(
        caps["codeActionProvider"]["codeActionKinds"],
        json!(["quickfix", "refactor.rewrite", "source.fixAll"])
    );
    for key in [
        "documentSymbolProvider",
        "workspaceSymbolProvider",
        "definitionProvider",
        "foldingRangeProvider",
    ] {
        assert_eq!(caps[key], true, "{key}");
    }
    assert!(caps["documentLinkProvider"].is_object());
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn hover_on_a_key_and_on_a_sig() {
    let (mut c, uri, _) = with_kep_yaml();
    let h = c
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": 7, "character": 2}}),
        )
        .expect("hover");
    assert!(
        h["contents"]["value"]
            .as_str()
            .is_some_and(|v| v.starts_with("**status** (string, required)")),
        "{h}"
    );
    assert_eq!(h["contents"]["kind"], "markdown");
    let h = c
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": 5, "character": 14}}),
        )
        .expect("hover");
    assert_eq!(h["range"], range(5, 12, 5, 20));
    assert!(
        h["contents"]["value"]
            .as_str()
            .is_some_and(|v| v.starts_with("**sig-node**")),
        "{h}"
    );
    assert!(c.shutdown_and_exit().success());
}

/// A finding under the cursor: its code and summary follow what the hover says of the value
/// (the fixture's `status: imlpemented` is an invalid-status error).
#[test]
fn hover_names_the_code_of_a_finding_under_the_cursor() {
    let (mut c, uri, text) = with_kep_yaml();
    let line = text
        .lines()
        .position(|l| l == "status: imlpemented")
        .expect("the fixture's misspelt status") as u64;
    c.diagnostics_at(&uri, 1);
    let h = c
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": 10}}),
        )
        .expect("hover");
    let value = h["contents"]["value"].as_str().unwrap_or_default();
    let code = format!(
        "**`invalid-status`**: {} (`kep-lsp rule invalid-status`)",
        kep_lsp::analysis::Code::InvalidStatus.summary()
    );
    assert!(value.ends_with(&code), "{h}");
    // On the key, where no finding is, the field's docs alone.
    let h = c
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": 2}}),
        )
        .expect("hover");
    assert!(
        !h["contents"]["value"]
            .as_str()
            .unwrap_or_default()
            .contains("invalid-status"),
        "{h}"
    );
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn completion_of_the_owning_sig_replaces_the_value() {
    let (mut c, uri, _) = with_kep_yaml();
    let items = c
        .request(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": {"line": 5, "character": 12}}),
        )
        .expect("completion");
    let items = items.as_array().cloned().unwrap_or_default();
    let node = items
        .iter()
        .find(|i| i["label"] == "sig-node")
        .unwrap_or_else(|| panic!("sig-node offered: {items:?}"));
    assert_eq!(node["textEdit"]["range"], range(5, 12, 5, 20));
    assert_eq!(node["textEdit"]["newText"], "sig-node");
    assert!(items.iter().all(|i| i["textEdit"]["range"]["start"]["line"] == 5));
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn quick_fix_for_a_misspelt_status_clears_the_error() {
    let (mut c, uri, text) = with_kep_yaml();
    let d = c.diagnostics_at(&uri, 1);
    assert_eq!(d["diagnostics"][0]["code"], "invalid-status");
    let actions = c
        .request(
            "textDocument/codeAction",
            json!({
                "textDocument": {"uri": uri},
                "range": range(7, 10, 7, 10),
                "context": {"diagnostics": d["diagnostics"], "only": ["quickfix"]},
            }),
        )
        .expect("code actions");
    let actions = actions.as_array().cloned().unwrap_or_default();
    assert!(actions.iter().all(|a| a["kind"] == "quickfix"), "{actions:?}");
    let fix = actions
        .iter()
        .find(|a| a["title"] == "Change status to `implemented`")
        .unwrap_or_else(|| panic!("fix offered: {actions:?}"));
    assert_eq!(fix["isPreferred"], true);
    assert_eq!(fix["diagnostics"][0]["code"], "invalid-status");
    let edits = fix["edit"]["changes"][uri.as_str()]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let fixed = apply(&text, &edits);
    assert!(fixed.contains("\nstatus: implemented\n"));
    c.change(&uri, 2, json!([{"text": fixed}]));
    let d = c.diagnostics_at(&uri, 2);
    let codes: Vec<&str> = d["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["code"].as_str())
        .collect();
    // only the see-also entries naming KEPs absent from the fixture repo remain
    assert_eq!(codes, ["unresolved-reference"; 6]);
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn outline_folding_and_workspace_symbols() {
    let (mut c, uri, _) = with_kep_yaml();
    let symbols = c
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": uri}}),
        )
        .expect("symbols");
    assert_eq!(symbols[0]["name"], "title");
    assert_eq!(symbols[0]["detail"], "SMT aware cpumanager policy");
    assert_eq!(symbols[0]["selectionRange"], range(0, 0, 0, 5));
    let names: Vec<&str> = symbols
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["name"].as_str())
        .collect();
    assert!(
        names.contains(&"status") && names.contains(&"milestone"),
        "{names:?}"
    );

    let folds = c
        .request("textDocument/foldingRange", json!({"textDocument": {"uri": uri}}))
        .expect("folding");
    let folds = folds.as_array().cloned().unwrap_or_default();
    // authors (lines 2-4) is the first multi-line field
    assert_eq!(folds[0], json!({"startLine": 2, "endLine": 4}));
    assert!(
        folds
            .iter()
            .all(|f| f["endLine"].as_u64() > f["startLine"].as_u64())
    );

    let found = c
        .request("workspace/symbol", json!({"query": "2625"}))
        .expect("symbols");
    assert!(
        found[0]["name"]
            .as_str()
            .is_some_and(|n| n.starts_with("KEP-2625")),
        "{found}"
    );
    assert_eq!(found[0]["location"]["uri"], uri.as_str());
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn links_and_definitions_lead_to_the_files_they_name() {
    let (mut c, yaml_uri, yaml) = with_kep_yaml();
    let rel = format!("{KEP_2625}/README.md");
    let uri = file_uri(&repo().join(&rel));
    let other = "keps/sig-scheduling/5501-reflect-preenqueue-rejections-in-pod-status";
    // A relative link on line 2, after non-ASCII text (utf-16 columns).
    let line = format!("Voir 😀 [métadonnées](kep.yaml) et [5501](../../../{other}/README.md).");
    let text = read(&rel).replacen('\n', &format!("\n{line}\n"), 1);
    c.open(&uri, "markdown", 1, &text);
    let links = c
        .request("textDocument/documentLink", json!({"textDocument": {"uri": uri}}))
        .expect("links");
    let start = line
        .find("kep.yaml")
        .map(|i| line[..i].encode_utf16().count() as u64)
        .unwrap_or(0);
    assert_eq!(links[0]["range"], range(1, start, 1, start + 8));
    assert_eq!(links[0]["target"], yaml_uri.as_str());
    assert_eq!(
        links[1]["target"],
        file_uri(&repo().join(other).join("README.md")).as_str()
    );

    let def = c
        .request(
            "textDocument/definition",
            json!({"textDocument": {"uri": uri}, "position": {"line": 1, "character": start + 2}}),
        )
        .expect("definition");
    assert_eq!(def["uri"], yaml_uri.as_str());
    assert_eq!(def["range"], range(0, 0, 0, 0));

    // kep.yaml: a see-also entry naming a KEP of the workspace links to its folder
    let fixed = yaml.replacen(
        "- \"keps/sig-node/2902-cpumanager-distribute-cpus-policy-option/\"",
        &format!("- \"{other}\""),
        1,
    );
    assert_ne!(fixed, yaml);
    c.change(&yaml_uri, 2, json!([{"text": fixed}]));
    let links = c
        .request(
            "textDocument/documentLink",
            json!({"textDocument": {"uri": yaml_uri}}),
        )
        .expect("links");
    let target = file_uri(&repo().join(other));
    assert!(
        links
            .as_array()
            .into_iter()
            .flatten()
            .any(|l| l["target"] == target.as_str() && l["range"]["start"]["line"] == 17),
        "{links}"
    );
    assert!(c.shutdown_and_exit().success());
}

/// `text` with LSP edits applied (utf-16 positions, as negotiated).
fn apply(text: &str, edits: &[Value]) -> String {
    apply_lsp_edits(text, edits, Units::Utf16)
}
