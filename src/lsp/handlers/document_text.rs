//! `kep/documentText` (custom, a debug and test aid): the server's current text and version of an
//! open document, so tests can check that edits were applied in order.

use serde::{Deserialize, Serialize};
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::Uri;

use crate::lsp::state::State;

pub(crate) const METHOD: &str = "kep/documentText";

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Params {
    pub uri: Uri,
}

#[derive(Debug, Serialize)]
pub(crate) struct Reply {
    pub text: String,
    pub version: i32,
}

pub(crate) fn handle(state: &State, params: Params) -> Result<Reply> {
    let doc = state
        .docs
        .get(&params.uri)
        .ok_or_else(|| Error::invalid_params(format!("{} is not open", params.uri.as_str())))?;
    Ok(Reply {
        text: doc.text().to_string(),
        version: doc.version,
    })
}
