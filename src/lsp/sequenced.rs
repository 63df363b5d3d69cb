//! The message loop's own layer around tower-lsp-server's service: document edits applied in
//! arrival order, and panics turned into InternalError answers.
//!
//! Why here: the message loop (`transport.rs`) calls `Service::call` for one message at a time,
//! in the order read, on the reading thread; the futures `call` returns run later, requests'
//! concurrently (4 at a time). Handlers themselves therefore have no ordering among requests,
//! but `call` does. So didOpen/didChange/didClose are applied to the documents synchronously
//! inside `call`, before the future even exists; a later request (pull diagnostics,
//! `kep/documentText`) always sees every edit sent before it.
//!
//! Panics: a panicking handler future would unwind through the task running it and lose its
//! answer. Every future is wrapped in `catch_unwind`: the panic is logged, a request gets an
//! InternalError response, and the server keeps serving.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::task::{Context, Poll};

use futures::FutureExt;
use futures::future::BoxFuture;
use serde::de::DeserializeOwned;
use tower_lsp_server::jsonrpc::{Error, Request, Response};
use tower_lsp_server::{ExitedError, LspService};
use tower_service::Service;
use tracing::{error, warn};

use super::diagnostics::panic_message;
use super::handlers;
use super::server::Backend;
use super::snapshot::internal_error;
use super::state::State;

pub(crate) struct Sequenced {
    inner: LspService<Backend>,
    state: Arc<State>,
    /// Whether `initialize` came: before it, document notifications are dropped (the spec).
    initialize_seen: bool,
}

impl Sequenced {
    pub(crate) fn new(inner: LspService<Backend>) -> Sequenced {
        let state = inner.inner().state.clone();
        Sequenced {
            inner,
            state,
            initialize_seen: false,
        }
    }

    /// The synchronous part of document-sync notifications, run in message order.
    fn apply_in_order(&mut self, req: &Request) {
        if req.method() == "initialize" {
            self.initialize_seen = true;
        }
        if !self.initialize_seen && req.method() != "exit" {
            return;
        }
        match req.method() {
            "textDocument/didOpen" => {
                if let Some(p) = params(req) {
                    handlers::did_open::apply(&self.state, p);
                }
            }
            "textDocument/didChange" => {
                if let Some(p) = params(req) {
                    handlers::did_change::apply(&self.state, p);
                }
            }
            "textDocument/didClose" => {
                if let Some(p) = params(req) {
                    handlers::did_close::apply(&self.state, p);
                }
            }
            "exit" => self.state.exit_received.store(true, Ordering::SeqCst),
            _ => {}
        }
    }
}

/// The params of `req` read in place: a didOpen's text is copied once, not cloned as a JSON
/// value first.
fn params<P: DeserializeOwned>(req: &Request) -> Option<P> {
    match P::deserialize(req.params().unwrap_or(&serde_json::Value::Null)) {
        Ok(p) => Some(p),
        Err(e) => {
            warn!(method = req.method(), "bad params, ignored: {e}");
            None
        }
    }
}

impl Service<Request> for Sequenced {
    type Response = Option<Response>;
    type Error = ExitedError;
    type Future = BoxFuture<'static, Result<Option<Response>, ExitedError>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), ExitedError>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        // tower-lsp-server drops the MethodNotFound answer of every `$/` method, requests
        // included, which leaves the client waiting forever; the spec wants the error.
        if let Some(id) = req.id().filter(|_| req.method().starts_with("$/")) {
            let mut e = Error::method_not_found();
            e.message = format!("kep-lsp: no method {}", req.method()).into();
            return Box::pin(futures::future::ready(Ok(Some(Response::from_error(
                id.clone(),
                e,
            )))));
        }
        if let Err(panic) = std::panic::catch_unwind(AssertUnwindSafe(|| self.apply_in_order(&req))) {
            error!(
                method = req.method(),
                "panic while applying: {}",
                panic_message(&*panic)
            );
        }
        let id = req.id().cloned();
        let method = req.method().to_string();
        let fut = self.inner.call(req);
        Box::pin(async move {
            match AssertUnwindSafe(fut).catch_unwind().await {
                Ok(result) => result,
                Err(panic) => {
                    error!(method, "handler panicked: {}", panic_message(&*panic));
                    Ok(id.map(|id| Response::from_error(id, internal_error(&method))))
                }
            }
        })
    }
}
