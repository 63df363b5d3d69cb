//! The server's message loop: decoded messages from the client (`stdio.rs`, `framing.rs`) go
//! to the service in arrival order when they are requests or notifications, and back to
//! tower-lsp-server's client socket when they answer the server's own requests; everything the
//! server says is written to `stdio::Output`.
//!
//! Why our own loop instead of tower-lsp-server's `Server`: `Server` only reads through its
//! codec (see `framing.rs` for what that cost: an unreadable message ended the server, and a
//! 158 KB didOpen was parsed three times) and writes through tokio's stdout. The loop itself
//! keeps `Server`'s contract, which `sequenced.rs` relies on: `Service::call` runs on the loop's
//! task, one message at a time, in order; the futures it returns run concurrently, at most
//! `MAX_CONCURRENCY` at once; reading stops after `exit`.

use futures::{FutureExt, SinkExt, StreamExt, future, stream};
use serde::Serialize;
use std::sync::Arc;

use tokio::sync::mpsc;
use tower_lsp_server::ClientSocket;
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Id, Request, Response};
use tower_service::Service;
use tracing::error;

use super::framing::Incoming;
use super::stdio::Output;

/// Requests whose handlers run at once; tower-lsp-server's default, kept.
const MAX_CONCURRENCY: usize = 4;
/// Handler futures queued before the reader waits (tower-lsp-server's queue size).
const TASK_QUEUE: usize = 100;

/// What the server writes: an answer, or a request or notification of its own.
#[derive(Serialize)]
#[serde(untagged)]
pub(crate) enum Outgoing {
    Response(Response),
    Request(Request),
}

/// Serve `service` on the client's messages until `exit` or their end; `socket` carries the
/// server's own messages to the client (diagnostics, logs, `workspace/configuration`, ...).
/// Everything said is written to `output`.
pub(crate) async fn serve<S>(
    mut incoming: mpsc::Receiver<Incoming>,
    output: Arc<Output>,
    socket: ClientSocket,
    mut service: S,
) where
    S: Service<Request, Response = Option<Response>>,
    S::Error: std::fmt::Display,
    S::Future: Send + 'static,
{
    let (client_requests, mut client_responses) = socket.split();
    let (client_requests, client_abort) = stream::abortable(client_requests);
    let (mut tasks_tx, tasks_rx) = futures::channel::mpsc::channel(TASK_QUEUE);

    let run_tasks = tasks_rx
        .buffer_unordered(MAX_CONCURRENCY)
        .filter_map(future::ready)
        .for_each(|res| {
            output.say(&Outgoing::Response(res));
            future::ready(())
        });
    let forward_requests = client_requests.for_each(|req| {
        output.say(&Outgoing::Request(req));
        future::ready(())
    });

    let read_input = async {
        while let Some(message) = incoming.recv().await {
            match message {
                Incoming::Request(req) => {
                    if let Err(e) = future::poll_fn(|cx| service.poll_ready(cx)).await {
                        error!("{e}");
                        break;
                    }
                    let will_exit = req.method() == "exit";
                    let task = service.call(req).map(|result| {
                        result.unwrap_or_else(|e| {
                            error!("{e}");
                            None
                        })
                    });
                    if tasks_tx.send(task).await.is_err() || will_exit {
                        break;
                    }
                }
                Incoming::Response(res) => {
                    if let Err(e) = client_responses.send(res).await {
                        error!("cannot pass the client's response on: {e}");
                        break;
                    }
                }
                Incoming::Invalid { code, why } => {
                    let mut e = Error::new(ErrorCode::from(code));
                    e.message = format!("kep-lsp: {why}").into();
                    output.say(&Outgoing::Response(Response::from_error(Id::Null, e)));
                }
            }
        }
        tasks_tx.disconnect();
        client_abort.abort();
    };

    futures::join!(run_tasks, forward_requests, read_input);
}
