//! Open documents: one rope and version per URI, and the ONE function that applies edits.
//!
//! The store sits behind a plain (non-async) mutex: every edit is applied synchronously by the
//! message loop (see `sequenced.rs`), so edits reach the rope in the order the client sent them.
//! Nothing here ever panics on client input: an unknown document, a stale version or an impossible
//! range is logged and the notification ignored.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use ropey::Rope;
use tower_lsp_server::ls_types::{TextDocumentContentChangeEvent, Uri};

use super::position::{Encoding, lsp_to_range};
use crate::analysis::{KepEntry, KepMetadata, OwnKep, entry_from_text};

/// One open document: one version's text, held as a rope (for edits and positions) and as one
/// string (for the analyses), each made from the other on first use and shared by every copy
/// of the version.
///
/// Why both, made lazily: a didOpen brings the text whole. Building the rope of a 153 KB
/// README (0.6 M instructions) used to come before its analysis could start, and the analysis
/// then copied the rope back into a string; now the analysis starts from the text while
/// `did_open` has the rope built beside it. After an edit the rope is the source and the
/// string is made once per version, however many snapshots ask (diagnostics, hover, code
/// actions).
#[derive(Debug, Clone)]
pub struct Document {
    rope: Arc<OnceLock<Rope>>,
    text: Arc<OnceLock<Arc<str>>>,
    pub version: i32,
    /// The path the core sees: repo-relative when the root is known, else the file path (or the
    /// URI's path for non-file URIs). Computed once at open.
    pub path: String,
    /// The document's KEP entry (`entry_from_text` of this version's text), read the first time
    /// the workspace view asks for it and dropped by every edit: the overlay asks on every
    /// kep.yaml analysis, for every open KEP file, and re-reading them each time cost as much
    /// as the analysis itself.
    entry: EntryCell,
    /// The document's metadata (`parse_metadata` of this version's text), read the first time
    /// the workspace view asks for it: a README's analysis asks for its open kep.yaml's on
    /// every keystroke.
    metadata: Arc<OnceLock<Arc<KepMetadata>>>,
}

/// The text of `rope` as one string, sized once and copied chunk by chunk (`to_string` goes
/// through `fmt::Display` a chunk at a time: 120 K instructions for a 150 KB README, on every
/// keystroke's snapshot).
pub(crate) fn rope_text(rope: &Rope) -> String {
    let mut text = String::with_capacity(rope.len_bytes());
    for chunk in rope.chunks() {
        text.push_str(chunk);
    }
    text
}

impl Document {
    fn from_rope(rope: Rope, version: i32, path: String) -> Document {
        Document {
            rope: Arc::new(OnceLock::from(rope)),
            text: Arc::default(),
            version,
            path,
            entry: Arc::default(),
            metadata: Arc::default(),
        }
    }

    /// This version's text as a rope (built from the text on first use).
    pub fn rope(&self) -> &Rope {
        self.rope
            .get_or_init(|| Rope::from_str(self.text.get().map_or("", |t| t)))
    }

    /// This version's text (copied out of the rope on first use).
    pub fn text(&self) -> Arc<str> {
        self.text
            .get_or_init(|| match self.rope.get() {
                Some(rope) => Arc::from(rope_text(rope)),
                None => Arc::from(""),
            })
            .clone()
    }
}

/// A document's KEP entry, once read (shared by the copies of one version).
type EntryCell = Arc<OnceLock<Option<Arc<KepEntry>>>>;

/// Why an edit was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditError {
    UnknownDocument,
    StaleVersion { current: i32, got: i32 },
    ImpossibleRange { index: usize },
}

impl std::fmt::Display for EditError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EditError::UnknownDocument => write!(f, "change for a document that is not open"),
            EditError::StaleVersion { current, got } => {
                write!(f, "stale version {got} (document is at {current})")
            }
            EditError::ImpossibleRange { index } => write!(f, "change #{index} has its start after its end"),
        }
    }
}

/// The open documents.
#[derive(Debug, Default)]
pub struct Documents {
    docs: NoPoisonMutex<HashMap<Uri, Document>>,
    /// Bumped by every open, accepted change and close: results computed from the open
    /// documents (the workspace report cache) are stale once it moves.
    generation: AtomicU64,
}

/// A std mutex whose poisoning (a panic while holding it) does not take the server down: the
/// map is consistent between operations, so the inner value stays usable after a panic.
#[derive(Debug, Default)]
pub(crate) struct NoPoisonMutex<T>(std::sync::Mutex<T>);

impl<T> NoPoisonMutex<T> {
    pub(crate) fn new(value: T) -> Self {
        NoPoisonMutex(std::sync::Mutex::new(value))
    }

    pub(crate) fn lock(&self) -> std::sync::MutexGuard<'_, T> {
        self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Documents {
    /// Store a document opened with `text`; its rope is built on first use (`Document::rope`),
    /// which `did_open` asks for once the analysis is queued.
    pub fn open(&self, uri: Uri, text: impl Into<Arc<str>>, version: i32, path: String) {
        let doc = Document {
            rope: Arc::default(),
            text: Arc::new(OnceLock::from(text.into())),
            version,
            path,
            entry: Arc::default(),
            metadata: Arc::default(),
        };
        self.docs.lock().insert(uri, doc);
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// How many times the set of open documents or their texts changed so far.
    pub(crate) fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    pub(crate) fn close(&self, uri: &Uri) -> bool {
        let closed = self.docs.lock().remove(uri).is_some();
        self.generation.fetch_add(1, Ordering::SeqCst);
        closed
    }

    /// Apply a didChange's edits, in order, all or nothing.
    pub fn change(
        &self,
        uri: &Uri,
        version: i32,
        changes: &[TextDocumentContentChangeEvent],
        enc: Encoding,
    ) -> Result<(), EditError> {
        let mut docs = self.docs.lock();
        let doc = docs.get_mut(uri).ok_or(EditError::UnknownDocument)?;
        if version <= doc.version {
            return Err(EditError::StaleVersion {
                current: doc.version,
                got: version,
            });
        }
        // Ropes share their nodes, so this clone is cheap; it makes a failing batch leave the
        // document untouched instead of half-edited.
        let mut rope = doc.rope().clone();
        apply_changes(&mut rope, changes, enc)?;
        *doc = Document::from_rope(rope, version, std::mem::take(&mut doc.path));
        self.generation.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }

    /// A copy of the document (rope clones are O(1)).
    pub fn get(&self, uri: &Uri) -> Option<Document> {
        self.docs.lock().get(uri).cloned()
    }

    pub(crate) fn version(&self, uri: &Uri) -> Option<i32> {
        self.docs.lock().get(uri).map(|d| d.version)
    }

    pub(crate) fn uris(&self) -> Vec<Uri> {
        self.docs.lock().keys().cloned().collect()
    }

    /// Open documents whose path is `path` (the core's path), for the related-file rule.
    pub(crate) fn uris_with_path(&self, pred: impl Fn(&str) -> bool) -> Vec<Uri> {
        self.docs
            .lock()
            .iter()
            .filter(|(_, d)| pred(&d.path))
            .map(|(u, _)| u.clone())
            .collect()
    }

    pub(crate) fn has_path(&self, path: &str) -> bool {
        self.docs.lock().values().any(|d| d.path == path)
    }

    /// The KEP entry of every open document whose path `may_be_metadata` (`None`: the document
    /// is no KEP's metadata file), by core path. Each is
    /// read once per version; `own` (an analysis's reading of one document's exact text) is
    /// taken instead of reading that document.
    pub(crate) fn kep_entries(
        &self,
        may_be_metadata: impl Fn(&str) -> bool,
        own: Option<&OwnKep<'_>>,
    ) -> Vec<(String, Option<Arc<KepEntry>>)> {
        // Documents are cloned under the lock (O(1)); texts are read outside it.
        let open: Vec<Document> = self
            .docs
            .lock()
            .values()
            .filter(|d| may_be_metadata(&d.path))
            .cloned()
            .collect();
        open.into_iter()
            .map(|doc| {
                let entry = doc
                    .entry
                    .get_or_init(|| {
                        let text = doc.text();
                        match own {
                            Some(own) if own.path == doc.path && *text == *own.text => {
                                Some(Arc::new(own.entry.clone()))
                            }
                            _ => entry_from_text(&doc.path, &text).map(Arc::new),
                        }
                    })
                    .clone();
                (doc.path, entry)
            })
            .collect()
    }

    /// The metadata of the open document at the core path `path` (`parse_metadata` of its
    /// text, once per version), for the workspace view; `None` when no open document has it.
    pub(crate) fn metadata_at_path(&self, path: &str) -> Option<Arc<KepMetadata>> {
        let doc = self.docs.lock().values().find(|d| d.path == path)?.clone();
        Some(
            doc.metadata
                .get_or_init(|| Arc::new(crate::model::kep_yaml::parse_metadata(&doc.text())))
                .clone(),
        )
    }

    /// The current text of the open document at the core path `path`, for the workspace view.
    pub(crate) fn text_at_path(&self, path: &str) -> Option<Arc<str>> {
        // Clone the document (O(1)) under the lock and build the string outside it, so the
        // message loop never waits on a big conversion.
        let doc = self.docs.lock().values().find(|d| d.path == path)?.clone();
        Some(doc.text())
    }
}

/// THE edit function: apply LSP content changes to a rope, in order. A change without a range
/// replaces the whole text; ranges are clamped (see position.rs); a range whose start is after its
/// end is an error.
pub fn apply_changes(
    rope: &mut Rope,
    changes: &[TextDocumentContentChangeEvent],
    enc: Encoding,
) -> Result<(), EditError> {
    for (index, change) in changes.iter().enumerate() {
        match change.range {
            None => *rope = Rope::from_str(&change.text),
            Some(range) => {
                let bytes = lsp_to_range(rope, range, enc).ok_or(EditError::ImpossibleRange { index })?;
                let start = rope.byte_to_char(bytes.start);
                let end = rope.byte_to_char(bytes.end);
                rope.remove(start..end);
                rope.insert(start, &change.text);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_lsp_server::ls_types::{Position, Range};

    fn edit(sl: u32, sc: u32, el: u32, ec: u32, text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(sl, sc), Position::new(el, ec))),
            range_length: None,
            text: text.to_string(),
        }
    }

    fn uri() -> Uri {
        "file:///r/keps/sig-x/1-a/kep.yaml".parse().expect("valid uri")
    }

    #[test]
    fn edits_apply_in_order_in_utf16() {
        let mut rope = Rope::from_str("title: 😀 日本\nstage: alpha\n");
        let changes = [
            edit(0, 10, 0, 12, "中文"), // replace 日本 (after the emoji: 7 + 2 + 1)
            edit(1, 7, 1, 12, "beta"),
            edit(0, 7, 0, 9, ""), // delete the emoji
        ];
        apply_changes(&mut rope, &changes, Encoding::Utf16).expect("valid edits");
        assert_eq!(rope.to_string(), "title:  中文\nstage: beta\n");
    }

    #[test]
    fn edits_in_utf8_columns() {
        let mut rope = Rope::from_str("a: 日本\n");
        apply_changes(&mut rope, &[edit(0, 6, 0, 9, "x")], Encoding::Utf8).expect("valid edit");
        assert_eq!(rope.to_string(), "a: 日x\n");
    }

    #[test]
    fn full_replacement_and_clamped_insert_at_end() {
        let mut rope = Rope::from_str("old");
        let full = TextDocumentContentChangeEvent {
            range: None,
            range_length: None,
            text: "new\n".into(),
        };
        apply_changes(&mut rope, &[full, edit(9, 0, 9, 0, "tail")], Encoding::Utf16).expect("valid");
        assert_eq!(rope.to_string(), "new\ntail");
        assert_eq!(rope_text(&rope), rope.to_string());
        let long = "é字\n".repeat(20_000);
        assert_eq!(rope_text(&Rope::from_str(&long)), long);
    }

    #[test]
    fn unknown_stale_and_impossible_changes_are_refused_and_leave_the_text() {
        let docs = Documents::default();
        assert_eq!(
            docs.change(&uri(), 2, &[edit(0, 0, 0, 0, "x")], Encoding::Utf16),
            Err(EditError::UnknownDocument)
        );
        docs.open(uri(), "abc\n", 1, "p".into());
        assert_eq!(
            docs.change(&uri(), 1, &[edit(0, 0, 0, 0, "x")], Encoding::Utf16),
            Err(EditError::StaleVersion { current: 1, got: 1 })
        );
        // The first change is fine, the second impossible: nothing is applied.
        let bad = [edit(0, 0, 0, 0, "x"), edit(0, 3, 0, 1, "y")];
        assert_eq!(
            docs.change(&uri(), 2, &bad, Encoding::Utf16),
            Err(EditError::ImpossibleRange { index: 1 })
        );
        let doc = docs.get(&uri()).expect("open");
        assert_eq!((doc.rope().to_string().as_str(), doc.version), ("abc\n", 1));
        docs.change(&uri(), 5, &[edit(0, 3, 0, 3, "d")], Encoding::Utf16)
            .expect("valid");
        let doc = docs.get(&uri()).expect("open");
        assert_eq!((doc.rope().to_string().as_str(), doc.version), ("abcd\n", 5));
    }
}
