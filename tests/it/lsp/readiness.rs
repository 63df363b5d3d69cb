//! End-to-end: the freeze-readiness code lens on kep.yaml through the real server (fixture
//! tests/fixtures/readiness/repo), its `kep.readiness` command, and the `readiness` setting.

use crate::common;

use common::lsp_client::{LspClient, file_uri};
use serde_json::{Value, json};

fn repo() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/readiness/repo")
}

fn server(settings: Value) -> LspClient {
    let mut c = LspClient::spawn();
    c.initialize(json!({
        "rootUri": file_uri(&repo()),
        "capabilities": {"general": {"positionEncodings": ["utf-8"]}, "window": {"workDoneProgress": true}},
        "initializationOptions": settings,
    }));
    c.wait_for("index ready", |m| {
        m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end"
    });
    c
}

fn open_kep(c: &mut LspClient, rel: &str) -> String {
    let path = repo().join(rel);
    let uri = file_uri(&path);
    let text = std::fs::read_to_string(&path).expect("fixture");
    c.open(&uri, "yaml", 1, &text);
    uri
}

fn lenses(c: &mut LspClient, uri: &str) -> Value {
    c.request("textDocument/codeLens", json!({"textDocument": {"uri": uri}}))
        .expect("codeLens")
}

#[test]
fn lens_counts_criteria_and_its_command_lists_what_is_missing() {
    let mut c = server(json!({"readiness": "v1.37"}));
    let ready = open_kep(&mut c, "keps/sig-node/1001-ready/kep.yaml");
    let at_risk = open_kep(&mut c, "keps/sig-node/1002-at-risk/kep.yaml");

    let l = lenses(&mut c, &ready);
    assert_eq!(l[0]["command"]["title"], "v1.37 freeze: 9/9 ✓");
    assert_eq!(
        l[0]["range"],
        json!({"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}})
    );

    let l = lenses(&mut c, &at_risk);
    assert_eq!(l.as_array().map(Vec::len), Some(1));
    let cmd = &l[0]["command"];
    assert_eq!(cmd["title"], "v1.37 freeze: 2/9 ✗");
    assert_eq!(cmd["command"], "kep.readiness");

    let out = c
        .request(
            "workspace/executeCommand",
            json!({"command": cmd["command"], "arguments": cmd["arguments"]}),
        )
        .expect("kep.readiness");
    let ids: Vec<&str> = out["missing"]
        .as_array()
        .expect("missing")
        .iter()
        .map(|m| m.as_str().unwrap().split(':').next().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "status",
            "latest-milestone",
            "prr-approver",
            "prr-questionnaire",
            "sections",
            "test-plan+graduation",
            "unresolved"
        ]
    );
    assert!(
        out["missing"][0]
            .as_str()
            .unwrap()
            .ends_with("(keps/sig-node/1002-at-risk/kep.yaml:6)")
    );
    let shown = c.wait_for("showMessage", |m| m["method"] == "window/showMessage");
    assert!(
        shown["params"]["message"]
            .as_str()
            .unwrap()
            .starts_with("v1.37 freeze: 2/9 ✗: missing\n")
    );

    // Another release, then off.
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"kep-lsp": {"readiness": "v1.38"}}}),
    );
    let l = lenses(&mut c, &ready);
    assert_eq!(l[0]["command"]["title"], "v1.38 freeze: 8/9 ✗");
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"kep-lsp": {"readiness": "off"}}}),
    );
    assert_eq!(lenses(&mut c, &ready), Value::Null);
    c.shutdown_and_exit();
}

/// A client that can refresh code lenses is asked to once the lens's release changes, and not for
/// a settings change the lens does not read.
#[test]
fn a_new_readiness_setting_refreshes_the_lens() {
    let mut c = LspClient::spawn();
    c.initialize(json!({
        "rootUri": file_uri(&repo()),
        "capabilities": {
            "general": {"positionEncodings": ["utf-8"]},
            "window": {"workDoneProgress": true},
            "workspace": {"codeLens": {"refreshSupport": true}},
        },
        "initializationOptions": {"readiness": "v1.37"},
    }));
    c.wait_for("index ready", |m| {
        m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end"
    });
    let is_refresh = |m: &Value| m["method"] == "workspace/codeLens/refresh";
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"kep-lsp": {"readiness": "v1.37", "logLevel": "debug"}}}),
    );
    assert_eq!(
        c.try_wait_for(std::time::Duration::from_millis(500), &is_refresh),
        None,
        "refresh asked although the lens's settings did not change"
    );
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"kep-lsp": {"readiness": "v1.38"}}}),
    );
    c.wait_for("workspace/codeLens/refresh", is_refresh);
    c.shutdown_and_exit();
}
