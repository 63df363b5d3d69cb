//! The `kep-lsp` binary: `serve` (default) speaks LSP on stdio; `check` lints files and folders.
// STUB: clap wiring to be written (CLI helper). The server helper's minimal entry until then.

fn main() -> std::process::ExitCode {
    kep_lsp::lsp::run_stdio()
}
