//! Out-of-range and malformed positions, ranges, URIs and command arguments for every request
//! that takes them, on the real binary over stdio, on an open kep.yaml, README.md and a legacy
//! front-matter KEP of a temp copy of tests/fixtures/lsp/repo.
//!
//! The rule the server follows (src/lsp/position.rs): a position that fits LSP's `uinteger` is
//! clamped (a column past its line is the line's end, a line past the text is the text's end), so
//! the answer must be exactly the answer for the clamped position; a position that does not fit
//! (negative, > u32::MAX, a float, null) fails to deserialize: InvalidParams (-32602). After every
//! case a normal hover must be answered within PROMPT.

use crate::common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::lsp_client::{LspClient, file_uri, fixtures};
use common::temp_repo::TempRepo;
use serde_json::{Value, json};

/// How fast a live server must answer after an abuse.
const PROMPT: Duration = Duration::from_secs(1);

const KEP: &str = "keps/sig-scheduling/5501-reflect-preenqueue-rejections-in-pod-status/kep.yaml";
const README: &str = "keps/sig-scheduling/5501-reflect-preenqueue-rejections-in-pod-status/README.md";
const LEGACY: &str = "keps/sig-network/20190118-pod-dns-config.md";
const INVALID_PARAMS: i64 = -32602;
const METHOD_NOT_FOUND: i64 = -32601;

/// What each document gets appended in the editor (not on disk), so that the end of the text,
/// where far-away positions clamp, is on something with an answer: a KEP reference (hover,
/// definition), a link, a template heading.
const KEP_TAIL: &str = "see-also:\n  - keps/sig-node/2625-cpumanager-policies-thread-placement";
const README_TAIL: &str =
    "\nSee [KEP-2625](../../sig-node/2625-cpumanager-policies-thread-placement/README.md).\n\n## Drawbacks";
const LEGACY_TAIL: &str =
    "\nSee [KEP-2625](../sig-node/2625-cpumanager-policies-thread-placement/README.md).\n\n## Alternatives";

struct Doc {
    uri: String,
    text: String,
}

struct Session {
    c: LspClient,
    repo: TempRepo,
    docs: [Doc; 3],
}

fn session(name: &str) -> Session {
    let repo = TempRepo::copy_of(&fixtures().join("repo"), name);
    std::fs::create_dir_all(repo.path("keps/sig-network")).expect("mkdir");
    let legacy_src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/robust")
        .join(LEGACY);
    std::fs::copy(legacy_src, repo.path(LEGACY)).expect("copy the legacy KEP");
    let mut c = LspClient::spawn();
    c.initialize(json!({
        "rootUri": file_uri(&repo.0),
        "capabilities": {
            "general": {"positionEncodings": ["utf-16"]},
            "window": {"workDoneProgress": true},
            "textDocument": {"publishDiagnostics": {"versionSupport": true}},
        },
    }));
    c.wait_for("index ready", |m| {
        m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end"
    });
    let docs = [
        (KEP, KEP_TAIL, "yaml"),
        (README, README_TAIL, "markdown"),
        (LEGACY, LEGACY_TAIL, "markdown"),
    ]
    .map(|(rel, tail, lang)| {
        let mut text = repo.read(rel);
        assert!(!text.contains('\r'), "the test's line counting assumes \\n only");
        text.push_str(tail);
        let uri = repo.uri(rel);
        c.open(&uri, lang, 1, &text);
        c.diagnostics_at(&uri, 1);
        Doc { uri, text }
    });
    Session { c, repo, docs }
}

fn pos(line: impl Into<Value>, character: impl Into<Value>) -> Value {
    json!({"line": line.into(), "character": character.into()})
}

/// The last line's number and its length in utf-16 units: where the text ends.
fn end_of(text: &str) -> Value {
    let line = text.matches('\n').count();
    let last = text.rsplit('\n').next().unwrap_or("");
    pos(line as u64, last.encode_utf16().count() as u64)
}

/// The end of `line` (utf-16 units).
fn line_end(text: &str, line: usize) -> Value {
    let l = text.split('\n').nth(line).unwrap_or("");
    pos(line as u64, l.encode_utf16().count() as u64)
}

/// The server answers a normal hover (on kep.yaml's `status` key) within PROMPT, correctly.
fn assert_alive(s: &mut Session, after: &str) {
    let uri = s.docs[0].uri.clone();
    let id = s.c.send_request(
        "textDocument/hover",
        Some(json!({"textDocument": {"uri": uri}, "position": pos(5, 2)})),
    );
    let start = Instant::now();
    let answer = s.c.try_wait_for(PROMPT, &|m| {
        m.get("id") == Some(&json!(id)) && m.get("method").is_none()
    });
    let Some(answer) = answer else {
        panic!(
            "after {after}: no hover answer within {PROMPT:?} (waited {:?}); server log:\n{}",
            start.elapsed(),
            s.c.stderr.lock().map(|l| l.clone()).unwrap_or_default()
        );
    };
    let md = answer["result"]["contents"]["value"].as_str().unwrap_or_default();
    assert!(
        md.contains("status"),
        "after {after}: hover on `status` was {answer}"
    );
}

fn text_position(uri: &str, p: Value) -> Value {
    json!({"textDocument": {"uri": uri}, "position": p})
}

fn code_action_params(uri: &str, start: Value, end: Value) -> Value {
    json!({"textDocument": {"uri": uri}, "range": {"start": start, "end": end}, "context": {"diagnostics": []}})
}

/// Positions that fit u32 and where they clamp to, for `text`.
fn clamping_cases(text: &str) -> Vec<(Value, Value)> {
    let last = text.matches('\n').count() as u64;
    let end = end_of(text);
    vec![
        (pos(0, 4_000_000_000u64), line_end(text, 0)),
        (pos(last, 999_999), end.clone()),
        (pos(last + 1, 0), end.clone()),
        (pos(u32::MAX, 0), end.clone()),
        (pos(u32::MAX, u32::MAX), end),
    ]
}

/// Positions that are not LSP positions at all.
fn invalid_positions() -> Vec<Value> {
    vec![
        pos(-1, 0),
        pos(0, -1),
        pos(4_294_967_296u64, 0),
        pos(0, 4e9),
        pos(1.5, 0),
        pos("1", 0),
        json!({"line": 0}),
        Value::Null,
        json!("x"),
    ]
}

#[test]
fn positions_that_fit_u32_clamp_and_others_are_invalid_params() {
    let mut s = session("abuse-positions");
    for method in [
        "textDocument/hover",
        "textDocument/completion",
        "textDocument/definition",
        "textDocument/prepareRename",
        "textDocument/documentHighlight",
    ] {
        for d in 0..s.docs.len() {
            let (uri, text) = (s.docs[d].uri.clone(), s.docs[d].text.clone());
            for (abusive, clamped) in clamping_cases(&text) {
                let got = s.c.request(method, text_position(&uri, abusive.clone()));
                let want = s.c.request(method, text_position(&uri, clamped.clone()));
                assert!(got.is_ok(), "{method} {abusive} on {uri}: {got:?}");
                assert_eq!(
                    got, want,
                    "{method} at {abusive} must answer as at {clamped} ({uri})"
                );
                assert_alive(&mut s, &format!("{method} {abusive}"));
            }
            for bad in invalid_positions() {
                let err =
                    s.c.request(method, text_position(&uri, bad.clone()))
                        .expect_err("not a position");
                assert_eq!(err["code"], INVALID_PARAMS, "{method} {bad}: {err}");
                assert_alive(&mut s, &format!("{method} {bad}"));
            }
        }
    }
    assert!(s.c.shutdown_and_exit().success());
}

/// What the clamped ends answer, so the equalities above compare something real.
#[test]
fn the_clamped_ends_answer_what_is_there() {
    let mut s = session("abuse-ends");
    let (kep, readme, legacy) = (
        s.docs[0].uri.clone(),
        s.docs[1].uri.clone(),
        s.docs[2].uri.clone(),
    );
    // kep.yaml: the end is on the see-also reference to KEP-2625.
    let hover =
        s.c.request("textDocument/hover", text_position(&kep, pos(u32::MAX, u32::MAX)))
            .expect("hover");
    let md = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(md.contains("2625"), "hover at the end of kep.yaml: {hover}");
    let def =
        s.c.request("textDocument/definition", text_position(&kep, pos(u32::MAX, 0)))
            .expect("definition");
    assert_eq!(
        def["uri"],
        s.repo
            .uri("keps/sig-node/2625-cpumanager-policies-thread-placement/kep.yaml"),
        "{def}"
    );
    // README: the end is on the last heading, `## Drawbacks`: its template guidance.
    let hover =
        s.c.request("textDocument/hover", text_position(&readme, pos(u32::MAX, 0)))
            .expect("hover");
    let md = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(
        md.contains("Drawbacks"),
        "hover at the end of the README: {hover}"
    );
    // Legacy KEP: `## Alternatives`.
    let hover =
        s.c.request(
            "textDocument/hover",
            text_position(&legacy, pos(u32::MAX, u32::MAX)),
        )
        .expect("hover");
    let md = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(
        md.contains("Alternatives"),
        "hover at the end of the legacy KEP: {hover}"
    );
    // Column 4e9 on line 0 is the end of the title line: nothing to complete after a title.
    for uri in [&kep, &readme] {
        let r =
            s.c.request(
                "textDocument/completion",
                text_position(uri, pos(0, 4_000_000_000u64)),
            )
            .expect("completion");
        assert_eq!(r, Value::Null, "{uri}");
    }
    assert!(s.c.shutdown_and_exit().success());
}

#[test]
fn code_action_ranges_clamp_and_reversed_ranges_collapse_to_their_start() {
    let mut s = session("abuse-ranges");
    let m = "textDocument/codeAction";
    for d in 0..s.docs.len() {
        let (uri, text) = (s.docs[d].uri.clone(), s.docs[d].text.clone());
        let end = end_of(&text);
        let cases = [
            // End before start: the cursor at the start.
            ((pos(5, 3), pos(2, 0)), (pos(5, 3), pos(5, 3))),
            ((pos(u32::MAX, u32::MAX), pos(0, 0)), (end.clone(), end.clone())),
            // Past the end.
            (
                (pos(u32::MAX, 0), pos(u32::MAX, u32::MAX)),
                (end.clone(), end.clone()),
            ),
            ((pos(0, 0), pos(u32::MAX, u32::MAX)), (pos(0, 0), end.clone())),
            (
                (pos(0, 4_000_000_000u64), pos(0, 4_000_000_000u64)),
                (line_end(&text, 0), line_end(&text, 0)),
            ),
        ];
        for ((a, b), (ca, cb)) in cases {
            let got = s.c.request(m, code_action_params(&uri, a.clone(), b.clone()));
            let want = s.c.request(m, code_action_params(&uri, ca.clone(), cb.clone()));
            assert!(got.is_ok(), "{a}..{b} on {uri}: {got:?}");
            assert_eq!(got, want, "{a}..{b} must answer as {ca}..{cb} ({uri})");
            assert_alive(&mut s, &format!("codeAction {a}..{b}"));
        }
        for bad in invalid_positions() {
            let err =
                s.c.request(m, code_action_params(&uri, pos(0, 0), bad.clone()))
                    .expect_err("not a range");
            assert_eq!(err["code"], INVALID_PARAMS, "codeAction ..{bad}: {err}");
            assert_alive(&mut s, &format!("codeAction ..{bad}"));
        }
        // The whole-document range (end clamped) offers every finding's fix: exactly these.
        let all =
            s.c.request(m, code_action_params(&uri, pos(0, 0), pos(u32::MAX, u32::MAX)))
                .expect("actions");
        let titles: Vec<String> = all
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|x| {
                        let title = x["title"].as_str().unwrap_or("");
                        // "Set last-updated to today (2026-11-25)": the date is the run's.
                        let title = title.split(" (").next().unwrap_or(title);
                        format!("{} {title}", x["kind"].as_str().unwrap_or(""))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let want: Vec<&str> = match d {
            1 => [
                "quickfix Remove the template comment",
                "quickfix Regenerate the table of contents",
            ]
            .into_iter()
            .chain(["quickfix Remove the template comment"; 4])
            .collect(),
            _ => vec!["refactor.rewrite Set last-updated to today"],
        };
        assert_eq!(titles, want, "{uri}");
    }
    assert!(s.c.shutdown_and_exit().success());
}

/// Every range of a folding/symbol/link answer lies inside the text.
fn lines_in_bounds(v: &Value, last_line: u64, what: &str) {
    match v {
        Value::Object(o) => {
            for (k, x) in o {
                if matches!(k.as_str(), "line" | "startLine" | "endLine") {
                    let n = x.as_u64().unwrap_or(u64::MAX);
                    assert!(n <= last_line, "{what}: {k} {n} > {last_line}");
                } else {
                    lines_in_bounds(x, last_line, what);
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| lines_in_bounds(x, last_line, what)),
        _ => {}
    }
}

#[test]
fn whole_document_requests_and_pull_diagnostics_on_open_documents() {
    let mut s = session("abuse-whole");
    for d in 0..s.docs.len() {
        let (uri, text) = (s.docs[d].uri.clone(), s.docs[d].text.clone());
        let last = text.matches('\n').count() as u64;
        for m in [
            "textDocument/foldingRange",
            "textDocument/documentSymbol",
            "textDocument/documentLink",
        ] {
            let r = s.c.request(m, json!({"textDocument": {"uri": uri}})).expect(m);
            assert!(r.as_array().is_some_and(|a| !a.is_empty()), "{m} on {uri}: {r}");
            lines_in_bounds(&r, last, m);
            // Positions are not part of these requests; a wrong-typed document is.
            let err =
                s.c.request(m, json!({"textDocument": {"uri": 42}}))
                    .expect_err("not a uri");
            assert_eq!(err["code"], INVALID_PARAMS, "{m}");
            assert_alive(&mut s, m);
        }
        // Pull diagnostics: the same items the server pushed for this version.
        let pulled =
            s.c.request("textDocument/diagnostic", json!({"textDocument": {"uri": uri}}))
                .expect("diagnostic");
        assert_eq!(pulled["kind"], "full");
        let pushed =
            s.c.seen
                .iter()
                .rev()
                .find(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri)
                .map(|m| m["params"]["diagnostics"].clone())
                .expect("pushed before");
        assert_eq!(pulled["items"], pushed, "{uri}");
        lines_in_bounds(&pulled, last, "diagnostic");
        let err =
            s.c.request(
                "textDocument/diagnostic",
                json!({"textDocument": {"uri": uri}, "previousResultId": 7}),
            )
            .expect_err("a result id is a string");
        assert_eq!(err["code"], INVALID_PARAMS);
        assert_alive(&mut s, "diagnostic");
    }
    assert!(s.c.shutdown_and_exit().success());
}

#[test]
fn methods_the_server_does_not_offer_are_method_not_found() {
    let mut s = session("abuse-unoffered");
    let uri = s.docs[0].uri.clone();
    for (m, params) in [
        (
            "textDocument/selectionRange",
            json!({"textDocument": {"uri": uri}, "positions": [pos(u32::MAX, 0)]}),
        ),
        ("textDocument/linkedEditingRange", text_position(&uri, pos(0, 0))),
        (
            "documentLink/resolve",
            json!({"range": {"start": pos(u32::MAX, 0), "end": pos(0, 0)}, "target": uri}),
        ),
    ] {
        let err = s.c.request(m, params).expect_err(m);
        assert_eq!(err["code"], METHOD_NOT_FOUND, "{m}: {err}");
        assert_alive(&mut s, m);
    }
    assert!(s.c.shutdown_and_exit().success());
}

#[test]
fn unopened_and_non_file_uris() {
    let mut s = session("abuse-uris");
    let range = json!({"start": pos(0, 0), "end": pos(u32::MAX, u32::MAX)});
    for uri in [
        "file:///never/opened/keps/sig-x/1-x/kep.yaml",
        "untitled:Untitled-1",
        "https://example.com/keps/sig-node/1-x/kep.yaml",
    ] {
        let doc = json!({"uri": uri});
        for (m, params) in [
            ("textDocument/hover", text_position(uri, pos(0, 0))),
            ("textDocument/completion", text_position(uri, pos(u32::MAX, 0))),
            ("textDocument/definition", text_position(uri, pos(0, 0))),
            ("textDocument/prepareRename", text_position(uri, pos(0, 0))),
            ("textDocument/documentHighlight", text_position(uri, pos(0, 0))),
            (
                "textDocument/references",
                json!({"textDocument": doc, "position": pos(0, 0), "context": {"includeDeclaration": true}}),
            ),
            (
                "textDocument/rename",
                json!({"textDocument": doc, "position": pos(0, 0), "newName": "x"}),
            ),
            (
                "textDocument/codeAction",
                json!({"textDocument": doc, "range": range, "context": {"diagnostics": []}}),
            ),
            ("textDocument/foldingRange", json!({"textDocument": doc})),
            ("textDocument/documentSymbol", json!({"textDocument": doc})),
            ("textDocument/documentLink", json!({"textDocument": doc})),
        ] {
            assert_eq!(s.c.request(m, params), Ok(Value::Null), "{m} on unopened {uri}");
        }
        assert_eq!(
            s.c.request("textDocument/diagnostic", json!({"textDocument": doc})),
            Ok(json!({"kind": "full", "items": []})),
            "{uri}"
        );
        assert_alive(&mut s, uri);
    }
    // Strings that are not URIs at all.
    for uri in ["not a uri", "", "file://[::1"] {
        for m in [
            "textDocument/hover",
            "textDocument/diagnostic",
            "textDocument/foldingRange",
        ] {
            let err =
                s.c.request(m, text_position(uri, pos(0, 0)))
                    .expect_err("not a uri");
            assert_eq!(err["code"], INVALID_PARAMS, "{m} {uri:?}");
        }
        assert_alive(&mut s, uri);
    }
    // Open non-file documents: analysed by the name their path ends with, single-file mode.
    let text = "title: x\nstatus: implementable\n";
    for (uri, kep_yaml) in [
        ("untitled:Untitled-1", false),
        ("https://example.com/keps/sig-node/1-x/kep.yaml", true),
    ] {
        s.c.open(uri, "yaml", 1, text);
        let hover =
            s.c.request("textDocument/hover", text_position(uri, pos(1, u32::MAX)))
                .expect("hover");
        let diags =
            s.c.request("textDocument/diagnostic", json!({"textDocument": {"uri": uri}}))
                .expect("diagnostic");
        let codes: Vec<&str> = diags["items"]
            .as_array()
            .map(|a| a.iter().filter_map(|d| d["code"].as_str()).collect())
            .unwrap_or_default();
        if kep_yaml {
            let md = hover["contents"]["value"].as_str().unwrap_or_default();
            assert!(md.contains("implementable"), "{uri}: {hover}");
            assert!(codes.contains(&"missing-field"), "{uri}: {codes:?}");
        } else {
            // No file name, no kind: nothing to say.
            assert_eq!(hover, Value::Null, "{uri}");
            assert_eq!(codes, Vec::<&str>::new(), "{uri}");
        }
        assert_alive(&mut s, uri);
    }
    assert!(s.c.shutdown_and_exit().success());
}

fn promote(c: &mut LspClient, arguments: Value) -> Result<Value, Value> {
    c.request(
        "workspace/executeCommand",
        json!({"command": "kep.promote", "arguments": arguments}),
    )
}

/// The next `window/showMessage`.
fn shown(c: &mut LspClient) -> Value {
    c.wait_for("showMessage", |m| m["method"] == "window/showMessage")["params"].clone()
}

#[test]
fn promote_with_bad_arguments_is_invalid_params_and_shown() {
    let mut s = session("abuse-promote");
    let kep = s.docs[0].uri.clone();
    let cases: Vec<(Value, &str)> = vec![
        (json!([]), "takes one argument"),
        (json!([{"uri": kep, "stage": "beta"}, 2]), "got 2"),
        (json!([{}]), "missing field `uri`"),
        (json!(["beta"]), "bad argument"),
        (json!([{"uri": "nope", "stage": "beta"}]), "bad argument"),
        (json!([{"uri": 5, "stage": "beta"}]), "bad argument"),
        (
            json!([{"uri": kep, "stage": "beta", "extra": 1}]),
            "unknown field `extra`",
        ),
        (json!([{"uri": kep, "stage": "gamma"}]), "unknown stage `gamma`"),
        (json!([{"uri": kep, "stage": 7}]), "bad argument"),
        (
            json!([{"uri": "file:///elsewhere/kep.yaml", "stage": "beta"}]),
            "is not inside the workspace",
        ),
        (
            json!([{"uri": "untitled:Untitled-1", "stage": "beta"}]),
            "is not inside the workspace",
        ),
        (
            json!([{"uri": s.repo.uri("keps/sig-x/1-nope/kep.yaml"), "stage": "beta"}]),
            "cannot read keps/sig-x/1-nope/kep.yaml",
        ),
        (
            json!([{"uri": s.docs[1].uri, "stage": "beta"}]),
            "is not a kep.yaml",
        ),
        (
            json!([{"uri": kep, "stage": "stable", "milestone": "banana"}]),
            "milestone",
        ),
    ];
    for (args, message) in cases {
        let err = promote(&mut s.c, args.clone()).expect_err("bad arguments");
        assert_eq!(err["code"], INVALID_PARAMS, "{args}: {err}");
        let text = err["message"].as_str().unwrap_or_default();
        assert!(text.contains(message), "{args}: {text}");
        let msg = shown(&mut s.c);
        assert_eq!(msg["type"], 1, "shown as an error: {msg}");
        assert!(msg["message"].as_str().unwrap_or_default().contains(message));
        assert_alive(&mut s, &format!("kep.promote {args}"));
    }
    // Arguments missing altogether, or not a list.
    let err =
        s.c.request("workspace/executeCommand", json!({"command": "kep.promote"}))
            .expect_err("no arguments");
    assert_eq!(err["code"], INVALID_PARAMS);
    let err =
        s.c.request(
            "workspace/executeCommand",
            json!({"command": "kep.promote", "arguments": {"uri": kep}}),
        )
        .expect_err("not a list");
    assert_eq!(err["code"], INVALID_PARAMS);
    assert!(
        s.c.applied_edits.is_empty(),
        "no edit was sent: {:?}",
        s.c.applied_edits
    );
    assert_alive(&mut s, "kep.promote without arguments");
    assert!(s.c.shutdown_and_exit().success());
}

#[test]
fn promote_without_a_workspace_root_is_invalid_params() {
    let mut c = LspClient::spawn();
    c.initialize(json!({"capabilities": {}}));
    let err = promote(
        &mut c,
        json!([{"uri": "file:///tmp/x/keps/sig-node/1-x/kep.yaml", "stage": "beta"}]),
    )
    .expect_err("no root");
    assert_eq!(err["code"], INVALID_PARAMS);
    assert!(
        err["message"]
            .as_str()
            .unwrap_or_default()
            .contains("no workspace root"),
        "{err}"
    );
    assert!(c.shutdown_and_exit().success());
}
