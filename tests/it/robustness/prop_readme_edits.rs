//! Property: after a random edit script on a real README, applied through the server's
//! incremental `didChange` (several changes per notification, the worker coalescing the
//! analyses as it does while someone types), the diagnostics published for the last version
//! equal those of a fresh `didOpen` of the final text. Issue 15: "incremental results must
//! equal a full analysis". The server re-reads a README's outline around each edit from the
//! last one it analysed (`syntax::outline_reuse`); the fresh `didOpen` is at another path, so
//! that it is a full parse.
//!
//! Reads real READMEs from `../shared/enhancements` (skipped with a note when it is absent).
//! One server (the debug binary) serves every case; each case opens its README under a URI of
//! its own, so no state carries over but what the server keeps on purpose. The edits favour
//! what changes a README's structure, and so what crosses the bounds of the part re-read:
//! headings, fences, HTML blocks and comments, TOC markers, links and link reference
//! definitions, footnotes, table pipes, code spans, list markers, title-block and math
//! markers, non-ASCII text.

use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::common;
use common::lsp_client::{LspClient, capabilities, edit};
use proptest::prelude::*;
use serde_json::{Value, json};

const CASES: u32 = 64;

/// A spread of sizes, from the largest README of the tree (153 KB) down.
const READMES: &[&str] = &[
    "keps/sig-api-machinery/1040-priority-and-fairness/README.md",
    "keps/sig-apps/5882-deployment-pod-replacement-policy/README.md",
    "keps/sig-node/2043-pod-resource-concrete-assigments/README.md",
    "keps/sig-node/688-pod-overhead/README.md",
    "keps/sig-release/3000-artifact-distribution/README.md",
    "keps/sig-scheduling/268-priority-preemption/README.md",
];

const PIECES: &[&str] = &[
    "",
    "x",
    "é 字 😀",
    "\n",
    "\n\n",
    "# ",
    "## ",
    "### Design Details\n",
    "## Summary\n",
    "```\n",
    "`",
    "<!-- ",
    " -->",
    "<!-- toc -->\n",
    "<!-- /toc -->\n",
    "[a link](#design-details)",
    "[text][label]",
    "](#my anchor)",
    "| a | b |\n|---|---|\n",
    "- ",
    "1. ",
    "> ",
    "    ",
    "[UNRESOLVED]\n",
    "TODO",
    "\n\n## Heading\n\n",
    "<div>\n",
    "</div>\n\n",
    "<details>\n",
    "\n[label]: https://example.com\n",
    "[^1]",
    "~~~\n",
    "---\n",
    "$$",
    "<!-- /toc -->",
    "</",
];

/// One content change: replace `len` bytes at `at` (snapped to char boundaries) by `piece`.
#[derive(Debug, Clone)]
struct Edit {
    at: prop::sample::Index,
    len: usize,
    piece: &'static str,
}

fn an_edit() -> impl Strategy<Value = Edit> {
    (
        any::<prop::sample::Index>(),
        prop_oneof![3 => Just(0usize), 2 => 1usize..8, 1 => 8usize..400],
        prop::sample::select(PIECES),
    )
        .prop_map(|(at, len, piece)| Edit { at, len, piece })
}

fn floor(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The server shared by the cases (spawning one per case would dominate the run time). It is
/// never dropped: it exits when the test process ends and its stdin closes.
static SERVER: Mutex<Option<LspClient>> = Mutex::new(None);
static CASE: AtomicUsize = AtomicUsize::new(0);

fn enhancements() -> Option<PathBuf> {
    common::shared_dir()
        .map(|s| s.join("enhancements"))
        .filter(|p| p.join(READMES[0]).is_file())
}

/// The published diagnostics, as comparable values (the order the server sends them in).
fn diagnostics(c: &mut LspClient, uri: &str, version: i64) -> Vec<Value> {
    c.diagnostics_at(uri, version)["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn diagnostics_after_incremental_edits_equal_a_fresh_open(
        readme in prop::sample::select(READMES),
        batches in prop::collection::vec(prop::collection::vec(an_edit(), 1..4), 1..10),
    ) {
        let Some(root) = enhancements() else { return Ok(()) };
        let original = std::fs::read_to_string(root.join(readme)).expect("README");
        let mut guard = SERVER.lock().unwrap_or_else(|e| e.into_inner());
        let c = guard.get_or_insert_with(|| {
            let mut c = LspClient::spawn();
            c.initialize(json!({"capabilities": capabilities(&["utf-16"])}));
            c
        });
        // A path of its own per case (and per shrinking step), under a KEP-shaped folder so
        // that every README rule runs; nothing is read from disk at this path.
        let case = CASE.fetch_add(1, Ordering::Relaxed);
        let uri = format!("file:///kep-prop-{case}/{readme}");
        c.open(&uri, "markdown", 1, &original);
        let mut text = original;
        let mut version = 1;
        for batch in &batches {
            let mut changes = Vec::new();
            for e in batch {
                let start = floor(&text, e.at.index(text.len() + 1));
                let end = floor(&text, start + e.len);
                let (change, next) = edit(&text, start..end, e.piece, "utf-16");
                changes.push(change);
                text = next;
            }
            version += 1;
            c.change(&uri, version, Value::Array(changes));
        }
        let incremental = diagnostics(c, &uri, version);
        let (held, held_version) = c.document_text(&uri);
        prop_assert_eq!(held_version, version);
        prop_assert!(held == text, "the server's text differs from the script's");

        // The final text, opened afresh at a path of its own: a full analysis with no history.
        c.notify("textDocument/didClose", json!({"textDocument": {"uri": uri}}));
        let fresh_uri = format!("file:///kep-prop-{case}-fresh/{readme}");
        c.open(&fresh_uri, "markdown", 1, &text);
        let fresh = diagnostics(c, &fresh_uri, 1);
        c.notify("textDocument/didClose", json!({"textDocument": {"uri": fresh_uri}}));
        prop_assert_eq!(incremental, fresh);
    }
}
