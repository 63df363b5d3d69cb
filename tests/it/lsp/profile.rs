//! The repository profile and `.kep-lsp.toml` in the server: a subproject's KEP gets none of the
//! kubernetes/enhancements errors, the config file's problems are diagnostics on it (with
//! ranges), the file's settings apply under the editor's, and a change to it on disk (a
//! watched-file event) decides the profile again and re-checks open files.

use crate::common;

use std::time::Duration;

use common::lsp_client::LspClient;
use common::temp_repo::TempRepo;
use serde_json::{Value, json};

const KEP: &str = "keps/0012-queue-weights/kep.yaml";
const FOLLOW_UP: &str = "keps/0013-queue-weights-follow-up/kep.yaml";

fn repo(name: &str) -> TempRepo {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/profiles/no-sigs");
    TempRepo::copy_of(&src, name)
}

/// (code, severity, start line, start character) of each diagnostic.
fn summary(params: &Value) -> Vec<(String, i64, i64, i64)> {
    params["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_owned(),
                d["severity"].as_i64().unwrap_or_default(),
                d["range"]["start"]["line"].as_i64().unwrap_or_default(),
                d["range"]["start"]["character"].as_i64().unwrap_or_default(),
            )
        })
        .collect()
}

fn start(repo: &TempRepo, editor_settings: Value) -> LspClient {
    let mut c = LspClient::spawn();
    c.initialize(json!({
        "rootUri": repo.uri(""),
        "initializationOptions": editor_settings,
        "capabilities": {
            "window": {"workDoneProgress": true},
            "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}},
        },
    }));
    c.wait_for("index ready", |m| {
        m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end"
    });
    c
}

#[test]
fn a_config_change_on_disk_switches_the_profile_and_rechecks_open_files() {
    let repo = repo("profile-reload");
    let mut c = start(&repo, Value::Null);
    let uri = repo.uri(KEP);
    c.open(&uri, "yaml", 1, &repo.read(KEP));
    // The subproject's template has no owning-sig: nothing to report.
    assert_eq!(summary(&c.diagnostics_at(&uri, 1)), vec![]);
    c.settle(Duration::from_millis(300));

    // Declared kubernetes/enhancements: its schema and rules apply.
    std::fs::write(repo.path(".kep-lsp.toml"), "profile = \"kubernetes\"\n").expect("write config");
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": repo.uri(".kep-lsp.toml"), "type": 1}]}),
    );
    let d = c.wait_for("diagnostics after the reload", |m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == uri
            && !m["params"]["diagnostics"].as_array().is_none_or(Vec::is_empty)
    });
    let got = summary(&d["params"]);
    // missing-field owning-sig (line 1), and the template's own field is unknown again.
    assert!(got.contains(&("missing-field".to_owned(), 1, 0, 0)), "{got:?}");
    assert!(got.contains(&("unknown-field".to_owned(), 1, 10, 0)), "{got:?}");
    c.settle(Duration::from_millis(300));

    // Back to automatic detection: clean again.
    std::fs::remove_file(repo.path(".kep-lsp.toml")).expect("remove config");
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": repo.uri(".kep-lsp.toml"), "type": 3}]}),
    );
    c.wait_for("clean diagnostics after the second reload", |m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == uri
            && m["params"]["diagnostics"].as_array().is_some_and(Vec::is_empty)
    });
    assert!(
        c.stderr
            .lock()
            .map(|l| l.contains("repository profile") && l.contains("subproject (KEP root keps"))
            .unwrap_or(false),
        "the profile is logged"
    );
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn the_config_file_has_diagnostics_and_its_settings_apply_under_the_editors() {
    let repo = repo("profile-settings");
    std::fs::write(
        repo.path(".kep-lsp.toml"),
        "[severity]\nunknown-field = \"info\"\nwrong-type = \"warning\"\n",
    )
    .expect("write config");
    // The editor's severity wins over the file's; the file's other one still applies.
    let mut c = start(&repo, json!({"severity": {"unknown-field": "hint"}}));
    let uri = repo.uri(FOLLOW_UP);
    c.open(&uri, "yaml", 1, &repo.read(FOLLOW_UP));
    let got = summary(&c.diagnostics_at(&uri, 1));
    assert_eq!(
        got,
        vec![
            ("wrong-type".to_owned(), 2, 2, 9),
            ("unknown-field".to_owned(), 4, 4, 0),
        ]
    );

    // The config file itself, open with a typo and a bad value.
    let config = repo.uri(".kep-lsp.toml");
    c.open(
        &config,
        "toml",
        1,
        "disabel = [\"toc-missing\"]\nmdtoc = \"v9\"\nprofile = 3\n",
    );
    let got = summary(&c.diagnostics_at(&config, 1));
    assert_eq!(
        got,
        vec![
            ("config-invalid".to_owned(), 2, 0, 0),
            ("config-invalid".to_owned(), 2, 2, 10),
        ]
    );
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn an_edit_to_the_repository_template_on_disk_changes_the_required_fields() {
    let repo = repo("profile-template");
    let mut c = start(&repo, Value::Null);
    let uri = repo.uri(KEP);
    c.open(&uri, "yaml", 1, &repo.read(KEP));
    assert_eq!(summary(&c.diagnostics_at(&uri, 1)), vec![]);
    c.settle(Duration::from_millis(300));
    // The project starts asking for owning-sig in its template.
    let template = "keps/NNNN-kep-template/kep.yaml";
    let text = repo
        .read(template)
        .replace("status:", "owning-sig: sig-xyz\nstatus:");
    std::fs::write(repo.path(template), text).expect("write template");
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": repo.uri(template), "type": 2}]}),
    );
    let d = c.wait_for("diagnostics after the template changed", |m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == uri
            && !m["params"]["diagnostics"].as_array().is_none_or(Vec::is_empty)
    });
    assert_eq!(summary(&d["params"]), vec![("missing-field".to_owned(), 1, 0, 0)]);
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn a_configured_kep_root_is_watched_too() {
    let repo = repo("profile-watch");
    std::fs::write(repo.path(".kep-lsp.toml"), "kep-root = \"design/proposals\"\n").expect("write config");
    let mut c = start(&repo, Value::Null);
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
        globs.last(),
        Some(&"**/design/proposals/**/*.{yaml,md}"),
        "{globs:?}"
    );
    assert!(c.shutdown_and_exit().success());
}
