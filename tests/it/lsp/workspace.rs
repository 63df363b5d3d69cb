//! End-to-end through the real server on tests/fixtures/ws-repo (read only; edits are applied
//! by the test, never to disk): `textDocument/formatting` (the TOC as mdtoc --inplace writes
//! it) and `textDocument/inlayHint` (title and status after kep.yaml references).

use crate::common;

use common::lsp_client::{LspClient, Units, apply_lsp_edits, file_uri, lsp_offset};
use serde_json::{Value, json};

fn repo() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ws-repo")
}

fn server() -> LspClient {
    let mut c = LspClient::spawn();
    c.initialize(json!({
        "rootUri": file_uri(&repo()),
        "capabilities": {
            "general": {"positionEncodings": ["utf-8"]},
            "textDocument": {"publishDiagnostics": {"versionSupport": true}},
            "window": {"workDoneProgress": true}
        },
    }));
    c.wait_for("index ready", |m| {
        m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end"
    });
    c
}

fn open(c: &mut LspClient, rel: &str) -> (String, String) {
    let path = repo().join(rel);
    let uri = file_uri(&path);
    let text = std::fs::read_to_string(&path).expect("fixture");
    let lang = if rel.ends_with(".md") { "markdown" } else { "yaml" };
    c.open(&uri, lang, 1, &text);
    (uri, text)
}

fn formatting(c: &mut LspClient, uri: &str) -> Value {
    c.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": true}}),
    )
    .expect("formatting")
}

#[test]
fn capabilities_offer_formatting_and_inlay_hints() {
    let mut c = LspClient::spawn();
    let init = c.initialize(json!({"capabilities": {}}));
    let caps = &init["capabilities"];
    assert_eq!(caps["documentFormattingProvider"], true);
    assert_eq!(caps["inlayHintProvider"], true);
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn formatting_regenerates_a_stale_toc_and_then_has_nothing_to_do() {
    let mut c = server();
    let (uri, text) = open(&mut c, "keps/sig-node/1001-pod-things/README.md");
    let stale = |d: &Value| {
        d["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"] == "toc-stale")
    };
    assert!(stale(&c.diagnostics_at(&uri, 1)));
    let edits = formatting(&mut c, &uri);
    assert_eq!(edits.as_array().map(Vec::len), Some(1), "{edits}");
    let formatted = apply(&text, &edits);
    assert_eq!(
        formatted,
        text.replace("- [Old section](#old-section)\n", "- [Motivation](#motivation)\n")
    );
    // The formatted text, once the editor has it: no edits, and no toc-stale any more.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": formatted}]}),
    );
    assert_eq!(formatting(&mut c, &uri), json!([]));
    let diags = c.diagnostics_at(&uri, 2);
    assert!(!stale(&diags), "{diags}");
    // A current README and a kep.yaml: nothing.
    let (current, _) = open(&mut c, "keps/sig-node/1002-node-stuff/README.md");
    assert_eq!(formatting(&mut c, &current), json!([]));
    let (yaml, _) = open(&mut c, "keps/sig-node/1002-node-stuff/kep.yaml");
    assert_eq!(formatting(&mut c, &yaml), json!([]));
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn inlay_hints_name_the_referenced_keps() {
    let mut c = server();
    let (uri, text) = open(&mut c, "keps/sig-node/1001-pod-things/kep.yaml");
    let all = json!({"start": {"line": 0, "character": 0}, "end": {"line": 100, "character": 0}});
    let hints = c
        .request(
            "textDocument/inlayHint",
            json!({"textDocument": {"uri": uri}, "range": all}),
        )
        .expect("inlayHint");
    let got: Vec<(String, &str)> = hints
        .as_array()
        .expect("hints")
        .iter()
        .map(|h| {
            let at = offset(&text, &h["position"]);
            let line = text[..at].rsplit('\n').next().unwrap_or("").to_string();
            (line, h["label"].as_str().unwrap())
        })
        .collect();
    // The second see-also names no KEP: no hint (unresolved-reference reports it).
    assert_eq!(
        got,
        [(
            "  - \"/keps/sig-node/1002-node-stuff\"".to_string(),
            "KEP-1002: Node stuff · implemented"
        )]
    );
    let (uri, _) = open(&mut c, "keps/sig-apps/1003-apps-work/kep.yaml");
    let hints = c
        .request(
            "textDocument/inlayHint",
            json!({"textDocument": {"uri": uri}, "range": all}),
        )
        .expect("inlayHint");
    assert_eq!(hints[0]["label"], "KEP-1002: Node stuff · implemented");
    assert!(c.shutdown_and_exit().success());
}

/// `text` with the LSP edits of the JSON array `edits` applied (utf-8 positions).
fn apply(text: &str, edits: &Value) -> String {
    apply_lsp_edits(text, edits.as_array().expect("edits"), Units::Utf8)
}

fn offset(text: &str, pos: &Value) -> usize {
    lsp_offset(text, pos, Units::Utf8)
}
