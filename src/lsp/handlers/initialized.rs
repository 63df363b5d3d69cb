//! `initialized`: the client is ready for our requests. Everything here runs in spawned tasks so
//! that the message loop never waits on the client: watcher registration, the settings pull, and
//! the background index of `keps/` (with work-done progress when the client shows it).

use std::sync::Arc;

use tower_lsp_server::ls_types::{
    DidChangeWatchedFilesRegistrationOptions, FileSystemWatcher, GlobPattern, ProgressToken, Registration,
};
use tracing::{info, warn};

use crate::analysis::WorkspaceView;
use crate::lsp::diagnostics::schedule_all;
use crate::lsp::state::State;
use crate::workspace::WorkspaceIndex;

/// The files whose changes matter: KEPs, the SIG list and the owners files.
pub(crate) const WATCHED_GLOBS: [&str; 5] = [
    "**/keps/**/*.{yaml,md}",
    "**/kep/**/*.{yaml,md}",
    "**/sigs.yaml",
    "**/OWNERS*",
    "**/.kep-lsp.toml",
];

pub(crate) fn handle(state: &Arc<State>) {
    let caps = state.caps();
    if caps.watch_registration {
        let state = state.clone();
        tokio::spawn(async move { register_watchers(&state).await });
    }
    if caps.configuration_pull {
        let state = state.clone();
        tokio::spawn(async move {
            if let Some(settings) = super::did_change_configuration::pull(&state).await {
                let problems = super::did_change_configuration::apply_settings(&state, &settings);
                super::did_change_configuration::report(&state, problems).await;
                schedule_all(&state);
                crate::lsp::workspace_diagnostics::spawn_publish(&state);
            }
        });
    }
    let state = state.clone();
    tokio::spawn(async move { index_workspace(&state).await });
}

/// `WATCHED_GLOBS`, plus the KEP root `.kep-lsp.toml` names when the usual globs miss it
/// (`kep-root = "proposals"`).
fn watched_globs(root: Option<&std::path::Path>) -> Vec<String> {
    let mut globs: Vec<String> = WATCHED_GLOBS.iter().map(|g| g.to_string()).collect();
    let configured = root.and_then(|root| {
        let text = crate::workspace::read_text(&root.join(crate::analysis::config_file::FILE_NAME)).ok()?;
        crate::analysis::config_file::parse(&text).0.kep_root
    });
    if let Some(kep_root) = configured {
        let last = kep_root.rsplit('/').next().unwrap_or("");
        if last != "keps" && last != "kep" {
            globs.push(format!("**/{kep_root}/**/*.{{yaml,md}}"));
        }
    }
    globs
}

async fn register_watchers(state: &State) {
    let watchers = watched_globs(state.workspace.root().as_deref())
        .into_iter()
        .map(|g| FileSystemWatcher {
            glob_pattern: GlobPattern::String(g),
            kind: None,
        })
        .collect();
    let options = DidChangeWatchedFilesRegistrationOptions { watchers };
    let registration = Registration {
        id: "kep-lsp-watched-files".into(),
        method: "workspace/didChangeWatchedFiles".into(),
        register_options: serde_json::to_value(options).ok(),
    };
    if let Err(e) = state.client.register_capability(vec![registration]).await {
        warn!("could not register file watchers: {e}");
    }
}

/// Decide the profile and scan the KEP root on a blocking thread; open documents are analysed
/// meanwhile (without the index) and re-checked when it is ready. Run again when
/// `.kep-lsp.toml` changes (it may move the KEP root).
pub(crate) async fn index_workspace(state: &Arc<State>) {
    let Some(root) = state.workspace.root() else {
        info!("no repository root: single-file mode");
        return;
    };
    let token = ProgressToken::String("kep-lsp/index".into());
    let progress = if state.caps().work_done_progress {
        match state.client.create_work_done_progress(token.clone()).await {
            Ok(()) => Some(
                state
                    .client
                    .progress(token, "Indexing KEPs")
                    .with_message(format!("scanning {}", root.join("keps").display()))
                    .begin()
                    .await,
            ),
            Err(e) => {
                warn!("work-done progress refused: {e}");
                None
            }
        }
    } else {
        None
    };
    let started = std::time::Instant::now();
    let scan_root = root.clone();
    let (index, problems) = match tokio::task::spawn_blocking(move || WorkspaceIndex::scan(&scan_root)).await
    {
        Ok(scanned) => scanned,
        Err(e) => {
            warn!("indexing failed: {e}");
            return;
        }
    };
    for problem in &problems {
        warn!("index: {problem}");
    }
    let detected = index.detected();
    info!(profile = %detected.profile.summary(), "repository profile");
    for reason in &detected.profile.reasons {
        info!("profile: {reason}");
    }
    if let Some((_, findings)) = &detected.config_file {
        for f in findings {
            warn!("{}: {}", crate::analysis::config_file::FILE_NAME, f.message);
        }
    }
    let count = index.keps().len();
    if let Some(p) = &progress {
        p.report(format!("{count} KEPs read; re-checking open files"))
            .await;
    }
    state.workspace.set_index(index);
    let sigs_path = state.config().sigs_path;
    for problem in state.workspace.reload_knowledge(sigs_path.as_deref()) {
        warn!("{problem}");
    }
    info!(
        count,
        elapsed_ms = started.elapsed().as_millis() as u64,
        "index ready"
    );
    schedule_all(state);
    crate::lsp::diagnostics::publish_bad_content(state).await;
    crate::lsp::workspace_diagnostics::spawn_publish(state);
    if let Some(p) = progress {
        p.finish_with_message(format!("{count} KEPs indexed")).await;
    }
}
