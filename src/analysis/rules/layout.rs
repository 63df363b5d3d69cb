//! Rules across the tree: folder vs owning-sig and kep-number, duplicate numbers, references
//! (see-also / replaces / superseded-by) that name no KEP.
//!
//! None of these are checked upstream (kep-format.md §8), so all are warnings.

use crate::analysis::context::number_key;
use crate::analysis::kep_entry::entry_from_parsed;
use crate::analysis::{Code, Context, Finding, Fix, KepEntry, KepMetadata, Keps, OwnKep, Severity, TextEdit};
use crate::model::kep::Spanned;
use crate::model::kep_path::{KepLocation, kep_location};

/// Folder vs owning-sig and kep-number (from the path alone), duplicate numbers and references
/// (with a workspace).
pub(crate) fn check_kep_layout(
    path: &str,
    text: &str,
    meta: &KepMetadata,
    ctx: &Context<'_>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let loc = kep_location(path);
    if let Some(loc) = &loc {
        folder_sig(&mut out, text, loc, meta, ctx);
        folder_number(&mut out, text, loc, meta);
    }
    if !ctx.workspace.has_root() {
        return out;
    }
    // The server's overlay would otherwise parse this very text again for its entry.
    let own = entry_from_parsed(path, meta);
    let keps = ctx.workspace.kep_list(Some(&OwnKep {
        path,
        text,
        entry: &own,
    }));
    duplicate_number(&mut out, path, meta, &keps);
    for (field, list) in [
        ("see-also", &meta.see_also),
        ("replaces", &meta.replaces),
        ("superseded-by", &meta.superseded_by),
    ] {
        for r in list {
            reference(&mut out, text, field, r, ctx, &keps);
        }
    }
    out
}

/// Replace a value keeping the quotes it had.
fn replace_keeping_quotes(text: &str, span: &std::ops::Range<usize>, value: &str) -> TextEdit {
    let raw = text.get(span.clone()).unwrap_or("");
    let new = match raw.chars().next() {
        Some(q @ ('"' | '\'')) => format!("{q}{value}{q}"),
        _ => value.to_string(),
    };
    TextEdit::new(span.clone(), new)
}

fn folder_sig(out: &mut Vec<Finding>, text: &str, loc: &KepLocation, meta: &KepMetadata, ctx: &Context<'_>) {
    let Some(owner) = &meta.owning_sig else { return };
    let o = owner.value.trim();
    // An owning-sig that is no group at all is reported as unknown-sig; a second finding on the
    // same value pointing the other way would only confuse.
    let known = ctx.knowledge.sigs.contains(o) || ctx.knowledge.sigs.retired(o).is_some();
    if o.is_empty() || o == loc.sig || !known {
        return;
    }
    // keps/provider-aws/... is owned by sig-cloud-provider by design: say so, softly.
    let folder_is_group =
        ctx.knowledge.sigs.contains(&loc.sig) || ctx.knowledge.sigs.retired(&loc.sig).is_some();
    let mut f = Finding::new(
        Code::FolderSigMismatch,
        owner.span.clone(),
        format!(
            "owning-sig is {o} but the KEP lives under keps/{}/: move the folder or fix owning-sig",
            loc.sig
        ),
    );
    if folder_is_group {
        f = f.with_fix(Fix::new(
            format!("Change owning-sig to {}", loc.sig),
            vec![replace_keeping_quotes(text, &owner.span, &loc.sig)],
        ));
    } else {
        f = f.with_severity(Severity::Info);
    }
    out.push(f);
}

fn folder_number(out: &mut Vec<Finding>, text: &str, loc: &KepLocation, meta: &KepMetadata) {
    let (Some(num), Some(folder_num)) = (&meta.kep_number, &loc.number) else {
        return;
    };
    let n = num.value.trim();
    if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
        return;
    }
    if n.trim_start_matches('0') == folder_num.trim_start_matches('0') {
        return;
    }
    out.push(
        Finding::new(
            Code::FolderNumberMismatch,
            num.span.clone(),
            format!(
                "kep-number is {n} but the folder is {}: they should be the tracking issue's number",
                loc.folder
            ),
        )
        .with_fix(Fix::new(
            format!("Change kep-number to {folder_num}"),
            vec![replace_keeping_quotes(text, &num.span, folder_num)],
        )),
    );
}

/// The KEPs numbered `b`, in list order: an entry's number is `b` when both, trimmed and without
/// leading zeros, are the same digits (`0042` is `42`; `0` and `x42` are no number). A lookup in
/// the index's number map, not a scan of every entry (~5,500 in a ten-times tree) per question.
fn numbered<'k>(keps: &'k Keps, b: &str) -> Vec<&'k KepEntry> {
    let want = number_key(b);
    if want.is_empty() || !want.bytes().all(|c| c.is_ascii_digit()) {
        return Vec::new();
    }
    keps.numbered(want)
}

fn duplicate_number(out: &mut Vec<Finding>, path: &str, meta: &KepMetadata, keps: &Keps) {
    let Some(num) = &meta.kep_number else { return };
    let me = path.trim_start_matches('/');
    let other = numbered(keps, &num.value)
        .into_iter()
        .find(|k| !me.ends_with(k.metadata_path.trim_start_matches('/')) && !k.dir.contains("kep-template"));
    if let Some(other) = other {
        out.push(Finding::new(
            Code::DuplicateKepNumber,
            num.span.clone(),
            format!(
                "kep-number {} is also used by {}: each KEP has its own tracking issue",
                num.value.trim(),
                other.dir
            ),
        ));
    }
}

/// The repo path a reference names, if it names one: `/keps/...`, `keps/...`, or a URL into
/// github.com/kubernetes/enhancements (`tree|blob/<branch>/keps/...`).
fn reference_path(r: &str) -> Option<String> {
    let r = r.trim();
    // `[Title](url)` in see-also of old KEPs.
    let r = match (r.find("]("), r.ends_with(')')) {
        (Some(i), true) => &r[i + 2..r.len() - 1],
        _ => r,
    };
    let r = r.split('#').next().unwrap_or(r);
    let path = if let Some(rest) = r
        .strip_prefix("https://github.com/kubernetes/enhancements/")
        .or_else(|| r.strip_prefix("http://github.com/kubernetes/enhancements/"))
    {
        let mut parts = rest.splitn(3, '/');
        match (parts.next(), parts.next(), parts.next()) {
            (Some("tree" | "blob"), Some(_branch), Some(p)) => p.to_string(),
            _ => return None,
        }
    } else if r.starts_with("/keps/") || r.starts_with("keps/") {
        r.trim_start_matches('/').to_string()
    } else {
        return None;
    };
    Some(path.trim_end_matches('/').to_string())
}

/// `KEP-1234`, `kep-1234`, `#1234`, or the tracking issue URL: the number it names.
fn reference_number(r: &str) -> Option<&str> {
    let r = r.trim();
    let n = r
        .strip_prefix("KEP-")
        .or_else(|| r.strip_prefix("kep-"))
        .or_else(|| r.strip_prefix("KEP "))
        .or_else(|| r.strip_prefix('#'))
        .or_else(|| r.strip_prefix("https://github.com/kubernetes/enhancements/issues/"))?;
    (!n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())).then_some(n)
}

fn reference(
    out: &mut Vec<Finding>,
    text: &str,
    field: &str,
    r: &Spanned<String>,
    ctx: &Context<'_>,
    keps: &Keps,
) {
    let value = r.value.trim();
    if crate::knowledge::schema::is_template_leftover(field, value) {
        return; // reported as a template leftover
    }
    if let Some(n) = reference_number(value) {
        if numbered(keps, n).is_empty() {
            out.push(Finding::new(
                Code::UnresolvedReference,
                r.span.clone(),
                format!("{field}: no KEP numbered {n} in this repository"),
            ));
        }
        return;
    }
    // Other URLs (design proposals, docs) cannot be checked offline.
    let Some(path) = reference_path(value) else { return };
    if ctx.workspace.exists(&path) {
        return;
    }
    // A KEP folder renamed since: find it by number.
    let folder = path
        .split('/')
        .rev()
        .find(|p| p.starts_with(|c: char| c.is_ascii_digit()) && p.contains('-'));
    let number: Option<String> = folder.map(|f| f.chars().take_while(char::is_ascii_digit).collect());
    let moved = number
        .as_deref()
        .filter(|n| n.len() < 8) // not a legacy YYYYMMDD date
        .and_then(|n| {
            numbered(keps, n)
                .into_iter()
                .find(|k| k.metadata_path.ends_with("kep.yaml"))
        })
        .or_else(|| migrated(&path, keps));
    let mut f = Finding::new(
        Code::UnresolvedReference,
        r.span.clone(),
        format!("{field}: {path} does not exist in this repository"),
    );
    if let Some(k) = moved {
        let lead = if value.starts_with('/') { "/" } else { "" };
        let new_path = format!("{lead}{}", k.dir);
        f.message = format!("{field}: {path} does not exist: KEP {} is at {}", k.number, k.dir);
        f = f.with_fix(Fix::new(
            format!("Point to {new_path}"),
            vec![replace_keeping_quotes(text, &r.span, &new_path)],
        ));
    }
    out.push(f);
}

/// A 2018-2019 single-file KEP (`keps/sig-x/20190426-crd-defaulting.md`) moved in 2019 to a
/// folder with the same short title (`keps/sig-x/575-crd-defaulting/`): the one KEP whose folder
/// ends with that title, if exactly one does.
fn migrated<'k>(path: &str, keps: &'k Keps) -> Option<&'k KepEntry> {
    let file = path.rsplit('/').next()?.strip_suffix(".md")?;
    let slug = file
        .trim_start_matches(|c: char| c.is_ascii_digit() || c == '-')
        .to_ascii_lowercase();
    if slug.len() < 4 {
        return None;
    }
    let hits = keps.with_slug(&slug);
    let mut hits = hits.into_iter().filter(|k| k.metadata_path.ends_with("kep.yaml"));
    let first = hits.next()?;
    hits.next().is_none().then_some(first)
}

/// Whether `path` (repo-relative) is a `README.md` that upstream's walk of `keps/` may read as a
/// KEP's (pkg/repo/validate.go): in a folder below `keps/` (not `keps/README.md`), not inside a
/// `prod-readiness` folder (the walk skips those), not in the template folder. Path only: see
/// `check_readme_has_metadata` for the folders the walk leaves out.
pub(crate) fn is_kep_readme_path(path: &str) -> bool {
    let path = path.replace('\\', "/");
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    parts.len() >= 3
        && parts[0] == "keps"
        && parts.last() == Some(&"README.md")
        && !parts.contains(&"prod-readiness")
        && !parts.iter().any(|p| p.ends_with("kep-template"))
}

/// R6: a README.md that upstream's walk reads as a KEP's needs a kep.yaml beside it (upstream:
/// `metadata file missing for KEP: <dir>/kep.yaml`), whatever its folder is called: a SIG's index
/// page (`keps/sig-apps/README.md`) fails too. Only with a repository root, where the view knows
/// which files exist.
///
/// The walk visits a folder's entries in byte order and, on meeting a `kep.yaml`, leaves the rest
/// of that folder (`filepath.SkipDir`): a README in a subfolder of a KEP folder is read only when
/// the subfolder's name sorts before `kep.yaml` (`images/` yes, `proposals/` no).
pub(crate) fn check_readme_has_metadata(path: &str, text: &str, ctx: &Context<'_>) -> Option<Finding> {
    if !ctx.workspace.has_root() || !is_kep_readme_path(path) {
        return None;
    }
    let path = path.replace('\\', "/");
    let dir = path.rsplit_once('/').map(|(dir, _)| dir)?;
    let kep_yaml = format!("{dir}/kep.yaml");
    if ctx.workspace.exists(&kep_yaml) {
        return None;
    }
    // Folders between keps/ and this one: a kep.yaml there ends the walk of that folder before
    // a child named after it in byte order.
    let parts: Vec<&str> = dir.split('/').collect();
    for i in 1..parts.len() - 1 {
        let ancestor = parts[..=i].join("/");
        if parts[i + 1] > "kep.yaml" && ctx.workspace.exists(&format!("{ancestor}/kep.yaml")) {
            return None;
        }
    }
    let first_line = text.find('\n').unwrap_or(text.len());
    let first_line = text[..first_line].trim_end_matches('\r').len();
    Some(Finding::new(
        Code::ReadmeWithoutMetadata,
        0..first_line,
        format!("metadata file missing for KEP: {kep_yaml}: create it beside this README"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kep_numbers_match_without_leading_zeros_or_spaces() {
        // Entry number `a` is `b`, asked of a list holding `a` alone, with the number map and
        // without (the same answers).
        let same_number = |b: &'static str| {
            move |a: &str| {
                let base: std::sync::Arc<[KepEntry]> = vec![KepEntry {
                    number: a.into(),
                    ..KepEntry::default()
                }]
                .into();
                let plain = numbered(&Keps::from(base.clone()), b).len();
                assert_eq!(plain, numbered(&Keps::indexed(base), b).len(), "{a:?} {b:?}");
                plain == 1
            }
        };
        assert!(same_number("42")("0042"));
        assert!(same_number(" 0042 ")("42 "));
        assert!(same_number("1040")("1040"));
        assert!(!same_number("1040")("10400"));
        assert!(!same_number("40")("1040"));
        assert!(!same_number("0")("0"));
        assert!(!same_number("")(""));
        assert!(!same_number("x42")("x42"));
        assert!(!same_number("42")("4a42"));
    }

    #[test]
    fn locations() {
        let l = kep_location("keps/sig-node/2625-cpumanager/kep.yaml").unwrap();
        assert_eq!(
            (l.sig.as_str(), l.number.as_deref(), l.slug.as_str()),
            ("sig-node", Some("2625"), "cpumanager")
        );
        assert_eq!(l.dir, "keps/sig-node/2625-cpumanager");
        let l = kep_location("/x/keps/sig-cluster-lifecycle/kubeadm/995-x/kep.yaml").unwrap();
        assert_eq!(
            (l.sig.as_str(), l.subfolder.as_deref()),
            ("sig-cluster-lifecycle", Some("kubeadm"))
        );
        assert_eq!(kep_location("keps/prod-readiness/sig-node/1.yaml"), None);
        assert_eq!(kep_location("kep.yaml"), None);
    }

    #[test]
    fn reference_forms() {
        assert_eq!(
            reference_path("/keps/sig-a/1-x/").as_deref(),
            Some("keps/sig-a/1-x")
        );
        assert_eq!(
            reference_path("keps/sig-a/1-x/README.md#goals").as_deref(),
            Some("keps/sig-a/1-x/README.md")
        );
        assert_eq!(
            reference_path("https://github.com/kubernetes/enhancements/tree/master/keps/sig-a/1-x")
                .as_deref(),
            Some("keps/sig-a/1-x")
        );
        assert_eq!(
            reference_path("https://github.com/kubernetes/community/blob/master/x.md"),
            None
        );
        assert_eq!(reference_number("KEP-1234"), Some("1234"));
        assert_eq!(
            reference_number("https://github.com/kubernetes/enhancements/issues/77"),
            Some("77")
        );
        assert_eq!(reference_number("KEP-x"), None);
    }
}
