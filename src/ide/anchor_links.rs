//! Headings as link targets: each README heading's anchors (GitHub's and mdtoc's, de-duplicated
//! as each does it) and every Markdown link that points at an anchor, in this file or another
//! KEP's README, with the byte range of the anchor text. Shared by heading rename and
//! references.
//!
//! The Markdown readers (GitHub's outline, the sluggers, mdtoc's check) are reached only through
//! the small wrappers at the top of this file, so a move of those readers is a change here.

use std::ops::Range;

use crate::analysis::Context;
use crate::model::repo_link::{percent_decode, resolve};
use crate::syntax::mdtoc::MdtocDialect;
use crate::syntax::outline::{Outline, heading_lines, outline as read_outline};
use crate::syntax::toc::{self as toc_reader, Slugger, TocCheck};

/// GitHub's outline of a Markdown text (`analysis::outline`).
pub fn outline(text: &str) -> Outline {
    read_outline(text)
}

/// GitHub's base anchor of a heading text (before de-duplication).
pub(crate) fn github_slug(text: &str) -> String {
    toc_reader::github_slug(text)
}

/// mdtoc's base anchor of a heading text (before de-duplication).
pub(crate) fn mdtoc_slug(text: &str) -> String {
    toc_reader::mdtoc_slug(text)
}

/// What `mdtoc --inplace --max-depth=5 --dryrun` says about `text` (the repository's mdtoc).
pub(crate) fn toc_check(text: &str, dialect: MdtocDialect) -> TocCheck {
    toc_reader::check(text, dialect, toc_reader::KEP_TOC_MAX_DEPTH)
}

/// The mdtoc the repository pins (its profile), as the `toc-stale` rule reads it.
pub fn dialect(ctx: &Context<'_>) -> MdtocDialect {
    match ctx.profile().toc {
        crate::knowledge::profile::TocCheck::Mdtoc {
            pre_inline_code: true,
        } => MdtocDialect::PreInlineCode,
        _ => MdtocDialect::V1_4_0,
    }
}

/// The anchors of one heading: GitHub's (what hand-written links use) and mdtoc's (what the
/// TOC writes), both with their `-1`, `-2` suffixes. Equal for ASCII headings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Anchors {
    pub github: String,
    pub mdtoc: String,
}

impl Anchors {
    /// Whether a link's anchor (decoded, any case) names this heading.
    pub(crate) fn matches(&self, anchor: &str) -> bool {
        let a = anchor.to_lowercase();
        a == self.github || a == self.mdtoc
    }
}

/// Every heading's anchors, in document order (index = `outline.headings` index).
pub(crate) fn anchors(outline: &Outline) -> Vec<Anchors> {
    let mut github = Slugger::github();
    let mut mdtoc = Slugger::mdtoc();
    outline
        .headings
        .iter()
        .map(|h| Anchors {
            github: github.slug(&h.text),
            mdtoc: mdtoc.slug(&h.text),
        })
        .collect()
}

/// The index of the heading whose line(s) hold byte `offset`, if any.
pub(crate) fn heading_at(text: &str, outline: &Outline, offset: usize) -> Option<usize> {
    outline.headings.iter().position(|h| {
        let lines = heading_lines(text, h.line.start);
        (h.line.start <= offset && offset <= h.line.end)
            || (lines.start <= offset && offset < lines.end)
            || (h.text_range.start <= offset && offset <= h.text_range.end)
    })
}

/// A Markdown link with an anchor (`#x`, `README.md#x`, `../2625-y/README.md#x`, a GitHub URL
/// of a repository file with `#x`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AnchorLink {
    /// The repo-relative file or folder the link names (the linking file itself for `#x`);
    /// for an absolute URL, its path from the repository root as far as it can be told
    /// (`keps/...`), else the URL.
    pub target: String,
    /// The anchor as GitHub compares it (percent-decoded).
    pub anchor: String,
    /// Byte range of the anchor text as written, after the `#`.
    pub range: Range<usize>,
    /// Byte range of the whole link element.
    pub link: Range<usize>,
}

/// The anchored links of the Markdown file `path` (repo-relative), in document order: inline
/// links and link reference definitions (`[label]: #x`, whose `[text][label]` uses follow).
pub(crate) fn anchor_links(path: &str, text: &str, outline: &Outline) -> Vec<AnchorLink> {
    let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
    let mut out: Vec<AnchorLink> = outline
        .links
        .iter()
        .filter_map(|link| anchored(path, dir, text, &link.dest, link.range.clone()))
        .collect();
    // The outline keeps no definitions; the parser's first pass has them (only read when the
    // text may hold one).
    if memchr::memmem::find(text.as_bytes(), b"]:").is_some() {
        let parser = pulldown_cmark::Parser::new_ext(text, crate::syntax::outline::markdown_options());
        for (_, def) in parser.reference_definitions().iter() {
            out.extend(anchored(path, dir, text, &def.dest, def.span.clone()));
        }
        out.sort_by_key(|l| l.range.start);
        out.dedup_by_key(|l| l.range.start);
    }
    out
}

/// The anchored link of destination `dest`, written in `text[element]`, if it has an anchor.
fn anchored(path: &str, dir: &str, text: &str, dest: &str, element: Range<usize>) -> Option<AnchorLink> {
    let (file, raw_anchor) = dest.trim().split_once('#')?;
    if raw_anchor.is_empty() {
        return None;
    }
    let target = if file.is_empty() {
        path.to_string()
    } else if file.contains("://") {
        repo_path_of_url(file)?
    } else {
        resolve(dir, &percent_decode(file))?
    };
    // The anchor as written: the last `#anchor` inside the element's source.
    let src = text.get(element.clone())?;
    let at = src.rfind(&format!("#{raw_anchor}"))?;
    let start = element.start + at + 1;
    Some(AnchorLink {
        target,
        anchor: percent_decode(raw_anchor),
        range: start..start + raw_anchor.len(),
        link: element,
    })
}

/// Whether a link target names the README `readme` (repo-relative): the file itself or its
/// folder (GitHub shows a folder's README, anchors included).
pub(crate) fn names_file(target: &str, readme: &str) -> bool {
    let target = target.trim_end_matches('/');
    target == readme
        || readme
            .rsplit_once('/')
            .is_some_and(|(dir, name)| name == "README.md" && target == dir)
}

/// The README files of the workspace's KEPs (a folder's README.md, a legacy KEP's own file),
/// sorted, without `except`.
pub(crate) fn workspace_readmes(ctx: &Context<'_>, except: &str) -> Vec<String> {
    let mut out: Vec<String> = ctx
        .workspace
        .keps()
        .iter()
        .map(|k| {
            if k.metadata_path.ends_with(".md") {
                k.metadata_path.clone()
            } else {
                format!("{}/README.md", k.dir)
            }
        })
        .filter(|p| p != except)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The links of the other READMEs of the workspace to an anchor of `readme`, whose anchor
/// `wanted` accepts: (file, links). Files that do not name `readme`'s folder are skipped
/// unread by the Markdown parser (a link from another folder must name it).
pub(crate) fn links_from_other_readmes(
    ctx: &Context<'_>,
    readme: &str,
    wanted: impl Fn(&str) -> bool,
) -> Vec<(String, Vec<AnchorLink>)> {
    let folder = readme
        .rsplit_once('/')
        .map_or("", |(d, _)| d)
        .rsplit('/')
        .next()
        .unwrap_or("");
    let legacy_name = readme.rsplit('/').next().unwrap_or(readme);
    let needle = if readme.ends_with("/README.md") {
        folder
    } else {
        legacy_name
    };
    if needle.is_empty() {
        return Vec::new();
    }
    let finder = memchr::memmem::Finder::new(needle.as_bytes());
    let mut out = Vec::new();
    for file in workspace_readmes(ctx, readme) {
        let Some(text) = ctx.workspace.file_text(&file) else {
            continue;
        };
        if finder.find(text.as_bytes()).is_none() {
            continue;
        }
        let o = outline(&text);
        let links: Vec<AnchorLink> = anchor_links(&file, &text, &o)
            .into_iter()
            .filter(|l| names_file(&l.target, readme) && wanted(&l.anchor))
            .collect();
        if !links.is_empty() {
            out.push((file, links));
        }
    }
    out
}

/// The repository whose file URLs name workspace files. A fork's copy of a KEP has its own
/// headings, so its links are not the workspace's (a rename must not touch them).
const KEP_REPOSITORY: &str = "github.com/kubernetes/enhancements/";
const KEP_SHORT_LINKS: &str = "git.k8s.io/enhancements/";

/// The repository path of a GitHub file URL of `KEP_REPOSITORY`
/// (`https://github.com/kubernetes/enhancements/blob/master/keps/x/README.md` →
/// `keps/x/README.md`): what follows `blob/<ref>/` or `tree/<ref>/`.
fn repo_path_of_url(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    // Kubernetes' short links (`https://git.k8s.io/enhancements/keps/...`) name the default
    // branch's files directly.
    if let Some(path) = rest.strip_prefix(KEP_SHORT_LINKS) {
        return (!path.is_empty()).then(|| path.trim_end_matches('/').to_string());
    }
    let rest = rest
        .strip_prefix("www.")
        .unwrap_or(rest)
        .strip_prefix(KEP_REPOSITORY)?;
    let parts: Vec<&str> = rest.split('/').collect();
    if !matches!(parts.first(), Some(&"blob") | Some(&"tree")) {
        return None;
    }
    let path = parts.get(2..)?.join("/");
    (!path.is_empty()).then_some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchored_links_of_every_form() {
        let path = "keps/sig-a/1-x/README.md";
        let text = "# T\n\nSee [a](#goals), [b](README.md#Goals), [c](../2-y/README.md#non-goals), \
                    [d](../2-y#x), [e](https://github.com/kubernetes/enhancements/blob/master/keps/sig-a/2-y/README.md#z), \
                    [f](#), [g](http://example.com/#q), [fork](https://github.com/me/enhancements/blob/x/keps/sig-a/2-y/README.md#z), \
                    [i](https://git.k8s.io/enhancements/keps/sig-a/2-y/README.md#k), [h][ref].\n\n## Goals\n\n[ref]: #goals \"t\"\n";
        let o = outline(text);
        let got: Vec<(String, String, &str)> = anchor_links(path, text, &o)
            .into_iter()
            .map(|l| (l.target, l.anchor, &text[l.range]))
            .collect();
        assert_eq!(
            got,
            [
                (path.into(), "goals".into(), "goals"),
                (path.into(), "Goals".into(), "Goals"),
                ("keps/sig-a/2-y/README.md".into(), "non-goals".into(), "non-goals"),
                ("keps/sig-a/2-y".into(), "x".into(), "x"),
                ("keps/sig-a/2-y/README.md".into(), "z".into(), "z"),
                ("keps/sig-a/2-y/README.md".into(), "k".into(), "k"),
                (path.into(), "goals".into(), "goals"),
            ]
        );
        assert!(names_file("keps/sig-a/2-y", "keps/sig-a/2-y/README.md"));
        assert!(names_file("keps/sig-a/2-y/", "keps/sig-a/2-y/README.md"));
        assert!(!names_file("keps/sig-a/2-y/kep.yaml", "keps/sig-a/2-y/README.md"));
    }

    #[test]
    fn duplicate_and_unicode_anchors() {
        let text = "# T\n## Beta\n## Beta\n## Käse `x`\n";
        let o = outline(text);
        let a = anchors(&o);
        assert_eq!(a[1].github, "beta");
        assert_eq!(a[2].github, "beta-1");
        assert_eq!((a[3].github.as_str(), a[3].mdtoc.as_str()), ("käse-x", "kse-x"));
        assert!(a[2].matches("Beta-1"));
        assert_eq!(heading_at(text, &o, text.find("Käse").unwrap()), Some(3));
        assert_eq!(heading_at(text, &o, 0), Some(0));
    }
}
