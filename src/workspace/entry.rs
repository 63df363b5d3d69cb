//! A `KepEntry` from the text of a metadata file (kep.yaml or a legacy front-matter KEP).

use crate::analysis::metadata::parse_metadata;
use crate::analysis::{DocumentKind, KepEntry, KepMetadata, classify};

use super::yaml_values;

/// The index entry for the metadata file at `rel_path` (repo-relative), or `None` when the file
/// is not a KEP's metadata (README, PRR file, template, anything else).
pub fn entry_from_text(rel_path: &str, text: &str) -> Option<KepEntry> {
    let kind = classify(rel_path, text);
    let yaml = match kind {
        DocumentKind::KepYaml => text,
        DocumentKind::LegacyKep => front_matter(text),
        _ => return None,
    };
    let meta = parse_metadata(yaml);
    let mut entry = if meta == KepMetadata::default() {
        fallback_entry(yaml)
    } else {
        entry_from_metadata(&meta)
    };
    let dir = match rel_path.rfind('/') {
        Some(i) => &rel_path[..i],
        None => "",
    };
    entry.dir = dir.to_owned();
    entry.metadata_path = rel_path.to_owned();
    Some(entry)
}

/// The lines between the first `---` line and the next one (how upstream's `KEPHandler.Parse`
/// splits a legacy KEP); the whole rest of the file when the closing marker is missing.
fn front_matter(text: &str) -> &str {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(first_nl) = text.find('\n') else {
        return "";
    };
    let body = &text[first_nl + 1..];
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        if line.trim_end() == "---" {
            return &body[..offset];
        }
        offset += line.len();
    }
    body
}

fn entry_from_metadata(meta: &KepMetadata) -> KepEntry {
    let value = |v: &Option<crate::analysis::Spanned<String>>| {
        v.as_ref().map(|s| s.value.clone()).unwrap_or_default()
    };
    let people = meta
        .authors
        .iter()
        .chain(&meta.reviewers)
        .chain(&meta.approvers)
        .chain(meta.editor.iter())
        .filter_map(|s| clean_handle(&s.value))
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

/// TEMPORARY (remove once `analysis::metadata::parse_metadata` is implemented on main): while it
/// is a stub returning defaults, read the few values the index needs with saphyr directly.
fn fallback_entry(yaml: &str) -> KepEntry {
    let Some(doc) = yaml_values::load(yaml) else {
        return line_entry(yaml);
    };
    let mut entry = KepEntry::default();
    for (key, value) in yaml_values::entries(&doc) {
        let one = || yaml_values::scalar(value).unwrap_or_default();
        match key.as_str() {
            "title" => entry.title = one(),
            "kep-number" => entry.number = one(),
            "owning-sig" => entry.owning_sig = one(),
            "status" => entry.status = one(),
            "stage" => entry.stage = one(),
            "latest-milestone" => entry.latest_milestone = one(),
            "authors" | "reviewers" | "approvers" | "editor" => entry
                .people
                .extend(yaml_values::scalars(value).iter().filter_map(|h| clean_handle(h))),
            _ => {}
        }
    }
    entry
}

/// TEMPORARY, with `fallback_entry`: saphyr 0.3 rejects YAML that yaml.v3 reads (a multi-line
/// flow list with a trailing comma, in sig-node/5573), so read top-level `key: scalar` lines.
fn line_entry(yaml: &str) -> KepEntry {
    let mut entry = KepEntry::default();
    for line in yaml.lines() {
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let value = value
            .split(" #")
            .next()
            .unwrap_or("")
            .trim()
            .trim_matches(['"', '\''])
            .to_owned();
        match key {
            "title" => entry.title = value,
            "kep-number" => entry.number = value,
            "owning-sig" => entry.owning_sig = value,
            "status" => entry.status = value,
            "stage" => entry.stage = value,
            "latest-milestone" => entry.latest_milestone = value,
            _ => {}
        }
    }
    entry
}

/// A handle as written in a people list, without `@`, quotes (typographic ones too) or trailing
/// free text (`@deads2k - For Kube API Server portion`); `None` for `TBD` and empty entries.
pub(crate) fn clean_handle(raw: &str) -> Option<String> {
    let first = raw
        .trim_matches(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '“' | '”' | '‘' | '’'))
        .split_whitespace()
        .next()?;
    let handle = first
        .trim_start_matches('@')
        .trim_matches(|c: char| matches!(c, '"' | '\'' | '“' | '”' | ',' | '‘' | '’'));
    if handle.is_empty() || handle.eq_ignore_ascii_case("tbd") {
        return None;
    }
    Some(handle.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_are_cleaned() {
        assert_eq!(clean_handle("\"@jane\"").as_deref(), Some("jane"));
        assert_eq!(clean_handle("“@neolit123”").as_deref(), Some("neolit123"));
        assert_eq!(
            clean_handle("@deads2k - For Kube API Server").as_deref(),
            Some("deads2k")
        );
        assert_eq!(clean_handle("TBD"), None);
        assert_eq!(clean_handle("  "), None);
    }

    #[test]
    fn front_matter_is_between_markers() {
        assert_eq!(front_matter("---\ntitle: x\n---\n# body\n"), "title: x\n");
        assert_eq!(front_matter("---\ntitle: x\n"), "title: x\n");
        assert_eq!(front_matter("---"), "");
    }
}
