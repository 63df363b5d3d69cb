//! The server's two pipes: a thread of its own reads the client's bytes and decodes them into
//! messages (`framing.rs`); the server's messages are written by whichever thread says them.
//!
//! Why not tokio's stdin/stdout: those hand every read and every write to tokio's blocking pool
//! (`spawn_blocking` per call), and the decoding of a large didOpen then ran on the runtime's
//! thread, where the diagnostics of the previous message waited for it. Measured on the bench's
//! README session (time marks per stage, 153 KB didOpen): reading took three hand-offs of 64 KiB,
//! ~100 µs, before decoding (~110 µs) could start. Here the reader thread blocks in read(2),
//! decodes as soon as a frame is whole, and routes the message itself (`transport.rs`).

use std::io::{Read, Write};
use std::ops::ControlFlow;
use std::sync::Mutex;
use std::thread;

use tracing::{error, warn};

use super::framing::{Frames, Incoming};
use super::transport::Outgoing;

/// Bytes asked of the input per read (a whole didOpen of a large README in one read when the
/// pipe holds it, see `widen_pipes`).
const READ_CHUNK: usize = 1 << 20;

/// Read and decode `input` on a thread of its own, handing each message to `route` in the
/// order read, until the input ends, a read error (logged), or `route` says `Break`. `route` is
/// dropped when the thread ends (at once, logged, if the thread cannot start).
pub(crate) fn read_on_thread<R, F>(mut input: R, mut route: F)
where
    R: Read + Send + 'static,
    F: FnMut(Incoming) -> ControlFlow<()> + Send + 'static,
{
    let spawned = thread::Builder::new()
        .name("kep-lsp-stdin".into())
        .spawn(move || {
            let mut frames = Frames::default();
            let mut chunk = vec![0; READ_CHUNK];
            let mut messages = Vec::new();
            loop {
                let n = match input.read(&mut chunk) {
                    Ok(0) => break,
                    Ok(n) => n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(e) => {
                        error!("cannot read the client's messages: {e}");
                        break;
                    }
                };
                frames.push(&chunk[..n]);
                frames.extract(&mut messages);
                for message in messages.drain(..) {
                    if route(message).is_break() {
                        return;
                    }
                }
            }
            if frames.pending() > 0 {
                warn!(
                    "input ended inside a message ({} bytes dropped)",
                    frames.pending()
                );
            }
        });
    if let Err(e) = spawned {
        error!("cannot start the reading thread: {e}");
    }
}

/// The client's side of stdout: each message serialized and written as one `Content-Length`
/// frame, under a lock, by the thread that says it.
///
/// Why no writer thread: handing each message to a thread of its own cost a wake-up of that
/// thread (~0.1 ms from a publish to the start of its write in the bench's README session, time
/// marks per stage); the runtime's threads write to the pipe directly instead. A write blocks
/// only when the client leaves 1 MiB unread (see `widen_pipes`), which is the back-pressure a
/// bounded queue would give too.
pub(crate) struct Output {
    pipe: Mutex<Pipe>,
}

struct Pipe {
    sink: Box<dyn Write + Send>,
    /// Set after the first write error (logged): what follows is dropped.
    broken: bool,
}

impl Output {
    pub(crate) fn new(sink: Box<dyn Write + Send>) -> Output {
        Output {
            pipe: Mutex::new(Pipe { sink, broken: false }),
        }
    }

    /// Write `message` and flush. Errors: logged once; after one, messages are dropped (the
    /// client is gone; the server goes on until its input ends).
    pub(crate) fn say(&self, message: &Outgoing) {
        let mut buf = Vec::new();
        frame(&mut buf, message);
        let mut pipe = self.pipe.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if pipe.broken {
            return;
        }
        if let Err(e) = pipe.sink.write_all(&buf).and_then(|()| pipe.sink.flush()) {
            error!("cannot write to the client: {e}");
            pipe.broken = true;
        }
    }
}

/// Append `message` as one frame. A message that cannot be serialized (a map with non-string
/// keys, which no LSP type has) is logged and left out.
fn frame(buf: &mut Vec<u8>, message: &Outgoing) {
    match serde_json::to_vec(message) {
        Ok(body) => {
            buf.extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
            buf.extend_from_slice(&body);
        }
        Err(e) => error!("cannot serialize a message: {e}"),
    }
}

/// Ask Linux for 1 MiB pipe buffers on stdin and stdout (the default is 64 KiB), so that a
/// client writes a large didOpen in one go and the reader takes it in one read instead of three
/// hand-offs. Not a pipe, not Linux, or over the system's limit: nothing changes.
pub(crate) fn widen_pipes() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    for fd in [0, 1] {
        // SAFETY: F_SETPIPE_SZ only resizes the kernel buffer of the pipe behind `fd`; on any
        // other kind of file, or a closed fd, fcntl fails with an error code and changes
        // nothing. No memory of ours is passed.
        let got = unsafe { libc::fcntl(fd, libc::F_SETPIPE_SZ, 1 << 20) };
        if got < 0 {
            tracing::debug!(fd, "pipe buffer left as it is");
        }
    }
}
