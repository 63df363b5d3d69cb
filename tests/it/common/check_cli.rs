//! `kep-lsp check` run as a user runs it: the real binary, in a folder, with a fixed date (so the
//! release calendar's answer does not move with the clock) and no colour.
#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

/// What one run printed and its exit code (-1 when killed by a signal).
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Run `kep-lsp check --today 2026-11-25 ARGS` in `cwd`.
pub fn check(cwd: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_kep-lsp"))
        .arg("check")
        .args(["--today", "2026-11-25"])
        .args(args)
        .current_dir(cwd)
        .env_remove("CLICOLOR_FORCE")
        .output()
        .expect("run kep-lsp");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}
