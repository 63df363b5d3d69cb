//! The repository's KEPs as an index: built from files by the edges, queried by the core
//! through `analysis::WorkspaceView`.
//!
//! `find_root` locates the repository (the folder holding `keps/`), `WorkspaceIndex::scan` walks
//! `keps/` once, and `update_file` keeps the index current for the server (the server's own
//! overlay answers open documents first and falls back to the index).

mod content;
mod handles;
mod index;
mod paths;
pub mod profile;
mod scan;

/// The index entry of a metadata file: read by `analysis` (the editor's unit tests build entries too).
pub use crate::analysis::entry_from_text;
pub(crate) use content::read_content;
pub use content::{FileContent, decode};
pub use index::WorkspaceIndex;
pub(crate) use paths::RootFinder;
pub use paths::{find_root, normalize_rel, rel_path};
pub use scan::{MAX_FILE_SIZE, ScanProblem, read_text};
