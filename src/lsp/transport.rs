//! The server's message loop, in two halves. The reading thread (`stdio.rs`) routes each decoded
//! message (`framing.rs`) as soon as it is read: requests and notifications to the service, in
//! arrival order; the client's answers to the server's own requests back to tower-lsp-server's
//! client socket. The runtime runs the handlers' futures and forwards what the server says;
//! everything is written to `stdio::Output`.
//!
//! Why our own loop instead of tower-lsp-server's `Server`: `Server` only reads through its
//! codec (see `framing.rs` for what that cost: an unreadable message ended the server, and a
//! 158 KB didOpen was parsed three times) and writes through tokio's stdout. Why route on the
//! reading thread: a message handed to a task on the runtime first waited for that task's thread
//! to wake (~65 µs per didOpen in time marks per stage); calling the service where the message
//! was read saves that hand-off. The loop keeps `Server`'s contract, which `sequenced.rs` relies
//! on: `Service::call` runs one message at a time, in order; requests' futures run
//! concurrently, at most `MAX_CONCURRENCY` at once; reading stops after `exit`. It adds one:
//! a notification's future ends before the next message's starts (see `run_tasks`).

use std::ops::ControlFlow;
use std::sync::Arc;

use futures::executor::block_on;
use futures::stream::AbortHandle;
use futures::{FutureExt, SinkExt, StreamExt, future, stream};
use serde::Serialize;
use tower_lsp_server::ClientSocket;
use tower_lsp_server::Loopback;
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Id, Request, Response};
use tower_service::Service;
use tracing::{error, warn};

use super::framing::Incoming;
use super::stdio::Output;

/// Requests whose handlers run at once; tower-lsp-server's default, kept.
const MAX_CONCURRENCY: usize = 4;
/// How long the handlers still running when reading ends (`exit`, or the end of the input) may
/// take before the server exits without them: one waiting for an answer of the client's (a
/// `workspace/configuration` pull) would otherwise keep it from exiting (the test
/// `exit_does_not_wait_forever_for_a_handler_waiting_for_the_client`).
const GRACE: std::time::Duration = std::time::Duration::from_secs(2);

/// What the server writes: an answer, or a request or notification of its own.
#[derive(Serialize)]
#[serde(untagged)]
pub(crate) enum Outgoing {
    Response(Response),
    Request(Request),
}

/// A handler's future, boxed: what the router queues for the runtime.
type Task = futures::future::BoxFuture<'static, Option<Response>>;

/// A handler's future and whether it answers a request (it has an id) or a notification.
struct Queued {
    task: Task,
    is_request: bool,
}

/// The reading thread's half of the loop: it routes each decoded message in arrival order.
/// Dropping it (end of input, `exit`, or a closed service) ends the runtime's half, `run`.
pub(crate) struct Router<S> {
    service: S,
    /// Unbounded: the reading thread must never wait for the handlers, or a handler waiting
    /// for the client's answer (a `workspace/configuration` pull) would wait for a message the
    /// thread can no longer read.
    tasks: futures::channel::mpsc::UnboundedSender<Queued>,
    client_responses: <ClientSocket as Loopback>::ResponseSink,
    client_abort: AbortHandle,
    output: Arc<Output>,
    runtime: tokio::runtime::Handle,
    /// Fired when the router is dropped: reading has ended.
    ended: Option<tokio::sync::oneshot::Sender<()>>,
}

/// Build the two halves of the message loop: the `Router` for the reading thread and the
/// future that runs the handlers and forwards the server's own messages, for the runtime.
/// `socket` carries the server's messages to the client (diagnostics, logs,
/// `workspace/configuration`, ...); everything said is written to `output`. Must be called
/// inside the runtime, whose handle the router keeps for the handlers it calls.
pub(crate) fn split<S>(
    service: S,
    socket: ClientSocket,
    output: Arc<Output>,
) -> (Router<S>, impl Future<Output = ()>)
where
    S: Service<Request, Response = Option<Response>>,
    S::Error: std::fmt::Display,
    S::Future: Send + 'static,
{
    let (client_requests, client_responses) = socket.split();
    let (client_requests, client_abort) = stream::abortable(client_requests);
    let (tasks, tasks_rx) = futures::channel::mpsc::unbounded::<Queued>();
    let (ended, reading_ended) = tokio::sync::oneshot::channel();
    let router = Router {
        service,
        tasks,
        client_responses,
        client_abort,
        output: output.clone(),
        runtime: tokio::runtime::Handle::current(),
        ended: Some(ended),
    };
    let run_tasks = run_tasks(tasks_rx, output.clone());
    let forward_requests = tokio::spawn(client_requests.for_each(move |req| {
        output.say(&Outgoing::Request(req));
        future::ready(())
    }));
    let run = async move {
        let all_done = async {
            let _ = futures::join!(run_tasks, forward_requests);
        };
        let grace_over = async {
            let _ = reading_ended.await;
            tokio::time::sleep(GRACE).await;
        };
        tokio::select! {
            () = all_done => {}
            () = grace_over => warn!("handlers still running {GRACE:?} after the input ended: not waited for"),
        }
    };
    (router, run)
}

/// Run the handlers in message order: a notification's to its end before the next message's
/// starts (a `didChangeConfiguration` has taken effect for the request after it), each
/// request's as a task of its own, at most `MAX_CONCURRENCY` at once, answering when done.
/// Returns when the router is gone and every request was answered (see `GRACE`).
///
/// Why tasks of their own: a request's work runs on its task's thread
/// (`snapshot::run_blocking`), so requests sharing one task would wait for each other, and the
/// server's own messages for them.
async fn run_tasks(mut tasks: futures::channel::mpsc::UnboundedReceiver<Queued>, output: Arc<Output>) {
    let limit = Arc::new(tokio::sync::Semaphore::new(MAX_CONCURRENCY));
    while let Some(queued) = tasks.next().await {
        if !queued.is_request {
            if let Some(res) = queued.task.await {
                output.say(&Outgoing::Response(res));
            }
            continue;
        }
        let Ok(permit) = limit.clone().acquire_owned().await else {
            break;
        };
        let output = output.clone();
        tokio::spawn(async move {
            if let Some(res) = queued.task.await {
                output.say(&Outgoing::Response(res));
            }
            drop(permit);
        });
    }
    // Every permit back: the requests in flight were answered.
    let _ = limit.acquire_many(MAX_CONCURRENCY as u32).await;
}

impl<S> Router<S>
where
    S: Service<Request, Response = Option<Response>>,
    S::Error: std::fmt::Display,
    S::Future: Send + 'static,
{
    /// Route one message; `Break` once reading should stop (after `exit`, or when the service
    /// or the runtime's half is gone).
    pub(crate) fn route(&mut self, message: Incoming) -> ControlFlow<()> {
        // Handlers' synchronous parts (`sequenced.rs`) may spawn onto the runtime.
        let _runtime = self.runtime.enter();
        match message {
            Incoming::Request(req) => {
                if let Err(e) = block_on(future::poll_fn(|cx| self.service.poll_ready(cx))) {
                    error!("{e}");
                    return ControlFlow::Break(());
                }
                let will_exit = req.method() == "exit";
                let is_request = req.id().is_some();
                let task = self
                    .service
                    .call(req)
                    .map(|result| {
                        result.unwrap_or_else(|e| {
                            error!("{e}");
                            None
                        })
                    })
                    .boxed();
                if self.tasks.unbounded_send(Queued { task, is_request }).is_err() || will_exit {
                    return ControlFlow::Break(());
                }
            }
            Incoming::Response(res) => {
                if let Err(e) = block_on(self.client_responses.send(res)) {
                    error!("cannot pass the client's response on: {e}");
                    return ControlFlow::Break(());
                }
            }
            Incoming::Invalid { code, why } => {
                let mut e = Error::new(ErrorCode::from(code));
                e.message = format!("kep-lsp: {why}").into();
                self.output
                    .say(&Outgoing::Response(Response::from_error(Id::Null, e)));
            }
        }
        ControlFlow::Continue(())
    }
}

impl<S> Drop for Router<S> {
    fn drop(&mut self) {
        self.tasks.disconnect();
        self.client_abort.abort();
        if let Some(ended) = self.ended.take() {
            let _ = ended.send(());
        }
    }
}
