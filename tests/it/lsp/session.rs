//! End-to-end tests of the language server: the real binary over stdio, driven by
//! `common/lsp_client.rs`. Fixtures are real KEPs copied under tests/fixtures/lsp/repo.

use crate::common;

use std::time::Duration;

use common::lsp_client::{LspClient, capabilities, edit, file_uri, fixtures};
use serde_json::{Value, json};

fn repo() -> std::path::PathBuf {
    fixtures().join("repo")
}

const KEP_2625: &str = "keps/sig-node/2625-cpumanager-policies-thread-placement";
const KEP_5501: &str = "keps/sig-scheduling/5501-reflect-preenqueue-rejections-in-pod-status";

fn read(rel: &str) -> String {
    std::fs::read_to_string(repo().join(rel)).expect("fixture exists")
}

/// Initialize in the fixture repo and wait until its index is ready (it re-checks every open
/// file when it is, which would otherwise interleave with what a test waits for).
fn init_in_repo(client: &mut LspClient, encodings: &[&str]) -> Value {
    let mut caps = capabilities(encodings);
    caps["window"]["workDoneProgress"] = json!(true);
    let result = client.initialize(json!({
        "processId": null,
        "rootUri": file_uri(&repo()),
        "capabilities": caps,
    }));
    client.wait_for("index ready", |m| {
        m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end"
    });
    result
}

/// The 2625 kep.yaml's six see-also entries (0-based lines 17-22, each `- "keps/..."` quoted
/// from column 2) name KEPs absent from the fixture repo: `unresolved-reference` warnings.
fn see_also_warnings() -> Vec<(String, u64, u64, u64, u64, u64)> {
    let yaml = read(&format!("{KEP_2625}/kep.yaml"));
    yaml.lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with("- \"keps/"))
        .map(|(i, l)| {
            (
                "unresolved-reference".to_string(),
                i as u64,
                2,
                i as u64,
                l.len() as u64,
                2,
            )
        })
        .collect()
}

/// (code, start line, start char, end line, end char, severity) of each diagnostic.
fn summary(diags: &Value) -> Vec<(String, u64, u64, u64, u64, u64)> {
    diags["diagnostics"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|d| {
                    let r = &d["range"];
                    (
                        d["code"].as_str().unwrap_or_default().to_string(),
                        r["start"]["line"].as_u64().unwrap_or(0),
                        r["start"]["character"].as_u64().unwrap_or(0),
                        r["end"]["line"].as_u64().unwrap_or(0),
                        r["end"]["character"].as_u64().unwrap_or(0),
                        d["severity"].as_u64().unwrap_or(0),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn negotiates_utf8_when_offered_else_utf16() {
    let mut c = LspClient::spawn();
    let r = c.initialize(json!({"capabilities": capabilities(&["utf-16", "utf-8"])}));
    assert_eq!(r["capabilities"]["positionEncoding"], "utf-8");
    assert_eq!(
        r["capabilities"]["textDocumentSync"]["change"], 2,
        "incremental sync"
    );
    assert_eq!(
        r["capabilities"]["diagnosticProvider"],
        Value::Null,
        "push client: no pull provider"
    );
    assert_eq!(r["serverInfo"]["name"], "kep-lsp");
    assert!(c.shutdown_and_exit().success());

    let mut c = LspClient::spawn();
    let r = c.initialize(json!({"capabilities": {}}));
    assert_eq!(r["capabilities"]["positionEncoding"], "utf-16");
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn open_kep_gets_versioned_diagnostics_and_non_kep_gets_nothing() {
    let mut c = LspClient::spawn();
    init_in_repo(&mut c, &["utf-16"]);
    // Outside keps/: every keps/**/*.md is a file CI runs mdtoc on (it gets the TOC rules).
    let notes = file_uri(&repo().join("docs/notes.md"));
    c.open(&notes, "markdown", 1, "# not a KEP\n");
    let kep = file_uri(&repo().join(KEP_2625).join("kep.yaml"));
    c.open(&kep, "yaml", 7, &read(&format!("{KEP_2625}/kep.yaml")));
    let d = c.diagnostics(&kep);
    assert_eq!(d["version"], 7);
    // `status: imlpemented` (line 8, 0-based 7): R17, an error with a did-you-mean; the see-also
    // entries (lines 17-22) name KEPs that the fixture repo does not hold: warnings.
    let mut expected = vec![("invalid-status".to_string(), 7, 8, 7, 19, 1)];
    expected.extend(see_also_warnings());
    assert_eq!(summary(&d), expected);
    assert!(
        d["diagnostics"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("did you mean `implemented`")),
        "{d}"
    );
    for diag in d["diagnostics"].as_array().into_iter().flatten() {
        assert_eq!(diag["source"], "kep-lsp");
        assert!(diag["code"].is_string(), "{diag}");
        // No docsUrl setting: no link (never an address nobody publishes).
        assert!(diag.get("codeDescription").is_none(), "{diag}");
    }
    // The worker handles documents in order: notes.md was queued first, so had it been published
    // it would be in `seen` already.
    assert!(
        !c.seen.iter().any(|m| m["params"]["uri"] == notes.as_str()),
        "a non-KEP file got diagnostics"
    );
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn incremental_edits_in_non_ascii_lines_match_a_full_reopen() {
    for enc in ["utf-16", "utf-8"] {
        let mut c = LspClient::spawn();
        let r = init_in_repo(&mut c, &[enc]);
        assert_eq!(r["capabilities"]["positionEncoding"], enc);
        let rel = format!("{KEP_5501}/kep.yaml");
        let uri = file_uri(&repo().join(&rel));
        let mut text = read(&rel);
        text = text.replacen("title: ", "title: 😀 日本語 e\u{301} ", 1);
        c.open(&uri, "yaml", 1, &text);

        // Edits after the emoji and CJK, on the same line, and a CRLF-free multi-line one.
        let mut version = 1;
        let mut edits = Vec::new();
        for (needle, replacement) in [
            ("日本語", "中文"),
            ("e\u{301}", "é 🎉"),
            ("owning-sig", "owning-sig"),
        ] {
            let at = text.find(needle).expect("needle present");
            let (change, next) = edit(&text, at..at + needle.len(), replacement, enc);
            edits.push(change);
            text = next;
        }
        let at = text.find("🎉").expect("inserted") + "🎉".len();
        let (change, next) = edit(&text, at..at, "\nstatus: provisional # x", enc);
        edits.push(change);
        text = next;
        for change in edits {
            version += 1;
            c.change(&uri, version, json!([change]));
        }
        let (server_text, server_version) = c.document_text(&uri);
        assert_eq!(server_text, text, "{enc}");
        assert_eq!(server_version, version);
        let incremental = c.diagnostics_at(&uri, version);

        c.notify("textDocument/didClose", json!({"textDocument": {"uri": uri}}));
        c.open(&uri, "yaml", 100, &text);
        let reopened = c.diagnostics_at(&uri, 100);
        assert_eq!(summary(&incremental), summary(&reopened), "{enc}");
        assert_eq!(incremental["diagnostics"], reopened["diagnostics"], "{enc}");
        assert!(c.shutdown_and_exit().success());
    }
}

/// A server in the fixture repository whose client answers `workspace/configuration` (the test
/// client answers it only while a test waits for a message).
fn pulling_configuration() -> LspClient {
    let mut c = LspClient::spawn();
    let mut caps = capabilities(&["utf-16"]);
    caps["workspace"]["configuration"] = json!(true);
    c.initialize(json!({"processId": null, "rootUri": file_uri(&repo()), "capabilities": caps}));
    c
}

/// A notification whose handler waits for the client (a `didChangeConfiguration` without
/// settings pulls `workspace/configuration`) holds up the messages after it, but never the
/// reading of the client's answer: 300 edits sent before the client reads anything, then the
/// answer, and every edit is in the text. (A bounded queue of 100 between the reading thread
/// and the handlers made this wait forever.)
#[test]
fn a_handler_waiting_for_the_client_does_not_stop_the_reading() {
    let mut c = pulling_configuration();
    let rel = format!("{KEP_2625}/README.md");
    let uri = file_uri(&repo().join(&rel));
    let mut text = read(&rel);
    c.open(&uri, "markdown", 1, &text);
    c.notify("workspace/didChangeConfiguration", json!({"settings": null}));
    const EDITS: i64 = 300;
    for i in 0..EDITS {
        let (change, next) = edit(&text, 0..0, "x", "utf-16");
        text = next;
        c.change(&uri, i + 2, json!([change]));
    }
    let pulled = c.wait_for("workspace/configuration", |m| {
        m["method"] == "workspace/configuration"
    });
    assert_eq!(pulled["params"]["items"][0]["section"], "kep-lsp");
    let (server_text, version) = c.document_text(&uri);
    assert_eq!(version, EDITS + 1);
    assert!(server_text == text, "server text differs after the edits");
    assert!(c.shutdown_and_exit().success());
}

/// `exit` while a handler waits for an answer the client never sends (the `workspace/configuration`
/// pull of a `didChangeConfiguration` without settings, given time to be sent): the server exits
/// after its grace of 2 s for the handlers still running, instead of waiting forever.
#[test]
fn exit_does_not_wait_forever_for_a_handler_waiting_for_the_client() {
    let mut c = pulling_configuration();
    c.notify("workspace/didChangeConfiguration", json!({"settings": null}));
    std::thread::sleep(Duration::from_millis(300));
    c.notify("exit", Value::Null);
    let started = std::time::Instant::now();
    let status = c.wait_exit();
    assert_eq!(status.code(), Some(1), "exit without shutdown");
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn flood_of_edits_is_applied_in_order() {
    let mut c = LspClient::spawn();
    init_in_repo(&mut c, &["utf-16"]);
    let rel = format!("{KEP_2625}/README.md");
    let uri = file_uri(&repo().join(&rel));
    let mut text = format!("# 😀 日本\n{}", read(&rel));
    c.open(&uri, "markdown", 1, &text);
    const EDITS: i64 = 3000;
    // Each edit depends on the previous ones (positions move), so any reordering shows.
    for i in 0..EDITS {
        let line_end = text.find('\n').expect("first line");
        let at = if i % 3 == 0 {
            line_end
        } else {
            2 + 4 * (i as usize % 2)
        };
        let piece = ["a", "é", "字", "🙂"][i as usize % 4];
        let (change, next) = edit(&text, at..at, piece, "utf-16");
        text = next;
        c.change(&uri, i + 2, json!([change]));
    }
    let (server_text, version) = c.document_text(&uri);
    assert_eq!(version, EDITS + 1);
    assert!(server_text == text, "server text differs after the flood");
    let last = c.diagnostics_at(&uri, EDITS + 1);
    assert_eq!(last["version"], EDITS + 1);
    // No stale result after a newer one: versions published for this URI never go down.
    let versions: Vec<i64> = c
        .seen
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri.as_str())
        .filter_map(|m| m["params"]["version"].as_i64())
        .collect();
    // Never an older version after a newer one; the same version may be published again when
    // the workspace index becomes ready and the document is re-checked against it.
    assert!(versions.windows(2).all(|w| w[0] <= w[1]), "{versions:?}");
    // How many bursts get coalesced depends on the machine's load; never more than one publish
    // per edit (plus the open) is what holds everywhere.
    assert!(
        versions.len() as i64 <= EDITS + 1,
        "{} publishes for {EDITS} edits",
        versions.len()
    );
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn bad_changes_are_ignored_and_the_server_keeps_going() {
    let mut c = LspClient::spawn();
    init_in_repo(&mut c, &["utf-16"]);
    let uri = file_uri(&repo().join(KEP_2625).join("kep.yaml"));
    c.open(&uri, "yaml", 1, "title: x\n");
    let unknown = file_uri(&repo().join("keps/sig-x/1-nope/kep.yaml"));
    c.change(&unknown, 2, json!([{"text": "y"}]));
    // start after end
    c.change(
        &uri,
        2,
        json!([{"range": {"start": {"line": 0, "character": 5}, "end": {"line": 0, "character": 1}}, "text": "z"}]),
    );
    // stale version
    c.change(&uri, 1, json!([{"text": "stale"}]));
    // garbage params
    c.notify("textDocument/didChange", json!({"nonsense": true}));
    // past-the-end positions clamp
    c.change(
        &uri,
        3,
        json!([{"range": {"start": {"line": 0, "character": 99}, "end": {"line": 0, "character": 120}}, "text": "!"}]),
    );
    c.change(
        &uri,
        4,
        json!([{"range": {"start": {"line": 40, "character": 0}, "end": {"line": 41, "character": 3}}, "text": "end"}]),
    );
    assert_eq!(c.document_text(&uri), ("title: x!\nend".to_string(), 4));
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn close_clears_diagnostics() {
    let mut c = LspClient::spawn();
    init_in_repo(&mut c, &["utf-16"]);
    let uri = file_uri(&repo().join(KEP_2625).join("kep.yaml"));
    c.open(&uri, "yaml", 1, &read(&format!("{KEP_2625}/kep.yaml")));
    c.diagnostics_at(&uri, 1);
    c.notify("textDocument/didClose", json!({"textDocument": {"uri": uri}}));
    let cleared = c.diagnostics(&uri);
    assert_eq!(cleared["diagnostics"], json!([]));
    assert_eq!(cleared.get("version"), None);
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn unknown_method_is_method_not_found() {
    let mut c = LspClient::spawn();
    c.initialize(json!({"capabilities": {}}));
    let err = c
        .request("kep/noSuchThing", json!({}))
        .expect_err("unknown method");
    assert_eq!(err["code"], -32601);
    // $/ notifications that we do not handle are ignored without an answer.
    c.notify("$/unknownNotification", json!({}));
    assert!(
        c.request("kep/documentText", json!({"uri": "file:///x"}))
            .is_err()
    );
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn a_panicking_handler_answers_internal_error_and_the_server_keeps_serving() {
    let mut c = LspClient::spawn();
    c.initialize(json!({"capabilities": {}}));
    let uri = "file:///tmp/keps/sig-node/1-x/kep.yaml";
    c.open(uri, "yaml", 1, "title: before\n");
    let err = c.request("kep/debugPanic", Value::Null).expect_err("panics");
    assert_eq!(err["code"], -32603, "{err}");
    c.change(uri, 2, json!([{"text": "title: after\n"}]));
    assert_eq!(c.document_text(uri), ("title: after\n".to_string(), 2));
    let err = c
        .request("kep/debugPanic", Value::Null)
        .expect_err("panics again");
    assert_eq!(err["code"], -32603);
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn exit_codes_and_closed_stdin() {
    // exit without shutdown: 1, as the spec asks
    let mut c = LspClient::spawn();
    c.initialize(json!({"capabilities": {}}));
    c.notify("exit", Value::Null);
    assert_eq!(c.wait_exit().code(), Some(1));
    // stdin closed: a clean exit
    let mut c = LspClient::spawn();
    c.initialize(json!({"capabilities": {}}));
    c.close_stdin();
    assert_eq!(c.wait_exit().code(), Some(0));
}

#[test]
fn pull_client_gets_reports_and_no_pushes() {
    let mut c = LspClient::spawn();
    let r = c.initialize(json!({
        "rootUri": file_uri(&repo()),
        "capabilities": {"textDocument": {"diagnostic": {"dynamicRegistration": false}}},
    }));
    assert_eq!(
        r["capabilities"]["diagnosticProvider"]["interFileDependencies"],
        true
    );
    let uri = file_uri(&repo().join(KEP_2625).join("kep.yaml"));
    c.open(&uri, "yaml", 1, &read(&format!("{KEP_2625}/kep.yaml")));
    let report = c
        .request("textDocument/diagnostic", json!({"textDocument": {"uri": uri}}))
        .expect("report");
    assert_eq!(report["kind"], "full");
    assert!(report["items"].is_array());
    c.drain(Duration::from_millis(300));
    assert!(
        !c.seen
            .iter()
            .any(|m| m["method"] == "textDocument/publishDiagnostics"),
        "pushed to a pulling client"
    );
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn workspace_indexing_reports_progress_and_registers_watchers() {
    let mut c = LspClient::spawn();
    c.initialize(json!({
        "workspaceFolders": [{"uri": file_uri(&repo().join("keps/sig-node")), "name": "sig-node"}],
        "capabilities": {
            "window": {"workDoneProgress": true},
            "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}},
        },
    }));
    let create = c.wait_for("progress create", |m| {
        m["method"] == "window/workDoneProgress/create"
    });
    let token = create["params"]["token"].clone();
    let kinds: Vec<String> = ["begin", "report", "end"]
        .iter()
        .map(|kind| {
            let m = c.wait_for(kind, |m| {
                m["method"] == "$/progress"
                    && m["params"]["token"] == token
                    && m["params"]["value"]["kind"] == *kind
            });
            m["params"]["value"]["kind"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    assert_eq!(kinds, ["begin", "report", "end"]);
    let end = c
        .seen
        .iter()
        .find(|m| m["params"]["value"]["kind"] == "end")
        .cloned()
        .unwrap_or_default();
    // The root was found above the folder the editor opened; the fixture repo holds two KEPs.
    assert_eq!(end["params"]["value"]["message"], "2 KEPs indexed");
    let reg = c.wait_for("watcher registration", |m| {
        m["method"] == "client/registerCapability"
    });
    let globs: Vec<&str> = reg["params"]["registrations"][0]["registerOptions"]["watchers"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|w| w["globPattern"].as_str())
        .collect();
    assert_eq!(
        globs,
        [
            "**/keps/**/*.{yaml,md}",
            "**/kep/**/*.{yaml,md}",
            "**/sigs.yaml",
            "**/OWNERS*",
            "**/.kep-lsp.toml"
        ]
    );
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn bad_settings_are_reported_to_the_user() {
    let mut c = LspClient::spawn();
    c.initialize(json!({
        "capabilities": {},
        "initializationOptions": {"severity": {"no-such-code": "error"}},
    }));
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"kep-lsp": {"disable": ["also-not-a-code"], "logLevel": "debug"}}}),
    );
    let msg = c.wait_for("showMessage", |m| m["method"] == "window/showMessage");
    assert_eq!(msg["params"]["type"], 2);
    assert!(
        msg["params"]["message"]
            .as_str()
            .is_some_and(|s| s.contains("also-not-a-code")),
        "{msg}"
    );
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn configuration_is_pulled_when_the_client_supports_it() {
    let mut c = LspClient::spawn();
    c.configuration = json!({"disable": ["pulled-bad-code"]});
    c.initialize(json!({"capabilities": {"workspace": {"configuration": true}}}));
    let req = c.wait_for("configuration request", |m| {
        m["method"] == "workspace/configuration"
    });
    assert_eq!(req["params"]["items"][0]["section"], "kep-lsp");
    let msg = c.wait_for("showMessage", |m| m["method"] == "window/showMessage");
    assert!(
        msg["params"]["message"]
            .as_str()
            .is_some_and(|s| s.contains("pulled-bad-code"))
    );
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn a_change_to_kep_yaml_rechecks_its_open_readme_and_back() {
    let mut c = LspClient::spawn();
    c.initialize(json!({
        "rootUri": file_uri(&repo()),
        "capabilities": {"window": {"workDoneProgress": true}},
    }));
    // The index being ready re-checks every open file: let that happen first.
    c.wait_for("index ready", |m| {
        m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end"
    });
    let yaml = file_uri(&repo().join(KEP_5501).join("kep.yaml"));
    let readme = file_uri(&repo().join(KEP_5501).join("README.md"));
    let other = file_uri(&repo().join(KEP_2625).join("README.md"));
    c.open(&yaml, "yaml", 1, &read(&format!("{KEP_5501}/kep.yaml")));
    c.open(&readme, "markdown", 1, &read(&format!("{KEP_5501}/README.md")));
    c.open(&other, "markdown", 1, &read(&format!("{KEP_2625}/README.md")));
    let title_mismatch = |d: &Value| {
        d["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .any(|d| d["code"] == "title-mismatch")
    };
    c.diagnostics_at(&yaml, 1);
    assert!(!title_mismatch(&c.diagnostics_at(&readme, 1)));
    c.diagnostics_at(&other, 1);
    c.settle(Duration::from_millis(300));
    c.change(&yaml, 2, json!([{"text": "title: changed\n"}]));
    c.diagnostics_at(&yaml, 2);
    // the README is re-analysed (its version is still 1) against the open kep.yaml's new title,
    // not a reading kept from before; the other KEP's README is not
    assert!(title_mismatch(&c.diagnostics_at(&readme, 1)));
    c.settle(Duration::from_millis(300));
    c.change(&readme, 2, json!([{"text": "# changed\n"}]));
    c.diagnostics_at(&readme, 2);
    c.diagnostics_at(&yaml, 2);
    c.drain(Duration::from_millis(200));
    let others = c
        .seen
        .iter()
        .filter(|m| m["params"]["uri"] == other.as_str())
        .count();
    assert_eq!(others, 1, "an unrelated README was re-checked");
    assert!(c.shutdown_and_exit().success());
}

/// The edited document's diagnostics come first: typing into a kep.yaml does not wait for the
/// re-check of its open README (made large here, so that its analysis takes far longer than
/// the kep.yaml's), which follows.
#[test]
fn a_kep_yaml_edit_does_not_wait_for_its_readmes_recheck() {
    let mut c = LspClient::spawn();
    init_in_repo(&mut c, &[]);
    let yaml = file_uri(&repo().join(KEP_5501).join("kep.yaml"));
    let readme = file_uri(&repo().join(KEP_5501).join("README.md"));
    let yaml_text = read(&format!("{KEP_5501}/kep.yaml"));
    let big_readme = read(&format!("{KEP_5501}/README.md")).repeat(20);
    c.open(&yaml, "yaml", 1, &yaml_text);
    c.open(&readme, "markdown", 1, &big_readme);
    c.diagnostics_at(&yaml, 1);
    c.diagnostics_at(&readme, 1);
    c.settle(Duration::from_millis(300));
    let start = c.seen.len();
    c.change(
        &yaml,
        2,
        json!([{"text": yaml_text.replace("title:", "title: x")}]),
    );
    c.diagnostics_at(&yaml, 2);
    // The README's re-check has started; the next edit is answered before it ends.
    c.change(
        &yaml,
        3,
        json!([{"text": yaml_text.replace("title:", "title: xy")}]),
    );
    c.diagnostics_at(&yaml, 3);
    let readme_before = c.seen[start..]
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == readme.as_str())
        .count();
    assert_eq!(
        readme_before, 0,
        "the kep.yaml's edit waited for its README's re-check"
    );
    // The re-check follows.
    c.diagnostics_at(&readme, 1);
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn pulling_client_is_asked_to_refresh_when_a_related_file_changes() {
    let mut c = LspClient::spawn();
    c.initialize(json!({
        "rootUri": file_uri(&repo()),
        "capabilities": {
            "textDocument": {"diagnostic": {}},
            "workspace": {"diagnostics": {"refreshSupport": true}},
        },
    }));
    let yaml = file_uri(&repo().join(KEP_5501).join("kep.yaml"));
    let readme = file_uri(&repo().join(KEP_5501).join("README.md"));
    c.open(&readme, "markdown", 1, &read(&format!("{KEP_5501}/README.md")));
    c.open(&yaml, "yaml", 1, &read(&format!("{KEP_5501}/kep.yaml")));
    c.wait_for("refresh", |m| m["method"] == "workspace/diagnostic/refresh");
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn a_file_outside_the_kep_root_gets_no_diagnostics_whatever_it_holds() {
    // What kind a file is follows its path: under keps/ every Markdown file gets the TOC rules
    // (mdtoc runs on all of them), and outside keps/ nothing is a KEP file, not even text shaped
    // like a legacy KEP (upstream's walk covers keps/ only).
    let mut c = LspClient::spawn();
    init_in_repo(&mut c, &["utf-16"]);
    let uri = file_uri(&repo().join("notes/20180101-legacy-kep.md"));
    c.open(
        &uri,
        "markdown",
        1,
        "---\ntitle: Legacy\nowning-sig: sig-node\n---\n# Legacy\n",
    );
    c.change(&uri, 2, json!([{"text": "# Legacy\n"}]));
    assert_eq!(c.document_text(&uri).1, 2);
    // A KEP file opened after it is answered: had the first been published, it would be seen.
    let kep = file_uri(&repo().join(format!("{KEP_2625}/kep.yaml")));
    c.open(&kep, "yaml", 1, &read(&format!("{KEP_2625}/kep.yaml")));
    c.diagnostics_at(&kep, 1);
    c.drain(Duration::from_millis(300));
    let published = c
        .seen
        .iter()
        .filter(|m| m["params"]["uri"] == uri.as_str())
        .count();
    assert_eq!(published, 0, "a file outside keps/ got diagnostics");
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn ranges_after_emoji_and_cjk_are_in_the_negotiated_encoding() {
    for enc in ["utf-16", "utf-8"] {
        let mut c = LspClient::spawn();
        init_in_repo(&mut c, &[enc]);
        let rel = format!("{KEP_2625}/README.md");
        let uri = file_uri(&repo().join(&rel));
        let text = read(&rel).replacen("# cpu manager", "# 😀 日本 cpu manager", 1);
        c.open(&uri, "markdown", 1, &text);
        let d = c.diagnostics_at(&uri, 1);
        let title = d["diagnostics"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|d| d["code"] == "title-mismatch")
            .cloned()
            .expect("title-mismatch on the changed H1");
        let h1 = text.lines().next().unwrap_or_default();
        let end = if enc == "utf-8" {
            h1.len()
        } else {
            h1.encode_utf16().count()
        };
        assert_eq!(
            title["range"],
            json!({"start": {"line": 0, "character": 2}, "end": {"line": 0, "character": end}}),
            "{enc}"
        );
        assert!(c.shutdown_and_exit().success());
    }
}

#[test]
fn severity_overrides_and_disabled_codes_apply_and_follow_setting_changes() {
    let mut c = LspClient::spawn();
    c.initialize(json!({
        "rootUri": file_uri(&repo()),
        "capabilities": {"window": {"workDoneProgress": true}},
        "initializationOptions": {"kep-lsp": {
            "severity": {"invalid-status": "warning"},
            "docsUrl": "https://docs.example.org/kep-lsp/diagnostics.html",
        }},
    }));
    // The index being ready re-checks every open file: let that happen first.
    c.wait_for("index ready", |m| {
        m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end"
    });
    let uri = file_uri(&repo().join(KEP_2625).join("kep.yaml"));
    c.open(&uri, "yaml", 1, &read(&format!("{KEP_2625}/kep.yaml")));
    let d = c.diagnostics_at(&uri, 1);
    let mut expected = vec![("invalid-status".to_string(), 7, 8, 7, 19, 2)];
    expected.extend(see_also_warnings());
    assert_eq!(summary(&d), expected);
    assert_eq!(
        d["diagnostics"][0]["codeDescription"]["href"],
        "https://docs.example.org/kep-lsp/diagnostics.html#invalid-status"
    );
    c.settle(Duration::from_millis(300));
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"kep-lsp": {"disable": ["invalid-status"]}}}),
    );
    let d = c.diagnostics_at(&uri, 1);
    assert_eq!(summary(&d), see_also_warnings());
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"kep-lsp": {}}}),
    );
    let d = c.diagnostics_at(&uri, 1);
    let mut expected = vec![("invalid-status".to_string(), 7, 8, 7, 19, 1)];
    expected.extend(see_also_warnings());
    assert_eq!(summary(&d), expected);
    assert!(c.shutdown_and_exit().success());
}

/// The server and `kep-lsp check` run the same core: for the same files they report the same
/// findings (code, line, severity, message).
#[test]
fn server_and_check_agree_on_the_fixture_keps() {
    let mut c = LspClient::spawn();
    c.initialize(json!({
        "rootUri": file_uri(&repo()),
        "capabilities": {"window": {"workDoneProgress": true}},
    }));
    c.wait_for("index ready", |m| {
        m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end"
    });
    let severities = ["", "error", "warning", "info", "hint"];
    for rel in [
        format!("{KEP_2625}/kep.yaml"),
        format!("{KEP_2625}/README.md"),
        format!("{KEP_5501}/kep.yaml"),
        format!("{KEP_5501}/README.md"),
    ] {
        let uri = file_uri(&repo().join(&rel));
        c.open(&uri, "plaintext", 1, &read(&rel));
        let d = c.diagnostics_at(&uri, 1);
        let mut server: Vec<(String, u64, String, String)> = d["diagnostics"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|d| {
                (
                    d["code"].as_str().unwrap_or_default().to_string(),
                    d["range"]["start"]["line"].as_u64().unwrap_or(0) + 1,
                    severities[d["severity"].as_u64().unwrap_or(0) as usize].to_string(),
                    d["message"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_kep-lsp"))
            .args(["check", "--format", "json", &rel])
            .current_dir(repo())
            .output()
            .expect("run kep-lsp check");
        let cli: Value = serde_json::from_slice(&out.stdout).expect("json output");
        let mut cli: Vec<(String, u64, String, String)> = cli
            .as_array()
            .into_iter()
            .flatten()
            .map(|f| {
                (
                    f["code"].as_str().unwrap_or_default().to_string(),
                    f["line"].as_u64().unwrap_or(0),
                    f["severity"].as_str().unwrap_or_default().to_string(),
                    f["message"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect();
        server.sort();
        cli.sort();
        assert_eq!(server, cli, "{rel}");
        assert!(
            !server.is_empty() || rel.contains("5501-") && rel.ends_with("kep.yaml"),
            "{rel}"
        );
    }
    assert!(c.shutdown_and_exit().success());
}
