//! `workspace/executeCommand`: `kep.new` (scaffold a KEP, like `kepctl create`) and `kep.promote`
//! (move a KEP to a new stage, like `kepctl promote`). The work is the pure `ide::scaffold`; this
//! file turns its results into one `WorkspaceEdit` sent with `workspace/applyEdit`, so the server
//! never writes a file itself (the editor owns the buffers, undo and saving). Errors become
//! InvalidParams and are also shown with `window/showMessage`, since a command is usually run from
//! a menu where a JSON-RPC error would go unseen.

use std::path::Path;
use std::sync::Arc;

use serde::Deserialize;
use serde_json::{Value, json};
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::{
    CreateFile, CreateFileOptions, DocumentChangeOperation, DocumentChanges, ExecuteCommandParams,
    MessageType, OneOf, OptionalVersionedTextDocumentIdentifier, Range, ResourceOp, TextDocumentEdit,
    TextEdit, Uri, WorkspaceEdit,
};
use tracing::info;

use crate::analysis::{self, Context, NoWorkspace, WorkspaceView};
use crate::clock::today_utc;
use crate::ide::scaffold::{self, Lack, NewKep, Promote, PrrChange};
use crate::lsp::position::range_to_lsp;
use crate::lsp::snapshot::run_blocking;
use crate::lsp::state::State;
use crate::lsp::workspace::{DiskView, OverlayView};

pub(crate) const NEW: &str = "kep.new";
pub(crate) const PROMOTE: &str = "kep.promote";
/// What the freeze-readiness code lens of a kep.yaml lacks (`code_lens.rs`).
pub(crate) const READINESS: &str = "kep.readiness";

/// The commands advertised in `executeCommandProvider`.
pub(crate) fn commands() -> Vec<String> {
    vec![NEW.into(), PROMOTE.into(), READINESS.into()]
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NewArgs {
    sig: String,
    title: String,
    #[serde(default)]
    number: Option<u64>,
    #[serde(default)]
    authors: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PromoteArgs {
    uri: Uri,
    stage: String,
    #[serde(default)]
    milestone: Option<String>,
}

pub(crate) async fn handle(state: &Arc<State>, params: ExecuteCommandParams) -> Result<Option<Value>> {
    let result = match params.command.as_str() {
        NEW => new_kep(state, &params.arguments).await,
        PROMOTE => promote(state, &params.arguments).await,
        READINESS => readiness(state, &params.arguments).await,
        other => Err(Error::invalid_params(format!(
            "unknown command `{other}`: kep-lsp offers {}",
            commands().join(", ")
        ))),
    };
    match result {
        Ok(v) => Ok(Some(v)),
        Err(e) => {
            state
                .client
                .show_message(MessageType::ERROR, format!("kep-lsp: {}", e.message))
                .await;
            Err(e)
        }
    }
}

/// The one argument object of a command.
fn argument<T: serde::de::DeserializeOwned>(command: &str, args: &[Value], shape: &str) -> Result<T> {
    let [arg] = args else {
        return Err(Error::invalid_params(format!(
            "{command} takes one argument {shape}, got {}",
            args.len()
        )));
    };
    serde_json::from_value(arg.clone())
        .map_err(|e| Error::invalid_params(format!("{command}: bad argument ({e}); expected {shape}")))
}

async fn new_kep(state: &Arc<State>, args: &[Value]) -> Result<Value> {
    let shape = r#"{ "sig": "sig-node", "title": "...", "number"?: 1234, "authors"?: ["@x"] }"#;
    let args: NewArgs = argument(NEW, args, shape)?;
    let caps = state.caps();
    if !(caps.edit_document_changes && caps.edit_create_files) {
        return Err(Error::invalid_params(
            "kep.new: this client cannot create files through workspace edits \
             (workspace.workspaceEdit documentChanges with resourceOperations `create`); \
             use `kep-lsp new` on the command line instead",
        ));
    }
    let Some(root) = state.workspace.root() else {
        return Err(Error::invalid_params(
            "kep.new: no workspace root (open a folder holding a keps/ directory)",
        ));
    };
    let req = NewKep {
        sig: args.sig,
        title: args.title,
        number: args.number,
        authors: args.authors,
        today: today_utc(),
    };
    let st = state.clone();
    let files = run_blocking("kep.new", move || {
        with_context(&st, |ctx| scaffold::new_kep(&req, ctx))
    })
    .await?
    .map_err(|e| Error::invalid_params(format!("kep.new: {e}")))?;
    // The index may lag behind the disk (a folder created outside the editor a moment ago).
    if let Some(dir) = files
        .first()
        .and_then(|(rel, _)| Path::new(rel).parent())
        .filter(|dir| root.join(dir).exists())
    {
        return Err(Error::invalid_params(format!(
            "kep.new: {} already exists",
            dir.display()
        )));
    }
    let mut ops = Vec::new();
    let mut uris = Vec::new();
    for (rel, content) in files {
        let uri = file_uri(&root, &rel)?;
        ops.extend(create_with(uri.clone(), content));
        uris.push(uri);
    }
    apply(
        state,
        WorkspaceEdit {
            document_changes: Some(DocumentChanges::Operations(ops)),
            ..WorkspaceEdit::default()
        },
    )
    .await?;
    let uris: Vec<String> = uris.iter().map(|u| u.as_str().to_string()).collect();
    info!(files = ?uris, "kep.new");
    Ok(json!(uris))
}

async fn promote(state: &Arc<State>, args: &[Value]) -> Result<Value> {
    let shape = r#"{ "uri": "<kep.yaml uri>", "stage": "beta", "milestone"?: "v1.36" }"#;
    let args: PromoteArgs = argument(PROMOTE, args, shape)?;
    let Some(root) = state.workspace.root() else {
        return Err(Error::invalid_params(
            "kep.promote: no workspace root (open a folder holding a keps/ directory)",
        ));
    };
    let Some(rel) = state.repo_relative(&args.uri) else {
        return Err(Error::invalid_params(format!(
            "kep.promote: {} is not inside the workspace {}",
            args.uri.as_str(),
            root.display()
        )));
    };
    let (text, version) = current_text(state, &root, &rel)
        .ok_or_else(|| Error::invalid_params(format!("kep.promote: cannot read {rel}")))?;
    let req = Promote {
        path: rel.clone(),
        text: text.clone(),
        stage: args.stage.clone(),
        milestone: args.milestone,
        today: today_utc(),
    };
    let st = state.clone();
    let p = run_blocking("kep.promote", move || {
        with_context(&st, |ctx| scaffold::promote(&req, ctx))
    })
    .await?
    .map_err(|e| Error::invalid_params(format!("kep.promote: {e}")))?;

    let caps = state.caps();
    let encoding = state.encoding();
    // (uri, version when open, edits) per edited file, and files to create.
    let mut edits: Vec<(Uri, Option<i32>, Vec<TextEdit>)> = Vec::new();
    let mut creates: Vec<(Uri, String)> = Vec::new();
    let rope = ropey::Rope::from_str(&text);
    let to_lsp = |rope: &ropey::Rope, es: &[analysis::TextEdit]| -> Vec<TextEdit> {
        es.iter()
            .map(|e| TextEdit {
                range: range_to_lsp(rope, &e.range, encoding),
                new_text: e.new_text.clone(),
            })
            .collect()
    };
    edits.push((args.uri.clone(), version, to_lsp(&rope, &p.kep_yaml_edits)));
    let prr_uri = file_uri(&root, &p.prr_path)?;
    match &p.prr {
        PrrChange::Unchanged => {}
        PrrChange::Edit(es) => {
            let (prr_text, prr_version) = current_text(state, &root, &p.prr_path)
                .ok_or_else(|| Error::invalid_params(format!("kep.promote: cannot read {}", p.prr_path)))?;
            edits.push((
                prr_uri,
                prr_version,
                to_lsp(&ropey::Rope::from_str(&prr_text), es),
            ));
        }
        PrrChange::Create(content) => {
            if !(caps.edit_document_changes && caps.edit_create_files) {
                return Err(Error::invalid_params(format!(
                    "kep.promote: {} must be created, and this client cannot create files through \
                     workspace edits; use `kep-lsp promote` on the command line instead",
                    p.prr_path
                )));
            }
            creates.push((prr_uri, content.clone()));
        }
    }
    apply(state, promote_edit(caps.edit_document_changes, edits, creates)).await?;

    let (lacks, summary) = promote_report(&rel, &args.stage, &p.lacks);
    state.client.show_message(MessageType::INFO, summary).await;
    Ok(json!({ "lacks": lacks }))
}

/// The WorkspaceEdit of a promotion: `edits` per file as (uri, version when open, edits) and
/// files to `create`. Versioned document changes when the client takes them (it then refuses
/// the edit if a document changed since it was read), plain `changes` otherwise (`creates` is
/// then empty: the caller refused a creation such a client cannot make).
fn promote_edit(
    document_changes: bool,
    edits: Vec<(Uri, Option<i32>, Vec<TextEdit>)>,
    creates: Vec<(Uri, String)>,
) -> WorkspaceEdit {
    if document_changes {
        let mut ops: Vec<DocumentChangeOperation> = edits
            .into_iter()
            .map(|(uri, version, es)| {
                DocumentChangeOperation::Edit(TextDocumentEdit {
                    text_document: OptionalVersionedTextDocumentIdentifier { uri, version },
                    edits: es.into_iter().map(OneOf::Left).collect(),
                })
            })
            .collect();
        for (uri, content) in creates {
            ops.extend(create_with(uri, content));
        }
        WorkspaceEdit {
            document_changes: Some(DocumentChanges::Operations(ops)),
            ..WorkspaceEdit::default()
        }
    } else {
        WorkspaceEdit {
            changes: Some(edits.into_iter().map(|(uri, _, es)| (uri, es)).collect()),
            ..WorkspaceEdit::default()
        }
    }
}

/// What is left to do after a promotion: the lacks as JSON (path, code, severity, message) and
/// the one-line message shown to the user.
fn promote_report(rel: &str, stage: &str, lacks: &[Lack]) -> (Vec<Value>, String) {
    let json: Vec<Value> = lacks
        .iter()
        .map(|l| {
            json!({
                "path": l.path,
                "code": l.finding.code.as_str(),
                "severity": l.finding.severity.as_str(),
                "message": l.finding.message,
            })
        })
        .collect();
    let summary = if lacks.is_empty() {
        format!(
            "kep-lsp: {rel} promoted to {}; nothing missing for that stage",
            stage
        )
    } else {
        let todo: Vec<String> = lacks
            .iter()
            .map(|l| format!("{}: {}", l.path, l.finding.message))
            .collect();
        format!(
            "kep-lsp: {rel} promoted to {}; still to do: {}",
            stage,
            todo.join("; ")
        )
    };
    (json, summary)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReadinessArgs {
    uri: Uri,
}

/// `kep.readiness`: the criteria the kep.yaml at `uri` does not meet, each with where to fix it;
/// also shown with `window/showMessage`. Returns `{ "title", "missing": ["id: detail (file:line)"] }`.
async fn readiness(state: &Arc<State>, args: &[Value]) -> Result<Value> {
    let args: ReadinessArgs = argument(READINESS, args, r#"{ "uri": "<kep.yaml uri>" }"#)?;
    let Some(snap) = crate::lsp::snapshot::Snapshot::take(state, &args.uri) else {
        return Err(Error::invalid_params(format!(
            "kep.readiness: {} is not an open document",
            args.uri.as_str()
        )));
    };
    let found = run_blocking("kep.readiness", move || super::code_lens::readiness_of(&snap)).await?;
    let Some((minor, criteria)) = found else {
        return Err(Error::invalid_params(
            "kep.readiness: not a kep.yaml, readiness is off, or no release is known (set `release`)",
        ));
    };
    let title = super::code_lens::title(minor, &criteria);
    let missing: Vec<String> = criteria
        .iter()
        .filter(|c| !c.met)
        .map(|c| format!("{}: {} ({}:{})", c.id, c.detail, c.file, c.line))
        .collect();
    let message = if missing.is_empty() {
        format!("{title}: every criterion is met")
    } else {
        format!("{title}: missing\n{}", missing.join("\n"))
    };
    state.client.show_message(MessageType::INFO, message).await;
    Ok(json!({ "title": title, "missing": missing }))
}

/// Run `f` with the open documents over the index (or over the disk before the index is ready:
/// `new_kep` must see existing folders even then).
fn with_context<R>(state: &State, f: impl FnOnce(&Context<'_>) -> R) -> R {
    let knowledge = state.workspace.knowledge();
    let root = state.workspace.root();
    let index = state.workspace.index();
    let disk = root.as_deref().map(|root| DiskView { root });
    let base: &dyn WorkspaceView = match (&index, &disk) {
        (Some(index), _) => index.as_ref(),
        (None, Some(disk)) => disk,
        (None, None) => &NoWorkspace,
    };
    let view = OverlayView {
        base,
        docs: &state.docs,
    };
    let today = today_utc();
    f(&Context {
        knowledge: &knowledge,
        workspace: &view,
        today: Some(&today),
        upcoming_minor: state.config().upcoming_minor,
    })
}

/// A repo-relative file's current text: the open document's (with its version) else the disk's.
fn current_text(state: &State, root: &Path, rel: &str) -> Option<(String, Option<i32>)> {
    if let Some(uri) = state.docs.uris_with_path(|p| p == rel).first()
        && let Some(doc) = state.docs.get(uri)
    {
        return Some((doc.text().to_string(), Some(doc.version)));
    }
    let disk = DiskView { root };
    disk.file_text(rel).map(|t| (t.to_string(), None))
}

fn file_uri(root: &Path, rel: &str) -> Result<Uri> {
    Uri::from_file_path(root.join(rel))
        .ok_or_else(|| Error::invalid_params(format!("cannot make a file URI of {rel}")))
}

/// Create `uri` (failing if it exists) and insert `content` into it.
fn create_with(uri: Uri, content: String) -> [DocumentChangeOperation; 2] {
    [
        DocumentChangeOperation::Op(ResourceOp::Create(CreateFile {
            uri: uri.clone(),
            options: Some(CreateFileOptions {
                overwrite: Some(false),
                ignore_if_exists: Some(false),
            }),
            annotation_id: None,
        })),
        DocumentChangeOperation::Edit(TextDocumentEdit {
            text_document: OptionalVersionedTextDocumentIdentifier { uri, version: None },
            edits: vec![OneOf::Left(TextEdit {
                range: Range::default(),
                new_text: content,
            })],
        }),
    ]
}

/// Send the edit; an edit the client refuses (or cannot receive) is an error of the command.
async fn apply(state: &State, edit: WorkspaceEdit) -> Result<()> {
    let reply = state
        .client
        .apply_edit(edit)
        .await
        .map_err(|e| request_failed(format!("the client did not apply the edit: {}", e.message)))?;
    if reply.applied {
        return Ok(());
    }
    Err(request_failed(format!(
        "the client refused the edit{}",
        reply.failure_reason.map(|r| format!(": {r}")).unwrap_or_default()
    )))
}

/// LSP's RequestFailed (-32803): the arguments were fine, the client refused the edit.
fn request_failed(message: String) -> Error {
    Error {
        code: ErrorCode::ServerError(-32803),
        message: message.into(),
        data: None,
    }
}
