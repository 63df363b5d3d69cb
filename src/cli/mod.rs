//! The command line: `kep-lsp check`, and the argument parsing of the binary.
// STUB: to be written (CLI helper).
