//! A whole editing session on a temp copy of tests/fixtures/lsp/repo through the real binary, and
//! proof that the server wrote nothing: every path under the repo (directories included) has the
//! same bytes, mtime and permissions afterwards, and no path appeared or vanished. The client
//! answers `workspace/applyEdit` with `applied: false`, so the commands' edits (which an editor
//! would apply to its buffers) are refused, as a cautious user would; the server must not fall
//! back to writing the files itself.

use crate::common;

use std::time::Duration;

use common::lsp_client::{LspClient, edit, file_uri, fixtures, lsp_position};
use common::temp_repo::{FileState, TempRepo};
use serde_json::{Value, json};

const KEP: &str = "keps/sig-scheduling/5501-reflect-preenqueue-rejections-in-pod-status/kep.yaml";
const README: &str = "keps/sig-scheduling/5501-reflect-preenqueue-rejections-in-pod-status/README.md";
const PRR: &str = "keps/prod-readiness/sig-scheduling/5501.yaml";
const ENC: &str = "utf-8";

/// RequestFailed: the command's edit was refused by the client.
const REQUEST_FAILED: i64 = -32803;

/// The differences between two snapshots, one line per path.
fn differences(
    before: &std::collections::BTreeMap<std::path::PathBuf, FileState>,
    after: &std::collections::BTreeMap<std::path::PathBuf, FileState>,
) -> Vec<String> {
    let mut out = Vec::new();
    for (p, b) in before {
        match after.get(p) {
            None => out.push(format!("deleted: {}", p.display())),
            Some(a) if a.bytes != b.bytes => out.push(format!("written: {}", p.display())),
            Some(a) if a != b => out.push(format!(
                "touched: {} (mtime {:?} -> {:?}, mode {:o} -> {:o})",
                p.display(),
                b.modified,
                a.modified,
                b.mode,
                a.mode
            )),
            Some(_) => {}
        }
    }
    for p in after.keys().filter(|p| !before.contains_key(*p)) {
        out.push(format!("created: {}", p.display()));
    }
    out
}

/// The document as the test keeps it, mirrored by incremental didChange.
struct Doc {
    uri: String,
    text: String,
    version: i64,
}

impl Doc {
    fn replace(&mut self, c: &mut LspClient, range: std::ops::Range<usize>, new_text: &str) {
        let (change, text) = edit(&self.text, range, new_text, ENC);
        self.version += 1;
        c.change(&self.uri, self.version, json!([change]));
        self.text = text;
    }

    fn at(&self, needle: &str) -> usize {
        self.text
            .find(needle)
            .unwrap_or_else(|| panic!("{needle:?} in {}", self.uri))
    }

    fn position(&self, offset: usize) -> Value {
        lsp_position(&self.text, offset, ENC)
    }
}

fn text_position(doc: &Doc, offset: usize) -> Value {
    json!({"textDocument": {"uri": doc.uri}, "position": doc.position(offset)})
}

#[test]
fn a_whole_session_writes_no_file() {
    let repo = TempRepo::copy_of(&fixtures().join("repo"), "no-write");
    // mtimes have a coarse resolution on some file systems: a write in the same tick as the
    // copy would keep the mtime. Start the session in a later tick.
    std::thread::sleep(Duration::from_millis(50));
    let before = repo.snapshot();
    assert!(before.len() > 10, "the repo was copied: {:?}", before.keys());

    let mut c = LspClient::spawn();
    c.apply_edit_reply = json!({"applied": false, "failureReason": "no-write session"});
    c.initialize(json!({
        "workspaceFolders": [{"uri": file_uri(&repo.0), "name": "repo"}],
        "capabilities": {
            "general": {"positionEncodings": ["utf-8", "utf-16"]},
            "window": {"workDoneProgress": true},
            "textDocument": {"publishDiagnostics": {"versionSupport": true}},
            "workspace": {
                "workspaceEdit": {"documentChanges": true, "resourceOperations": ["create", "rename", "delete"]},
                "didChangeWatchedFiles": {"dynamicRegistration": true},
                "configuration": true,
            },
        },
    }));
    c.wait_for("index ready", |m| {
        m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end"
    });

    let mut docs: Vec<Doc> = [(KEP, "yaml"), (README, "markdown"), (PRR, "yaml")]
        .into_iter()
        .map(|(rel, lang)| {
            let doc = Doc {
                uri: repo.uri(rel),
                text: repo.read(rel),
                version: 1,
            };
            c.open(&doc.uri, lang, 1, &doc.text);
            c.diagnostics_at(&doc.uri, 1);
            doc
        })
        .collect();

    // Edits: typing a word into the README's summary letter by letter, then deleting it.
    let summary = docs[1].at("## Summary") + "## Summary".len();
    for (i, ch) in "Unsaved words typed in the editor 😀".chars().enumerate() {
        let at = summary
            + docs[1].text[summary..]
                .chars()
                .take(i)
                .map(char::len_utf8)
                .sum::<usize>();
        docs[1].replace(&mut c, at..at, &ch.to_string());
        if i % 8 == 0 {
            let r = c.request("textDocument/completion", text_position(&docs[1], at));
            assert!(r.is_ok(), "{r:?}");
        }
    }
    let typed = "Unsaved words typed in the editor 😀".len();
    docs[1].replace(&mut c, summary..summary + typed, "");
    // kep.yaml: flip the status and the stage back and forth, add and remove a field.
    for round in 0..10 {
        let (from, to) = if round % 2 == 0 {
            ("status: implementable", "status: implemented")
        } else {
            ("status: implemented", "status: implementable")
        };
        let at = docs[0].at(from);
        docs[0].replace(&mut c, at..at + from.len(), to);
        let at = docs[0].at("stage: ") + "stage: ".len();
        docs[0].replace(&mut c, at..at + 4, if round % 2 == 0 { "alph" } else { "beta" });
    }
    let end = docs[0].text.len();
    docs[0].replace(
        &mut c,
        end..end,
        "replaces:\n  - \"keps/sig-node/2625-cpumanager-policies-thread-placement\"\n",
    );
    // The PRR: empty the approver, then fill it in again.
    let at = docs[2].at("approver:") + "approver:".len();
    let line_end = at + docs[2].text[at..].find('\n').unwrap_or(0);
    let approver = docs[2].text[at..line_end].to_string();
    docs[2].replace(&mut c, at..line_end, " \"\"");
    for d in &docs {
        let (text, version) = c.document_text(&d.uri);
        assert_eq!(
            (text.as_str(), version),
            (d.text.as_str(), d.version),
            "{}",
            d.uri
        );
    }

    // Every read-only feature on every document.
    for d in &docs {
        let doc = json!({"textDocument": {"uri": d.uri}});
        for m in [
            "textDocument/documentSymbol",
            "textDocument/foldingRange",
            "textDocument/documentLink",
        ] {
            assert!(c.request(m, doc.clone()).is_ok(), "{m} on {}", d.uri);
        }
        for offset in [0, d.text.len() / 3, d.text.len() / 2, d.text.len()] {
            let offset = (0..=offset)
                .rev()
                .find(|&i| d.text.is_char_boundary(i))
                .unwrap_or(0);
            for m in [
                "textDocument/hover",
                "textDocument/completion",
                "textDocument/definition",
            ] {
                assert!(c.request(m, text_position(d, offset)).is_ok(), "{m} on {}", d.uri);
            }
        }
        let whole = json!({"start": {"line": 0, "character": 0}, "end": d.position(d.text.len())});
        let actions = c
            .request(
                "textDocument/codeAction",
                json!({"textDocument": {"uri": d.uri}, "range": whole, "context": {"diagnostics": []}}),
            )
            .expect("code actions");
        // kep.yaml and the README have fixable findings by now; the PRR (empty approver) has none.
        assert_eq!(actions.is_array(), !d.uri.ends_with(PRR), "{}: {actions}", d.uri);
        c.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": d.uri}, "range": whole, "context": {"diagnostics": [], "only": ["source.fixAll"]}}),
        )
        .expect("fix-all");
    }
    // Put the approver back (code actions return edits, they never apply them).
    docs[2].replace(&mut c, at..at + 3, &approver);

    // Commands: the server sends its edit, the client refuses, the command fails; nothing on disk.
    let err = c
        .request(
            "workspace/executeCommand",
            json!({"command": "kep.new", "arguments": [{"sig": "sig-node", "title": "Never written"}]}),
        )
        .expect_err("refused");
    assert_eq!(err["code"], REQUEST_FAILED, "{err}");
    let err = c
        .request(
            "workspace/executeCommand",
            json!({"command": "kep.promote", "arguments": [{"uri": docs[0].uri, "stage": "stable", "milestone": "v1.40"}]}),
        )
        .expect_err("refused");
    assert_eq!(err["code"], REQUEST_FAILED, "{err}");
    assert_eq!(
        c.applied_edits.len(),
        2,
        "both commands sent one edit: {:?}",
        c.applied_edits
    );
    let created: Vec<&str> = c.applied_edits[0]["documentChanges"]
        .as_array()
        .map(|a| a.iter().filter_map(|op| op["uri"].as_str()).collect())
        .unwrap_or_default();
    assert!(
        created.iter().any(|u| u.ends_with("never-written/kep.yaml")),
        "kep.new asked to create the files: {created:?}"
    );

    // Saves (the editor wrote nothing either: the buffers differ from the disk) and file-watcher
    // events for existing, new and deleted paths.
    for d in &docs {
        c.notify("textDocument/didSave", json!({"textDocument": {"uri": d.uri}}));
    }
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [
            {"uri": repo.uri(KEP), "type": 2},
            {"uri": repo.uri("keps/sig-node/9999-gone/kep.yaml"), "type": 3},
            {"uri": repo.uri("keps/sig-node/9998-new/kep.yaml"), "type": 1},
            {"uri": repo.uri("sigs.yaml"), "type": 2},
            {"uri": repo.uri("OWNERS_ALIASES"), "type": 2},
        ]}),
    );
    c.notify("workspace/didChangeConfiguration", json!({"settings": {}}));
    let v = docs[0].version + 1;
    let end = docs[0].text.len();
    docs[0].replace(&mut c, end..end, "# the last edit\n");
    c.diagnostics_at(&docs[0].uri, v);
    for d in &docs {
        c.notify("textDocument/didClose", json!({"textDocument": {"uri": d.uri}}));
    }
    c.settle(Duration::from_millis(300));
    assert_eq!(c.shutdown_and_exit().code(), Some(0));

    let after = repo.snapshot();
    let diff = differences(&before, &after);
    assert!(
        diff.is_empty(),
        "the session changed the repository:\n{}",
        diff.join("\n")
    );
}
