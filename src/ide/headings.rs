//! ATX headings (`## Title`) of a Markdown text with byte ranges and section extents, for the
//! README outline, folding and section completion.
//!
//! Hand-rolled rather than a pulldown-cmark pass because completion runs on every keystroke on
//! READMEs of 150 KB and needs only ATX heading lines (KEP READMEs, like the template, use no
//! setext headings); fenced code blocks and HTML comments (the template's guidance) are skipped
//! so that `#` lines inside them are not taken for headings.

use std::ops::Range;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1 to 6.
    pub level: usize,
    /// The heading text without `#`s and surrounding spaces (closing `#`s dropped).
    pub text: String,
    /// The heading line without its line break.
    pub line: Range<usize>,
    /// The text part of the line.
    pub text_range: Range<usize>,
    /// From the heading to the start of the next heading of the same or a higher level (or the
    /// end of the text), trailing blank lines excluded.
    pub section: Range<usize>,
}

/// The headings of `text`, in order.
pub fn headings(text: &str) -> Vec<Heading> {
    let mut out: Vec<Heading> = Vec::new();
    let mut fence: Option<(u8, usize)> = None;
    let mut in_comment = false;
    let mut pos = 0;
    while pos <= text.len() {
        let rest = &text[pos..];
        let len = rest.find('\n').unwrap_or(rest.len());
        let mut line = &rest[..len];
        if let Some(stripped) = line.strip_suffix('\r') {
            line = stripped;
        }
        let start = pos;
        pos += len + 1;
        let trimmed = line.trim_start_matches(' ');
        let indent = line.len() - trimmed.len();
        if let Some((ch, n)) = fence {
            let run = trimmed.bytes().take_while(|&b| b == ch).count();
            if indent < 4 && run >= n && trimmed[run..].trim().is_empty() {
                fence = None;
            }
            continue;
        }
        if in_comment {
            if line.contains("-->") {
                in_comment = false;
            }
            continue;
        }
        if indent < 4 {
            let first = trimmed.bytes().next();
            if first == Some(b'`') || first == Some(b'~') {
                let ch = first.unwrap_or(b'`');
                let run = trimmed.bytes().take_while(|&b| b == ch).count();
                if run >= 3 {
                    fence = Some((ch, run));
                    continue;
                }
            }
            if let Some(after) = trimmed.strip_prefix("<!--") {
                in_comment = !after.contains("-->");
                continue;
            }
            let level = trimmed.bytes().take_while(|&b| b == b'#').count();
            let after = &trimmed[level..];
            if (1..=6).contains(&level) && (after.is_empty() || after.starts_with([' ', '\t'])) {
                let mut body = after.trim();
                // A closing sequence of `#`s preceded by a space is not part of the text.
                let no_hashes = body.trim_end_matches('#');
                if no_hashes.is_empty() || no_hashes.ends_with([' ', '\t']) {
                    body = no_hashes.trim_end();
                }
                let text_start = if body.is_empty() {
                    start + line.len()
                } else {
                    start + indent + level + (after.len() - after.trim_start().len())
                };
                out.push(Heading {
                    level,
                    text: body.to_string(),
                    line: start..start + line.len(),
                    text_range: text_start..text_start + body.len(),
                    section: start..text.len(),
                });
            }
        }
    }
    // Close each section at the next heading of the same or a higher level.
    for i in 0..out.len() {
        let level = out[i].level;
        let end = out[i + 1..]
            .iter()
            .find(|h| h.level <= level)
            .map(|h| h.line.start)
            .unwrap_or(text.len());
        let start = out[i].section.start;
        let trimmed_end = start + text[start..end].trim_end().len();
        out[i].section = start..trimmed_end.max(out[i].line.end);
    }
    out
}

/// A heading text reduced for lenient comparison (lower case, letters and digits only).
pub fn normalize(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(|c| c.to_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_skip_code_and_comments() {
        let text = "# KEP-1: T\n<!--\n# not\n-->\n## Summary ##\ntext\n```\n## code\n```\n### Goals\n\n## Motivation\n";
        let hs = headings(text);
        let names: Vec<(usize, &str)> = hs.iter().map(|h| (h.level, h.text.as_str())).collect();
        assert_eq!(
            names,
            [(1, "KEP-1: T"), (2, "Summary"), (3, "Goals"), (2, "Motivation")]
        );
        assert_eq!(
            &text[hs[1].section.clone()],
            "## Summary ##\ntext\n```\n## code\n```\n### Goals"
        );
        assert_eq!(&text[hs[1].text_range.clone()], "Summary");
        assert_eq!(hs[0].section.end, text.trim_end().len());
    }

    #[test]
    fn odd_input() {
        for t in ["", "#", "#\n", "####### x", "# é😀 #", "```\n# x"] {
            for h in headings(t) {
                assert!(t.is_char_boundary(h.text_range.start) && h.section.end <= t.len());
            }
        }
        assert_eq!(headings("#")[0].text, "");
    }
}
