//! What `check` and the server take as KEP files (tests/fixtures/scope-repo, a made-up checkout):
//! - the KEP root `keps/` only, as upstream's walk: a walk from the repository's root leaves out
//!   the Go fixtures under `pkg/**/testdata/` (themselves shaped like repositories) and files
//!   elsewhere; a folder named inside the repository but outside `keps/` is checked as named;
//! - every README.md that upstream's walk reads needs a kep.yaml beside it (R6), whatever its
//!   folder is called: a SIG's index page too; not `keps/README.md`, not under `prod-readiness/`,
//!   not a folder the walk skips (after a `kep.yaml`, in byte order);
//! - the server publishes `invalid-content` for a KEP file it read from disk and keeps serving.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use common::lsp_client::{LspClient, capabilities, file_uri};
use common::temp_repo::TempRepo;
use serde_json::json;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/scope-repo")
}

fn check(cwd: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_kep-lsp"))
        .arg("check")
        .args(["--today", "2026-08-01", "--quiet"])
        .args(args)
        .current_dir(cwd)
        .env_remove("CLICOLOR_FORCE")
        .output()
        .expect("run kep-lsp");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// The error lines of a `--quiet` run.
fn errors(stdout: &str) -> Vec<&str> {
    stdout.lines().filter(|l| l.contains(": error[")).collect()
}

const R6_ERRORS: [&str; 3] = [
    "keps/sig-apps/1234-ok/images/README.md:1:1: error[readme-without-metadata]: metadata file missing for KEP: keps/sig-apps/1234-ok/images/kep.yaml: create it beside this README",
    "keps/sig-apps/README.md:1:1: error[readme-without-metadata]: metadata file missing for KEP: keps/sig-apps/kep.yaml: create it beside this README",
    "keps/sig-apps/my-feature/README.md:1:1: error[readme-without-metadata]: metadata file missing for KEP: keps/sig-apps/my-feature/kep.yaml: create it beside this README",
];

#[test]
fn a_walk_from_the_root_covers_keps_only() {
    let (code, stdout, stderr) = check(&repo(), &["."]);
    assert_eq!(errors(&stdout), R6_ERRORS);
    assert!(!stdout.contains("pkg/") && !stdout.contains("docs/"), "{stdout}");
    assert_eq!(stderr, "");
    assert_eq!(code, 1);
    // The same from the parent folder, naming the repository, and from inside keps/.
    let (_, above, _) = check(repo().parent().unwrap(), &["scope-repo"]);
    let above: Vec<String> = errors(&above).iter().map(|l| l.to_string()).collect();
    let expected: Vec<String> = R6_ERRORS.iter().map(|l| format!("scope-repo/{l}")).collect();
    assert_eq!(above, expected);
    let (_, inside, _) = check(&repo().join("keps"), &["."]);
    let expected: Vec<String> = R6_ERRORS
        .iter()
        .map(|l| l.strip_prefix("keps/").unwrap().to_string())
        .collect();
    assert_eq!(errors(&inside), expected);
}

#[test]
fn a_folder_named_outside_keps_is_checked_as_named() {
    let (code, stdout, _) = check(&repo(), &["pkg/repo/testdata"]);
    assert_eq!(code, 1);
    let errors = errors(&stdout);
    assert!(
        errors.contains(
            &"pkg/repo/testdata/repos/valid/keps/sig-x/README.md:1:1: error[readme-without-metadata]: metadata file missing for KEP: keps/sig-x/kep.yaml: create it beside this README"
        ),
        "{stdout}"
    );
    assert!(
        errors.iter().any(|l| l.starts_with(
            "pkg/repo/testdata/repos/valid/keps/sig-x/1-bad/kep.yaml:4:9: error[invalid-status]"
        )),
        "{stdout}"
    );
}

#[test]
fn readme_cases_one_by_one() {
    // Each README named on its own gets the same verdict as in the walk.
    for (file, expected) in [
        ("keps/README.md", None),
        ("keps/prod-readiness/README.md", None),
        ("keps/sig-apps/1234-ok/proposals/README.md", None),
        ("keps/sig-apps/README.md", Some(R6_ERRORS[1])),
        ("keps/sig-apps/my-feature/README.md", Some(R6_ERRORS[2])),
        ("keps/sig-apps/1234-ok/images/README.md", Some(R6_ERRORS[0])),
    ] {
        let (code, stdout, _) = check(&repo(), &[file]);
        assert_eq!(
            errors(&stdout),
            expected.into_iter().collect::<Vec<_>>(),
            "{file}"
        );
        assert_eq!(code, i32::from(expected.is_some()), "{file}");
    }
}

fn init(client: &mut LspClient, root: &Path) {
    let mut caps = capabilities(&["utf-16"]);
    caps["window"]["workDoneProgress"] = json!(true);
    client.initialize(json!({
        "processId": null,
        "rootUri": file_uri(root),
        "capabilities": caps,
    }));
    client.wait_for("index ready", |m| {
        m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end"
    });
}

#[test]
fn the_server_leaves_fixtures_outside_keps_alone_and_reports_any_readme() {
    let mut c = LspClient::spawn();
    init(&mut c, &repo());
    let fixture_rel = "pkg/repo/testdata/repos/valid/keps/sig-x/1-bad/kep.yaml";
    let fixture = file_uri(&repo().join(fixture_rel));
    c.open(
        &fixture,
        "yaml",
        1,
        &std::fs::read_to_string(repo().join(fixture_rel)).unwrap(),
    );
    let index_page = file_uri(&repo().join("keps/sig-apps/README.md"));
    c.open(
        &index_page,
        "markdown",
        1,
        "# SIG Apps KEPs\n\n<!-- toc -->\n<!-- /toc -->\n\nThe index of this SIG.\n",
    );
    let d = c.diagnostics(&index_page);
    let codes: Vec<_> = d["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["range"]["start"]["line"].as_u64().unwrap(),
                d["range"]["end"]["character"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(codes, [("readme-without-metadata".to_string(), 0, 15)]);
    // The fixture was queued first: had it been published, it would have come already.
    assert!(
        !c.seen.iter().any(|m| m["params"]["uri"] == fixture.as_str()),
        "a Go test fixture got diagnostics"
    );
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn the_server_publishes_bad_content_read_from_disk_and_keeps_serving() {
    let tmp = TempRepo::copy_of(&repo(), "scope-bad-content");
    let bad_rel = "keps/sig-apps/1234-ok/kep.yaml";
    std::fs::write(tmp.path(bad_rel), b"title: caf\xe9\nkep-number: 1234\n").unwrap();
    let mut c = LspClient::spawn();
    init(&mut c, &tmp.0);
    let bad = tmp.uri(bad_rel);
    let d = c.diagnostics(&bad);
    assert_eq!(
        d["diagnostics"],
        json!([{
            "range": {"start": {"line": 0, "character": 10}, "end": {"line": 0, "character": 11}},
            "severity": 1,
            "code": "invalid-content",
            "source": "kep-lsp",
            "message": "the file is not UTF-8 text: byte 0xE9 here is not valid UTF-8 (yaml.v3: \"invalid trailing UTF-8 octet\"); save the file as UTF-8"
        }])
    );
    // Still serving: an open KEP file gets its diagnostics.
    let readme = tmp.uri("keps/sig-apps/my-feature/README.md");
    c.open(&readme, "markdown", 1, "# My feature\n");
    let d = c.diagnostics(&readme);
    assert_eq!(d["diagnostics"][0]["code"], "readme-without-metadata");
    // Fixed on disk: the watched-file event clears it.
    std::fs::write(tmp.path(bad_rel), b"title: cafe\nkep-number: 1234\n").unwrap();
    c.settle(Duration::from_millis(100));
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": bad, "type": 2}]}),
    );
    let d = c.diagnostics(&bad);
    assert_eq!(d["diagnostics"], json!([]));
    assert!(c.shutdown_and_exit().success());
}
