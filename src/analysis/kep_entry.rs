//! A `KepEntry` (the index's record of a KEP) from the text of a metadata file (kep.yaml or a
//! legacy front-matter KEP): shared by the workspace index, the server's open documents and tests.

use crate::analysis::{DocumentKind, KepEntry, KepMetadata, Person, Role, Spanned, classify};
use crate::model::handle::clean_handle;
use crate::model::kep_yaml::{parse_legacy, parse_metadata};

/// The index entry for the metadata file at `rel_path` (repo-relative), or `None` when the file
/// is not a KEP's metadata (README, PRR file, template, anything else).
pub fn entry_from_text(rel_path: &str, text: &str) -> Option<KepEntry> {
    entry_and_metadata(rel_path, text).map(|(entry, _)| entry)
}

/// `entry_from_text`, with the metadata it was read from when the file is a kep.yaml (what
/// `WorkspaceView::kep_metadata` answers; a legacy KEP's is never asked for).
pub(crate) fn entry_and_metadata(rel_path: &str, text: &str) -> Option<(KepEntry, Option<KepMetadata>)> {
    let (meta, kep_yaml) = match classify(rel_path, text) {
        DocumentKind::KepYaml => (parse_metadata(text), true),
        // A legacy KEP whose front matter is not closed is still a KEP, with nothing known.
        DocumentKind::LegacyKep => (
            parse_legacy(text).map(|(_, meta)| meta).unwrap_or_default(),
            false,
        ),
        _ => return None,
    };
    let entry = entry_from_parsed(rel_path, &meta);
    Some((entry, kep_yaml.then_some(meta)))
}

/// The entry `entry_from_text` gives for a metadata file whose model is already read (by an
/// analysis of that file: see `WorkspaceView::kep_list`).
pub(crate) fn entry_from_parsed(rel_path: &str, meta: &KepMetadata) -> KepEntry {
    let mut entry = entry_from_metadata(meta);
    let dir = match rel_path.rfind('/') {
        Some(i) => &rel_path[..i],
        None => "",
    };
    entry.dir = dir.to_owned();
    entry.metadata_path = rel_path.to_owned();
    entry
}

fn entry_from_metadata(meta: &KepMetadata) -> KepEntry {
    let value = |v: &Option<Spanned<String>>| v.as_ref().map(|s| s.value.clone()).unwrap_or_default();
    let fields: [(Role, &[Spanned<String>]); 4] = [
        (Role::Author, &meta.authors),
        (Role::Reviewer, &meta.reviewers),
        (Role::Approver, &meta.approvers),
        (Role::Editor, meta.editor.as_slice()),
    ];
    let people = fields
        .into_iter()
        .flat_map(|(role, list)| {
            list.iter()
                .filter_map(move |s| clean_handle(&s.value).map(|handle| Person { handle, role }))
        })
        .collect();
    KepEntry {
        number: value(&meta.kep_number),
        title: value(&meta.title),
        owning_sig: value(&meta.owning_sig),
        status: value(&meta.status),
        stage: value(&meta.stage),
        latest_milestone: value(&meta.latest_milestone),
        people,
        ..KepEntry::default()
    }
}
