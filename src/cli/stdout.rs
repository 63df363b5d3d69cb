//! Printing a command's output to stdout without panicking when the reader goes away.
//!
//! `println!` panics when stdout is a closed pipe (`kep-lsp readiness ... | head` closes it after a
//! few lines). Rust ignores SIGPIPE, so the write fails with `BrokenPipe`; a reader that stopped
//! reading wants no more output, so the command ends quietly with exit code 0, as Unix tools do.
//! Any other write error (a full disk behind a redirect) is said on stderr, exit code 2.

use std::io::{ErrorKind, Write};

/// Writes `text` to stdout (no newline added); on failure ends the process as above.
pub(crate) fn write_out(text: std::fmt::Arguments<'_>) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_fmt(text).and_then(|()| out.flush()) {
        if e.kind() == ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("kep-lsp: cannot write the output: {e}");
        std::process::exit(2);
    }
}

/// `print!` that ends quietly on a closed pipe (see the module doc).
macro_rules! out {
    ($($arg:tt)*) => { $crate::cli::stdout::write_out(format_args!($($arg)*)) };
}

/// `println!` that ends quietly on a closed pipe (see the module doc).
macro_rules! outln {
    () => { $crate::cli::stdout::write_out(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::cli::stdout::write_out(format_args!("{}\n", format_args!($($arg)*))) };
}
