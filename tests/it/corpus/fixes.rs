//! Fixes never make a file worse, on the real tree: every fix offered on a kep.yaml or PRR file
//! of ../shared/enhancements (and the fix-all action), applied, must not duplicate a key, break
//! YAML that parsed, or add an error finding (tests/it/common/fix_safety.rs). Reads ../shared;
//! skips with a note when it is absent.

use crate::common;

use common::*;
use kep_lsp::analysis::{DocumentKind, classify};

#[test]
fn real_tree_fixes_never_make_a_file_worse() {
    let Some(shared) = shared_dir() else { return };
    let keps = shared.join("enhancements/keps");
    if !keps.is_dir() {
        eprintln!("note: {} is absent: skipping", keps.display());
        return;
    }
    let mut ws = MemWorkspace::new().load(&keps, "keps/", false);
    if let Ok(aliases) = std::fs::read_to_string(shared.join("enhancements/OWNERS_ALIASES")) {
        ws = ws.with("OWNERS_ALIASES", &aliases);
    }
    let (mut files, mut fixes) = (0, 0);
    let mut bad = Vec::new();
    for path in ws.paths() {
        let text = ws.text(&path);
        if !matches!(
            classify(&path, text),
            DocumentKind::KepYaml | DocumentKind::PrrYaml
        ) {
            continue;
        }
        files += 1;
        let analyse = |t: &str| run(&path, t, &ws);
        let (problems, tried) = fix_safety::check_fixes(&path, text, &analyse);
        fixes += tried;
        bad.extend(problems);
    }
    eprintln!(
        "enhancements: {fixes} fixes (and fix-alls) applied over {files} files; {} made a file worse",
        bad.len()
    );
    assert!(files > 500, "the tree holds the real kep.yaml and PRR files");
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}
