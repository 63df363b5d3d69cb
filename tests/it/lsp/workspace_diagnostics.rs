//! End-to-end: workspace diagnostics through the real server on tests/fixtures/ws-repo (3 KEPs in
//! sig-node and sig-apps): `workspace/diagnostic` for the SIGs the `workspaceDiagnostics` setting
//! names, with result ids, open documents left out, and the same pushed to clients that do not
//! pull (and cleared when the setting turns off).

use crate::common;

use common::lsp_client::{LspClient, file_uri};
use common::temp_repo::TempRepo;
use serde_json::{Value, json};

/// A diagnostic as (0-based line, 0-based character, code).
type Found = (u64, u64, String);
/// A file's URI and its diagnostics.
type FileFindings = (String, Vec<Found>);
/// A workspace report item: URI, kind, result id, diagnostics (none when unchanged).
type Item = (String, String, String, Vec<Found>);

fn repo() -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ws-repo");
    // The server names files under its canonical root.
    dir.canonicalize().unwrap_or(dir)
}

fn uri(rel: &str) -> String {
    file_uri(&repo().join(rel))
}

/// `release` pins sig-node's tech-lead rule (it reads the upcoming release).
fn server(pull: bool, settings: Value) -> LspClient {
    server_at(&repo(), pull, settings)
}

fn server_at(root: &std::path::Path, pull: bool, settings: Value) -> LspClient {
    let mut c = LspClient::spawn();
    let text_document = if pull {
        json!({"diagnostic": {}})
    } else {
        json!({"publishDiagnostics": {}})
    };
    c.initialize(json!({
        "rootUri": file_uri(root),
        "capabilities": {
            "general": {"positionEncodings": ["utf-8"]},
            "textDocument": text_document,
            "window": {"workDoneProgress": true}
        },
        "initializationOptions": settings,
    }));
    c.wait_for("index ready", |m| {
        m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end"
    });
    c
}

/// sig-node's KEP files and their findings as (0-based line, 0-based character, code), the
/// same as `kep-lsp check --release v1.37 tests/fixtures/ws-repo` prints for them.
fn sig_node_expected() -> Vec<FileFindings> {
    let f = |line, character, code: &str| (line, character, code.to_string());
    let missing = |n| vec![f(0, 0, "missing-section"); n];
    let mut pod_readme = missing(6);
    pod_readme.extend([
        f(0, 0, "release-checklist-missing"),
        f(2, 0, "toc-stale"),
        f(4, 2, "broken-link"),
    ]);
    let mut node_readme = missing(4);
    node_readme.push(f(0, 0, "release-checklist-missing"));
    vec![
        (
            uri("keps/prod-readiness/sig-node/1001.yaml"),
            vec![f(2, 12, "prr-approver-not-allowed")],
        ),
        (
            uri("keps/prod-readiness/sig-node/1002.yaml"),
            vec![
                f(2, 12, "prr-approver-not-allowed"),
                f(4, 12, "prr-approver-not-allowed"),
                f(6, 12, "prr-approver-not-allowed"),
            ],
        ),
        (uri("keps/sig-node/1001-pod-things/README.md"), pod_readme),
        (
            uri("keps/sig-node/1001-pod-things/kep.yaml"),
            vec![
                f(12, 0, "sig-node-approvers"),
                f(16, 4, "unresolved-reference"),
                f(17, 7, "prr-approver-not-allowed"),
            ],
        ),
        (uri("keps/sig-node/1002-node-stuff/README.md"), node_readme),
        (
            uri("keps/sig-node/1002-node-stuff/kep.yaml"),
            vec![f(13, 7, "prr-approver-not-allowed")],
        ),
    ]
}

/// A diagnostics list as sorted (line, character, code).
fn findings(items: &Value) -> Vec<Found> {
    let mut out: Vec<_> = items
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["range"]["start"]["line"].as_u64().expect("line"),
                d["range"]["start"]["character"].as_u64().expect("character"),
                d["code"].as_str().expect("code").to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

/// A workspace report's items as (uri, kind, resultId, findings), sorted by URI.
fn reports(report: &Value) -> Vec<Item> {
    let mut out: Vec<_> = report["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|r| {
            let items = if r["kind"] == "full" {
                findings(&r["items"])
            } else {
                Vec::new()
            };
            (
                r["uri"].as_str().expect("uri").to_string(),
                r["kind"].as_str().expect("kind").to_string(),
                r["resultId"].as_str().expect("resultId").to_string(),
                items,
            )
        })
        .collect();
    out.sort();
    out
}

fn sorted(mut expected: Vec<FileFindings>) -> Vec<FileFindings> {
    for (_, f) in &mut expected {
        f.sort();
    }
    expected.sort();
    expected
}

#[test]
fn off_by_default_reports_nothing_but_the_capability_is_there() {
    let mut c = LspClient::spawn();
    let init = c.initialize(json!({
        "rootUri": file_uri(&repo()),
        "capabilities": {"textDocument": {"diagnostic": {}}},
    }));
    assert_eq!(
        init["capabilities"]["diagnosticProvider"]["workspaceDiagnostics"],
        json!(true)
    );
    let report = c
        .request("workspace/diagnostic", json!({"previousResultIds": []}))
        .expect("workspace/diagnostic");
    assert_eq!(report, json!({"items": []}));
}

#[test]
fn a_sig_reports_exactly_its_files_then_unchanged_ids() {
    let mut c = server(
        true,
        json!({"workspaceDiagnostics": "sig-node", "release": "v1.37"}),
    );
    let first = c
        .request("workspace/diagnostic", json!({"previousResultIds": []}))
        .expect("workspace/diagnostic");
    let got = reports(&first);
    assert!(got.iter().all(|r| r.1 == "full" && r.2.len() == 16), "{got:#?}");
    let findings_by_uri: Vec<_> = got.iter().map(|r| (r.0.clone(), r.3.clone())).collect();
    assert_eq!(findings_by_uri, sorted(sig_node_expected()));

    // The client holds these ids: nothing is resent.
    let previous: Vec<Value> = got.iter().map(|r| json!({"uri": r.0, "value": r.2})).collect();
    let second = c
        .request("workspace/diagnostic", json!({"previousResultIds": previous}))
        .expect("workspace/diagnostic");
    let again = reports(&second);
    let expected: Vec<_> = got
        .iter()
        .map(|r| (r.0.clone(), "unchanged".to_string(), r.2.clone(), Vec::new()))
        .collect();
    assert_eq!(again, expected);

    // A stale id gets the full report again.
    let stale = json!([{"uri": got[0].0, "value": "0000000000000000"}]);
    let third = c
        .request("workspace/diagnostic", json!({"previousResultIds": stale}))
        .expect("workspace/diagnostic");
    let third = reports(&third);
    assert_eq!((third[0].1.as_str(), &third[0].3), ("full", &got[0].3));
}

#[test]
fn an_open_document_is_left_to_its_own_diagnostics() {
    let mut c = server(
        true,
        json!({"workspaceDiagnostics": "sig-node", "release": "v1.37"}),
    );
    let rel = "keps/sig-node/1001-pod-things/kep.yaml";
    let text = std::fs::read_to_string(repo().join(rel)).expect("fixture");
    c.open(&uri(rel), "yaml", 1, &text);
    let report = c
        .request("workspace/diagnostic", json!({"previousResultIds": []}))
        .expect("workspace/diagnostic");
    let uris: Vec<String> = reports(&report).into_iter().map(|r| r.0).collect();
    let expected: Vec<String> = sorted(sig_node_expected())
        .into_iter()
        .map(|(u, _)| u)
        .filter(|u| *u != uri(rel))
        .collect();
    assert_eq!(uris, expected);
}

#[test]
fn push_clients_get_the_sigs_files_published_and_cleared_when_turned_off() {
    let mut c = server(
        false,
        json!({"workspaceDiagnostics": "sig-node", "release": "v1.37"}),
    );
    for (file, expected) in sig_node_expected() {
        let published = c.diagnostics(&file);
        let mut expected = expected;
        expected.sort();
        assert_eq!(findings(&published["diagnostics"]), expected, "{file}");
    }
    // Nothing of sig-apps.
    let apps = uri("keps/sig-apps/1003-apps-work/kep.yaml");
    let none = c.try_wait_for(std::time::Duration::from_millis(300), &|m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == apps
    });
    assert_eq!(none, None);

    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"kep-lsp": {"workspaceDiagnostics": "off"}}}),
    );
    for (file, _) in sig_node_expected() {
        let cleared = c.diagnostics(&file);
        assert_eq!(cleared["diagnostics"], json!([]), "{file}");
    }
}

#[test]
fn a_push_client_keeps_a_closed_files_problems_from_disk() {
    let mut c = server(
        false,
        json!({"workspaceDiagnostics": "sig-node", "release": "v1.37"}),
    );
    let rel = "keps/sig-node/1002-node-stuff/kep.yaml";
    let file = uri(rel);
    let on_disk = sorted(sig_node_expected())
        .into_iter()
        .find(|(u, _)| *u == file)
        .expect("fixture")
        .1;
    assert_eq!(findings(&c.diagnostics(&file)["diagnostics"]), on_disk);
    // Open with an unsaved change: the document's own diagnostics, then closed unsaved.
    let text = std::fs::read_to_string(repo().join(rel)).expect("fixture");
    c.open(&file, "yaml", 1, &format!("{text}bogus-field: 1\n"));
    let open = c.diagnostics_at(&file, 1);
    assert!(
        findings(&open["diagnostics"])
            .iter()
            .any(|f| f.2 == "unknown-field"),
        "{open}"
    );
    c.notify("textDocument/didClose", json!({"textDocument": {"uri": file}}));
    // Back to the disk's text and its problems (not an empty list).
    let closed = c.wait_for("diagnostics after close", |m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == file
            && m["params"]["version"].is_null()
    })["params"]
        .clone();
    assert_eq!(findings(&closed["diagnostics"]), on_disk);
}

/// The report is kept between pulls (`workspace_diagnostics::compute`), and a file changed on
/// disk or an open document makes the next pull see the change.
#[test]
fn the_kept_report_follows_disk_changes_and_open_documents() {
    let repo = TempRepo::copy_of(&repo(), "wsdiag-cache");
    let mut c = server_at(
        &repo.0,
        true,
        json!({"workspaceDiagnostics": "sig-node", "release": "v1.37"}),
    );
    let pull = |c: &mut LspClient, previous: &[Item]| {
        let ids: Vec<Value> = previous
            .iter()
            .map(|r| json!({"uri": r.0, "value": r.2}))
            .collect();
        reports(
            &c.request("workspace/diagnostic", json!({"previousResultIds": ids}))
                .expect("workspace/diagnostic"),
        )
    };
    let first = pull(&mut c, &[]);
    let prr = "keps/prod-readiness/sig-node/1001.yaml";
    let prr_uri = repo.uri(prr);
    let of = |items: &[Item], uri: &str| items.iter().find(|r| r.0 == uri).cloned().expect("in the report");
    assert_eq!(
        of(&first, &prr_uri).3,
        vec![(2, 12, "prr-approver-not-allowed".to_string())]
    );
    let again = pull(&mut c, &first);
    assert!(again.iter().all(|r| r.1 == "unchanged"), "{again:#?}");

    // The PRR file fixed on disk: the next pull has it, with a new id, and nothing else changed.
    let fixed = repo.read(prr).replace("approver:", "# approver:");
    repo.write(prr, fixed.as_bytes());
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": prr_uri, "type": 2}]}),
    );
    // The watched-file event is handled beside the requests: pull until the change shows (a
    // bounded wait, not a timing assertion).
    let mut after = pull(&mut c, &first);
    for _ in 0..100 {
        if of(&after, &prr_uri).1 == "full" {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
        after = pull(&mut c, &first);
    }
    // The PRR file and its KEP's kep.yaml (which judges the PRR approver too) are resent.
    let changed: Vec<&str> = after
        .iter()
        .filter(|r| r.1 == "full")
        .map(|r| r.0.as_str())
        .collect();
    assert_eq!(
        changed,
        [
            prr_uri.as_str(),
            repo.uri("keps/sig-node/1001-pod-things/kep.yaml").as_str()
        ],
        "{after:#?}"
    );
    assert_ne!(of(&after, &prr_uri).2, of(&first, &prr_uri).2);
    assert!(
        !of(&after, &prr_uri)
            .3
            .iter()
            .any(|f| f.2 == "prr-approver-not-allowed"),
        "{after:#?}"
    );

    // Opening a file takes it out of the report at once.
    let kep = "keps/sig-node/1002-node-stuff/kep.yaml";
    c.open(&repo.uri(kep), "yaml", 1, &repo.read(kep));
    let open = pull(&mut c, &after);
    assert!(!open.iter().any(|r| r.0 == repo.uri(kep)), "{open:#?}");
}
