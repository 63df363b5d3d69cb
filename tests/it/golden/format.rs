//! `textDocument/formatting` (the pure `ide::formatting::format_document`) against mdtoc
//! v1.4.0's recorded output in ../shared/golden/toc (its README.md gives the format): on every
//! stale copy, formatting writes what `mdtoc --inplace` writes (the `.ok.md` file, whose TOC is
//! the recorded `expected_toc`); on every up-to-date copy and real README it writes nothing; on
//! files whose markers mdtoc rejects, or on which it crashes, it writes nothing either (mdtoc
//! --inplace fails there without writing). Skips with a note when ../shared is absent.

use crate::common;

use std::path::Path;

use kep_lsp::analysis::TextEdit;
use kep_lsp::ide::formatting::format_document;
use kep_lsp::knowledge::profile::TocCheck;
use kep_lsp::syntax::mdtoc::{TOC_START, find_markers};

const PATH: &str = "keps/sig-x/1234-name/README.md";
const MDTOC: TocCheck = TocCheck::Mdtoc {
    pre_inline_code: false,
};

fn read(path: &Path) -> Option<String> {
    std::fs::read(path)
        .ok()
        .map(|b| String::from_utf8_lossy(&b).into_owned())
}

fn apply(text: &str, edits: &[TextEdit]) -> String {
    let mut out = text.to_string();
    for e in edits.iter().rev() {
        out.replace_range(e.range.clone(), &e.new_text);
    }
    out
}

/// Why `formatted` is not what `mdtoc --inplace` makes of `stale`: the bytes between the
/// markers must be `\n` + mdtoc's TOC, and everything outside them unchanged.
fn differs_from_mdtoc(stale: &str, formatted: &str, expected_toc: &str) -> Option<String> {
    let markers = |t: &str| match find_markers(t) {
        (Some(s), Some(e)) if s < e => Some((s + TOC_START.len(), e)),
        _ => None,
    };
    let (Some((s0, e0)), Some((s1, e1))) = (markers(stale), markers(formatted)) else {
        return Some("markers lost".into());
    };
    let body = &formatted[s1..e1];
    if body.strip_prefix('\n') != Some(expected_toc) {
        return Some(format!("TOC {body:?}, mdtoc writes {expected_toc:?}"));
    }
    if stale[..s0] != formatted[..s1] || stale[e0..] != formatted[e1..] {
        return Some("text outside the TOC block changed".into());
    }
    None
}

#[test]
fn formatting_writes_what_mdtoc_inplace_writes() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let golden = shared.join("golden/toc");
    let Some(manifest) = read(&golden.join("manifest.jsonl")) else {
        eprintln!("note: {} is absent: skipping", golden.display());
        return;
    };
    let enhancements = shared.join("enhancements");
    let (mut checked, mut real, mut same_as_ok) = (0, 0, 0);
    let mut failures = Vec::new();
    for line in manifest.lines().filter(|l| !l.trim().is_empty()) {
        let case: serde_json::Value = serde_json::from_str(line).expect("manifest line is JSON");
        let id = case["id"].as_str().unwrap_or("?");
        let kind = case["kind"].as_str().unwrap_or("");
        let dir = golden.join(if kind == "real-mutated" {
            "mutated"
        } else {
            "synthetic"
        });
        let file = |which: &str| case["files"][which].as_str().and_then(|f| read(&dir.join(f)));
        match case["verdict"].as_str().unwrap_or("") {
            "ok+stale" => {
                let ok = file("ok").expect("the .ok.md file");
                let stale = file("stale").expect("the .stale.md file");
                let expected = case["expected_toc"].as_str().unwrap_or("");
                let edits = format_document(PATH, &stale, MDTOC);
                let formatted = apply(&stale, &edits);
                if let Some(why) = differs_from_mdtoc(&stale, &formatted, expected) {
                    failures.push(format!("{id}: {why}"));
                }
                if !format_document(PATH, &formatted, MDTOC).is_empty() {
                    failures.push(format!("{id}: formatting twice edits again"));
                }
                // Where the up-to-date copy has no padding inside the markers (mdtoc --dryrun
                // ignores it; --inplace does not write it), it is the whole expected file.
                same_as_ok += usize::from(formatted == ok);
                if !format_document(PATH, &ok, MDTOC).is_empty() {
                    failures.push(format!("{id}: edits on the up-to-date copy"));
                }
                checked += 1;
            }
            which @ ("markers" | "crash") => {
                let text = file(which).expect("the case's file");
                if !format_document(PATH, &text, MDTOC).is_empty() {
                    failures.push(format!("{id}: edits where mdtoc --inplace fails"));
                }
                checked += 1;
            }
            "ok" => {
                let Some(rel) = case["source"]["path"].as_str() else {
                    continue;
                };
                let Some(text) = read(&enhancements.join(rel)) else {
                    continue;
                };
                if !format_document(rel, &text, MDTOC).is_empty() {
                    failures.push(format!("{id} ({rel}): edits on an up-to-date README"));
                }
                real += 1;
            }
            _ => {}
        }
    }
    eprintln!(
        "formatting vs mdtoc: {checked} golden cases ({same_as_ok} stale copies formatted into \
         their .ok.md byte for byte), {real} real READMEs, {} failures",
        failures.len()
    );
    assert!(checked > 0, "no golden case was read");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
