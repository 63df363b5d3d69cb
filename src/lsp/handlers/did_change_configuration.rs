//! `workspace/didChangeConfiguration`: new settings (pushed in the notification, or pulled with
//! `workspace/configuration` when the notification carries none and the client can answer).
//! Settings apply at once: log level, SIG list, severities; every open document is re-checked,
//! and pushed workspace diagnostics are published again.

use std::sync::Arc;

use serde_json::Value;
use tower_lsp_server::ls_types::{ConfigurationItem, DidChangeConfigurationParams, MessageType};
use tracing::{info, warn};

use crate::lsp::config::{Config, SECTION};
use crate::lsp::diagnostics::schedule_all;
use crate::lsp::state::State;

pub(crate) async fn handle(state: &Arc<State>, params: DidChangeConfigurationParams) {
    let settings = match params.settings {
        Value::Null => pull(state).await,
        Value::Object(ref m) if m.is_empty() => pull(state).await,
        other => Some(other),
    };
    if let Some(settings) = settings {
        let before = lens_inputs(&state.config());
        let problems = apply_settings(state, &settings);
        report(state, problems).await;
        // The readiness lens is computed on request: a client keeps showing the old one until it
        // asks again, so ask it to (when it can be asked) once the lens's inputs changed.
        if lens_inputs(&state.config()) != before && state.caps().code_lens_refresh {
            let client = state.client.clone();
            tokio::spawn(async move {
                if let Err(e) = client.code_lens_refresh().await {
                    warn!("code lens refresh refused: {e}");
                }
            });
        }
    }
    schedule_all(state);
    // Pushed workspace diagnostics follow the settings (and are cleared when turned off).
    crate::lsp::workspace_diagnostics::spawn_publish(state);
}

/// The settings the freeze-readiness code lens reads: `readiness` and `release`.
fn lens_inputs(config: &Config) -> (bool, Option<u64>, Option<u64>) {
    (
        config.readiness_off,
        config.readiness_release,
        config.upcoming_minor,
    )
}

/// Ask the client for the `kep-lsp` section, if it can answer.
pub(crate) async fn pull(state: &State) -> Option<Value> {
    if !state.caps().configuration_pull {
        return None;
    }
    let item = ConfigurationItem {
        scope_uri: None,
        section: Some(SECTION.to_string()),
    };
    match state.client.configuration(vec![item]).await {
        Ok(mut values) if !values.is_empty() => Some(values.swap_remove(0)),
        Ok(_) => None,
        Err(e) => {
            warn!("workspace/configuration failed: {e}");
            None
        }
    }
}

/// Install settings; returns the problems found (bad codes, a missing sigsPath...).
pub(crate) fn apply_settings(state: &State, settings: &Value) -> Vec<String> {
    let (config, mut problems) = Config::from_json(settings);
    if let (Some(level), Some(set)) = (&config.log_level, &state.set_log_level)
        && let Err(e) = set(level)
    {
        problems.push(format!("logLevel `{level}`: {e}"));
    }
    problems.extend(state.workspace.reload_knowledge(config.sigs_path.as_deref()));
    info!(?config, "settings");
    *state.config.lock() = config;
    for p in &problems {
        warn!("settings: {p}");
    }
    problems
}

pub(crate) async fn report(state: &State, problems: Vec<String>) {
    if !problems.is_empty() {
        let text = format!("kep-lsp settings: {}", problems.join("; "));
        state.client.show_message(MessageType::WARNING, text).await;
    }
}
