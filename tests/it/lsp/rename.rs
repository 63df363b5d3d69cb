//! End-to-end: heading rename (prepareRename, rename), references and documentHighlight through
//! the real server, on the fixture tests/fixtures/rename/repo (two KEPs that point at each other
//! by see-also, replaces, anchored Markdown links and a PRR file). The pure functions are tested
//! in src/ide/rename.rs and src/ide/references.rs; these check the wiring, positions and edits.

use crate::common;

use common::lsp_client::{LspClient, Units, apply_lsp_edits, file_uri, lsp_offset, lsp_position};
use serde_json::{Value, json};

const THREAD: &str = "keps/sig-node/4001-thread";
const USER: &str = "keps/sig-apps/4002-user";

fn repo() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rename/repo")
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(repo().join(rel)).expect("fixture")
}

fn uri(rel: &str) -> String {
    file_uri(&repo().join(rel))
}

/// A server on the fixture, utf-8 positions, index ready, with `rel` open.
fn server_with(rel: &str) -> (LspClient, String, String) {
    server_with_edits(rel, json!({}))
}

/// `server_with`, the client's `workspace.workspaceEdit` capabilities given.
fn server_with_edits(rel: &str, workspace_edit: Value) -> (LspClient, String, String) {
    let mut c = LspClient::spawn();
    c.initialize(json!({
        "rootUri": file_uri(&repo()),
        "capabilities": {
            "general": {"positionEncodings": ["utf-8"]},
            "window": {"workDoneProgress": true},
            "textDocument": {"publishDiagnostics": {"versionSupport": true}},
            "workspace": {"workspaceEdit": workspace_edit}
        },
    }));
    c.wait_for("index ready", |m| {
        m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end"
    });
    let text = read(rel);
    let u = uri(rel);
    let language = if rel.ends_with(".md") { "markdown" } else { "yaml" };
    c.open(&u, language, 1, &text);
    (c, u, text)
}

fn at(text: &str, needle: &str) -> Value {
    lsp_position(text, text.find(needle).expect("needle"), "utf-8")
}

fn pos_params(u: &str, p: Value) -> Value {
    json!({"textDocument": {"uri": u}, "position": p})
}

/// The codes of the diagnostics published for `u` at `version`.
fn codes(c: &mut LspClient, u: &str, version: i64) -> Vec<String> {
    let d = c.diagnostics_at(u, version);
    d["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn capabilities_announce_rename_references_and_highlights() {
    let mut c = LspClient::spawn();
    let r = c.initialize(json!({"capabilities": {}}));
    let caps = &r["capabilities"];
    assert_eq!(caps["renameProvider"], json!({"prepareProvider": true}));
    assert_eq!(caps["referencesProvider"], true);
    assert_eq!(caps["documentHighlightProvider"], true);
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn rename_a_heading_with_its_toc_entry_and_links_in_the_workspace() {
    let readme = format!("{THREAD}/README.md");
    let (mut c, u, text) = server_with(&readme);
    let before = codes(&mut c, &u, 1);

    let heading = text.find("### Goals").unwrap() + 5;
    let prep = c
        .request(
            "textDocument/prepareRename",
            pos_params(&u, lsp_position(&text, heading, "utf-8")),
        )
        .expect("prepareRename");
    assert_eq!(
        prep,
        json!({
            "range": {"start": lsp_position(&text, heading - 1, "utf-8"), "end": lsp_position(&text, heading + 4, "utf-8")},
            "placeholder": "Goals"
        })
    );
    // Not on a heading: nothing to rename.
    let none = c
        .request(
            "textDocument/prepareRename",
            pos_params(&u, at(&text, "Placement of")),
        )
        .expect("prepareRename");
    assert_eq!(none, Value::Null);

    let edit = c
        .request(
            "textDocument/rename",
            json!({"textDocument": {"uri": u}, "position": lsp_position(&text, heading, "utf-8"), "newName": "Aims"}),
        )
        .expect("rename");
    let changes = edit["changes"].as_object().expect("changes");
    assert_eq!(changes.len(), 2, "{edit}");
    let renamed = apply(&text, &changes[&u]);
    assert_eq!(
        renamed,
        text.replace("  - [Goals](#goals)", "  - [Aims](#aims)")
            .replace("[the goals](#goals)", "[the goals](#aims)")
            .replace("### Goals", "### Aims")
            .replace("(./README.md#goals)", "(./README.md#aims)")
    );
    let user_readme = format!("{USER}/README.md");
    let user_text = read(&user_readme);
    assert_eq!(
        apply(&user_text, &changes[&uri(&user_readme)]),
        user_text.replace("README.md#goals", "README.md#aims")
    );

    // Mechanically: the renamed README has no toc-stale or broken-link finding it did not have.
    c.change(&u, 2, json!([{"text": renamed}]));
    let after = codes(&mut c, &u, 2);
    for code in ["toc-stale", "broken-link"] {
        assert_eq!(
            after.iter().filter(|x| *x == code).count(),
            before.iter().filter(|x| *x == code).count(),
            "{code}: {after:?}"
        );
    }
    c.shutdown_and_exit();
}

#[test]
fn a_client_with_document_changes_gets_versioned_edits() {
    let readme = format!("{THREAD}/README.md");
    let (mut c, u, text) = server_with_edits(&readme, json!({"documentChanges": true}));
    let edit = c
        .request(
            "textDocument/rename",
            json!({"textDocument": {"uri": u}, "position": at(&text, "Goals\n\n- Place"), "newName": "Aims"}),
        )
        .expect("rename");
    let changes = edit["documentChanges"].as_array().expect("documentChanges");
    let versions: Vec<(String, Value)> = changes
        .iter()
        .map(|d| {
            let id = &d["textDocument"];
            (
                id["uri"]
                    .as_str()
                    .unwrap()
                    .rsplit("/repo/")
                    .next()
                    .unwrap()
                    .to_string(),
                id["version"].clone(),
            )
        })
        .collect();
    // The open README at its version; the other, unopened, without one.
    assert_eq!(
        versions,
        [
            (readme.clone(), json!(1)),
            (format!("{USER}/README.md"), Value::Null)
        ]
    );
    assert_eq!(
        apply(&text, &changes[0]["edits"]),
        text.replace("  - [Goals](#goals)", "  - [Aims](#aims)")
            .replace("[the goals](#goals)", "[the goals](#aims)")
            .replace("### Goals", "### Aims")
            .replace("(./README.md#goals)", "(./README.md#aims)")
    );
    c.shutdown_and_exit();
}

#[test]
fn a_rename_onto_another_headings_anchor_is_refused_with_a_reason() {
    let readme = format!("{THREAD}/README.md");
    let (mut c, u, text) = server_with(&readme);
    let err = c
        .request(
            "textDocument/rename",
            json!({"textDocument": {"uri": u}, "position": at(&text, "Summary\n\nPlacement"), "newName": "Non-Goals"}),
        )
        .expect_err("refused");
    assert_eq!(err["code"], -32803);
    let message = err["message"].as_str().unwrap();
    assert!(
        message.contains("#non-goals of the heading \"Non-Goals\" on line 23"),
        "{message}"
    );
    c.shutdown_and_exit();
}

#[test]
fn references_to_a_kep_a_handle_and_a_heading() {
    let yaml = format!("{THREAD}/kep.yaml");
    let (mut c, u, text) = server_with(&yaml);
    let refs = |c: &mut LspClient, u: &str, p: Value, decl: bool| -> Vec<(String, String)> {
        let r = c
            .request(
                "textDocument/references",
                json!({"textDocument": {"uri": u}, "position": p, "context": {"includeDeclaration": decl}}),
            )
            .expect("references");
        r.as_array()
            .map(|a| {
                a.iter()
                    .map(|l| {
                        let rel = l["uri"]
                            .as_str()
                            .unwrap()
                            .rsplit("/repo/")
                            .next()
                            .unwrap()
                            .to_string();
                        let t = read(&rel);
                        let s = offset(&t, &l["range"]["start"]);
                        let e = offset(&t, &l["range"]["end"]);
                        (rel, t[s..e].to_string())
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let user_yaml = format!("{USER}/kep.yaml");
    let user_readme = format!("{USER}/README.md");
    let pairs = |v: &[(&str, &str)]| -> Vec<(String, String)> {
        v.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    };

    // The KEP, from its number, with the declaration (its title).
    assert_eq!(
        refs(&mut c, &u, at(&text, "4001"), true),
        pairs(&[
            (&yaml, "Thread placement"),
            (&user_readme, "../../sig-node/4001-thread/README.md#goals"),
            (&user_readme, "/keps/sig-node/4001-thread#design-details"),
            (&user_yaml, "/keps/sig-node/4001-thread"),
            (&user_yaml, "KEP-4001"),
        ])
    );
    // A handle: the author here, the reviewer of 4002, the PRR approver.
    assert_eq!(
        refs(&mut c, &u, at(&text, "alice"), false),
        pairs(&[
            (&yaml, "@alice"),
            ("keps/prod-readiness/sig-node/4001.yaml", "@alice"),
            (&user_yaml, "@alice"),
        ])
    );
    // A heading: its links here and in the other README.
    let readme = format!("{THREAD}/README.md");
    let readme_text = read(&readme);
    let ru = uri(&readme);
    c.open(&ru, "markdown", 1, &readme_text);
    assert_eq!(
        refs(&mut c, &ru, at(&readme_text, "Goals\n\n- Place"), false),
        pairs(&[
            (&readme, "goals"),
            (&readme, "goals"),
            (&readme, "goals"),
            (&user_readme, "goals"),
        ])
    );
    // Nothing under the cursor: null.
    assert_eq!(refs(&mut c, &u, at(&text, "owning-sig"), false), []);
    c.shutdown_and_exit();
}

#[test]
fn highlights_in_the_current_file() {
    let readme = format!("{THREAD}/README.md");
    let (mut c, u, text) = server_with(&readme);
    let h = c
        .request(
            "textDocument/documentHighlight",
            pos_params(&u, at(&text, "Beta\n\n### Beta\n")),
        )
        .expect("documentHighlight");
    let got: Vec<(&str, u64)> = h
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let s = offset(&text, &d["range"]["start"]);
            let e = offset(&text, &d["range"]["end"]);
            (&text[s..e], d["kind"].as_u64().unwrap())
        })
        .collect();
    // The first Beta heading: its TOC entry's link and its text.
    assert_eq!(got, [("beta", 1), ("Beta", 1)]);
    let second = text.rfind("### Beta").unwrap() + 4;
    let h = c
        .request(
            "textDocument/documentHighlight",
            pos_params(&u, lsp_position(&text, second, "utf-8")),
        )
        .expect("documentHighlight");
    assert_eq!(h.as_array().map(Vec::len), Some(3), "{h}");
    c.shutdown_and_exit();
}

/// `text` with the LSP edits of the JSON array `edits` applied (utf-8 positions).
fn apply(text: &str, edits: &Value) -> String {
    apply_lsp_edits(text, edits.as_array().expect("edits"), Units::Utf8)
}

fn offset(text: &str, pos: &Value) -> usize {
    lsp_offset(text, pos, Units::Utf8)
}
