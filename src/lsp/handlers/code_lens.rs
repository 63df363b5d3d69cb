//! `textDocument/codeLens`: on kep.yaml's first line, the freeze readiness for a release
//! ("v1.37 freeze: 7/9 ✓", from the pure `analysis::readiness`), whose command `kep.readiness`
//! lists what is missing. The `readiness` setting picks the release or turns the lens off.

use std::sync::Arc;

use serde_json::json;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{CodeLens, CodeLensParams, Command, Position, Range};

use crate::analysis::readiness::{Criterion, KepFiles, evaluate, release_name};
use crate::analysis::rules::prr::prr_path;
use crate::lsp::handlers::execute_command::READINESS;
use crate::lsp::snapshot::{Snapshot, run_blocking};
use crate::lsp::state::State;
use crate::model::kep_yaml::parse_metadata;

/// The release (minor) and the criteria of the kep.yaml in `snap`; `None` when the file is not
/// a kep.yaml, the lens is off, or no release is known.
pub(crate) fn readiness_of(snap: &Snapshot) -> Option<(u64, Vec<Criterion>)> {
    let path = snap.path().to_string();
    if snap.config.readiness_off || !(path == "kep.yaml" || path.ends_with("/kep.yaml")) {
        return None;
    }
    let dir = path.strip_suffix("kep.yaml").unwrap_or("");
    snap.with_context(|ctx| {
        let minor = snap
            .config
            .readiness_release
            .or_else(|| ctx.upcoming_release().map(|u| u.minor))?;
        let meta = parse_metadata(&snap.text);
        let value = |s: &Option<crate::analysis::Spanned<String>>| {
            s.as_ref().map(|s| s.value.trim().to_string()).unwrap_or_default()
        };
        let prr = prr_path(&value(&meta.owning_sig), &value(&meta.kep_number));
        let readme_path = format!("{dir}README.md");
        let readme = ctx.workspace.file_text(&readme_path);
        let prr_text = ctx.workspace.file_text(&prr);
        let files = KepFiles {
            metadata_path: &path,
            metadata: &snap.text,
            readme_path: &readme_path,
            readme: readme.as_deref(),
            prr_path: &prr,
            prr: prr_text.as_deref(),
        };
        Some((minor, evaluate(&files, minor, ctx)))
    })
}

/// The lens title: "v1.37 freeze: 7/9 ✓" when all are met, "v1.37 freeze: 7/9 ✗" otherwise.
pub(crate) fn title(minor: u64, criteria: &[Criterion]) -> String {
    let met = criteria.iter().filter(|c| c.met).count();
    let mark = if met == criteria.len() { '✓' } else { '✗' };
    format!("{} freeze: {met}/{} {mark}", release_name(minor), criteria.len())
}

pub(crate) async fn handle(state: &Arc<State>, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
    let uri = params.text_document.uri;
    let Some(snap) = Snapshot::take(state, &uri) else {
        return Ok(None);
    };
    run_blocking("textDocument/codeLens", move || {
        let (minor, criteria) = readiness_of(&snap)?;
        let zero = Position::new(0, 0);
        Some(vec![CodeLens {
            range: Range::new(zero, zero),
            command: Some(Command {
                title: title(minor, &criteria),
                command: READINESS.into(),
                arguments: Some(vec![json!({ "uri": snap.uri })]),
            }),
            data: None,
        }])
    })
    .await
}
