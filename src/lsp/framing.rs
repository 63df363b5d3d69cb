//! A forgiving reader of LSP frames: it turns bytes into decoded JSON-RPC messages, and
//! everything it cannot read into an error to answer, instead of the end of the server.
//!
//! Why not tower-lsp-server's codec: it reads stdin through tokio-util's `FramedRead`, which
//! ends the stream after the first decoding error, so one garbage header, a wrong
//! `Content-Length` or one body that is not JSON (a lone surrogate `\ud800` is enough) stopped
//! the whole server; and it decodes each body through serde's untagged-enum path, which
//! buffers the whole message once more before building it (3 M of the 7 M instructions a
//! 158 KB didOpen cost, measured with callgrind over the bench's README session). Here each
//! body is parsed once, straight into the request or response it is. Here:
//! - bytes before a `Content-Length` header are skipped (logged);
//! - a body that is not UTF-8 JSON is a ParseError (-32700) to answer with id null, valid JSON
//!   that is not a JSON-RPC message an InvalidRequest (-32600), as JSON-RPC 2.0 asks;
//! - a `Content-Length` too large is noticed when the next header block shows up inside the "body"
//!   right after a complete message: that message is served and the next one is not lost;
//! - a `Content-Length` too small leaves a broken body (answered as above) and garbage, skipped.
//!
//! `transport.rs` feeds it bytes and routes what comes out.

use std::borrow::Cow;

use serde::{Deserialize, Deserializer};
use serde_json::Value;
use tower_lsp_server::jsonrpc::{self, Id, Request, Response};
use tracing::warn;

/// A frame larger than this is refused (its header skipped): no LSP message comes near.
const MAX_BODY: usize = 512 << 20;
/// A header block larger than this is garbage.
const MAX_HEADER: usize = 8 << 10;
const HEADER: &[u8] = b"content-length";

/// One message read from the client, or what to answer for one that could not be read.
#[derive(Debug)]
pub(crate) enum Incoming {
    /// A request or notification (a notification has no id).
    Request(Request),
    /// The client's answer to a request of the server's.
    Response(Response),
    /// A frame that is not a JSON-RPC message: the error code (-32700 or -32600) and why.
    Invalid { code: i64, why: String },
}

/// The bytes read so far and how far the current frame was searched: feed it with `push`, take
/// the messages with `extract`.
#[derive(Default)]
pub(crate) struct Frames {
    buf: Vec<u8>,
    scanned: usize,
}

impl Frames {
    /// Append bytes read from the client.
    pub(crate) fn push(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// Every complete message at the front, in order, appended to `out`.
    pub(crate) fn extract(&mut self, out: &mut Vec<Incoming>) {
        extract(&mut self.buf, &mut self.scanned, out);
    }

    /// Bytes held that are not a complete message yet.
    pub(crate) fn pending(&self) -> usize {
        self.buf.len()
    }
}

/// Move every complete frame's message (or its error) from the front of `buf` to `out`.
fn extract(buf: &mut Vec<u8>, scanned: &mut usize, out: &mut Vec<Incoming>) {
    let mut at = 0;
    loop {
        match next_frame(&buf[at..], scanned) {
            Step::NeedMore => break,
            Step::Skip(n) => {
                warn!("skipped {n} bytes that are not a message");
                at += n;
            }
            Step::Frame { consumed, body } => {
                *scanned = 0;
                at += consumed;
                out.push(decode(body).unwrap_or_else(|(code, why)| {
                    warn!("unreadable message ({why})");
                    Incoming::Invalid { code, why }
                }));
            }
            Step::BadHeader { consumed, why } => {
                *scanned = 0;
                at += consumed;
                warn!("bad message header ({why})");
                out.push(Incoming::Invalid { code: -32700, why });
            }
        }
    }
    buf.drain(..at);
}

enum Step<'a> {
    NeedMore,
    Skip(usize),
    Frame { consumed: usize, body: &'a [u8] },
    BadHeader { consumed: usize, why: String },
}

fn next_frame<'a>(buf: &'a [u8], scanned: &mut usize) -> Step<'a> {
    let Some(start) = find_ci(buf, HEADER) else {
        // Keep a tail that may be the start of a header still arriving.
        let keep = HEADER.len() - 1;
        return if buf.len() > keep {
            Step::Skip(buf.len() - keep)
        } else {
            Step::NeedMore
        };
    };
    if start > 0 {
        return Step::Skip(start);
    }
    let Some(header_end) = find(buf, b"\r\n\r\n") else {
        return if buf.len() > MAX_HEADER {
            Step::Skip(1)
        } else {
            Step::NeedMore
        };
    };
    if header_end > MAX_HEADER {
        return Step::Skip(1);
    }
    let body_start = header_end + 4;
    let header = String::from_utf8_lossy(&buf[..header_end]);
    let len = header.split("\r\n").find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.trim()
            .eq_ignore_ascii_case("content-length")
            .then(|| value.trim().parse::<usize>())
    });
    let len = match len {
        Some(Ok(n)) if n <= MAX_BODY => n,
        Some(Ok(n)) => {
            return Step::BadHeader {
                consumed: body_start,
                why: format!("Content-Length {n} is too large"),
            };
        }
        _ => {
            return Step::BadHeader {
                consumed: body_start,
                why: format!("no valid Content-Length in {header:?}"),
            };
        }
    };
    let available = &buf[body_start..buf.len().min(body_start + len)];
    // A length too large swallows the next message: if a header follows a complete message
    // inside the claimed body, the length was wrong; serve what is there. A header block ends in
    // a blank line, which a JSON body only holds as raw whitespace between tokens: "content-length"
    // is looked for only before each raw "\r\n\r\n" (memmem), not at every `c` of a README
    // (0.45 M of the 3.7 M instructions a 153 KB didOpen cost). Each byte is looked at once: a
    // header block starts after the blank line before it.
    let mut from = (*scanned).saturating_sub(3);
    let mut after_blank = 0;
    while let Some(end) = find(&available[from..], b"\r\n\r\n").map(|p| p + from) {
        let mut at = end.saturating_sub(MAX_HEADER).max(after_blank);
        while let Some(p) = find_ci(&available[at..end], HEADER).map(|p| p + at) {
            let before = trim_end(&available[..p]);
            if p > 0 && decode(before).is_ok() {
                return Step::Frame {
                    consumed: body_start + p,
                    body: before,
                };
            }
            at = p + 1;
        }
        after_blank = end + 4;
        from = end + 1;
    }
    *scanned = available.len();
    if available.len() < len {
        return Step::NeedMore;
    }
    Step::Frame {
        consumed: body_start + len,
        body: available,
    }
}

/// The message in `body`, parsed once; else the JSON-RPC error code and why.
///
/// A body with a `method` is a request (a notification without `id`); one without is a
/// response when it has an `id` and a `result` or an `error`. Anything else is not a JSON-RPC
/// 2.0 message (-32600), and text that is not JSON is a parse error (-32700).
fn decode(body: &[u8]) -> Result<Incoming, (i64, String)> {
    let text = std::str::from_utf8(body).map_err(|e| (-32700, format!("body is not UTF-8: {e}")))?;
    if text.trim().is_empty() {
        return Err((-32600, "empty body".into()));
    }
    let envelope = match serde_json::from_str::<Envelope>(text) {
        Ok(envelope) => envelope,
        Err(e) => return Err(classify(text, e)),
    };
    envelope
        .into_message()
        .ok_or_else(|| (-32600, "JSON that is not a JSON-RPC 2.0 message".into()))
}

/// Why `text` did not parse as a message: not JSON at all, or JSON of another shape.
fn classify(text: &str, e: serde_json::Error) -> (i64, String) {
    if e.is_data() && serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok() {
        return (-32600, "JSON that is not a JSON-RPC 2.0 message".into());
    }
    if text.contains("\\u") {
        return (
            -32700,
            "invalid JSON (a \\u escape that is not a Unicode scalar?)".into(),
        );
    }
    (-32700, format!("invalid JSON: {e}"))
}

/// Every field a JSON-RPC 2.0 request, notification or response may carry; other fields are
/// ignored, as tower-lsp-server's own types ignore them.
#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(borrow)]
    jsonrpc: Cow<'a, str>,
    #[serde(default)]
    method: Option<String>,
    /// `Some(Null)` for `"params": null`, `None` when absent.
    #[serde(default, deserialize_with = "present")]
    params: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    id: Option<Id>,
    #[serde(default, deserialize_with = "present")]
    result: Option<Value>,
    #[serde(default)]
    error: Option<jsonrpc::Error>,
}

/// A field that is present, `null` included, as `Some`.
fn present<'de, T: Deserialize<'de>, D: Deserializer<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

impl Envelope<'_> {
    fn into_message(self) -> Option<Incoming> {
        if self.jsonrpc != "2.0" {
            return None;
        }
        if let Some(method) = self.method {
            let mut builder = Request::build(method);
            if let Some(params) = self.params {
                builder = builder.params(params);
            }
            if let Some(id) = self.id {
                builder = builder.id(id);
            }
            return Some(Incoming::Request(builder.finish()));
        }
        let id = self.id?;
        match (self.result, self.error) {
            (Some(result), _) => Some(Incoming::Response(Response::from_ok(id, result))),
            (None, Some(error)) => Some(Incoming::Response(Response::from_error(id, error))),
            (None, None) => None,
        }
    }
}

fn trim_end(b: &[u8]) -> &[u8] {
    let n = b
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(0, |i| i + 1);
    &b[..n]
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

/// The first ASCII-case-insensitive occurrence of `needle` (ASCII, not empty) in `hay`. Every
/// body is searched once for a next header (a 150 KB didOpen too): memchr to each candidate
/// first letter instead of a comparison at every byte.
fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let first = *needle.first()?;
    let (lower, upper) = (first.to_ascii_lowercase(), first.to_ascii_uppercase());
    let mut from = 0;
    while let Some(i) = memchr::memchr2(lower, upper, hay.get(from..)?).map(|i| from + i) {
        if hay.len() - i < needle.len() {
            return None;
        }
        if hay[i..i + needle.len()].eq_ignore_ascii_case(needle) {
            return Some(i);
        }
        from = i + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn find_ci_finds_what_a_window_scan_finds() {
        let windows = |hay: &[u8], needle: &[u8]| {
            hay.windows(needle.len())
                .position(|w| w.eq_ignore_ascii_case(needle))
        };
        for hay in [
            &b""[..],
            b"c",
            b"content-lengt",
            b"Content-Length: 5",
            b"xxCONTENT-LENGTHxx",
            b"ccontent-length",
            b"contentcontent-length",
            "é content-Length".as_bytes(),
        ] {
            assert_eq!(find_ci(hay, HEADER), windows(hay, HEADER), "{hay:?}");
            assert_eq!(
                find(hay, b"\r\n\r\n"),
                hay.windows(4).position(|w| w == b"\r\n\r\n")
            );
        }
    }

    fn frame(body: &str) -> Vec<u8> {
        format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
    }

    /// Feed `input` in pieces of `step` bytes; the messages read, as JSON (errors as
    /// `ERR <code>`).
    fn run(input: &[u8], step: usize) -> Vec<String> {
        let (mut frames, mut out) = (Frames::default(), Vec::new());
        for piece in input.chunks(step.max(1)) {
            frames.push(piece);
            frames.extract(&mut out);
        }
        out.into_iter()
            .map(|m| match m {
                Incoming::Request(r) => serde_json::to_value(r).expect("serializes").to_string(),
                Incoming::Response(r) => serde_json::to_value(r).expect("serializes").to_string(),
                Incoming::Invalid { code, .. } => format!("ERR {code}"),
            })
            .collect()
    }

    /// `body` as the same JSON `run` prints.
    fn json(body: &str) -> String {
        serde_json::from_str::<serde_json::Value>(body)
            .expect("JSON")
            .to_string()
    }

    const A: &str = r#"{"jsonrpc":"2.0","id":1,"method":"a"}"#;
    const B: &str = r#"{"jsonrpc":"2.0","method":"b","params":{"text":"Content-Length: 3\r\n"}}"#;

    #[test]
    fn good_frames_pass_whole_in_any_chunking() {
        let mut input = frame(A);
        input.extend(frame(B));
        for step in [1, 2, 7, 1000] {
            assert_eq!(run(&input, step), vec![json(A), json(B)], "step {step}");
        }
    }

    #[test]
    fn garbage_is_skipped_and_bad_bodies_answered() {
        let mut input = b"hello\r\n\r\n\x00\xff junk ".to_vec();
        input.extend(frame("{not json"));
        input.extend(frame("[1, 2]"));
        input.extend(frame(r#"{"jsonrpc":"2.0","method":"x","params":{"t":"\ud800"}}"#));
        input.extend(b"Content-Length: abc\r\n\r\n");
        input.extend(b"Content-Length: 99999999999\r\n\r\n");
        input.extend(frame(A));
        for step in [1, 5, 4096] {
            assert_eq!(
                run(&input, step),
                [
                    "ERR -32700",
                    "ERR -32600",
                    "ERR -32700",
                    "ERR -32700",
                    "ERR -32700",
                    &json(A)
                ]
            );
        }
    }

    #[test]
    fn wrong_lengths_lose_nothing_after_them() {
        // Too large: the next message's header shows up inside the claimed body.
        let mut input = format!("Content-Length: {}\r\n\r\n{A}", A.len() + 60).into_bytes();
        input.extend(frame(B));
        input.extend(frame(A));
        for step in [1, 3, 4096] {
            assert_eq!(run(&input, step), [json(A), json(B), json(A)], "step {step}");
        }
        // Too small: the cut body is answered, its tail skipped.
        let mut input = format!("Content-Length: 10\r\n\r\n{A}").into_bytes();
        input.extend(frame(B));
        assert_eq!(run(&input, 4096), ["ERR -32700".to_string(), json(B)]);
    }

    #[test]
    fn messages_are_told_apart_by_their_fields() {
        let input: Vec<u8> = [
            // A response to the server, ok and error.
            r#"{"jsonrpc":"2.0","id":7,"result":null}"#,
            r#"{"jsonrpc":"2.0","id":"s","error":{"code":-32601,"message":"no"}}"#,
            // A notification with params null, a request with a string id.
            r#"{"jsonrpc":"2.0","method":"n","params":null}"#,
            r#"{"jsonrpc":"2.0","id":"r","method":"m","extra":1}"#,
            // Not JSON-RPC 2.0: a wrong version, no method and no result, no jsonrpc at all.
            r#"{"jsonrpc":"1.0","id":1,"method":"m"}"#,
            r#"{"jsonrpc":"2.0","id":1}"#,
            r#"{"id":1,"method":"m"}"#,
        ]
        .iter()
        .flat_map(|b| frame(b))
        .collect();
        assert_eq!(
            run(&input, 4096),
            [
                json(r#"{"jsonrpc":"2.0","id":7,"result":null}"#),
                json(r#"{"jsonrpc":"2.0","id":"s","error":{"code":-32601,"message":"no"}}"#),
                json(r#"{"jsonrpc":"2.0","method":"n","params":null}"#),
                json(r#"{"jsonrpc":"2.0","id":"r","method":"m"}"#),
                "ERR -32600".to_string(),
                "ERR -32600".to_string(),
                "ERR -32600".to_string(),
            ]
        );
    }

    proptest::proptest! {
        /// Any bytes: no panic, and every message read is one of the three kinds.
        #[test]
        fn any_bytes_are_read_without_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..400), step in 1usize..64) {
            let _ = run(&bytes, step);
        }

        /// Well-formed frames whose text holds headers, blank lines and escapes are read whole,
        /// the same in any chunking.
        #[test]
        fn frames_are_read_whole_in_any_chunking(
            texts in proptest::collection::vec("(Content-Length: 12\r\n\r\n|\\u00e9|\"|\n|[a-zé ]{0,8}){0,6}", 1..5),
            step in 1usize..97,
        ) {
            let bodies: Vec<String> = texts
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    // Every other body with a raw blank line between its tokens, after a text
                    // that may hold a header: what the search for a swallowed header looks at.
                    let text = serde_json::to_string(t).expect("a string");
                    if i % 2 == 0 {
                        format!("{{\"params\":{{\"text\":{text}}},\r\n\r\n\"jsonrpc\":\"2.0\",\"id\":{i},\"method\":\"m\"}}")
                    } else {
                        json!({"jsonrpc": "2.0", "id": i, "method": "m", "params": {"text": t}}).to_string()
                    }
                })
                .collect();
            let input: Vec<u8> = bodies.iter().flat_map(|b| frame(b)).collect();
            let want: Vec<String> = bodies.iter().map(|b| json(b)).collect();
            proptest::prop_assert_eq!(run(&input, step), want);
        }
    }

    #[test]
    fn a_header_still_arriving_is_waited_for() {
        assert!(run(b"Content-Len", 1).is_empty());
        let (mut buf, mut scanned, mut out) = (b"xxxxxxxxxxxxxxxxxxContent-Le".to_vec(), 0, Vec::new());
        extract(&mut buf, &mut scanned, &mut out);
        assert!(out.is_empty());
        assert_eq!(
            buf, b"xxxContent-Le",
            "the garbage is dropped, a possible header start kept"
        );
    }
}
