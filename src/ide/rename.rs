//! Renaming a README heading: the heading text, its entry in the mdtoc-kept table of contents
//! (regenerated exactly as `mdtoc --inplace` would write it, then reduced to the changed lines),
//! every `#anchor` link to it in the same file, and every link to it from the other KEP
//! READMEs of the workspace, as one set of edits per file.
//!
//! Anchors are GitHub's and mdtoc's (`anchor_links`). A rename that would give the heading the
//! anchor of another heading, or no anchor at all, is refused: GitHub would silently number it
//! `-1` and every link that meant the other heading would still reach the other heading.
//! Where the heading's old name was a duplicate, the headings whose `-N` suffix shifts are
//! followed too (their links change with them).

use std::collections::HashMap;
use std::ops::Range;

use crate::analysis::{Context, TextEdit};

use super::anchor_links::{
    self, AnchorLink, Anchors, anchor_links, anchors, dialect, heading_at, outline, toc_check,
};
use super::code_actions::h1_title;
use crate::model::field_default::yaml_string;
use crate::syntax::toc::TocCheck;
use crate::syntax::yaml;

/// The edits of one file (repo-relative path), byte ranges into its current text, disjoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FileEdits {
    pub path: String,
    pub edits: Vec<TextEdit>,
}

/// The heading text under the cursor that a rename replaces (without the `#`s, the closing
/// `#`s and the surrounding spaces), with that text; `None` when `offset` is on no heading of
/// a Markdown file, or on an empty heading.
pub(crate) fn prepare_rename(path: &str, text: &str, offset: usize) -> Option<(Range<usize>, String)> {
    if !path.ends_with(".md") {
        return None;
    }
    // A legacy KEP's front matter is YAML (GitHub shows it as a table), not headings.
    if super::metadata_block(path, text).is_some_and(|b| offset <= b.end + 3) {
        return None;
    }
    let o = outline(text);
    let h = &o.headings[heading_at(text, &o, offset)?];
    let range = h.text_range.clone();
    let written = text.get(range.clone())?;
    // A setext heading over several lines cannot be renamed as one line of text.
    if written.is_empty() || written.contains('\n') {
        return None;
    }
    Some((range, written.to_string()))
}

/// Rename the heading under `offset` in the Markdown file `path` to `new_name` (Markdown, one
/// line). The current file's edits come first; other files follow in path order.
///
/// Errors (the message is for the user): not on a heading, an empty or multi-line name, a
/// name whose anchor is empty or belongs to another heading, a name that changes what the
/// document's headings are (a `#` at its end, a code fence...).
pub(crate) fn rename_heading(
    path: &str,
    text: &str,
    offset: usize,
    new_name: &str,
    ctx: &Context<'_>,
) -> Result<Vec<FileEdits>, String> {
    let Some((range, old_written)) = prepare_rename(path, text, offset) else {
        return Err("Only a README heading's text can be renamed here.".into());
    };
    let new_name = new_name.trim();
    if new_name.is_empty() {
        return Err("A heading needs a text.".into());
    }
    if new_name.contains(['\n', '\r']) {
        return Err("A heading is one line: the new name holds a line break.".into());
    }
    if new_name == old_written {
        return Ok(Vec::new());
    }
    let before = outline(text);
    let index = heading_at(text, &before, offset).ok_or("Only a heading can be renamed here.")?;
    let new_text = format!("{}{}{}", &text[..range.start], new_name, &text[range.end..]);
    let after = outline(&new_text);
    // Headings after the renamed one move by the change in length.
    let moved = |at: usize| {
        if at > range.start {
            at + new_name.len() - range.len()
        } else {
            at
        }
    };
    let same_shape = after.headings.len() == before.headings.len()
        && after
            .headings
            .iter()
            .zip(&before.headings)
            .all(|(a, b)| a.level == b.level && a.line.start == moved(b.line.start));
    if !same_shape {
        return Err(format!(
            "\"{new_name}\" would change the document's headings (Markdown in the name that \
             ends the heading or starts another block); choose plain text."
        ));
    }
    let renamed = &after.headings[index];
    let base = anchor_links::github_slug(&renamed.text);
    // A slug of dashes only (`🚀 !` → `-`) is as good as none. mdtoc's keeps ASCII only, and
    // the TOC links with it.
    let has_word = |s: &str| s.chars().any(char::is_alphanumeric);
    if !has_word(&base) || !has_word(&anchor_links::mdtoc_slug(&renamed.text)) {
        return Err(format!(
            "\"{new_name}\" gives the heading no anchor (no ASCII letter or digit): links could not reach it."
        ));
    }
    for (j, other) in after.headings.iter().enumerate() {
        if j != index
            && (anchor_links::github_slug(&other.text) == base
                || anchor_links::mdtoc_slug(&other.text) == anchor_links::mdtoc_slug(&renamed.text))
        {
            let line = 1 + new_text[..other.line.start].matches('\n').count();
            return Err(format!(
                "\"{new_name}\" would have the anchor #{base} of the heading \"{}\" on line {line}: \
                 GitHub would number one of them #{base}-1 and links would reach the wrong one. \
                 Choose another name.",
                other.text
            ));
        }
    }
    let mapping = anchor_mapping(&anchors(&before), &anchors(&after));

    // The TOC, when mdtoc keeps one and it is current: regenerate it from the renamed text.
    let d = dialect(ctx);
    let mut edits = vec![TextEdit::new(range, new_name.to_string())];
    let mut toc_body: Option<Range<usize>> = None;
    if toc_check(text, d) == TocCheck::Current
        && let TocCheck::Stale { replacement, .. } = toc_check(&new_text, d)
        && let Some(body) = before.toc.as_ref().and_then(|t| t.body())
    {
        edits.extend(line_diff(&text[body.clone()], &replacement, body.start));
        toc_body = Some(body);
    }
    let outside_toc = |l: &AnchorLink| {
        toc_body
            .as_ref()
            .is_none_or(|b| l.link.end <= b.start || l.link.start >= b.end)
    };
    for l in anchor_links(path, text, &before) {
        if l.target == path && outside_toc(&l) {
            edits.extend(relink(&l, &mapping));
        }
    }
    edits.sort_by_key(|e| e.range.start);
    // A link inside the renamed heading's own text is replaced with it: keep edits disjoint.
    edits = disjoint(edits);
    let mut out = vec![FileEdits {
        path: path.to_string(),
        edits,
    }];
    out.extend(title_sync(path, text, &new_text, index, ctx));
    for (file, links) in
        anchor_links::links_from_other_readmes(ctx, path, |a| mapping.contains_key(&a.to_lowercase()))
    {
        let edits: Vec<TextEdit> = links.iter().filter_map(|l| relink(l, &mapping)).collect();
        if !edits.is_empty() {
            out.push(FileEdits { path: file, edits });
        }
    }
    Ok(out)
}

/// When the renamed heading is a README's title (`# KEP-N: Title`) and kep.yaml's `title` beside
/// it was the old title, the edit that keeps kep.yaml's `title` the same as the new one (the
/// `title-mismatch` finding would otherwise follow the rename).
fn title_sync(path: &str, before: &str, after: &str, index: usize, ctx: &Context<'_>) -> Option<FileEdits> {
    let dir = path.strip_suffix("/README.md")?;
    let o = outline(before);
    if o.headings.get(index)?.level != 1 || o.headings.iter().position(|h| h.level == 1) != Some(index) {
        return None;
    }
    let (old_title, new_title) = (h1_title(before)?.trim(), h1_title(after)?.trim());
    let yaml_path = format!("{dir}/kep.yaml");
    let yaml = ctx.workspace.file_text(&yaml_path)?;
    let y = yaml::read(&yaml, 0..yaml.len());
    if y.scalar("title")?.trim() != old_title || new_title.is_empty() || new_title == old_title {
        return None;
    }
    Some(FileEdits {
        path: yaml_path,
        edits: vec![y.set_scalar("title", &yaml_string(new_title))],
    })
}

/// `edits` (sorted by start) without those that overlap an earlier one.
fn disjoint(edits: Vec<TextEdit>) -> Vec<TextEdit> {
    let mut out: Vec<TextEdit> = Vec::with_capacity(edits.len());
    for e in edits {
        if out.last().is_none_or(|last| last.range.end <= e.range.start) {
            out.push(e);
        }
    }
    out
}

/// Old anchor → new anchor, for every heading whose anchors change (the renamed one, and the
/// duplicates of its old name whose `-N` suffix shifts).
fn anchor_mapping(before: &[Anchors], after: &[Anchors]) -> HashMap<String, String> {
    let mut map = HashMap::new();
    for (b, a) in before.iter().zip(after) {
        if b.github != a.github {
            map.entry(b.github.clone()).or_insert_with(|| a.github.clone());
        }
        if b.mdtoc != a.mdtoc {
            map.entry(b.mdtoc.clone()).or_insert_with(|| a.mdtoc.clone());
        }
    }
    map
}

/// The edit that points `link` at its heading's new anchor, if its anchor changes.
fn relink(link: &AnchorLink, mapping: &HashMap<String, String>) -> Option<TextEdit> {
    let new = mapping.get(&link.anchor.to_lowercase())?;
    Some(TextEdit::new(link.range.clone(), new.clone()))
}

/// The edits that turn `old` into `new`, whole lines at a time: the lines between the common
/// first lines and the common last lines, as one edit (a rename changes one TOC line, or a
/// few when duplicates' suffixes shift). `base` is `old`'s offset in the file.
fn line_diff(old: &str, new: &str, base: usize) -> Vec<TextEdit> {
    if old == new {
        return Vec::new();
    }
    let old_lines: Vec<&str> = old.split_inclusive('\n').collect();
    let new_lines: Vec<&str> = new.split_inclusive('\n').collect();
    let prefix = old_lines
        .iter()
        .zip(&new_lines)
        .take_while(|(a, b)| a == b)
        .count();
    let max_suffix = old_lines.len().min(new_lines.len()) - prefix;
    let suffix = old_lines
        .iter()
        .rev()
        .zip(new_lines.iter().rev())
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    let start: usize = old_lines[..prefix].iter().map(|l| l.len()).sum();
    let end: usize = old.len()
        - old_lines[old_lines.len() - suffix..]
            .iter()
            .map(|l| l.len())
            .sum::<usize>();
    let replacement: String = new_lines[prefix..new_lines.len() - suffix].concat();
    vec![TextEdit::new(base + start..base + end, replacement)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{NoWorkspace, WorkspaceView, apply_edits};

    const README: &str = "keps/sig-a/1-x/README.md";

    use crate::analysis::mem_workspace::{MemWorkspace as Files, with_ctx};

    fn apply(text: &str, edits: &[TextEdit]) -> String {
        apply_edits(text, edits)
    }

    fn rename_in(ws: &dyn WorkspaceView, text: &str, at: &str, to: &str) -> Result<Vec<FileEdits>, String> {
        let offset = text.find(at).expect("cursor text");
        with_ctx(ws, |ctx| rename_heading(README, text, offset, to, ctx))
    }

    const DOC: &str = "# KEP-1: X\n\n<!-- toc -->\n- [Summary](#summary)\n- [Goals](#goals)\n  - [Beta](#beta)\n  - [Beta](#beta-1)\n<!-- /toc -->\n\n## Summary\n\nSee [goals](#goals) and [the second](#beta-1).\n\n## Goals\n\n### Beta\n\n### Beta\n";

    #[test]
    fn renames_heading_toc_entry_and_links() {
        let out = rename_in(&NoWorkspace, DOC, "Goals\n\n###", "Goals and `Non-Goals`").unwrap();
        assert_eq!(out.len(), 1);
        let got = apply(DOC, &out[0].edits);
        assert_eq!(
            got,
            "# KEP-1: X\n\n<!-- toc -->\n- [Summary](#summary)\n- [Goals and <code>Non-Goals</code>](#goals-and-non-goals)\n  - [Beta](#beta)\n  - [Beta](#beta-1)\n<!-- /toc -->\n\n## Summary\n\nSee [goals](#goals-and-non-goals) and [the second](#beta-1).\n\n## Goals and `Non-Goals`\n\n### Beta\n\n### Beta\n"
        );
        // The TOC edit is its one changed line.
        let toc_edit = &out[0].edits[0];
        assert_eq!(&DOC[toc_edit.range.clone()], "- [Goals](#goals)\n");
        assert_no_new_toc_or_link_findings(DOC, &got);
    }

    #[test]
    fn renaming_a_duplicate_shifts_the_other_ones_suffix() {
        let out = rename_in(&NoWorkspace, DOC, "Beta\n\n### Beta\n", "Alpha").unwrap();
        let got = apply(DOC, &out[0].edits);
        assert_eq!(
            got,
            "# KEP-1: X\n\n<!-- toc -->\n- [Summary](#summary)\n- [Goals](#goals)\n  - [Alpha](#alpha)\n  - [Beta](#beta)\n<!-- /toc -->\n\n## Summary\n\nSee [goals](#goals) and [the second](#beta).\n\n## Goals\n\n### Alpha\n\n### Beta\n"
        );
        assert_no_new_toc_or_link_findings(DOC, &got);
    }

    #[test]
    fn refuses_collisions_empty_anchors_and_new_structure() {
        let e = rename_in(&NoWorkspace, DOC, "Summary\n\nSee", "goals").unwrap_err();
        assert!(e.contains("#goals of the heading \"Goals\" on line 14"), "{e}");
        let e = rename_in(&NoWorkspace, DOC, "Summary\n\nSee", "🚀 !").unwrap_err();
        assert!(e.contains("no anchor"), "{e}");
        let e = rename_in(&NoWorkspace, DOC, "Summary\n\nSee", "").unwrap_err();
        assert!(e.contains("needs a text"), "{e}");
        let e = rename_in(&NoWorkspace, DOC, "Summary\n\nSee", "a\nb").unwrap_err();
        assert!(e.contains("line break"), "{e}");
        assert!(rename_in(&NoWorkspace, DOC, "See [goals]", "X").is_err());
        assert_eq!(
            rename_in(&NoWorkspace, DOC, "Summary\n\nSee", "Summary"),
            Ok(Vec::new())
        );
        // A heading that links to itself: the new text replaces the link with the rest.
        let text = "# T\n\n## See [here](#see-here)\n";
        let out = rename_in(&NoWorkspace, text, "See", "Elsewhere").unwrap();
        assert_eq!(apply(text, &out[0].edits), "# T\n\n## Elsewhere\n");
    }

    #[test]
    fn no_toc_or_a_stale_one_keeps_its_text() {
        let text = "# T\n\n## Goals\n\n[g](#goals), [the goals][g]\n\n[g]: #goals\n";
        let out = rename_in(&NoWorkspace, text, "Goals", "Aims").unwrap();
        assert_eq!(
            apply(text, &out[0].edits),
            "# T\n\n## Aims\n\n[g](#aims), [the goals][g]\n\n[g]: #aims\n"
        );
        // A TOC already stale is not regenerated: only its link follows.
        let text = "# T\n<!-- toc -->\n- [Old](#goals)\n<!-- /toc -->\n## Goals\n## Other\n";
        let out = rename_in(&NoWorkspace, text, "Goals", "Aims").unwrap();
        assert_eq!(
            apply(text, &out[0].edits),
            "# T\n<!-- toc -->\n- [Old](#aims)\n<!-- /toc -->\n## Aims\n## Other\n"
        );
    }

    #[test]
    fn links_from_other_readmes_follow() {
        let other = "keps/sig-b/2-y/README.md";
        let other_text = "# KEP-2: Y\n\nAs [in X](../../sig-a/1-x/README.md#goals), [folder](/keps/sig-a/1-x#goals), \
                          [not this](../../sig-a/1-x/README.md#summary), [own](#goals).\n\n## Goals\n";
        let ws = Files::new([
            ("keps/sig-a/1-x/kep.yaml", "kep-number: 1\ntitle: X\n"),
            (README, DOC),
            ("keps/sig-b/2-y/kep.yaml", "kep-number: 2\ntitle: Y\n"),
            (other, other_text),
        ]);
        // The title: kep.yaml's title follows.
        let out = rename_in(&ws, DOC, "X\n", "Thread placement").unwrap();
        assert_eq!(out.len(), 2);
        assert_eq!(out[1].path, "keps/sig-a/1-x/kep.yaml");
        assert_eq!(
            apply("kep-number: 1\ntitle: X\n", &out[1].edits),
            "kep-number: 1\ntitle: Thread placement\n"
        );
        let out = rename_in(&ws, DOC, "Goals\n\n###", "Aims").unwrap();
        assert_eq!(out.len(), 2);
        assert_eq!(out[1].path, other);
        assert_eq!(
            apply(other_text, &out[1].edits),
            "# KEP-2: Y\n\nAs [in X](../../sig-a/1-x/README.md#aims), [folder](/keps/sig-a/1-x#aims), \
             [not this](../../sig-a/1-x/README.md#summary), [own](#goals).\n\n## Goals\n"
        );
    }

    #[test]
    fn prepare_gives_the_text_without_hashes() {
        let text = "# T\n\n## Goals ##\n";
        let (r, t) = prepare_rename(README, text, text.find("##").unwrap()).unwrap();
        assert_eq!((&text[r], t.as_str()), ("Goals", "Goals"));
        assert_eq!(prepare_rename(README, text, 1), Some((2..3, "T".into())));
        assert_eq!(prepare_rename(README, text, 4), None);
        assert_eq!(prepare_rename("keps/x/kep.yaml", "# T\n", 0), None);
        let legacy = "---\ntitle: T\nstatus: provisional\n---\n\n# T\n";
        let path = "keps/sig-a/20190101-x.md";
        assert_eq!(prepare_rename(path, legacy, legacy.find("status").unwrap()), None);
        assert_eq!(
            prepare_rename(path, legacy, legacy.len() - 2),
            Some((legacy.len() - 2..legacy.len() - 1, "T".into()))
        );
        for t in ["", "#", "# \n", "#é\n## 😀"] {
            for at in 0..=t.len() {
                let _ = prepare_rename(README, t, at);
                let _ = with_ctx(&NoWorkspace, |ctx| rename_heading(README, t, at, "x", ctx));
            }
        }
    }

    /// The edited README has no `toc-stale` or `broken-link` finding the original did not have.
    fn assert_no_new_toc_or_link_findings(before: &str, after: &str) {
        use crate::analysis::Code;
        let findings = |text: &str| -> Vec<(Code, String)> {
            with_ctx(&NoWorkspace, |ctx| crate::analysis::analyze(README, text, ctx))
                .findings
                .into_iter()
                .filter(|f| matches!(f.code, Code::TocStale | Code::BrokenLink))
                .map(|f| (f.code, f.message))
                .collect()
        };
        let old = findings(before);
        let new: Vec<_> = findings(after).into_iter().filter(|f| !old.contains(f)).collect();
        assert_eq!(new, Vec::new(), "{after}");
    }
}

/// Renames on the real corpus (../shared/enhancements; skipped with a note when absent).
#[cfg(test)]
mod corpus {
    use super::*;
    use crate::analysis::{Code, WorkspaceView, apply_edits};
    use crate::knowledge::Knowledge;
    use crate::workspace::WorkspaceIndex;

    /// For a sample of READMEs whose TOC is current, rename their third listed heading: every
    /// edited file has no `toc-stale` or `broken-link` finding it did not have, and the renamed
    /// README's TOC is current again.
    #[test]
    fn renames_keep_real_readmes_clean() {
        let Some(root) = crate::test_corpus::enhancements() else {
            return;
        };
        let started = std::time::Instant::now();
        let (index, _) = WorkspaceIndex::scan(&root);
        let k = Knowledge::embedded();
        let ctx = Context {
            knowledge: &k,
            workspace: &index,
            today: None,
            upcoming_minor: None,
        };
        let counted = |path: &str, text: &str| -> Vec<(Code, String)> {
            crate::analysis::analyze(path, text, &ctx)
                .findings
                .into_iter()
                .filter(|f| matches!(f.code, Code::TocStale | Code::BrokenLink))
                .map(|f| (f.code, f.message))
                .collect()
        };
        let readmes = super::anchor_links::workspace_readmes(&ctx, "");
        let (mut renamed, mut other_files, mut slowest) = (0, 0, std::time::Duration::ZERO);
        for path in readmes.iter().step_by(25) {
            let Some(text) = index.file_text(path) else {
                continue;
            };
            if toc_check(&text, dialect(&ctx)) != TocCheck::Current {
                continue;
            }
            let o = outline(&text);
            let Some(h) = o.headings.iter().filter(|h| h.in_toc).nth(2) else {
                continue;
            };
            let new_name = format!("{} renamed", text[h.text_range.clone()].trim());
            let t = std::time::Instant::now();
            let Ok(files) = rename_heading(path, &text, h.text_range.start, &new_name, &ctx) else {
                continue;
            };
            slowest = slowest.max(t.elapsed());
            renamed += 1;
            for f in files {
                let before = index.file_text(&f.path).expect("edited file exists");
                let after = apply_edits(&before, &f.edits);
                let old = counted(&f.path, &before);
                let new: Vec<_> = counted(&f.path, &after)
                    .into_iter()
                    .filter(|x| !old.contains(x))
                    .collect();
                assert_eq!(new, Vec::new(), "{} after renaming in {path}", f.path);
                if f.path == *path {
                    assert_eq!(toc_check(&after, dialect(&ctx)), TocCheck::Current, "{path}");
                } else {
                    other_files += 1;
                }
            }
        }
        // Headings that other KEPs link to (by relative path or by URL), each followed there.
        for (path, heading, linked_from) in [
            (
                "keps/sig-network/2433-topology-aware-hints/README.md",
                "### Kube-Proxy\n",
                "keps/sig-network/4444-service-traffic-distribution/README.md",
            ),
            (
                "keps/sig-node/753-sidecar-containers/README.md",
                "### Resources calculation for scheduling and pod admission",
                "keps/sig-node/5419-pod-level-resources-in-place-resize/README.md",
            ),
        ] {
            let text = index.file_text(path).expect(path);
            let at = text.find(heading).expect(heading);
            let files = rename_heading(path, &text, at + 5, "Renamed for the test", &ctx).expect(path);
            let other = files.iter().find(|f| f.path == linked_from).expect(linked_from);
            let before = index.file_text(linked_from).unwrap();
            let after = apply_edits(&before, &other.edits);
            assert!(after.contains("README.md#renamed-for-the-test)"), "{linked_from}");
            assert_eq!(counted(linked_from, &after), counted(linked_from, &before));
        }
        eprintln!(
            "{renamed} headings renamed, {other_files} other READMEs edited, slowest rename {slowest:?}, all in {:?}",
            started.elapsed()
        );
        assert!(renamed > 10, "{renamed}");
    }
}
