//! README completion: the template sections missing at the cursor's heading level.

use super::*;

/// README completion: on a heading line (`##` typed) or an empty line, the template sections
/// missing at that level, in template order, as `#`-prefixed headings.
pub(super) fn section_completions(text: &str, offset: usize, ctx: &Context<'_>) -> Vec<CompletionItem> {
    let line_start = text[..offset].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let line_end = text[offset..]
        .find('\n')
        .map(|i| offset + i)
        .unwrap_or(text.len());
    let line = text[line_start..line_end].trim_end_matches('\r');
    let typed_hashes = line.bytes().take_while(|&b| b == b'#').count();
    let rest = &line[typed_hashes..];
    if typed_hashes == 0 && !line.trim().is_empty() {
        return Vec::new();
    }
    if typed_hashes > 6 || (typed_hashes > 0 && !rest.is_empty() && !rest.starts_with(' ')) {
        return Vec::new();
    }
    let doc_headings = headings::headings(text);
    // Outside fenced code and comments only: an empty line inside a fence is not a heading spot.
    let template = &ctx.knowledge.template.sections;
    let present: Vec<String> = doc_headings
        .iter()
        .filter(|h| h.line.start != line_start)
        .map(|h| normalize(&h.text))
        .collect();
    let enclosing = doc_headings
        .iter()
        .rev()
        .find(|h| h.line.end <= line_start && h.line.start < line_start);
    // The template section the cursor is under, at each level (to rank or restrict children).
    let under: Vec<usize> = doc_headings
        .iter()
        .filter(|h| h.line.start < line_start && line_start <= h.section.end.max(h.line.end + 1))
        .filter_map(|h| template.iter().position(|t| t.norm == normalize(&h.text)))
        .collect();
    let is_child = |s: &TemplateSection| s.parent.is_some_and(|p| under.contains(&p));
    let wanted = |s: &TemplateSection| {
        let level = usize::from(s.level);
        if typed_hashes > 0 {
            return level == typed_hashes;
        }
        match enclosing {
            Some(h) => level == h.level || (level == h.level + 1 && is_child(s)),
            None => level == 2,
        }
    };
    let mut found: Vec<(bool, usize, &TemplateSection)> = template
        .iter()
        .enumerate()
        .filter(|(_, s)| s.level > 1 && wanted(s))
        .filter(|(_, s)| !present.contains(&s.norm))
        .map(|(i, s)| (!is_child(s), i, s))
        .collect();
    // Children of the section the cursor is in first, then template order.
    found.sort_by_key(|(not_child, i, _)| (*not_child, *i));
    found
        .into_iter()
        .map(|(_, i, s)| (i, s))
        .map(|(i, s)| {
            // As the missing-section fix writes it: without the `(Optional)` marker.
            let heading = format!(
                "{} {}",
                "#".repeat(usize::from(s.level)),
                s.title.replace(" (Optional)", "")
            );
            CompletionItem {
                label: s.title.clone(),
                kind: CompletionKind::Section,
                detail: Some(format!("template section, level {}", s.level)),
                documentation: guidance_text(s),
                edit: TextEdit::new(line_start..line_end, heading.clone()),
                snippet: false,
                sort_text: format!("{i:03}"),
                filter_text: heading,
            }
        })
        .collect()
}

/// The text of a template section's guidance comment, without `<!--` and `-->`.
pub(crate) fn guidance_text(s: &TemplateSection) -> Option<String> {
    let g = s.guidance.as_deref()?.trim();
    let g = g.strip_prefix("<!--").unwrap_or(g);
    let g = g.strip_suffix("-->").unwrap_or(g).trim();
    (!g.is_empty()).then(|| g.to_string())
}
