//! The LSP edge: documents in ropes, versions, position encodings, handlers. The analysis is the
//! core's (`crate::analysis`); this module converts, schedules and publishes.
//!
//! Layout (one file per concern, one per LSP method): `position.rs` (the only byte offset <->
//! Position conversion), `documents.rs` (ropes, versions, the one edit function), `stdio.rs`,
//! `framing.rs` and `transport.rs` (the pipes' threads, bytes to messages, the message loop),
//! `sequenced.rs` (ordering and panic recovery), `state.rs`, `config.rs`, `workspace.rs`,
//! `diagnostics.rs`, `workspace_diagnostics.rs`, `server.rs` (routing) and
//! `handlers/<method>.rs`.

pub mod config;
pub(crate) mod diagnostics;
pub mod documents;
pub(crate) mod framing;
pub(crate) mod handlers;
pub mod position;
pub(crate) mod sequenced;
pub(crate) mod server;
pub(crate) mod snapshot;
pub(crate) mod state;
pub(crate) mod stdio;
pub(crate) mod transport;
pub mod workspace;
pub mod workspace_diagnostics;

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use tower_lsp_server::LspService;
use tracing::info;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

use self::server::Backend;
use self::state::{LogLevelSetter, State};

/// The environment variable holding the initial log filter (`info` when unset).
pub(crate) const LOG_ENV: &str = "KEP_LSP_LOG";

/// Serve LSP on stdin/stdout until `exit` or the end of stdin. Logs go to stderr only.
///
/// Exit code: 0 after `shutdown` + `exit` or when stdin closes; 1 for `exit` without `shutdown`
/// (as the LSP spec asks).
/// At most two malloc arenas in the server (glibc only). glibc gives every thread that
/// allocates while another holds an arena's lock an arena of its own, up to eight per core, and
/// keeps what is freed in each; the server's requests run on tokio's blocking threads, one
/// after another, so the arenas mostly hold memory freed by a request that ran on another
/// thread. Measured with the bench's sessions (`python3 bench/run.py --only lsp --servers
/// kep-lsp`, three runs of each binary interleaved): peak RSS of the README session 26.2-27.2
/// MiB with glibc's default, 24.8-24.9 MiB with two arenas (kep.yaml session 24.2-24.4 ->
/// 23.0-23.2 MiB), latencies within the runs' spread; the live heap peaks at 4.9 MiB
/// (valgrind's massif). Must run before the runtime starts its threads.
fn cap_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator parameter; it is called before any other thread
    // of the process exists. A failure (return 0) leaves glibc's default, which is harmless.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

pub fn run_stdio() -> ExitCode {
    cap_malloc_arenas();
    let set_log_level = init_logging();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("kep-lsp: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    stdio::widen_pipes();
    let output = Arc::new(stdio::Output::new(Box::new(std::io::stdout())));
    let state = runtime.block_on(serve(std::io::stdin(), output, set_log_level));
    // The reading thread may still block in read(2) after `exit`: it is not waited for (the
    // process ends with it), and neither is a blocking task still running.
    runtime.shutdown_timeout(Duration::from_millis(100));
    let exited_without_shutdown =
        state.exit_received.load(Ordering::SeqCst) && !state.shutdown_received.load(Ordering::SeqCst);
    if exited_without_shutdown {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Serve the client's messages from `input` (read on a thread of its own), saying everything
/// through `output` (see `stdio.rs`), until `exit` or the input's end. Returns the final state.
async fn serve(
    input: impl std::io::Read + Send + 'static,
    output: Arc<stdio::Output>,
    set_log_level: Option<LogLevelSetter>,
) -> Arc<State> {
    let (dirty_tx, dirty_rx) = tokio::sync::mpsc::unbounded_channel();
    let builder = LspService::build(|client| Backend {
        state: Arc::new(State::new(client, dirty_tx, set_log_level)),
    })
    .custom_method(handlers::document_text::METHOD, Backend::document_text);
    #[cfg(debug_assertions)]
    let builder = builder.custom_method(handlers::debug_panic::METHOD, Backend::debug_panic);
    let (service, socket) = builder.finish();
    let state = service.inner().state.clone();
    let worker = tokio::spawn(diagnostics::run_worker(state.clone(), dirty_rx));
    let (mut router, run) = transport::split(sequenced::Sequenced::new(service), socket, output);
    stdio::read_on_thread(input, move |message| router.route(message));
    run.await;
    worker.abort();
    info!("server stopped");
    state
}

/// tracing to stderr (stdout carries the protocol), filter from `KEP_LSP_LOG`, changeable later
/// through the `logLevel` setting.
fn init_logging() -> Option<LogLevelSetter> {
    let filter = EnvFilter::try_from_env(LOG_ENV).unwrap_or_else(|_| EnvFilter::new("info"));
    let (filter, handle) = tracing_subscriber::reload::Layer::new(filter);
    let fmt = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(false);
    tracing_subscriber::registry()
        .with(filter)
        .with(fmt)
        .try_init()
        .ok()?;
    Some(Box::new(move |level: &str| {
        let filter = EnvFilter::try_new(level).map_err(|e| e.to_string())?;
        handle.reload(filter).map_err(|e| e.to_string())
    }))
}
