//! The repository's KEPs as an index: built from files by the edges, queried by the core
//! through `analysis::WorkspaceView`.
// STUB: to be written (CLI helper).
