//! Diagnostics: running the core on an open document, turning findings into LSP diagnostics, and
//! the single worker that publishes them.
//!
//! The worker publishes edited documents in queue order and hands re-checks of unchanged ones
//! (a kep.yaml's sibling README) to a second task, so the edited document's diagnostics come
//! first. A result computed for an old version is never sent after one for a newer version: a
//! result whose version is no longer the document's is dropped (the newer change has queued the
//! document again), and so is one from an older snapshot than the last published. Closing a
//! document queues it too, and the worker then clears what it had published, so "close" cannot
//! be overtaken by a late result either.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use tokio::sync::mpsc::UnboundedReceiver;
use tower_lsp_server::ls_types::{CodeDescription, Diagnostic, DiagnosticSeverity, NumberOrString, Uri};
use tracing::{debug, error, warn};

use crate::analysis::{self, Finding, Severity};

use super::config::Config;
use super::position::{Encoding, range_to_lsp};
use super::snapshot::Snapshot;
use super::state::State;
use super::workspace_diagnostics;

/// The `source` of every diagnostic.
pub(crate) const SOURCE: &str = "kep-lsp";

/// The diagnostics of a document, or `None` when it is not a KEP file (then it gets nothing).
/// Never panics: a panic in the core is caught, logged and yields no diagnostics.
pub(crate) fn compute(snap: &Snapshot) -> Option<Vec<Diagnostic>> {
    if snap.outside_kep_root() {
        return None;
    }
    snap.with_context(|ctx| {
        diagnostics_of(
            snap.path(),
            &snap.text,
            snap.doc.rope(),
            ctx,
            &snap.config,
            snap.encoding,
            true,
        )
    })
}

/// The diagnostics of the file at core path `path` holding `text` (`rope` is the same text), or
/// `None` when it is not a KEP file; shared by open documents and workspace diagnostics
/// (`workspace_diagnostics.rs`). Never panics (see `compute`).
pub fn file_diagnostics(
    path: &str,
    text: &str,
    rope: &ropey::Rope,
    ctx: &analysis::Context<'_>,
    config: &Config,
    encoding: Encoding,
) -> Option<Vec<Diagnostic>> {
    diagnostics_of(path, text, rope, ctx, config, encoding, false)
}

/// `file_diagnostics`; `reuse_outline` for an open document, re-analysed on every edit
/// (`analysis::Options::reuse_outline`; files on disk are read once each).
fn diagnostics_of(
    path: &str,
    text: &str,
    rope: &ropey::Rope,
    ctx: &analysis::Context<'_>,
    config: &Config,
    encoding: Encoding,
    reuse_outline: bool,
) -> Option<Vec<Diagnostic>> {
    let analysis = catch_unwind(AssertUnwindSafe(|| {
        // Diagnostics carry no fixes (code actions re-analyse with fixes checked).
        let options = analysis::Options {
            findings_only: true,
            reuse_outline,
            ..config.options()
        };
        analysis::analyze_with(path, text, ctx, &options)
    }));
    let analysis = match analysis {
        Ok(a) => a,
        Err(panic) => {
            error!(path, "analysis panicked: {}", panic_message(&*panic));
            return Some(Vec::new());
        }
    };
    // Not a KEP file, unless a rule still speaks of it (a README.md under keps/ without a
    // kep.yaml is one for upstream, whatever its folder is called) or it is the config file.
    let config_file = analysis::config_file::is_config_file(path);
    if !analysis.kind.is_some_and(|k| k.is_kep()) && analysis.findings.is_empty() && !config_file {
        return None;
    }
    let findings = config.apply(analysis.findings);
    Some(
        findings
            .iter()
            .map(|f| to_lsp(f, rope, encoding, config.docs_url.as_deref()))
            .collect(),
    )
}

/// Where a code is explained: `docs_url` (the `docsUrl` setting) with `{code}` replaced, or
/// `<docs_url>#<code>` (GitHub's anchor for a ``## `code` `` heading). No setting, no link: the
/// project publishes no page of its own that every user could reach (`kep-lsp rule CODE` prints
/// the same text offline).
pub(crate) fn code_link(docs_url: Option<&str>, code: &str) -> Option<CodeDescription> {
    let base = docs_url?;
    let href = if base.contains("{code}") {
        base.replace("{code}", code)
    } else {
        format!("{}#{code}", base.trim_end_matches('#'))
    };
    href.parse::<Uri>().ok().map(|href| CodeDescription { href })
}

/// One finding as an LSP diagnostic; `docs_url` is the `docsUrl` setting (see `code_link`).
pub(crate) fn to_lsp(f: &Finding, rope: &ropey::Rope, enc: Encoding, docs_url: Option<&str>) -> Diagnostic {
    let code = f.code.as_str();
    Diagnostic {
        range: range_to_lsp(rope, &f.range, enc),
        severity: Some(match f.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
            Severity::Info => DiagnosticSeverity::INFORMATION,
            Severity::Hint => DiagnosticSeverity::HINT,
        }),
        code: Some(NumberOrString::String(code.to_string())),
        code_description: code_link(docs_url, code),
        source: Some(SOURCE.to_string()),
        message: f.message.clone(),
        ..Diagnostic::default()
    }
}

pub(crate) fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string())
}

/// Queue a document for (re)analysis.
pub(crate) fn schedule(state: &State, uri: &Uri) {
    if state.dirty.send(uri.clone()).is_err() {
        debug!("diagnostics worker gone; not scheduling {}", uri.as_str());
    }
}

/// Queue the document and its related open files: a KEP's kep.yaml and README.md read each other.
pub(crate) fn schedule_with_related(state: &State, uri: &Uri) {
    schedule(state, uri);
    let path = state.core_path(uri);
    let Some((dir, file)) = path.rsplit_once('/') else {
        return;
    };
    if file != "kep.yaml" && file != "README.md" {
        return;
    }
    let prefix = format!("{dir}/");
    let related = state.docs.uris_with_path(|p| {
        p.strip_prefix(&prefix)
            .is_some_and(|f| (f == "kep.yaml" || f == "README.md") && f != file)
    });
    for other in &related {
        schedule(state, other);
    }
    if !related.is_empty() {
        // A pulling client does not know that the sibling changed: ask it to pull again.
        request_refresh(state);
    }
}

/// Queue every open document (index ready, settings or knowledge changed).
pub(crate) fn schedule_all(state: &State) {
    for uri in state.docs.uris() {
        schedule(state, &uri);
    }
    request_refresh(state);
}

/// `workspace/diagnostic/refresh` for pulling clients that support it.
fn request_refresh(state: &State) {
    let caps = state.caps();
    if caps.pull_diagnostics && caps.diagnostic_refresh {
        let client = state.client.clone();
        tokio::spawn(async move {
            if let Err(e) = client.workspace_diagnostic_refresh().await {
                debug!("diagnostic refresh refused: {e}");
            }
        });
    }
}

/// The worker: drains the queue in bursts and publishes (push mode) one result per document.
///
/// It analyses as soon as a document is queued, with no fixed delay: a fixed debounce (it was
/// 15 ms) was the whole floor of the typing latency, while the largest README analyses in ~3 ms
/// (docs/performance.md). Bursts still coalesce: whatever is queued while one analysis runs is
/// taken as one batch by the next, so a flood of edits costs about one analysis per analysis time.
///
/// The edited document comes first: a document queued at a version already analysed (a
/// kep.yaml's sibling README, every open document when the index is ready) is a re-check, handed
/// to a second task (`run_rechecks`), so that typing into a kep.yaml never waits for its
/// README's analysis. Both tasks publish through `Published`, which drops a result computed
/// from an older snapshot than the one last published for that document.
pub(crate) async fn run_worker(state: Arc<State>, mut dirty: UnboundedReceiver<Uri>) {
    let published = Arc::new(tokio::sync::Mutex::new(Published::default()));
    let (recheck_tx, recheck_rx) = tokio::sync::mpsc::unbounded_channel();
    let rechecks = tokio::spawn(run_rechecks(state.clone(), recheck_rx, published.clone()));
    // The version each document was last analysed at by this task.
    let mut analysed: HashMap<Uri, i32> = HashMap::new();
    while let Some(first) = dirty.recv().await {
        // Let the reading task hand over the changes it already has before the batch is cut.
        tokio::task::yield_now().await;
        let mut batch = vec![first];
        while let Ok(uri) = dirty.try_recv() {
            if !batch.contains(&uri) {
                batch.push(uri);
            }
        }
        if state.caps().pull_diagnostics {
            continue;
        }
        for uri in batch {
            match state.docs.version(&uri) {
                Some(v) if analysed.get(&uri) == Some(&v) => {
                    let _ = recheck_tx.send(uri);
                }
                Some(v) => {
                    analysed.insert(uri.clone(), v);
                    publish_one(&state, &uri, &published).await;
                }
                None => {
                    analysed.remove(&uri);
                    publish_one(&state, &uri, &published).await;
                }
            }
        }
    }
    drop(recheck_tx);
    let _ = rechecks.await;
}

/// The re-checks (documents whose text did not change), coalesced like the edits.
async fn run_rechecks(
    state: Arc<State>,
    mut queue: UnboundedReceiver<Uri>,
    published: Arc<tokio::sync::Mutex<Published>>,
) {
    while let Some(first) = queue.recv().await {
        let mut batch = vec![first];
        while let Ok(uri) = queue.try_recv() {
            if !batch.contains(&uri) {
                batch.push(uri);
            }
        }
        for uri in batch {
            publish_one(&state, &uri, &published).await;
        }
    }
}

/// What was published, shared by the two publishing tasks.
#[derive(Default)]
struct Published {
    /// The documents holding diagnostics we published (to clear them when closed or no longer
    /// KEP files), with the snapshot sequence number of the last publish.
    seq: HashMap<Uri, u64>,
    /// The next snapshot's sequence number: a later snapshot sees the documents at least as new.
    next: u64,
}

async fn publish_one(state: &Arc<State>, uri: &Uri, published: &tokio::sync::Mutex<Published>) {
    let seq = {
        let mut p = published.lock().await;
        p.next += 1;
        p.next
    };
    let Some(doc) = state.docs.get(uri) else {
        let mut p = published.lock().await;
        let had = p.seq.remove(uri).is_some();
        // Closed, but in the workspace-diagnostics scope: a push client goes on seeing the
        // file's problems as they are on disk (a pulling client asks for them itself).
        let on_disk = if state.caps().pull_diagnostics {
            None
        } else {
            let (st, u) = (state.clone(), uri.clone());
            tokio::task::spawn_blocking(move || workspace_diagnostics::report_for(&st, &u))
                .await
                .ok()
                .flatten()
        };
        match on_disk {
            Some(items) => {
                state.workspace_published.lock().await.insert(uri.clone());
                state.client.publish_diagnostics(uri.clone(), items, None).await;
            }
            None if had => {
                state
                    .client
                    .publish_diagnostics(uri.clone(), Vec::new(), None)
                    .await;
            }
            None => {}
        }
        return;
    };
    let version = doc.version;
    let snap = Snapshot::of(state, uri.clone(), doc);
    // On this task's thread, not tokio's blocking pool: the pool's thread had to be woken for
    // the analysis and this task's thread again for its result, two hand-offs on every
    // keystroke's path (see `snapshot::run_blocking`).
    let result = tokio::task::block_in_place(|| catch_unwind(AssertUnwindSafe(|| compute(&snap))));
    let mut p = published.lock().await;
    if p.seq.get(uri).is_some_and(|&last| last > seq) {
        debug!(
            uri = uri.as_str(),
            version, "dropping diagnostics older than those published"
        );
        return;
    }
    let (diagnostics, is_kep) = match result {
        Ok(Some(d)) => (d, true),
        // Not (or no longer: its front matter was deleted) a KEP file: nothing, except clearing
        // what an earlier version of it had.
        Ok(None) if p.seq.contains_key(uri) => (Vec::new(), false),
        Ok(None) => return,
        Err(panic) => {
            warn!("diagnostics task failed: {}", panic_message(&*panic));
            return;
        }
    };
    if state.docs.version(uri) != Some(version) {
        debug!(uri = uri.as_str(), version, "dropping stale diagnostics");
        return;
    }
    if is_kep {
        p.seq.insert(uri.clone(), seq);
    } else {
        p.seq.remove(uri);
    }
    // Sent with the lock held: the other task cannot publish an older result after this one.
    state
        .client
        .publish_diagnostics(uri.clone(), diagnostics, Some(version))
        .await;
}

/// Publish `invalid-content` on the KEP files under `keps/` that the index read from disk and
/// found not to be text (not UTF-8, a NUL byte, too large), and clear it on those fixed since.
/// Open documents are left to the worker: their text is the editor's.
pub(crate) async fn publish_bad_content(state: &State) {
    let (Some(index), Some(root)) = (state.workspace.index(), state.workspace.root()) else {
        return;
    };
    let config = state.config();
    let encoding = state.encoding();
    let mut now: Vec<(Uri, Vec<Diagnostic>)> = Vec::new();
    for (rel, content) in index.bad_content() {
        let kep = index.under_kep_root(&rel) && analysis::classify(&rel, &content.text).is_kep();
        let Some(uri) = Uri::from_file_path(root.join(&rel)).filter(|_| kep) else {
            continue;
        };
        if state.docs.get(&uri).is_some() {
            continue;
        }
        let rope = ropey::Rope::from_str(&content.text);
        let findings = config.apply(content.problem.into_iter().collect());
        now.push((
            uri,
            findings
                .iter()
                .map(|f| to_lsp(f, &rope, encoding, config.docs_url.as_deref()))
                .collect(),
        ));
    }
    let stale: Vec<Uri> = {
        let mut published = state.workspace.bad_content_published.lock();
        let stale = published
            .iter()
            .filter(|u| !now.iter().any(|(n, _)| n == *u))
            .cloned()
            .collect();
        *published = now.iter().map(|(u, _)| u.clone()).collect();
        stale
    };
    for uri in stale {
        if state.docs.get(&uri).is_none() {
            state.client.publish_diagnostics(uri, Vec::new(), None).await;
        }
    }
    for (uri, diagnostics) in now {
        state.client.publish_diagnostics(uri, diagnostics, None).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Code;

    #[test]
    fn finding_becomes_a_diagnostic_with_code_link_and_utf16_range() {
        let text = "title: 😀\nowning-sig: sig-nope\n";
        let rope = ropey::Rope::from_str(text);
        let start = text.find("sig-nope").unwrap_or(0);
        let f = Finding::new(Code::UnknownSig, start..start + 8, "unknown");
        let d = to_lsp(&f, &rope, Encoding::Utf16, None);
        assert_eq!((d.range.start.line, d.range.start.character), (1, 12));
        assert_eq!((d.range.end.line, d.range.end.character), (1, 20));
        assert_eq!(d.severity, Some(DiagnosticSeverity::ERROR));
        assert_eq!(d.code, Some(NumberOrString::String("unknown-sig".into())));
        assert_eq!(d.code_description, None, "no docsUrl, no link");
        assert_eq!(d.source.as_deref(), Some("kep-lsp"));
        let docs = Some("https://example.org/kep-lsp/diagnostics.html");
        let d = to_lsp(&f, &rope, Encoding::Utf16, docs);
        assert_eq!(
            d.code_description.map(|c| c.href.as_str().to_string()).as_deref(),
            Some("https://example.org/kep-lsp/diagnostics.html#unknown-sig")
        );
    }

    #[test]
    fn code_link_fills_a_code_placeholder() {
        let href = |u| code_link(Some(u), "toc-stale").map(|c| c.href.as_str().to_string());
        assert_eq!(
            href("https://docs.example.org/rules/{code}/").as_deref(),
            Some("https://docs.example.org/rules/toc-stale/")
        );
        assert_eq!(code_link(None, "toc-stale"), None);
    }
}
