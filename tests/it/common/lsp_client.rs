//! A small LSP test client: spawns the real `kep-lsp` binary, frames JSON-RPC over its stdio, waits
//! for messages with timeouts, and answers the server's own requests (progress tokens, watcher
//! registration, `workspace/configuration`, `workspace/applyEdit`) the way an editor would.
//!
//! Every message the server sends is kept in `seen` (in arrival order), so tests can assert on
//! what came before what.

#![allow(dead_code)] // each test binary uses a different part of the client

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

pub const TIMEOUT: Duration = Duration::from_secs(20);

pub struct LspClient {
    child: Child,
    stdin: Option<ChildStdin>,
    incoming: Receiver<Value>,
    /// Every message received from the server, in order.
    pub seen: Vec<Value>,
    /// Index into `seen` of messages not yet consumed by a wait.
    unconsumed: Vec<usize>,
    next_id: i64,
    /// What to answer `workspace/configuration` with (one value per requested item).
    pub configuration: Value,
    /// What to answer `workspace/applyEdit` with (`{"applied": true}` by default).
    pub apply_edit_reply: Value,
    /// The `edit` of every `workspace/applyEdit` the server sent, in order (never applied to disk).
    pub applied_edits: Vec<Value>,
    pub stderr: Arc<Mutex<String>>,
}

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lsp")
}

pub fn file_uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

impl LspClient {
    pub fn spawn() -> LspClient {
        let mut child = Command::new(env!("CARGO_BIN_EXE_kep-lsp"))
            .env("KEP_LSP_LOG", "kep_lsp=debug")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn kep-lsp");
        let stdout = child.stdout.take().expect("stdout");
        let stderr = child.stderr.take().expect("stderr");
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(msg) = read_message(&mut reader) {
                if tx.send(msg).is_err() {
                    break;
                }
            }
        });
        let log = Arc::new(Mutex::new(String::new()));
        let log_writer = log.clone();
        std::thread::spawn(move || {
            let reader = BufReader::new(stderr);
            for line in reader.lines().map_while(Result::ok) {
                if let Ok(mut l) = log_writer.lock() {
                    l.push_str(&line);
                    l.push('\n');
                }
            }
        });
        LspClient {
            stdin: child.stdin.take(),
            child,
            incoming: rx,
            seen: Vec::new(),
            unconsumed: Vec::new(),
            next_id: 1,
            configuration: Value::Null,
            apply_edit_reply: json!({"applied": true}),
            applied_edits: Vec::new(),
            stderr: log,
        }
    }

    /// `initialize` with the given capabilities and extra params, then `initialized`.
    pub fn initialize(&mut self, params: Value) -> Value {
        let result = self.request("initialize", params).expect("initialize succeeds");
        self.notify("initialized", json!({}));
        result
    }

    pub fn send(&mut self, msg: &Value) {
        let body = serde_json::to_string(msg).expect("serialize");
        let stdin = self.stdin.as_mut().expect("stdin open");
        write!(stdin, "Content-Length: {}\r\n\r\n{}", body.len(), body).expect("write to server");
        stdin.flush().expect("flush");
    }

    /// Write raw bytes to the server (malformed frames, broken JSON: tests/it/robustness/lsp_protocol.rs).
    pub fn send_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(bytes).expect("write to server");
        stdin.flush().expect("flush");
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Send a request without waiting; returns its id.
    pub fn send_request(&mut self, method: &str, params: Option<Value>) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        let mut msg = json!({"jsonrpc": "2.0", "id": id, "method": method});
        if let Some(p) = params {
            msg["params"] = p;
        }
        self.send(&msg);
        id
    }

    /// A request and its answer: `Ok(result)` or `Err(error object)`.
    pub fn request(&mut self, method: &str, params: Value) -> Result<Value, Value> {
        let params = (!params.is_null()).then_some(params);
        let id = self.send_request(method, params);
        self.response(id)
    }

    pub fn response(&mut self, id: i64) -> Result<Value, Value> {
        let msg = self.wait_for(&format!("response {id}"), |m| {
            m.get("id") == Some(&json!(id)) && m.get("method").is_none()
        });
        match msg.get("error") {
            Some(e) => Err(e.clone()),
            None => Ok(msg.get("result").cloned().unwrap_or(Value::Null)),
        }
    }

    /// The first not-yet-consumed message matching `pred`, waiting up to `TIMEOUT`.
    pub fn wait_for(&mut self, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        self.try_wait_for(TIMEOUT, &pred).unwrap_or_else(|| {
            panic!(
                "timed out waiting for {what}; got {:#?}\nserver log:\n{}",
                self.seen,
                self.stderr.lock().map(|s| s.clone()).unwrap_or_default()
            )
        })
    }

    pub fn try_wait_for(&mut self, timeout: Duration, pred: &dyn Fn(&Value) -> bool) -> Option<Value> {
        if let Some(pos) = self.unconsumed.iter().position(|&i| pred(&self.seen[i])) {
            let i = self.unconsumed.remove(pos);
            return Some(self.seen[i].clone());
        }
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let msg = match self.incoming.recv_timeout(left) {
                Ok(m) => m,
                Err(RecvTimeoutError::Timeout) | Err(RecvTimeoutError::Disconnected) => return None,
            };
            self.answer_server_request(&msg);
            self.seen.push(msg.clone());
            if pred(&msg) {
                return Some(msg);
            }
            self.unconsumed.push(self.seen.len() - 1);
        }
    }

    /// Read everything that arrives within `quiet` (to check that something did NOT come).
    pub fn drain(&mut self, quiet: Duration) {
        let _ = self.try_wait_for(quiet, &|_| false);
    }

    /// Wait until the server is quiet for `quiet`, then forget what is pending: later waits only
    /// match messages sent after this point.
    pub fn settle(&mut self, quiet: Duration) {
        self.drain(quiet);
        self.unconsumed.clear();
    }

    fn answer_server_request(&mut self, msg: &Value) {
        let (Some(id), Some(method)) = (msg.get("id"), msg.get("method").and_then(Value::as_str)) else {
            return;
        };
        let result = match method {
            "workspace/configuration" => {
                let n = msg["params"]["items"].as_array().map_or(1, Vec::len);
                Value::Array(vec![self.configuration.clone(); n])
            }
            "workspace/applyEdit" => {
                self.applied_edits.push(msg["params"]["edit"].clone());
                self.apply_edit_reply.clone()
            }
            _ => Value::Null,
        };
        let reply = json!({"jsonrpc": "2.0", "id": id, "result": result});
        self.send(&reply);
    }

    /// The next `publishDiagnostics` for `uri` (whatever its version).
    pub fn diagnostics(&mut self, uri: &str) -> Value {
        self.wait_for(&format!("diagnostics for {uri}"), |m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        })["params"]
            .clone()
    }

    /// The `publishDiagnostics` for `uri` at `version` (earlier ones are skipped).
    pub fn diagnostics_at(&mut self, uri: &str, version: i64) -> Value {
        self.wait_for(&format!("diagnostics for {uri} v{version}"), |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == json!(version)
        })["params"]
            .clone()
    }

    pub fn open(&mut self, uri: &str, language: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language, "version": version, "text": text}}),
        );
    }

    pub fn change(&mut self, uri: &str, version: i64, changes: Value) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
        );
    }

    pub fn document_text(&mut self, uri: &str) -> (String, i64) {
        let r = self
            .request("kep/documentText", json!({"uri": uri}))
            .expect("documentText answers");
        (
            r["text"].as_str().unwrap_or_default().to_string(),
            r["version"].as_i64().unwrap_or(-1),
        )
    }

    /// `shutdown`, `exit`, and the process's exit status.
    pub fn shutdown_and_exit(mut self) -> ExitStatus {
        self.request("shutdown", Value::Null).expect("shutdown answers");
        self.notify("exit", Value::Null);
        self.wait_exit()
    }

    pub fn close_stdin(&mut self) {
        self.stdin = None;
    }

    pub fn wait_exit(&mut self) -> ExitStatus {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status;
            }
            assert!(Instant::now() < deadline, "server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for LspClient {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Read one `Content-Length` framed message; `None` at end of stream.
fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length:") {
            length = v.trim().parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

/// Capabilities of a typical push-diagnostics editor, offering `encodings`.
pub fn capabilities(encodings: &[&str]) -> Value {
    json!({
        "general": {"positionEncodings": encodings},
        "textDocument": {"publishDiagnostics": {"versionSupport": true}},
        "window": {"workDoneProgress": false}
    })
}

/// An LSP position of byte offset `at` in `text`, counted in `enc` ("utf-8" or "utf-16"): the
/// test's own conversion, independent of the server's.
pub fn lsp_position(text: &str, at: usize, enc: &str) -> Value {
    let before = &text[..at];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = before.matches('\n').count();
    let col_text = &before[line_start..];
    let character = if enc == "utf-8" {
        col_text.len()
    } else {
        col_text.encode_utf16().count()
    };
    json!({"line": line, "character": character})
}

/// A didChange content change replacing `range` (bytes of `text`) by `new_text`, and the edited
/// text as the test computes it itself.
pub fn edit(text: &str, range: std::ops::Range<usize>, new_text: &str, enc: &str) -> (Value, String) {
    let change = json!({
        "range": {"start": lsp_position(text, range.start, enc), "end": lsp_position(text, range.end, enc)},
        "text": new_text
    });
    let mut out = String::with_capacity(text.len() + new_text.len());
    out.push_str(&text[..range.start]);
    out.push_str(new_text);
    out.push_str(&text[range.end..]);
    (change, out)
}

/// The unit an LSP position's `character` counts in, as negotiated (`positionEncoding`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Units {
    Utf8,
    Utf16,
}

/// The byte offset in `text` of an LSP position (`{line, character}`, 0-based; `character` in
/// `units`), clamped to the end of its line: the test's own conversion, not the server's.
pub fn lsp_offset(text: &str, pos: &Value, units: Units) -> usize {
    let line = pos["line"].as_u64().expect("line") as usize;
    let ch = pos["character"].as_u64().expect("character") as usize;
    let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    let line_text = text[start.min(text.len())..].split('\n').next().unwrap_or("");
    match units {
        Units::Utf8 => start + ch.min(line_text.len()),
        Units::Utf16 => {
            let mut seen = 0;
            for (i, c) in line_text.char_indices() {
                if seen >= ch {
                    return start + i;
                }
                seen += c.len_utf16();
            }
            start + line_text.len()
        }
    }
}

/// `text` with LSP TextEdits (`{range, newText}`, non-overlapping, any order) applied.
pub fn apply_lsp_edits(text: &str, edits: &[Value], units: Units) -> String {
    let mut spans: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| {
            (
                lsp_offset(text, &e["range"]["start"], units),
                lsp_offset(text, &e["range"]["end"], units),
                e["newText"].as_str().expect("newText"),
            )
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_string();
    for (s, e, t) in spans {
        out.replace_range(s..e, t);
    }
    out
}
