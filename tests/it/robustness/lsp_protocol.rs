//! Protocol abuse on the real binary over stdio: broken framing, broken JSON, out-of-order
//! lifecycle, hostile documents, floods, cancellation, a vanishing client. After each abuse the
//! server must still answer a request within PROMPT (or, where the spec says so, exit cleanly).

use crate::common;

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::lsp_client::{LspClient, TIMEOUT, capabilities};
use serde_json::{Value, json};

/// How fast a live server must answer after an abuse.
const PROMPT: Duration = Duration::from_secs(1);

const URI: &str = "file:///tmp/robust/keps/sig-node/1234-abuse/kep.yaml";
const README_URI: &str = "file:///tmp/robust/keps/sig-node/1234-abuse/README.md";

fn started() -> LspClient {
    let mut c = LspClient::spawn();
    c.initialize(json!({"capabilities": capabilities(&["utf-16"])}));
    c
}

fn frame(body: &str) -> Vec<u8> {
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

/// The server answers a fresh request within PROMPT: the liveness check after every abuse.
fn assert_alive(c: &mut LspClient) {
    let id = c.send_request("kep/documentText", Some(json!({"uri": "file:///nowhere/x.md"})));
    let start = Instant::now();
    let answer = c.try_wait_for(PROMPT, &|m| {
        m.get("id") == Some(&json!(id)) && m.get("method").is_none()
    });
    assert!(
        answer.is_some(),
        "no answer within {PROMPT:?} (waited {:?}); server log:\n{}",
        start.elapsed(),
        c.stderr.lock().map(|s| s.clone()).unwrap_or_default()
    );
}

/// Every response with this id (to check "exactly one answer per request").
fn responses(c: &LspClient, id: i64) -> Vec<Value> {
    c.seen
        .iter()
        .filter(|m| m.get("id") == Some(&json!(id)) && m.get("method").is_none())
        .cloned()
        .collect()
}

fn error_code(c: &mut LspClient, method: &str, params: Value) -> i64 {
    let err = c.request(method, params).expect_err(method);
    err["code"].as_i64().unwrap_or(0)
}

#[test]
fn garbage_between_frames_is_skipped() {
    let mut c = started();
    c.send_raw(b"hello, this is not a header\r\n\r\n");
    c.send_raw(b"\x00\xff\xfe binary \x01\x02\r\n");
    c.send_raw(b"Content-Type: application/vscode-jsonrpc\r\n\r\n");
    c.send_raw(b"Content-Length: abc\r\n\r\n{}");
    c.send_raw(b"Content-Length: -5\r\n\r\n");
    assert_alive(&mut c);
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn wrong_content_length_loses_at_most_the_next_message() {
    let mut c = started();
    // Too short: the body is cut, the rest is garbage before the next header.
    let body = json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {}}).to_string();
    c.send_raw(format!("Content-Length: 10\r\n\r\n{body}").as_bytes());
    assert_alive(&mut c);
    // Too long: the server waits for bytes that are the next message's; that one is lost (it is
    // read as the rest of the body), and the one after is served.
    c.send_raw(format!("Content-Length: {}\r\n\r\n{body}", body.len() + 40).as_bytes());
    c.send_raw(&frame(
        &json!({"jsonrpc": "2.0", "method": "$/sacrifice"}).to_string(),
    ));
    assert_alive(&mut c);
    // Zero and huge lengths.
    c.send_raw(b"Content-Length: 0\r\n\r\n");
    assert_alive(&mut c);
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn invalid_json_is_a_parse_error_and_the_server_goes_on() {
    let mut c = started();
    c.send_raw(&frame("{\"jsonrpc\": \"2.0\", \"id\": 77, \"method\": "));
    let err = c.wait_for("parse error", |m| m["error"]["code"] == -32700);
    assert_eq!(err["id"], Value::Null);
    assert_alive(&mut c);
    // Valid JSON that is not JSON-RPC.
    for body in [
        "[]",
        "42",
        "null",
        "{\"jsonrpc\": \"1.0\", \"id\": 5, \"method\": \"shutdown\"}",
        "{}",
    ] {
        c.send_raw(&frame(body));
    }
    assert_alive(&mut c);
    // Wrong parameter types on a known request: InvalidParams.
    assert_eq!(
        error_code(&mut c, "kep/documentText", json!("not an object")),
        -32602
    );
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn requests_before_initialize_are_refused_then_initialize_works() {
    let mut c = LspClient::spawn();
    assert_eq!(
        error_code(&mut c, "kep/documentText", json!({"uri": URI})),
        -32002
    );
    assert_eq!(error_code(&mut c, "shutdown", Value::Null), -32002);
    // Notifications before initialize are dropped (the spec: except exit).
    c.open(URI, "yaml", 1, "title: early\n");
    let r = c.initialize(json!({"capabilities": {}}));
    assert_eq!(r["serverInfo"]["name"], "kep-lsp");
    assert!(
        c.request("kep/documentText", json!({"uri": URI})).is_err(),
        "early didOpen was dropped"
    );
    // A second initialize is an error, not a reset.
    assert_eq!(
        error_code(&mut c, "initialize", json!({"capabilities": {}})),
        -32600
    );
    assert_alive(&mut c);
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn unknown_methods_are_method_not_found_and_notifications_ignored() {
    let mut c = started();
    assert_eq!(error_code(&mut c, "kep/noSuchThing", json!({})), -32601);
    assert_eq!(error_code(&mut c, "textDocument/noSuchThing", json!({})), -32601);
    assert_eq!(error_code(&mut c, "$/noSuchRequest", json!({})), -32601);
    c.notify("$/noSuchNotification", json!({}));
    c.notify("kep/noSuchNotification", json!([1, 2]));
    assert_alive(&mut c);
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn requests_after_shutdown_are_invalid_and_exit_is_clean() {
    let mut c = started();
    c.request("shutdown", Value::Null).expect("shutdown answers");
    assert_eq!(
        error_code(&mut c, "kep/documentText", json!({"uri": URI})),
        -32600
    );
    c.notify("exit", Value::Null);
    assert_eq!(c.wait_exit().code(), Some(0));
}

#[test]
fn changes_to_unopened_documents_and_stale_versions_are_ignored() {
    let mut c = started();
    c.change("file:///never/opened/kep.yaml", 2, json!([{"text": "x"}]));
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": "file:///never/opened.md"}}),
    );
    c.open(URI, "yaml", 5, "title: five\n");
    c.change(URI, 5, json!([{"text": "same version"}]));
    c.change(URI, 3, json!([{"text": "older version"}]));
    c.change(URI, -1, json!([{"text": "negative"}]));
    c.change(URI, i32::MAX as i64 + 1, json!([{"text": "overflows i32"}]));
    assert_alive(&mut c);
    assert_eq!(c.document_text(URI), ("title: five\n".to_string(), 5));
    // Reopening an open document replaces it (some clients do this after a reload).
    c.open(URI, "yaml", 1, "title: again\n");
    assert_eq!(c.document_text(URI), ("title: again\n".to_string(), 1));
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn out_of_range_positions_clamp() {
    let mut c = started();
    c.open(URI, "yaml", 1, "title: x\n");
    for (i, (sl, sc, el, ec)) in [
        (0, 4_000_000_000u64, 0, 4_000_000_000u64),
        (u32::MAX as u64, 0, u32::MAX as u64, u32::MAX as u64),
        (1, 0, 99, 99),
    ]
    .into_iter()
    .enumerate()
    {
        let text = ["!", "!", "?"][i];
        c.change(
            URI,
            2 + i as i64,
            json!([{"range": {"start": {"line": sl, "character": sc}, "end": {"line": el, "character": ec}}, "text": text}]),
        );
    }
    assert_alive(&mut c);
    // Column past the line: the line's end; line past the text: the text's end (so the last
    // change replaced the whole last line).
    assert_eq!(c.document_text(URI), ("title: x!\n?".to_string(), 4));
    // Positions that do not fit u32 are invalid params: the change is dropped, nothing else.
    c.change(
        URI,
        9,
        json!([{"range": {"start": {"line": -1, "character": 0}, "end": {"line": 1e30, "character": 0}}, "text": "?"}]),
    );
    assert_alive(&mut c);
    assert_eq!(c.document_text(URI).1, 4);
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn a_five_megabyte_document_does_not_stall_the_server() {
    let mut c = started();
    let readme = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/robust/keps/sig-storage/2924-csi-migration-cephfs/README.md"),
    )
    .expect("fixture");
    let mut big = String::with_capacity(5 << 20);
    while big.len() < 5 << 20 {
        big.push_str(&readme);
    }
    c.open(README_URI, "markdown", 1, &big);
    // Reading and parsing 5 MB of JSON takes its time (in a debug build); once a request sent
    // after it is answered, the open was applied, and the analysis runs in the background:
    // from then on requests must not wait for it.
    c.request("kep/documentText", json!({"uri": URI}))
        .expect_err("not open");
    assert_alive(&mut c);
    // An edit at the end of 5 MB is applied and the diagnostics come, for the right version.
    c.change(
        README_URI,
        2,
        json!([{"range": {"start": {"line": 900_000, "character": 0}, "end": {"line": 900_000, "character": 0}}, "text": "tail 😀\n"}]),
    );
    c.request("kep/documentText", json!({"uri": URI}))
        .expect_err("not open");
    assert_alive(&mut c);
    let d = c.diagnostics_at(README_URI, 2);
    assert!(d["diagnostics"].as_array().is_some_and(|a| !a.is_empty()));
    let (text, version) = c.document_text(README_URI);
    assert_eq!((text.len(), version), (big.len() + "tail 😀\n".len(), 2));
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn nul_bytes_are_text_and_lone_surrogates_are_refused() {
    let mut c = started();
    let with_nul = "title: a\u{0}b\nstatus: \u{0}\n";
    c.open(URI, "yaml", 1, with_nul);
    c.diagnostics_at(URI, 1);
    assert_eq!(c.document_text(URI), (with_nul.to_string(), 1));
    // `\ud800` alone is not a Unicode scalar: the message cannot be read as text.
    let body = r#"{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"URI","version":2},"contentChanges":[{"text":"bad \ud800 surrogate"}]}}"#
        .replace("URI", URI);
    c.send_raw(&frame(&body));
    let body = r#"{"jsonrpc":"2.0","id":991,"method":"kep/documentText","params":{"uri":"\udfff"}}"#;
    c.send_raw(&frame(body));
    assert_alive(&mut c);
    assert_eq!(
        c.document_text(URI),
        (with_nul.to_string(), 1),
        "the broken change was not applied"
    );
    // A valid surrogate PAIR is fine.
    let body = r#"{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"URI","version":3},"contentChanges":[{"text":"title: \ud83d\ude00\n"}]}}"#
        .replace("URI", URI);
    c.send_raw(&frame(&body));
    assert_eq!(c.document_text(URI), ("title: 😀\n".to_string(), 3));
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn thousands_of_messages_without_waiting() {
    let mut c = started();
    let mut text = String::from("title: x\n");
    c.open(URI, "yaml", 1, &text);
    let mut ids = Vec::new();
    for v in 2..=4001i64 {
        let piece = ["a", "é", "字", "😀", "\n"][v as usize % 5];
        // Append at the end (a far-away position clamps there), then a request every 100 edits.
        text.push_str(piece);
        c.change(
            URI,
            v,
            json!([{"range": {"start": {"line": 1_000_000, "character": 0}, "end": {"line": 1_000_000, "character": 0}}, "text": piece}]),
        );
        if v % 100 == 0 {
            ids.push(c.send_request("kep/documentText", Some(json!({"uri": URI}))));
        }
        if v % 250 == 0 {
            c.change(URI, v, json!([{"text": "stale, dropped"}]));
            c.send_raw(b"junk between frames\r\n\r\n");
        }
    }
    let (server, version) = c.document_text(URI);
    assert_eq!(version, 4001);
    assert!(server == text, "the server's text differs after the flood");
    // Answers may come in another order than the requests (each request runs as a task of its
    // own, JSON-RPC matches them by id): wait for each, then none may have come twice.
    for &id in &ids {
        let _ = c.response(id);
    }
    for id in ids {
        assert_eq!(responses(&c, id).len(), 1, "request {id} answered exactly once");
    }
    assert_alive(&mut c);
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn cancelled_requests_are_answered_once() {
    let mut c = started();
    let mut big = String::new();
    while big.len() < 256 << 10 {
        big.push_str("title: 😀 x\n");
    }
    c.open(URI, "yaml", 1, &big);
    let mut ids = Vec::new();
    for _ in 0..20 {
        let id = c.send_request("kep/documentText", Some(json!({"uri": URI})));
        c.notify("$/cancelRequest", json!({"id": id}));
        ids.push(id);
    }
    // Cancelling what does not exist, or with a bad id, is harmless.
    c.notify("$/cancelRequest", json!({"id": 999_999}));
    c.notify("$/cancelRequest", json!({"id": {"not": "an id"}}));
    c.notify("$/cancelRequest", json!({}));
    for &id in &ids {
        let _ = c.response(id);
    }
    assert_alive(&mut c);
    c.drain(Duration::from_millis(300));
    let mut cancelled = 0;
    for id in ids {
        let r = responses(&c, id);
        assert_eq!(r.len(), 1, "request {id}: {r:?}");
        if r[0]["error"]["code"] == -32800 {
            cancelled += 1;
        } else {
            assert!(r[0]["result"]["text"].is_string(), "{:?}", r[0]);
        }
    }
    eprintln!("{cancelled} of 20 requests were cancelled before they finished");
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn a_panic_during_a_flood_leaves_the_documents_consistent() {
    let mut c = started();
    c.open(URI, "yaml", 1, "");
    let mut expected = String::new();
    let mut panics = Vec::new();
    for v in 2..=301i64 {
        c.change(
            URI,
            v,
            json!([{"range": {"start": {"line": 99, "character": 0}, "end": {"line": 99, "character": 0}}, "text": "x"}]),
        );
        expected.push('x');
        if v % 50 == 0 {
            panics.push(c.send_request("kep/debugPanic", None));
        }
    }
    for id in panics {
        assert_eq!(c.response(id).expect_err("panics")["code"], -32603);
    }
    assert_eq!(c.document_text(URI), (expected, 301));
    assert_alive(&mut c);
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn stdin_closed_mid_frame_or_mid_work_exits_cleanly() {
    // Mid-frame: a header promising more than ever comes.
    let mut c = started();
    c.send_raw(b"Content-Length: 500\r\n\r\n{\"jsonrpc\":");
    c.close_stdin();
    assert_eq!(c.wait_exit().code(), Some(0));
    // Mid-work: a big document still being analysed and requests in flight.
    let mut c = started();
    let big = "## Section\n\ntext 😀\n".repeat(200_000);
    c.open(README_URI, "markdown", 1, &big);
    c.open(URI, "yaml", 1, "title: x\n");
    for _ in 0..10 {
        c.send_request("kep/documentText", Some(json!({"uri": URI})));
    }
    c.close_stdin();
    let start = Instant::now();
    assert_eq!(c.wait_exit().code(), Some(0));
    assert!(start.elapsed() < TIMEOUT);
}

#[test]
fn a_client_that_stops_reading_does_not_leave_the_server_running() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kep-lsp"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn kep-lsp");
    let mut stdin = child.stdin.take().expect("stdin");
    let mut stdout = child.stdout.take().expect("stdout");
    let init = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}});
    stdin.write_all(&frame(&init.to_string())).expect("write");
    let mut first = [0u8; 16];
    stdout.read_exact(&mut first).expect("the server answers");
    // The client goes away without a word: its end of stdout closes, then stdin.
    drop(stdout);
    let open = json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": URI, "languageId": "yaml", "version": 1, "text": "title: x\n"}}});
    let _ = stdin.write_all(&frame(&open.to_string()));
    for id in 2..50 {
        let req = json!({"jsonrpc": "2.0", "id": id, "method": "kep/documentText", "params": {"uri": URI}});
        if stdin.write_all(&frame(&req.to_string())).is_err() {
            break; // the server already noticed and left
        }
    }
    drop(stdin);
    let deadline = Instant::now() + TIMEOUT;
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            // Killed by SIGPIPE or exited: either way gone and reaped (no zombie).
            eprintln!("server ended with {status:?}");
            break;
        }
        assert!(
            Instant::now() < deadline,
            "server still running after its client vanished"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}
