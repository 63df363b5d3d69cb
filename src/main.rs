//! The `kep-lsp` binary: `serve` (default) speaks LSP on stdio; `check` lints files and folders.
// STUB: clap wiring to be written (CLI helper).

fn main() {}
