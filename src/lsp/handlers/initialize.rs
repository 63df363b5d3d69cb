//! `initialize`: negotiate the position encoding, record what the client can do, find the
//! repository root, read the settings, and say what the server offers.

use tower_lsp_server::ls_types::{
    CodeActionOptions, CodeActionProviderCapability, CodeLensOptions, CompletionOptions, DiagnosticOptions,
    DiagnosticServerCapabilities, DocumentLinkOptions, ExecuteCommandOptions, FoldingRangeProviderCapability,
    HoverProviderCapability, InitializeParams, InitializeResult, OneOf, RenameOptions, SaveOptions,
    ServerCapabilities, ServerInfo, TextDocumentSyncCapability, TextDocumentSyncKind,
    TextDocumentSyncOptions, TextDocumentSyncSaveOptions,
};
use tracing::{info, warn};

use crate::lsp::position::Encoding;
use crate::lsp::state::{ClientCaps, State};
use crate::workspace::find_root;

pub(crate) fn handle(state: &State, params: InitializeParams) -> InitializeResult {
    let caps = ClientCaps::from_capabilities(&params.capabilities);
    *state.caps.lock() = caps;
    let offered = params
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_deref());
    let encoding = Encoding::negotiate(offered);
    *state.encoding.lock() = encoding;

    let root = root_folder(&params).and_then(|folder| find_root(&folder));
    info!(root = ?root, ?encoding, ?caps, "initialize");
    state.workspace.set_root(root);

    if let Some(options) = &params.initialization_options {
        super::did_change_configuration::apply_settings(state, options);
    } else {
        // The root's OWNERS_ALIASES and profile apply even without settings (its sigs.yaml
        // comes with the index, read in the background).
        for problem in state.workspace.reload_knowledge(None) {
            warn!("{problem}");
        }
    }

    InitializeResult {
        capabilities: capabilities(encoding, caps),
        server_info: Some(ServerInfo {
            name: "kep-lsp".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
        offset_encoding: None,
    }
}

/// The first workspace folder, else the (deprecated) rootUri, as a path.
fn root_folder(params: &InitializeParams) -> Option<std::path::PathBuf> {
    if let Some(folder) = params.workspace_folders.as_ref().and_then(|f| f.first()) {
        return folder.uri.to_file_path().map(|p| p.into_owned());
    }
    #[allow(deprecated)]
    let root_uri = params.root_uri.as_ref();
    root_uri.and_then(|u| u.to_file_path()).map(|p| p.into_owned())
}

pub(crate) fn capabilities(encoding: Encoding, caps: ClientCaps) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::INCREMENTAL),
            will_save: None,
            will_save_wait_until: None,
            save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                include_text: Some(false),
            })),
        })),
        diagnostic_provider: caps.pull_diagnostics.then(|| {
            DiagnosticServerCapabilities::Options(DiagnosticOptions {
                identifier: Some("kep-lsp".into()),
                // A README's findings depend on its kep.yaml and the other way round.
                inter_file_dependencies: true,
                // `workspace/diagnostic`: empty unless the `workspaceDiagnostics` setting is on.
                workspace_diagnostics: true,
                work_done_progress_options: Default::default(),
            })
        }),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(
                super::completion::TRIGGER_CHARACTERS
                    .iter()
                    .map(|c| c.to_string())
                    .collect(),
            ),
            resolve_provider: Some(false),
            ..CompletionOptions::default()
        }),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(super::code_action::kinds()),
            resolve_provider: Some(false),
            ..CodeActionOptions::default()
        })),
        document_symbol_provider: Some(OneOf::Left(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        document_link_provider: Some(DocumentLinkOptions {
            resolve_provider: Some(false),
            work_done_progress_options: Default::default(),
        }),
        definition_provider: Some(OneOf::Left(true)),
        folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
        // Heading rename (with its TOC entry and links), references, highlights.
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: Default::default(),
        })),
        references_provider: Some(OneOf::Left(true)),
        document_highlight_provider: Some(OneOf::Left(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        inlay_hint_provider: Some(OneOf::Left(true)),
        code_lens_provider: Some(CodeLensOptions {
            resolve_provider: Some(false),
        }),
        execute_command_provider: Some(ExecuteCommandOptions {
            commands: super::execute_command::commands(),
            work_done_progress_options: Default::default(),
        }),
        ..ServerCapabilities::default()
    }
}
