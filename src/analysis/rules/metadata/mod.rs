//! Rules on KEP metadata: kep.yaml and legacy front matter (R1-R5, R7, R8, R17-R20 and the
//! checks upstream lacks: dates, handles, milestones, template leftovers, duplicates).
//!
//! One `Checker` walks the parsed YAML once per family: `structure` (keys, types, required
//! fields), `values` (status, stage, milestones, groups, dates), `people` (handles, duplicate
//! entries, leftovers). Legacy front matter runs the same rules, leniently: it is history, so
//! nothing there is an error except YAML that does not parse.

mod node_approvers;
mod people;
mod structure;
mod values;

use std::ops::Range;

use crate::analysis::rules::{layout, prr};
use crate::analysis::{Code, Context, Finding, Fix, KepMetadata, Severity, TextEdit};
use crate::model::kep_yaml::{KepYamlView, MAX_LINE_BYTES, from_root, parse_kep_yaml, parse_legacy};
use crate::syntax::yaml::YamlText;
use crate::syntax::yaml::{self, YamlDoc};

/// Check a kep.yaml: returns the model (when the YAML is a mapping) and the findings.
///
/// The text is read as upstream's `KEPHandler.Parse` reads it (`parse_kep_yaml`): lines holding
/// `---` split it, a line of 64 KiB fails it, yaml.v3's tab rules apply.
pub(crate) fn check_kep_yaml(
    path: &str,
    text: &str,
    ctx: &Context<'_>,
) -> (Option<KepMetadata>, Vec<Finding>) {
    let (doc, view) = parse_kep_yaml(text);
    let meta = from_root(doc.root.as_ref(), 0..text.len(), false);
    let mut c = Checker::new(path, text, ctx, false, 0..text.len());
    c.view = Some(&view);
    upstream_reading(&mut c, &view);
    c.run(&doc, &meta);
    let mut findings = c.findings;
    let mut rest = layout::check_kep_layout(path, text, &meta, ctx);
    if ctx.profile().prr_rules {
        rest.extend(prr::check_kep_prr(path, text, &meta, ctx));
    }
    if !doc.errors.is_empty() {
        // One error per slip: what rests on a value recovery guessed is left out.
        rest.retain(|f| !doc.touches_recovered(text, &f.range));
    }
    findings.extend(rest);
    (Some(meta), findings)
}

/// How many fixes `gate_fixes` checks on one file (each check analyses the fixed copy).
const MAX_GATED_FIXES: usize = 24;
/// Above this size a kep.yaml gets no fix (checking them would cost too much; upstream reads
/// no line of 64 KiB anyway).
const MAX_GATED_BYTES: usize = 256 * 1024;

/// Fixes never make a file worse, checked mechanically on every fix the rules offer on a
/// kep.yaml (metadata, layout, PRR; `findings` as `check_kep_yaml` returned them): the fixed
/// text must not write a key twice that the text already had (parsable or not), must still
/// parse if it parsed, and must not draw an error finding of a code more often than the text
/// does. A fix that fails is dropped. Each check analyses the fixed copy once, so this runs
/// only where fixes are offered (`Options::findings_only` off: code actions, fix-all), not
/// on every keystroke's diagnostics; with `findings_only` the fixes are dropped unchecked.
pub(crate) fn gate_fixes(
    path: &str,
    text: &str,
    ctx: &Context<'_>,
    findings_only: bool,
    findings: &mut [Finding],
) {
    let offered: usize = findings.iter().map(|f| f.fixes.len()).sum();
    if offered == 0 {
        return;
    }
    if findings_only || offered > MAX_GATED_FIXES || text.len() > MAX_GATED_BYTES {
        // Not offered, or too many to check (a file of many repeated blocks): none is kept
        // rather than fixes nobody checked.
        for f in findings.iter_mut() {
            f.fixes.clear();
        }
        return;
    }
    let parses = parse_kep_yaml(text).0.errors.is_empty();
    let errors = |fs: &[Finding]| {
        let mut out: std::collections::BTreeMap<Code, usize> = std::collections::BTreeMap::new();
        for f in fs.iter().filter(|f| f.severity == Severity::Error) {
            *out.entry(f.code).or_insert(0) += 1;
        }
        out
    };
    let before = errors(findings);
    let keys_before = yaml::read(text, 0..text.len()).key_counts();
    let safe = |fix: &Fix| -> bool {
        let fixed = crate::analysis::apply_edits(text, &fix.edits);
        let duplicates = yaml::read(&fixed, 0..fixed.len())
            .key_counts()
            .iter()
            .any(|(k, n)| keys_before.get(k).is_some_and(|was| n > was));
        if duplicates || (parses && !parse_kep_yaml(&fixed).0.errors.is_empty()) {
            return false;
        }
        // `check_kep_yaml` gates nothing itself: the copy's own fixes are not checked.
        let (_, after) = check_kep_yaml(path, &fixed, ctx);
        errors(&after)
            .iter()
            .all(|(code, n)| *n <= before.get(code).copied().unwrap_or(0))
    };
    for f in findings.iter_mut() {
        if !f.fixes.is_empty() {
            let fixes = std::mem::take(&mut f.fixes);
            f.fixes = fixes.into_iter().filter(|fix| safe(fix)).collect();
        }
    }
}

/// What upstream's line reader does before YAML: a line too long fails the file; lines
/// containing `---` split it (a warning where content is left unread: the errors it causes,
/// such as a required field gone, are reported as such).
fn upstream_reading(c: &mut Checker<'_>, view: &KepYamlView) {
    if let Some((line, range)) = &view.too_long {
        let end = (range.start + 80).min(range.end);
        let end = (end..=range.end)
            .find(|e| c.text.is_char_boundary(*e))
            .unwrap_or(range.end);
        c.push(Finding::new(
            Code::YamlSyntax,
            range.start..end,
            format!(
                "reading file: bufio.Scanner: token too long: line {line} has {} bytes; upstream reads lines shorter than {MAX_LINE_BYTES} bytes: break it up",
                range.len()
            ),
        ));
    }
    if view.dropped_lines.is_empty() {
        return;
    }
    let what = match view.split_lines.as_slice() {
        [only] => format!("only the text after line {only}"),
        [a, b, ..] => format!("only the text between lines {a} and {b}"),
        [] => return,
    };
    for &line in view.split_lines.iter().take(2) {
        let range = line_range(c.text, line);
        let is_comment = c.text[range.clone()].trim_start().starts_with('#');
        let mut f = Finding::new(
            Code::YamlSyntax,
            range.clone(),
            format!(
                "this line contains `---`: upstream (KEPHandler.Parse) splits kep.yaml at every line containing `---` and reads {what}; {} line(s) with content are not read: remove the `---`",
                view.dropped_lines.len()
            ),
        )
        .with_severity(Severity::Warning);
        if is_comment && let Some(edit) = c.delete_lines(range) {
            f = f.with_fix(Fix::new("Remove this comment line", vec![edit]));
        }
        c.push(f);
    }
}

/// The byte range of 1-based `line`'s content (without its line break).
fn line_range(text: &str, line: usize) -> Range<usize> {
    let mut start = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            let content = l.trim_end_matches(['\n', '\r']);
            return start..start + content.len();
        }
        start += l.len();
    }
    text.len()..text.len()
}

/// Check the front matter of a legacy single-file KEP (spans relative to the whole Markdown).
pub(crate) fn check_legacy_front_matter(
    path: &str,
    text: &str,
    ctx: &Context<'_>,
) -> (Option<KepMetadata>, Vec<Finding>) {
    let Some((doc, meta)) = parse_legacy(text) else {
        let first = text.find('\n').unwrap_or(text.len());
        let f = Finding::new(
            Code::YamlSyntax,
            0..first,
            "the front matter is not closed: add a `---` line after the metadata",
        )
        .with_severity(Severity::Warning);
        return (None, vec![f]);
    };
    let block = crate::syntax::front_matter::closed_block(text).unwrap_or(0..0);
    let mut c = Checker::new(path, text, ctx, true, block);
    c.run(&doc, &meta);
    let mut findings = c.findings;
    // History: a legacy KEP predates strict validation and CI never checks it again, so
    // nothing there is an error (even YAML that does not parse); lower levels are kept.
    for f in &mut findings {
        if f.severity == Severity::Error {
            f.severity = Severity::Warning;
        }
    }
    (Some(meta), findings)
}

/// State shared by the metadata rule families.
pub(crate) struct Checker<'a> {
    pub path: &'a str,
    pub text: &'a str,
    pub ctx: &'a Context<'a>,
    pub legacy: bool,
    /// The byte range of the metadata block (whole file, or the front matter).
    pub block: Range<usize>,
    /// Whether the block parsed without a YAML error (then fixes must keep it so).
    pub parses: bool,
    /// How upstream reads a kep.yaml (not set for legacy front matter).
    pub view: Option<&'a KepYamlView>,
    /// 1-based lines that YAML error recovery blanked or re-read.
    pub recovered_lines: Vec<usize>,
    pub findings: Vec<Finding>,
    /// The block read line by line, built the first time a fix inserts a field.
    lines: std::cell::OnceCell<YamlText<'a>>,
}

impl<'a> Checker<'a> {
    fn new(path: &'a str, text: &'a str, ctx: &'a Context<'a>, legacy: bool, block: Range<usize>) -> Self {
        Checker {
            path,
            text,
            ctx,
            legacy,
            block,
            parses: true,
            view: None,
            recovered_lines: Vec::new(),
            findings: Vec::new(),
            lines: std::cell::OnceCell::new(),
        }
    }

    /// The insertion of `snippet` (whole lines, no final line break) as the new top-level field
    /// `name`, where `model::field_insert` puts it (as the editor's add-field actions do).
    pub(crate) fn insert_field(&self, name: &str, snippet: &str) -> TextEdit {
        let lines = self
            .lines
            .get_or_init(|| yaml::read(self.text, self.block.start..self.block.end.min(self.text.len())));
        let (at, text) = crate::model::field_insert::insert_field(lines, name, snippet);
        TextEdit::insert(at, text)
    }

    fn run(&mut self, doc: &YamlDoc, meta: &KepMetadata) {
        self.parses = doc.errors.is_empty();
        self.recovered_lines = doc.recovered_lines.clone();
        for e in &doc.errors {
            let go_line = self.view.map(|v| v.go_line(e.line)).unwrap_or(e.line);
            let mut f = Finding::new(
                Code::YamlSyntax,
                e.range.clone(),
                format!("yaml: line {go_line}: {}", go_message(&e.message)),
            );
            if go_line != e.line {
                f.message.push_str(&format!(
                    " (line {} of the file: upstream does not count the lines it leaves out)",
                    e.line
                ));
            }
            if let Some(fix) = syntax_fix(self, e) {
                f = f.with_fix(fix);
            }
            self.push(f);
        }
        let before = self.findings.len();
        self.run_rules(doc, meta);
        if !doc.errors.is_empty() {
            // One error per slip: after a syntax error yaml.v3 reads nothing, so every other
            // finding is ours; keep only those that do not rest on what recovery guessed, and
            // none about fields missing (their lines may be the ones recovery blanked).
            let mut rest = self.findings.split_off(before);
            rest.retain(|f| {
                !matches!(f.code, Code::MissingField | Code::MissingMilestoneOrStage)
                    && !doc.touches_recovered(self.text, &f.range)
            });
            self.findings.extend(rest);
        }
    }

    fn run_rules(&mut self, doc: &YamlDoc, meta: &KepMetadata) {
        let Some(root) = doc.root.as_ref() else {
            if doc.errors.is_empty() {
                if self.view.is_some() {
                    // yaml.v3's Decoder finds no document: `Decode` returns io.EOF.
                    let range = self.first_key_range(meta);
                    let why = if self.view.is_some_and(|v| !v.dropped_lines.is_empty()) {
                        "upstream reads no YAML here: the lines it reads hold only comments or blanks (see the `---` line)"
                    } else {
                        "the file holds no YAML: add the KEP's fields"
                    };
                    self.push(Finding::new(
                        Code::YamlSyntax,
                        range,
                        format!("unmarshalling YAML: EOF: {why}"),
                    ));
                    return;
                }
                structure::check_required(self, None, meta);
            }
            return;
        };
        if root.as_mapping().is_none() {
            if !root.is_null() {
                self.push(Finding::new(
                    Code::WrongType,
                    root.span.clone(),
                    format!(
                        "cannot unmarshal {} into api.Proposal: the metadata must be a mapping of `key: value` lines",
                        root.go_shown()
                    ),
                ));
                return;
            }
            structure::check_required(self, None, meta);
            return;
        }
        structure::check(self, root, meta);
        values::check(self, meta);
        people::check(self, root, meta);
        if self.ctx.profile().sig_node_rules {
            node_approvers::check(self, root, meta);
        }
    }

    pub(crate) fn push(&mut self, f: Finding) {
        self.findings.push(f);
    }

    /// A range for "somewhere in the file": the first key, or the first line.
    pub(crate) fn first_key_range(&self, meta: &KepMetadata) -> Range<usize> {
        if let Some(f) = meta.fields.first() {
            return f.key.span.clone();
        }
        let start = self.block.start.min(self.text.len());
        let end = self.text[start..]
            .find('\n')
            .map(|i| start + i)
            .unwrap_or(self.text.len());
        start..end.min(self.block.end.max(start))
    }

    /// Whether some line of the metadata block (parsable or not, read by upstream or not)
    /// writes `key:` at indentation `indent` (`None`: any), after optional `- `: a fix must not
    /// add it again.
    pub(crate) fn key_in_text(&self, key: &str, indent: Option<usize>) -> bool {
        let block = self.text.get(self.block.clone()).unwrap_or(self.text);
        block.lines().any(|line| {
            let body = line.trim_start_matches(' ');
            let at = line.len() - body.len();
            let body = body
                .strip_prefix("- ")
                .map(|b| b.trim_start_matches(' '))
                .unwrap_or(body);
            let at = if indent.is_some() {
                line.len() - body.len()
            } else {
                at
            };
            let Some(rest) = body.strip_prefix(key) else {
                return false;
            };
            let rest = rest.trim_start_matches([' ', '\t']);
            rest.starts_with(':')
                && rest[1..].chars().next().is_none_or(|c| c.is_whitespace())
                && indent.is_none_or(|i| i == at)
        })
    }

    /// The 1-based line where `key:` is written at the top level but not read by upstream
    /// (a line a `---` split leaves out), if any.
    pub(crate) fn unread_key_line(&self, key: &str) -> Option<usize> {
        let view = self.view?;
        let lines: Vec<&str> = self.text.split('\n').collect();
        view.dropped_lines.iter().copied().find(|l| {
            lines.get(l - 1).is_some_and(|t| {
                t.strip_prefix(key)
                    .is_some_and(|r| r.trim_start_matches([' ', '\t']).starts_with(':'))
            })
        })
    }

    /// The start of the line holding `pos`.
    pub(crate) fn line_start(&self, pos: usize) -> usize {
        self.text
            .get(..pos)
            .and_then(|t| t.rfind('\n'))
            .map(|i| i + 1)
            .unwrap_or(0)
    }

    /// Just past the newline ending the line holding `pos` (or the end of the text).
    pub(crate) fn line_end_incl(&self, pos: usize) -> usize {
        self.text
            .get(pos..)
            .and_then(|t| t.find('\n'))
            .map(|i| pos + i + 1)
            .unwrap_or(self.text.len())
    }

    /// An edit deleting the whole lines from `range.start` to `range.end`, if nothing else
    /// shares those lines (so that the YAML stays valid).
    pub(crate) fn delete_lines(&self, range: Range<usize>) -> Option<TextEdit> {
        let start = self.line_start(range.start);
        let before = self.text.get(start..range.start)?;
        if !matches!(before.trim(), "" | "-") {
            return None;
        }
        let end_line = self.line_end_incl(range.end.saturating_sub(1).max(range.start));
        let after = self.text.get(range.end..end_line)?.trim();
        if !(after.is_empty() || after.starts_with('#')) {
            return None;
        }
        Some(TextEdit::new(start..end_line, ""))
    }

    /// A fix replacing a spanned value (quote style read back from the text).
    pub(crate) fn replace_value_fix(&self, span: &Range<usize>, new_value: &str, title: String) -> Fix {
        let raw = self.text.get(span.clone()).unwrap_or("");
        let text = if raw.starts_with('"') {
            format!("\"{new_value}\"")
        } else if raw.starts_with('\'') {
            format!("'{new_value}'")
        } else {
            new_value.to_string()
        };
        Fix::new(title, vec![TextEdit::new(span.clone(), text)])
    }

    /// The KEP's location from its path (folder sig, number), when under `keps/`.
    pub(crate) fn location(&self) -> Option<crate::model::kep_path::KepLocation> {
        crate::model::kep_path::kep_location(self.path)
    }
}

/// yaml.v3's wording for a saphyr error message, where they differ (the message an author
/// finds in the CI log).
fn go_message(saphyr: &str) -> String {
    let m = saphyr.trim();
    let go = if m.contains("cannot start any token") || m.starts_with("unexpected character") {
        "found character that cannot start any token"
    } else if m.contains("mapping values are not allowed") {
        "mapping values are not allowed in this context"
    } else if m.contains("did not find expected key") {
        "did not find expected key"
    } else {
        return m.to_string();
    };
    go.to_string()
}

/// The obvious fix for the commonest slips, offered when the fixed text reads further than
/// before: an unquoted `@handle` (`- @alice`: `@` cannot start a plain YAML value; every such
/// handle of the file is quoted at once, they come in lists), a value holding `: `
/// (`title: Foo: bar`), a tab where yaml.v3 wants a space.
fn syntax_fix(c: &Checker<'_>, e: &yaml::YamlError) -> Option<Fix> {
    let (edits, title) = if c.text.get(e.range.clone()) == Some("\t") {
        (
            vec![TextEdit::new(e.range.clone(), " ")],
            "Replace the tab with a space".to_string(),
        )
    } else {
        let range = line_range(c.text, e.line);
        let (edit, quoted, is_handle) = quote_value_edit(c.text, range.start)?;
        if is_handle {
            let mut edits = vec![edit];
            let mut start = 0;
            for l in c.text.split_inclusive('\n') {
                if start != range.start
                    && let Some((other, _, true)) = quote_value_edit(c.text, start)
                {
                    edits.push(other);
                }
                start += l.len();
            }
            edits.sort_by_key(|x| x.range.start);
            let title = if edits.len() == 1 {
                format!("Quote the handle: {quoted}")
            } else {
                format!("Quote the {} unquoted handles", edits.len())
            };
            (edits, title)
        } else {
            (vec![edit], format!("Quote the value: {quoted}"))
        }
    };
    let fixed = crate::analysis::apply_edits(c.text, &edits);
    let (after, _) = parse_kep_yaml(&fixed);
    let better = after.errors.first().is_none_or(|a| a.line > e.line);
    better.then(|| Fix::new(title, edits))
}

/// The edit quoting the value of the line starting at byte `line_start` when it is an
/// unquoted `@handle` (a list item or `key: @x`) or a plain value holding `: `: (edit, quoted
/// text, is a handle).
fn quote_value_edit(text: &str, line_start: usize) -> Option<(TextEdit, String, bool)> {
    let rest_of_text = text.get(line_start..)?;
    let len = rest_of_text.find('\n').unwrap_or(rest_of_text.len());
    let range = line_start..line_start + rest_of_text[..len].trim_end_matches('\r').len();
    let line = text.get(range.clone())?;
    let indent = line.len() - line.trim_start().len();
    let mut pos = indent;
    while line[pos..].starts_with("- ") {
        pos += 2;
        pos += line[pos..].len() - line[pos..].trim_start().len();
    }
    // After a `key: ` on this line, the value starts there.
    let value_at = if line[pos..].starts_with('@') {
        pos
    } else {
        let rest = &line[pos..];
        let colon = rest.find(": ")?;
        let key = &rest[..colon];
        if key.is_empty() || key.contains(['"', '\'', '#', '{', '[', '@']) {
            return None;
        }
        let after = colon + 2;
        pos + after + (rest[after..].len() - rest[after..].trim_start().len())
    };
    let value_and_comment = &line[value_at..];
    if value_and_comment.starts_with(['"', '\'', '[', '{', '|', '>', '#']) || value_and_comment.is_empty() {
        return None;
    }
    let value = match value_and_comment.find(" #") {
        Some(i) => &value_and_comment[..i],
        None => value_and_comment,
    }
    .trim_end();
    let is_handle = value.starts_with('@');
    if !is_handle && !value.contains(": ") {
        return None;
    }
    let quoted = if value.contains('"') || value.contains('\\') {
        format!("'{}'", value.replace('\'', "''"))
    } else {
        format!("\"{value}\"")
    };
    let start = range.start + value_at;
    Some((
        TextEdit::new(start..start + value.len(), quoted.clone()),
        quoted,
        is_handle,
    ))
}

#[cfg(test)]
mod tests;
