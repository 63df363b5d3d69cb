//! Document links and go-to-definition: KEP references in kep.yaml (see-also, replaces,
//! superseded-by) to the referenced KEP, and relative links and images in Markdown to the file.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag};

use crate::analysis::Context;

use super::facts::WorkspaceFacts;
use super::metadata_block;
use super::schema_view;
use crate::model::repo_link::{percent_decode, resolve};
use crate::syntax::yaml;

/// Where a link goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// A repo-relative file or folder that exists.
    File(String),
    /// A web address.
    Url(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub range: Range<usize>,
    pub target: LinkTarget,
}

/// A definition: a repo-relative file and the range in it (empty at the start for a file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub path: String,
    pub range: Range<usize>,
}

/// The links of a file: KEP references in the metadata, Markdown links and images below.
pub fn document_links(path: &str, text: &str, ctx: &Context<'_>) -> Vec<Link> {
    let mut out = Vec::new();
    let block = metadata_block(path, text);
    if let Some(block) = &block {
        for (range, v) in kep_refs(text, block.clone()) {
            if let Some(target) = resolve_ref(&v, ctx) {
                out.push(Link { range, target });
            }
        }
    }
    if path.ends_with(".md") {
        let body = block.map(|b| b.end).unwrap_or(0);
        for (range, dest) in markdown_links(text, body) {
            if let Some(target) = resolve_relative(path, &dest, ctx) {
                out.push(Link { range, target });
            }
        }
    }
    out
}

/// From a KEP reference (or a relative link) under the cursor to the file it names: a KEP's
/// kep.yaml (its README for a legacy single-file KEP).
pub fn definition(path: &str, text: &str, offset: usize, ctx: &Context<'_>) -> Option<Target> {
    for link in document_links(path, text, ctx) {
        if link.range.start <= offset && offset <= link.range.end {
            let LinkTarget::File(p) = link.target else {
                return None;
            };
            let file = if ctx.workspace.exists(&format!("{p}/kep.yaml")) {
                format!("{p}/kep.yaml")
            } else if ctx.workspace.exists(&format!("{p}/README.md")) {
                format!("{p}/README.md")
            } else {
                p
            };
            return Some(Target {
                path: file,
                range: 0..0,
            });
        }
    }
    None
}

/// (unquoted value range, value) of every item of see-also / replaces / superseded-by (the
/// metadata block `block` of `text`, read line by line so half-typed YAML still has them); flow
/// lists and empty items are left out. Shared by document links and references.
pub(crate) fn kep_refs(text: &str, block: Range<usize>) -> Vec<(Range<usize>, String)> {
    let y = yaml::read(text, block);
    let mut out = Vec::new();
    for e in &y.top {
        if !schema_view::is_kep_ref(&e.key) {
            continue;
        }
        for v in y.values_of(e) {
            let r = yaml::unquoted_range(text, v);
            let s = text[r.clone()].trim();
            if !s.is_empty() && !s.starts_with('[') {
                out.push((r.clone(), s.to_string()));
            }
        }
    }
    out
}

fn resolve_ref(v: &str, ctx: &Context<'_>) -> Option<LinkTarget> {
    if v.starts_with("http://") || v.starts_with("https://") {
        return Some(LinkTarget::Url(v.to_string()));
    }
    if let Some(num) = v.strip_prefix("KEP-").or_else(|| v.strip_prefix("kep-")) {
        let facts = WorkspaceFacts::from_parts(ctx.workspace.keps(), &[]);
        return facts
            .resolve_ref(&format!("KEP-{num}"))
            .map(|k| LinkTarget::File(k.dir.clone()));
    }
    let p = v.trim_start_matches('/').trim_end_matches('/');
    (p.starts_with("keps/") && ctx.workspace.exists(p)).then(|| LinkTarget::File(p.to_string()))
}

/// Relative (or repo-absolute `/keps/...`) destinations of links and images, with the range of
/// the destination text, from byte `from` on.
fn markdown_links(text: &str, from: usize) -> Vec<(Range<usize>, String)> {
    let mut out = Vec::new();
    let body = &text[from..];
    for (ev, range) in Parser::new_ext(body, Options::empty()).into_offset_iter() {
        let dest = match ev {
            Event::Start(Tag::Link { dest_url, .. }) | Event::Start(Tag::Image { dest_url, .. }) => dest_url,
            _ => continue,
        };
        let dest = dest.to_string();
        if dest.is_empty() || dest.starts_with('#') || dest.contains("://") || dest.starts_with("mailto:") {
            continue;
        }
        // The destination text inside `[..](dest)`; reference links have none here.
        let src = &body[range.clone()];
        let Some(at) = src.rfind(dest.as_str()) else {
            continue;
        };
        let start = from + range.start + at;
        out.push((start..start + dest.len(), dest));
    }
    out
}

fn resolve_relative(path: &str, dest: &str, ctx: &Context<'_>) -> Option<LinkTarget> {
    let dest = dest.split('#').next().unwrap_or("");
    if dest.is_empty() {
        return None;
    }
    // The same reading as the broken-link rule's: GitHub's resolution of a decoded path.
    let dir = path.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
    let norm = resolve(dir, &percent_decode(dest))?;
    ctx.workspace.exists(&norm).then_some(LinkTarget::File(norm))
}
