//! The server's command line: `kep-lsp`, `kep-lsp serve` and the `--stdio` flag that clients such
//! as vscode-languageclient append all start the server; it exits cleanly when stdin closes.

use std::process::{Command, Stdio};

fn serve_until_stdin_closes(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_kep-lsp"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .expect("spawn kep-lsp")
}

#[test]
fn every_way_of_starting_the_server_serves_and_exits_cleanly() {
    for args in [&[][..], &["serve"], &["--stdio"], &["serve", "--stdio"]] {
        let out = serve_until_stdin_closes(args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "kep-lsp {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.stdout.is_empty(),
            "kep-lsp {args:?} wrote to stdout without a request"
        );
    }
}

#[test]
fn stdio_is_not_an_option_of_check() {
    let out = serve_until_stdin_closes(&["check", "--stdio", "examples"]);
    assert_eq!(out.status.code(), Some(2));
}
