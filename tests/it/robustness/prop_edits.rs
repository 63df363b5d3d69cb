//! Property: incremental edits, applied by the server's own edit path (`Documents::change`, which
//! calls `apply_changes`), give the same text as the edits applied to a plain String, and so the
//! same analysis as opening the full text; in every position encoding, on real KEP files with
//! non-ASCII edits, with several changes per didChange and full replacements mixed in.
//!
//! The edits are generated as byte ranges and converted to LSP positions by the naive reference
//! model (fuzz/src/reference.rs), so the server's conversion is checked, not reused.

use super::reference;
use crate::common;

use std::path::Path;

use common::MemWorkspace;
use kep_lsp::lsp::documents::Documents;
use kep_lsp::lsp::position::Encoding;
use proptest::prelude::*;
use reference::Unit;
use tower_lsp_server::ls_types::{Position, Range, TextDocumentContentChangeEvent, Uri};

const CASES: u32 = 48;

const FILES: &[&str] = &[
    "keps/sig-node/2625-cpumanager-policies-thread-placement/kep.yaml",
    "keps/sig-storage/2924-csi-migration-cephfs/README.md",
    "keps/sig-network/20190118-pod-dns-config.md",
    "keps/prod-readiness/sig-node/281.yaml",
];

const PIECES: &[&str] = &[
    "",
    "x",
    "é",
    "字",
    "😀",
    "\u{301}",
    "\n",
    "\r\n",
    "\r",
    ": ",
    "- ",
    "## ",
    "status: implemented\n",
    "title: 日本語 😀\n",
];

fn repo() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/robust")
}

/// One content change as generated: `None` range = full replacement.
#[derive(Debug, Clone)]
struct Edit {
    at: prop::sample::Index,
    len: usize,
    piece: &'static str,
    full: bool,
}

fn edit() -> impl Strategy<Value = Edit> {
    (
        any::<prop::sample::Index>(),
        0usize..40,
        prop::sample::select(PIECES),
        prop::bool::weighted(0.03),
    )
        .prop_map(|(at, len, piece, full)| Edit { at, len, piece, full })
}

fn floor(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The LSP change for `e` on `text`, and the text after it.
fn to_change(text: &str, e: &Edit, unit: Unit) -> (TextDocumentContentChangeEvent, String) {
    if e.full {
        let new = format!("{}{}", e.piece, text);
        let change = TextDocumentContentChangeEvent {
            range: None,
            range_length: None,
            text: new.clone(),
        };
        return (change, new);
    }
    let start = floor(text, e.at.index(text.len() + 1));
    let end = floor(text, start + e.len);
    let (sl, sc) = reference::offset_to_position(text, start, unit);
    let (el, ec) = reference::offset_to_position(text, end, unit);
    let mut out = String::new();
    out.push_str(&text[..start]);
    out.push_str(e.piece);
    out.push_str(&text[end..]);
    let change = TextDocumentContentChangeEvent {
        range: Some(Range::new(Position::new(sl, sc), Position::new(el, ec))),
        range_length: None,
        text: e.piece.to_string(),
    };
    (change, out)
}

/// A change landing between `\r` and `\n` is clamped by the server (that is not a position), so
/// the String model would disagree for a reason the spec gives: regenerate such cases.
fn splits_crlf(text: &str, e: &Edit) -> bool {
    if e.full {
        return false;
    }
    let start = floor(text, e.at.index(text.len() + 1));
    let end = floor(text, start + e.len);
    [start, end].iter().any(|&i| {
        i > 0 && text.as_bytes().get(i - 1) == Some(&b'\r') && text.as_bytes().get(i) == Some(&b'\n')
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn incremental_edits_equal_the_full_text_and_its_analysis(
        file in prop::sample::select(FILES),
        enc in prop::sample::select(&[Encoding::Utf8, Encoding::Utf16, Encoding::Utf32][..]),
        batches in prop::collection::vec(prop::collection::vec(edit(), 1..4), 1..12),
    ) {
        let unit = match enc {
            Encoding::Utf8 => Unit::Utf8,
            Encoding::Utf16 => Unit::Utf16,
            Encoding::Utf32 => Unit::Utf32,
        };
        let original = std::fs::read_to_string(repo().join(file)).expect("fixture");
        let uri: Uri = format!("file:///r/{file}").parse().expect("uri");
        let docs = Documents::default();
        docs.open(uri.clone(), original.as_str(), 1, file.to_string());
        let mut text = original.clone();
        let mut version = 1;
        for batch in &batches {
            let mut changes = Vec::new();
            for e in batch {
                prop_assume!(!splits_crlf(&text, e));
                let (change, next) = to_change(&text, e, unit);
                changes.push(change);
                text = next;
            }
            version += 1;
            docs.change(&uri, version, &changes, enc).expect("valid changes apply");
        }
        let doc = docs.get(&uri).expect("still open");
        prop_assert_eq!(doc.version, version);
        let incremental = doc.rope().to_string();
        prop_assert!(incremental == text, "texts differ after {} batches", batches.len());

        let ws = MemWorkspace::new().load(&repo(), "", false);
        let by_edits = common::run(file, &incremental, &ws);
        let by_full = common::run(file, &text, &ws);
        prop_assert_eq!(&by_edits.findings, &by_full.findings);
    }
}
