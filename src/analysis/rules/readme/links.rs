//! `broken-link`: relative links and images that point at no file of the repository (only when
//! the repository root is known), and `#anchor` links that match no heading of this file.
//!
//! Anchors are accepted from either slugger (mdtoc's ASCII-only one, which the TOC uses, and
//! GitHub's, which keeps accented letters) and from explicit `<a name=...>` / `id=...` tags.

use std::collections::HashSet;

use super::{Readme, dir_of};
use crate::analysis::toc::anchors;
use crate::syntax::mdtoc::{self, MdtocDialect};
use crate::analysis::{Code, Context, Finding};

pub(super) fn check(r: &Readme<'_>, ctx: &Context<'_>) -> Vec<Finding> {
    let mut known: Option<HashSet<String>> = None;
    let mut out = Vec::new();
    for link in &r.outline.links {
        let dest = link.dest.trim();
        if dest.is_empty() || has_scheme(dest) || dest.starts_with("//") {
            continue;
        }
        if let Some(anchor) = dest.strip_prefix('#') {
            let known = known.get_or_insert_with(|| anchor_set(r, ctx));
            let anchor = percent_decode(anchor).to_lowercase();
            if !anchor.is_empty() && !known.contains(&anchor) {
                out.push(Finding::new(
                    Code::BrokenLink,
                    link.range.clone(),
                    format!("No heading here has the anchor #{anchor}."),
                ));
            }
            continue;
        }
        if !ctx.workspace.has_root() {
            continue;
        }
        let file = dest.split(['#', '?']).next().unwrap_or("");
        let Some(target) = resolve(dir_of(r.path), &percent_decode(file)) else {
            continue;
        };
        if !target.is_empty() && !ctx.workspace.exists(&target) {
            let what = if link.image { "image" } else { "link" };
            out.push(Finding::new(
                Code::BrokenLink,
                link.range.clone(),
                format!("The {what} target {target} does not exist in the repository."),
            ));
        }
    }
    out
}

fn anchor_set(r: &Readme<'_>, ctx: &Context<'_>) -> HashSet<String> {
    let mut set: HashSet<String> = anchors(&r.outline).into_iter().collect();
    // An older mdtoc pinned by the repository writes other anchors into the TOC (code spans
    // dropped); CI demands them, so a TOC link to one is not the author's mistake.
    let dialect = super::toc::dialect(ctx);
    if dialect != MdtocDialect::default() {
        let from = match mdtoc::find_markers(r.text) {
            (Some(_), Some(e)) => e,
            _ => 0,
        };
        set.extend(mdtoc::view(&r.text[from..], dialect).anchors);
    }
    // Explicit anchors: <a name="x">, id="x".
    for key in ["name=\"", "id=\""] {
        let finder = memchr::memmem::Finder::new(key);
        let mut pos = 0;
        while let Some(i) = finder.find(&r.text.as_bytes()[pos..]) {
            let start = pos + i + key.len();
            let end = memchr::memchr(b'"', &r.text.as_bytes()[start..]).map_or(r.text.len(), |j| start + j);
            set.insert(r.text[start..end].to_lowercase());
            pos = end;
        }
    }
    set
}

/// `http:`, `mailto:`... (a scheme is letters, digits, `+-.` before a `:` and no `/` before it).
fn has_scheme(dest: &str) -> bool {
    match dest.find(':') {
        Some(i) => {
            let scheme = &dest[..i];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

/// Resolve a link against the README's folder; `/x` is relative to the repo root (GitHub's
/// rule). `None` when it climbs above the root (a link into another repository's tree).
fn resolve(dir: &str, link: &str) -> Option<String> {
    let mut parts: Vec<&str> = if link.starts_with('/') {
        Vec::new()
    } else {
        dir.split('/').filter(|p| !p.is_empty()).collect()
    };
    for seg in link.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// `%20` and friends, as GitHub decodes link paths; invalid sequences stay as written.
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2]))
        {
            out.push(h * 16 + l);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

fn hex(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolution() {
        assert_eq!(
            resolve("keps/sig-a/1-x", "img.png").as_deref(),
            Some("keps/sig-a/1-x/img.png")
        );
        assert_eq!(
            resolve("keps/sig-a/1-x", "../2-y/README.md").as_deref(),
            Some("keps/sig-a/2-y/README.md")
        );
        assert_eq!(
            resolve("keps/sig-a/1-x", "/keps/sig-b").as_deref(),
            Some("keps/sig-b")
        );
        assert_eq!(resolve("keps/sig-a/1-x", "../../../../x"), None);
        assert!(has_scheme("https://x") && has_scheme("mailto:a@b") && !has_scheme("./a:b/c"));
        assert_eq!(percent_decode("a%20b%2"), "a b%2");
    }
}
