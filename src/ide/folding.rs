//! Folding ranges: README sections, multi-line HTML comments (the template's guidance) and the
//! table of contents; in kep.yaml the fields with nested lines and comment blocks; the front
//! matter of a legacy KEP.

use std::ops::Range;

use super::metadata_block;
use crate::syntax::headings;
use crate::syntax::yaml;

/// Byte ranges that can fold, each spanning at least two lines, sorted by start.
pub fn folding_ranges(path: &str, text: &str) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    let block = metadata_block(path, text);
    if let Some(block) = &block {
        let y = yaml::read(text, block.clone());
        for e in &y.top {
            out.push(e.full.clone());
            // Nested maps (milestone) and list items with nested keys (feature-gates).
            for sub in y.children_of(e) {
                out.push(sub.full);
            }
        }
        out.extend(y.comment_runs());
        if path.ends_with(".md") {
            let start = text[..block.start]
                .trim_end_matches('\n')
                .rfind('\n')
                .map(|i| i + 1)
                .unwrap_or(0);
            let end = block.end + text[block.end..].find('\n').unwrap_or(text.len() - block.end);
            out.push(start..end);
        }
    }
    if path.ends_with(".md") {
        let body_start = block.map(|b| b.end).unwrap_or(0);
        for h in headings::headings(text) {
            if h.line.start >= body_start {
                out.push(h.line.start..h.section.end);
            }
        }
        // HTML comments (guidance, the TOC markers' block is folded as a whole below).
        let mut pos = body_start;
        while let Some(s) = text[pos..].find("<!--") {
            let start = pos + s;
            let Some(e) = text[start + 4..].find("-->") else {
                break;
            };
            let end = start + 4 + e + 3;
            out.push(start..end);
            pos = end;
        }
        if let (Some(s), Some(e)) = (text.find("<!-- toc -->"), text.find("<!-- /toc -->")) {
            if s < e {
                out.push(s..e + "<!-- /toc -->".len());
            }
        }
    }
    out.retain(|r| r.start < r.end && text[r.clone()].contains('\n'));
    out.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    out.dedup();
    out
}
