//! A forgiving reader in front of tower-lsp-server's framing: it passes on only well-formed
//! messages and turns everything else into a JSON-RPC error instead of the end of the server.
//!
//! Why: tower-lsp-server reads stdin through tokio-util's `FramedRead`, which ends the stream
//! after the first decoding error, so one garbage header, a wrong `Content-Length` or one body
//! that is not JSON (a lone surrogate `\ud800` is enough) stopped the whole server. Here:
//! - bytes before a `Content-Length` header are skipped (logged);
//! - a body that is not UTF-8 JSON becomes a ParseError (-32700) answer with id null, valid JSON
//!   that is not a JSON-RPC message an InvalidRequest (-32600), as JSON-RPC 2.0 asks;
//! - a `Content-Length` too large is noticed when the next header shows up inside the "body"
//!   right after a complete message: that message is served and the next one is not lost;
//! - a `Content-Length` too small leaves a broken body (answered as above) and garbage, skipped.
//!
//! Frames are re-emitted in the canonical `Content-Length: N\r\n\r\n` form the codec accepts.
//! Errors are forwarded as a request to `INVALID_MESSAGE` with id null, which `sequenced.rs`
//! answers itself (the codec cannot be told to answer).

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, ReadBuf};
use tower_lsp_server::jsonrpc::{Request, Response};
use tracing::warn;

/// The method of the stand-in request for a message that could not be read.
pub(crate) const INVALID_MESSAGE: &str = "kep/$invalidMessage";

/// A frame larger than this is refused (its header skipped): no LSP message comes near.
const MAX_BODY: usize = 512 << 20;
/// A header block larger than this is garbage.
const MAX_HEADER: usize = 8 << 10;
const HEADER: &[u8] = b"content-length";

pub(crate) struct Reframe<I> {
    inner: I,
    /// Unread input.
    buf: Vec<u8>,
    /// Canonical frames ready for the codec, and how much of them was handed out.
    out: Vec<u8>,
    out_pos: usize,
    /// How far into the current frame's body a next header was already looked for.
    scanned: usize,
    chunk: Vec<u8>,
    eof: bool,
}

impl<I> Reframe<I> {
    pub(crate) fn new(inner: I) -> Self {
        Reframe {
            inner,
            buf: Vec::new(),
            out: Vec::new(),
            out_pos: 0,
            scanned: 0,
            chunk: vec![0; 64 << 10],
            eof: false,
        }
    }
}

impl<I: AsyncRead + Unpin> AsyncRead for Reframe<I> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        dst: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        loop {
            if this.out_pos < this.out.len() {
                let n = dst.remaining().min(this.out.len() - this.out_pos);
                dst.put_slice(&this.out[this.out_pos..this.out_pos + n]);
                this.out_pos += n;
                if this.out_pos == this.out.len() {
                    this.out.clear();
                    this.out_pos = 0;
                }
                return Poll::Ready(Ok(()));
            }
            if this.eof {
                return Poll::Ready(Ok(()));
            }
            extract(&mut this.buf, &mut this.scanned, &mut this.out);
            if !this.out.is_empty() {
                continue;
            }
            let mut rb = ReadBuf::new(&mut this.chunk);
            match Pin::new(&mut this.inner).poll_read(cx, &mut rb) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                Poll::Ready(Ok(())) if rb.filled().is_empty() => {
                    if !this.buf.is_empty() {
                        warn!("input ended inside a message ({} bytes dropped)", this.buf.len());
                    }
                    this.eof = true;
                }
                Poll::Ready(Ok(())) => this.buf.extend_from_slice(rb.filled()),
            }
        }
    }
}

/// Move every complete frame (or error stand-in) from the front of `buf` to `out`.
pub(crate) fn extract(buf: &mut Vec<u8>, scanned: &mut usize, out: &mut Vec<u8>) {
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
                match check(body) {
                    Ok(()) => push_frame(out, body),
                    Err((code, why)) => {
                        warn!("unreadable message ({why})");
                        push_error(out, code, &why);
                    }
                }
            }
            Step::BadHeader { consumed, why } => {
                *scanned = 0;
                at += consumed;
                warn!("bad message header ({why})");
                push_error(out, -32700, &why);
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
    // inside the claimed body, the length was wrong; serve what is there.
    let mut from = (*scanned).saturating_sub(HEADER.len() - 1);
    while let Some(p) = find_ci(&available[from..], HEADER).map(|p| p + from) {
        let before = trim_end(&available[..p]);
        if p > 0 && check(before).is_ok() {
            return Step::Frame {
                consumed: body_start + p,
                body: before,
            };
        }
        from = p + 1;
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

/// `Ok` when the codec will read `body` as a JSON-RPC message; else the error code and why.
fn check(body: &[u8]) -> Result<(), (i64, String)> {
    let text = std::str::from_utf8(body).map_err(|e| (-32700, format!("body is not UTF-8: {e}")))?;
    if text.trim().is_empty() {
        return Err((-32600, "empty body".into()));
    }
    // The codec's own types, so what passes here is what it reads (a 5 MB didOpen is parsed
    // once more, not twice). Client messages are mostly requests: try those first.
    if serde_json::from_str::<Request>(text).is_ok() || serde_json::from_str::<Response>(text).is_ok() {
        return Ok(());
    }
    match serde_json::from_str::<serde::de::IgnoredAny>(text) {
        Ok(_) if !text.contains("\\u") => Err((-32600, "JSON that is not a JSON-RPC 2.0 message".into())),
        Ok(_) => Err((
            -32700,
            "invalid JSON (a \\u escape that is not a Unicode scalar?)".into(),
        )),
        Err(e) => Err((-32700, format!("invalid JSON: {e}"))),
    }
}

fn push_frame(out: &mut Vec<u8>, body: &[u8]) {
    out.extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
    out.extend_from_slice(body);
}

fn push_error(out: &mut Vec<u8>, code: i64, why: &str) {
    let body = serde_json::json!({
        "jsonrpc": "2.0",
        "id": null,
        "method": INVALID_MESSAGE,
        "params": {"code": code, "message": why},
    })
    .to_string();
    push_frame(out, body.as_bytes());
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

    /// Feed `input` in pieces of `step` bytes; the bodies forwarded (error stand-ins as
    /// `ERR <code>`).
    fn run(input: &[u8], step: usize) -> Vec<String> {
        let (mut buf, mut scanned, mut out) = (Vec::new(), 0, Vec::new());
        for piece in input.chunks(step.max(1)) {
            buf.extend_from_slice(piece);
            extract(&mut buf, &mut scanned, &mut out);
        }
        let mut bodies = Vec::new();
        let mut rest = &out[..];
        while !rest.is_empty() {
            let end = find(rest, b"\r\n\r\n").expect("canonical header");
            let len: usize = std::str::from_utf8(&rest[16..end])
                .expect("ascii")
                .parse()
                .expect("length");
            let body = std::str::from_utf8(&rest[end + 4..end + 4 + len]).expect("utf-8");
            let v: serde_json::Value = serde_json::from_str(body).expect("forwarded bodies are JSON");
            bodies.push(if v["method"] == INVALID_MESSAGE {
                format!("ERR {}", v["params"]["code"])
            } else {
                body.to_string()
            });
            rest = &rest[end + 4 + len..];
        }
        bodies
    }

    const A: &str = r#"{"jsonrpc":"2.0","id":1,"method":"a"}"#;
    const B: &str = r#"{"jsonrpc":"2.0","method":"b","params":{"text":"Content-Length: 3\r\n"}}"#;

    #[test]
    fn good_frames_pass_whole_in_any_chunking() {
        let mut input = frame(A);
        input.extend(frame(B));
        for step in [1, 2, 7, 1000] {
            assert_eq!(
                run(&input, step),
                vec![A.to_string(), B.to_string()],
                "step {step}"
            );
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
                    A
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
            assert_eq!(run(&input, step), [A, B, A], "step {step}");
        }
        // Too small: the cut body is answered, its tail skipped.
        let mut input = format!("Content-Length: 10\r\n\r\n{A}").into_bytes();
        input.extend(frame(B));
        assert_eq!(run(&input, 4096), ["ERR -32700", B]);
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
