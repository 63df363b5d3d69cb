//! A legacy KEP's front matter: the YAML between a README's opening `---` line and the next
//! line containing `---`, as upstream's `KEPHandler.Parse` splits it. The one reader of that
//! block for the classifier, the metadata rules and the editor features.

use std::ops::Range;

/// The text after one leading byte-order mark, and the mark's length in bytes.
fn without_bom(text: &str) -> (usize, &str) {
    match text.strip_prefix('\u{feff}') {
        Some(rest) => (text.len() - rest.len(), rest),
        None => (0, text),
    }
}

/// Whether `text` opens with a `---` line (after an optional byte-order mark), closed or not.
pub(crate) fn opens(text: &str) -> bool {
    let (_, rest) = without_bom(text);
    rest.lines().next().unwrap_or("").trim_end() == "---"
}

/// The byte range of the front matter: from the line after the opening `---` line to the start
/// of the next line containing `---`, or to the end of the text when no line closes it (the
/// editor reads an unfinished block too). `None` when the text does not open with a `---` line
/// ended by a line break.
pub(crate) fn block(text: &str) -> Option<Range<usize>> {
    block_and_closed(text).map(|(r, _)| r)
}

/// `block`, only when a line containing `---` closes it (what upstream parses).
pub fn closed_block(text: &str) -> Option<Range<usize>> {
    block_and_closed(text).and_then(|(r, closed)| closed.then_some(r))
}

fn block_and_closed(text: &str) -> Option<(Range<usize>, bool)> {
    let (bom, rest) = without_bom(text);
    let first_end = bom + rest.find('\n')? + 1;
    if text[bom..first_end].trim_end() != "---" {
        return None;
    }
    let mut pos = first_end;
    while pos < text.len() {
        let len = text[pos..].find('\n').map(|i| i + 1).unwrap_or(text.len() - pos);
        if text[pos..pos + len].contains("---") {
            return Some((first_end..pos, true));
        }
        pos += len;
    }
    Some((first_end..text.len(), false))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks() {
        let md = "---\ntitle: x\n---\n# T\n";
        assert_eq!(&md[block(md).unwrap()], "title: x\n");
        assert_eq!(closed_block(md), block(md));
        assert_eq!(block("# T\n---\n"), None);
        assert_eq!(closed_block("# no\n"), None);
        assert_eq!(closed_block("---\nopen: forever\n"), None);
        assert_eq!(block("---\nopen: forever\n"), Some(4..18));
        assert_eq!(block("---"), None);
        assert!(opens("---") && opens("\u{feff}--- \r\nx") && !opens("# T\n---\n"));
        let bom = "\u{feff}---\r\na: 1\r\n---\r\n";
        assert_eq!(&bom[closed_block(bom).unwrap()], "a: 1\r\n");
    }
}
