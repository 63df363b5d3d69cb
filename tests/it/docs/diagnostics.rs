//! docs/diagnostics.md documents every diagnostic code: a section per code with an example and
//! its fix. This test keeps the page and the `Code` table from drifting apart, and runs every
//! example through `analyze` so that the messages the page shows are the ones kep-lsp prints.
//!
//! Conventions of the page (machine-readable, still plain Markdown on GitHub):
//! - each code has a heading ``## `code` `` (GitHub's anchor for it is the code itself);
//! - an example is a fenced block whose info string is `LANG path=REPO/PATH`; right after it come
//!   lines `> severity[code]: message` (each must be a finding of that file, exactly), and
//!   optionally `> fix: title` (the finding just above has a quick fix with that title); bare `>`
//!   lines between them only keep GitHub from joining the lines;
//! - a block with `file=REPO/PATH` is a companion: another file of the repository the examples of
//!   the same section need (OWNERS_ALIASES, a PRR file, a sibling kep.yaml...);
//! - a block with `fixed=TITLE-WORD` right after an example's `> ` lines is the example's text once
//!   the quick fix of the last `> fix:` line is applied (the attribute value is free text, only
//!   its presence counts);
//! - `via=misspellings` runs `rules::readme::check_misspellings` instead of `analyze` (the
//!   misspelling check is opt-in, not part of `analyze`);
//! - `enable=CODE` runs `analyze_with` with that opt-in code turned on (`Options::enabling`);
//! - `via=bytes` reads the block as a file's bytes (`\xNN` is the byte NN) through
//!   `workspace::decode`, as `check` and the server read files from disk, then `analyze`.

use crate::common;

use common::MemWorkspace;
use kep_lsp::analysis::{Code, Finding};

const DOC: &str = include_str!("../../../docs/diagnostics.md");

/// One fenced block of the page.
struct Block<'a> {
    attrs: Vec<(&'a str, &'a str)>,
    body: String,
    /// The `> ...` lines right after the block.
    expect: Vec<&'a str>,
    /// 1-based line of the opening fence, for messages.
    line: usize,
}

impl Block<'_> {
    fn attr(&self, key: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
    }
}

/// The section of each `## ` heading: (heading text, first line number, lines).
fn sections(doc: &str) -> Vec<(&str, usize, Vec<&str>)> {
    let mut out: Vec<(&str, usize, Vec<&str>)> = Vec::new();
    let mut in_fence: Option<String> = None;
    for (i, line) in doc.lines().enumerate() {
        let t = line.trim_start();
        if let Some(f) = &in_fence {
            if t.starts_with(f.as_str()) && t.trim_start_matches('`').trim().is_empty() {
                in_fence = None;
            }
        } else if t.starts_with("```") {
            in_fence = Some(t.chars().take_while(|c| *c == '`').collect());
        } else if let Some(h) = line.strip_prefix("## ") {
            out.push((h.trim(), i + 1, Vec::new()));
            continue;
        }
        if let Some(s) = out.last_mut() {
            s.2.push(line);
        }
    }
    out
}

fn blocks<'a>(lines: &[&'a str], first_line: usize) -> Vec<Block<'a>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let t = lines[i].trim_start();
        if !t.starts_with("```") {
            i += 1;
            continue;
        }
        let fence: String = t.chars().take_while(|c| *c == '`').collect();
        let info = &t[fence.len()..];
        let attrs = info
            .split_whitespace()
            .filter_map(|w| w.split_once('='))
            .collect::<Vec<_>>();
        let line = first_line + i + 1;
        let mut body = String::new();
        i += 1;
        while i < lines.len() {
            let t = lines[i].trim_start();
            if t.starts_with(fence.as_str()) && t.trim_start_matches('`').trim().is_empty() {
                break;
            }
            body.push_str(lines[i]);
            body.push('\n');
            i += 1;
        }
        i += 1;
        // Expectations follow the block, blank lines allowed before them.
        while i < lines.len() && lines[i].trim().is_empty() {
            i += 1;
        }
        let mut expect = Vec::new();
        // A bare `>` separates quoted lines into paragraphs (GitHub would join them otherwise).
        while i < lines.len() && (lines[i].starts_with("> ") || lines[i].trim_end() == ">") {
            if let Some(e) = lines[i].strip_prefix("> ") {
                expect.push(e);
            }
            i += 1;
        }
        out.push(Block {
            attrs,
            body,
            expect,
            line,
        });
    }
    out
}

/// `severity[code]: message` -> parts.
fn parse_expect(e: &str) -> Option<(&str, &str, &str)> {
    let (sev, rest) = e.split_once('[')?;
    let (code, rest) = rest.split_once("]: ")?;
    Some((sev, code, rest))
}

fn code_of_heading(h: &str) -> Option<&str> {
    h.strip_prefix('`')?.strip_suffix('`')
}

#[test]
fn every_code_has_a_section_with_example_and_fix() {
    let secs = sections(DOC);
    let mut missing = Vec::new();
    for code in Code::ALL {
        let name = code.as_str();
        let Some((_, line, lines)) = secs.iter().find(|(h, _, _)| code_of_heading(h) == Some(name)) else {
            missing.push(format!("{name}: no ## `{name}` section"));
            continue;
        };
        let text = lines.join("\n");
        for part in ["**Severity**", "**Upstream**", "**Example**", "**Fix**"] {
            if !text.contains(part) {
                missing.push(format!("{name} (line {line}): section has no {part}"));
            }
        }
        let documented = blocks(lines, *line).iter().any(|b| {
            b.attr("path").is_some()
                && b.expect
                    .iter()
                    .any(|e| parse_expect(e).is_some_and(|(_, c, _)| c == name))
        });
        if !documented {
            missing.push(format!(
                "{name} (line {line}): no example block expecting [{name}]"
            ));
        }
        // The severity paragraph names the default severity (and any other it may take).
        let sev_line = lines
            .iter()
            .skip_while(|l| !l.contains("**Severity**"))
            .take_while(|l| !l.trim().is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        if !sev_line.contains(code.default_severity().as_str()) {
            missing.push(format!(
                "{name}: severity line `{sev_line}` does not say {}",
                code.default_severity().as_str()
            ));
        }
        let rule = code.upstream_rule().unwrap_or("not checked upstream");
        let up_line = lines
            .iter()
            .skip_while(|l| !l.contains("**Upstream**"))
            .take_while(|l| !l.trim().is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        if !up_line.contains(rule) {
            missing.push(format!("{name}: upstream line `{up_line}` does not say {rule}"));
        }
        // The table of contents at the top links the section.
        if !DOC.contains(&format!("(#{name})")) {
            missing.push(format!("{name}: not linked from the table of contents"));
        }
    }
    // No section documents a code that does not exist (a renamed code would leave a dead anchor).
    for (h, line, _) in &secs {
        if let Some(c) = code_of_heading(h)
            && Code::parse(c).is_none()
        {
            missing.push(format!("line {line}: section for unknown code `{c}`"));
        }
    }
    assert!(
        missing.is_empty(),
        "docs/diagnostics.md is out of date:\n{}",
        missing.join("\n")
    );
}

/// GitHub's anchor of a heading whose text is a code in backticks is the code itself: lower-case
/// ASCII letters, digits and `-` only, so nothing is dropped or changed by the slugger.
#[test]
fn code_headings_anchor_to_the_code() {
    for code in Code::ALL {
        let name = code.as_str();
        assert!(
            name.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{name} would not be its own anchor"
        );
    }
}

/// A block's text with each `\xNN` turned into the byte NN.
fn unescape_bytes(body: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let mut rest = body.as_bytes();
    while let Some((&first, tail)) = rest.split_first() {
        if let [b'\\', b'x', h, l, after @ ..] = rest
            && let Ok(byte) = u8::from_str_radix(&format!("{}{}", *h as char, *l as char), 16)
        {
            out.push(byte);
            rest = after;
            continue;
        }
        out.push(first);
        rest = tail;
    }
    out
}

fn render(findings: &[Finding]) -> String {
    findings
        .iter()
        .map(|f| {
            let fixes: Vec<_> = f
                .fixes
                .iter()
                .map(|x| format!("\n    > fix: {}", x.title))
                .collect();
            format!(
                "  > {}[{}]: {}{}",
                f.severity.as_str(),
                f.code.as_str(),
                f.message,
                fixes.concat()
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_example_produces_the_documented_finding() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for (heading, line, lines) in sections(DOC) {
        let blocks = blocks(&lines, line);
        let mut ws = MemWorkspace::new();
        for b in &blocks {
            if let Some(p) = b.attr("file") {
                ws = ws.with(p, &b.body);
            }
        }
        for (bi, b) in blocks.iter().enumerate() {
            let Some(path) = b.attr("path") else {
                continue;
            };
            let fixed_block = blocks.get(bi + 1).filter(|n| n.attr("fixed").is_some());
            if b.expect.is_empty() {
                failures.push(format!(
                    "{heading} line {}: example without `> ` expectations",
                    b.line
                ));
                continue;
            }
            let findings = if b.attr("via") == Some("bytes") {
                let name = path.rsplit('/').next().unwrap_or(path);
                let content = kep_lsp::workspace::decode(name, unescape_bytes(&b.body));
                match content.problem {
                    Some(problem) => vec![problem],
                    None => {
                        let ws = ws.clone().with(path, &content.text);
                        common::run(path, &content.text, &ws).findings
                    }
                }
            } else if b.attr("via") == Some("misspellings") {
                kep_lsp::analysis::rules::readme::check_misspellings(&b.body)
            } else if let Some(code) = b.attr("enable") {
                let ws = ws.clone().with(path, &b.body);
                let knowledge = kep_lsp::knowledge::Knowledge::embedded();
                let ctx = kep_lsp::analysis::Context {
                    knowledge: &knowledge,
                    workspace: &ws,
                    today: Some(common::TODAY),
                    upcoming_minor: None,
                };
                let codes: Vec<Code> = Code::parse(code).into_iter().collect();
                let options = kep_lsp::analysis::Options::enabling(&codes);
                kep_lsp::analysis::analyze_with(path, &b.body, &ctx, &options).findings
            } else {
                let ws = ws.clone().with(path, &b.body);
                common::run(path, &b.body, &ws).findings
            };
            let mut last: Option<&Finding> = None;
            let mut last_fix: Option<String> = None;
            for e in &b.expect {
                checked += 1;
                if let Some(title) = e.strip_prefix("fix: ") {
                    let fix = last.and_then(|f| f.fixes.iter().find(|x| x.title == title));
                    if let Some(fix) = fix {
                        last_fix = Some(kep_lsp::analysis::apply_edits(&b.body, &fix.edits));
                    } else {
                        failures.push(format!(
                            "{heading} line {}: no fix titled {title:?} on the finding above; fixes: {:?}",
                            b.line,
                            last.map(|f| f.fixes.iter().map(|x| x.title.clone()).collect::<Vec<_>>())
                        ));
                    }
                    continue;
                }
                let Some((sev, code, msg)) = parse_expect(e) else {
                    failures.push(format!("{heading} line {}: bad expectation `{e}`", b.line));
                    continue;
                };
                last = findings
                    .iter()
                    .find(|f| f.code.as_str() == code && f.severity.as_str() == sev && f.message == msg);
                if last.is_none() {
                    failures.push(format!(
                        "{heading} line {}: {path}: expected\n  {e}\ngot\n{}",
                        b.line,
                        render(&findings)
                    ));
                }
            }
            if let Some(want) = fixed_block {
                checked += 1;
                match &last_fix {
                    Some(got) if *got == want.body => {}
                    Some(got) => failures.push(format!(
                        "{heading} line {}: the fixed text differs; the fix gives\n<<<\n{got}>>>",
                        want.line
                    )),
                    None => failures.push(format!(
                        "{heading} line {}: a `fixed` block without a `> fix:` line above",
                        want.line
                    )),
                }
            }
        }
    }
    assert!(checked > 0, "no examples found");
    assert!(
        failures.is_empty(),
        "{} failing examples:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
