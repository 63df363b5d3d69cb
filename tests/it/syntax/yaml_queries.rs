//! The YAML reader's queries (`kep_lsp::syntax::yaml::read`) on half-typed fixtures: each
//! `tests/fixtures/yaml/queries/NAME.yaml` marks cursors with `‸`; `NAME.expected` beside it
//! holds the answers, one a line (offsets and ranges in bytes, 0-based, into the text without
//! the markers; paths as `key[item].key`):
//!
//! ```text
//! @OFFSET line N: PATH            the path at each cursor (`-` for none), `(in a comment)`
//!                                 after a `#` that starts a comment
//! top keys: K1 K2 ...
//! KEY: value A..B "TEXT"; block C..D
//! new item KEY: @AT "TEXT"        where a new list item goes (lists only)
//! new key first: @AT "TEXT"       where a key goes before every other
//! parse: ok | parse: line N: MESSAGE
//! ```
//!
//! `UPDATE_EXPECT=1 cargo test --test it syntax::yaml_queries` rewrites the expected files;
//! review their diff.

use std::fmt::Write as _;
use std::path::Path;

use kep_lsp::syntax::yaml::{self, PathSegment};

use crate::common::ide::CURSOR;

fn show_path(path: &[PathSegment]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            PathSegment::Key(k) if out.is_empty() => out.push_str(k),
            PathSegment::Key(k) => {
                out.push('.');
                out.push_str(k);
            }
            PathSegment::Item(i) => {
                let _ = write!(out, "[{i}]");
            }
        }
    }
    if out.is_empty() { "-".into() } else { out }
}

/// The answers for one fixture, in the expected file's format.
fn answers(marked: &str) -> String {
    let mut text = String::new();
    let mut cursors = Vec::new();
    for (i, part) in marked.split(CURSOR).enumerate() {
        if i > 0 {
            cursors.push(text.len());
        }
        text.push_str(part);
    }
    let y = yaml::read(&text, 0..text.len());
    let mut out = String::new();
    for at in cursors {
        let line = y.line_at(at).map_or(0, |l| l + 1);
        let comment = if y.in_comment(at) { " (in a comment)" } else { "" };
        let _ = writeln!(out, "@{at} line {line}: {}{comment}", show_path(&y.path_at(at)));
    }
    let _ = writeln!(out, "top keys: {}", y.top_keys().join(" "));
    for key in y.top_keys() {
        let v = y.value_range(key).unwrap();
        let b = y.block_of(key).unwrap();
        let _ = writeln!(
            out,
            "{key}: value {}..{} {:?}; block {}..{}",
            v.start,
            v.end,
            &text[v.clone()],
            b.start,
            b.end
        );
    }
    for key in y.top_keys() {
        if let Some((at, s)) = y.new_item_at(key, "x") {
            let _ = writeln!(out, "new item {key}: @{at} {s:?}");
        }
    }
    let (at, s) = y.new_key_at(None, "new: x");
    let _ = writeln!(out, "new key first: @{at} {s:?}");
    match y.parsed().errors.first() {
        None => out.push_str("parse: ok\n"),
        Some(e) => {
            let _ = writeln!(out, "parse: line {}: {}", e.line, e.message);
        }
    }
    out
}

#[test]
fn queries_on_half_typed_yaml() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/yaml/queries");
    let bless = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    names.sort();
    assert!(!names.is_empty(), "no fixtures in {}", dir.display());
    let mut failed = Vec::new();
    for input in names {
        let got = answers(&std::fs::read_to_string(&input).unwrap());
        let expected_path = input.with_extension("expected");
        if bless {
            std::fs::write(&expected_path, &got).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if got != expected {
            failed.push(format!(
                "{}:\n--- expected\n{expected}--- got\n{got}",
                input.display()
            ));
        }
    }
    assert!(
        failed.is_empty(),
        "{}\n(UPDATE_EXPECT=1 rewrites the expected files)",
        failed.join("\n")
    );
}
