//! The output formats of `check`: `human` (rustc-like, with the source line and a caret
//! underline), `json` (an array of findings) and `github` (workflow commands that GitHub Actions
//! turns into annotations).

use std::io::{self, Write};

use clap::ValueEnum;
use serde::Serialize;

use crate::analysis::{Finding, Severity};

use super::lines::{LineCol, LineIndex};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
    Github,
}

/// The findings of one file, with its text for positions and source lines.
pub struct FileReport {
    pub display: String,
    pub text: String,
    pub findings: Vec<Finding>,
}

/// A finding placed in its file: 1-based lines, columns in characters, end exclusive.
struct Placed<'a> {
    start: LineCol,
    end: LineCol,
    finding: &'a Finding,
}

fn placed<'r>(report: &'r FileReport, index: &LineIndex) -> Vec<Placed<'r>> {
    report
        .findings
        .iter()
        .map(|f| Placed {
            start: index.line_col(&report.text, f.range.start),
            end: index.line_col(&report.text, f.range.end),
            finding: f,
        })
        .collect()
}

/// The line index of a report's text, as far as its findings reach: a file's findings sit
/// mostly near its start, and most of a large README is never printed.
fn line_index(report: &FileReport) -> LineIndex {
    let reach = report.findings.iter().map(|f| f.range.end).max().unwrap_or(0);
    LineIndex::upto(&report.text, reach)
}

// ANSI styles written by hand: anstream strips them when stdout is not a terminal or colour is
// off, so pulling in a styling crate for five constants would buy nothing.
const BOLD: &str = "\x1b[1m";
const BLUE: &str = "\x1b[1;34m";
const RESET: &str = "\x1b[0m";

fn severity_style(s: Severity) -> &'static str {
    match s {
        Severity::Error => "\x1b[1;31m",
        Severity::Warning => "\x1b[1;33m",
        Severity::Info => "\x1b[1;36m",
        Severity::Hint => "\x1b[1;32m",
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// The summary line: `2 errors, 1 warning, 0 infos, 0 hints in 3 files` (`counts`: error,
/// warning, info, hint).
fn summary(counts: [usize; 4], files_checked: usize) -> String {
    let [e, w, i, h] = counts;
    format!(
        "{}, {}, {}, {} in {}",
        plural(e, "error"),
        plural(w, "warning"),
        plural(i, "info"),
        plural(h, "hint"),
        plural(files_checked, "file")
    )
}

/// One file's part of the output, rendered where the file was analysed (on a worker thread), so
/// that the printer only writes bytes in order and the file's text can be dropped at once.
pub(crate) struct Rendered {
    /// The file's findings in the chosen format; for `json` its array elements, joined by `,\n`
    /// (the printer writes the brackets and the separators between files).
    bytes: Vec<u8>,
    /// Its findings by severity: error, warning, info, hint.
    counts: [usize; 4],
}

impl Rendered {
    /// Whether one of its findings is of severity `deny` or worse.
    pub(crate) fn reaches(&self, deny: Severity) -> bool {
        self.counts[..=deny as usize].iter().any(|&n| n > 0)
    }
}

/// Render one file's findings (a file without findings renders to nothing).
pub(crate) fn render(report: &FileReport, format: Format, quiet: bool) -> Rendered {
    let mut counts = [0; 4];
    for f in &report.findings {
        counts[f.severity as usize] += 1;
    }
    let mut bytes = Vec::new();
    if !report.findings.is_empty() {
        let index = line_index(report);
        let placed = placed(report, &index);
        // Writing into a Vec cannot fail.
        let _ = match format {
            Format::Human => render_human(&mut bytes, report, &index, &placed, quiet),
            Format::Json => render_json(&mut bytes, report, &placed),
            Format::Github => render_github(&mut bytes, report, &placed),
        };
    }
    Rendered { bytes, counts }
}

/// rustc-like: `path:line:col: severity[code]: message`, the source line, a caret underline.
/// `quiet` keeps only the first line of each finding.
fn render_human(
    out: &mut Vec<u8>,
    report: &FileReport,
    index: &LineIndex,
    placed: &[Placed<'_>],
    quiet: bool,
) -> io::Result<()> {
    for p in placed {
        let f = p.finding;
        let sev = f.severity;
        writeln!(
            out,
            "{BOLD}{}:{}:{}:{RESET} {}{}[{}]{RESET}{BOLD}: {}{RESET}",
            report.display,
            p.start.line,
            p.start.column,
            severity_style(sev),
            sev.as_str(),
            f.code.as_str(),
            f.message
        )?;
        if quiet {
            continue;
        }
        let line = index.line_text(&report.text, p.start.line);
        let number = p.start.line.to_string();
        let gutter = " ".repeat(number.len());
        // Keep tabs in the padding so the carets line up under tabbed source.
        let pad: String = line
            .chars()
            .take(p.start.column - 1)
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        let line_chars = line.chars().count();
        let width = if p.end.line == p.start.line {
            p.end.column - p.start.column
        } else {
            line_chars.saturating_sub(p.start.column - 1)
        };
        writeln!(out, "{BLUE}{number} |{RESET} {line}")?;
        writeln!(
            out,
            "{BLUE}{gutter} |{RESET} {pad}{}{}{RESET}",
            severity_style(sev),
            "^".repeat(width.max(1))
        )?;
    }
    Ok(())
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    severity: &'static str,
    code: &'static str,
    message: &'a str,
}

/// The file's elements of the JSON array, each `{file, line, column, end_line, end_column,
/// severity, code, message}` (lines and columns 1-based, columns in characters, the end
/// exclusive), as serde_json's pretty printer writes them inside an array: the object pretty
/// printed, every line indented by two spaces; elements joined by `,\n`.
fn render_json(out: &mut Vec<u8>, report: &FileReport, placed: &[Placed<'_>]) -> io::Result<()> {
    for (i, p) in placed.iter().enumerate() {
        let item = JsonFinding {
            file: &report.display,
            line: p.start.line,
            column: p.start.column,
            end_line: p.end.line,
            end_column: p.end.column,
            severity: p.finding.severity.as_str(),
            code: p.finding.code.as_str(),
            message: &p.finding.message,
        };
        if i > 0 {
            out.extend_from_slice(b",\n");
        }
        // Strings are escaped (no raw newline inside one), so indenting by lines is safe.
        let object = serde_json::to_vec_pretty(&item)?;
        for (n, line) in object.split(|&b| b == b'\n').enumerate() {
            if n > 0 {
                out.push(b'\n');
            }
            out.extend_from_slice(b"  ");
            out.extend_from_slice(line);
        }
    }
    Ok(())
}

/// GitHub Actions workflow commands: `::error file=..,line=..,col=..,endLine=..,endColumn=..,
/// title=CODE::message`; warnings as `::warning`, infos and hints as `::notice`.
fn render_github(out: &mut Vec<u8>, report: &FileReport, placed: &[Placed<'_>]) -> io::Result<()> {
    for p in placed {
        let f = p.finding;
        let command = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info | Severity::Hint => "notice",
        };
        writeln!(
            out,
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            escape_property(&report.display),
            p.start.line,
            p.start.column,
            p.end.line,
            p.end.column,
            escape_property(f.code.as_str()),
            escape_data(&f.message)
        )?;
    }
    Ok(())
}

/// Writes the rendered files in order as they come, then the end of the output: the summary
/// line (`human` without `quiet`), the closing bracket (`json`). Holds nothing of a file once
/// written.
pub(crate) struct Printer {
    format: Format,
    quiet: bool,
    counts: [usize; 4],
    /// Whether a JSON element was written (the array is open).
    any_json: bool,
}

impl Printer {
    pub(crate) fn new(format: Format, quiet: bool) -> Printer {
        Printer {
            format,
            quiet,
            counts: [0; 4],
            any_json: false,
        }
    }

    pub(crate) fn file(&mut self, out: &mut dyn Write, file: &Rendered) -> io::Result<()> {
        for (total, n) in self.counts.iter_mut().zip(file.counts) {
            *total += n;
        }
        if file.bytes.is_empty() {
            return Ok(());
        }
        if self.format == Format::Json {
            out.write_all(if self.any_json { b",\n" } else { b"[\n" })?;
            self.any_json = true;
        }
        out.write_all(&file.bytes)
    }

    pub(crate) fn finish(&mut self, out: &mut dyn Write, files_checked: usize) -> io::Result<()> {
        match self.format {
            Format::Human if !self.quiet => writeln!(out, "{}", summary(self.counts, files_checked)),
            Format::Human | Format::Github => Ok(()),
            Format::Json if self.any_json => out.write_all(b"\n]\n"),
            Format::Json => out.write_all(b"[]\n"),
        }
    }
}

/// The whole output for `reports` at once (the tests' view of the printer).
#[cfg(test)]
fn write_all(
    out: &mut dyn Write,
    reports: &[FileReport],
    format: Format,
    files_checked: usize,
    quiet: bool,
) -> io::Result<()> {
    let mut printer = Printer::new(format, quiet);
    for report in reports {
        printer.file(out, &render(report, format, quiet))?;
    }
    printer.finish(out, files_checked)
}

#[cfg(test)]
fn write_human(
    out: &mut dyn Write,
    reports: &[FileReport],
    files_checked: usize,
    quiet: bool,
) -> io::Result<()> {
    write_all(out, reports, Format::Human, files_checked, quiet)
}

#[cfg(test)]
fn write_json(out: &mut dyn Write, reports: &[FileReport]) -> io::Result<()> {
    write_all(out, reports, Format::Json, 0, false)
}

#[cfg(test)]
fn write_github(out: &mut dyn Write, reports: &[FileReport]) -> io::Result<()> {
    write_all(out, reports, Format::Github, 0, false)
}

/// Escaping of a workflow command's message (actions/toolkit `escapeData`).
pub(crate) fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escaping of a workflow command's property value (actions/toolkit `escapeProperty`).
pub(crate) fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Code;

    /// A file with non-ASCII text, a tab and a range over three lines.
    fn sample() -> Vec<FileReport> {
        let text = "title: \"héllo 😀\"\n\teditors: x\nstatus: implementd\nlast: 50%, a:b\n";
        let at = |needle: &str| text.find(needle).unwrap();
        let findings = vec![
            Finding::new(
                Code::UnknownField,
                at("editors")..at("editors") + 7,
                "unknown key `editors`",
            ),
            Finding::new(Code::TemplateLeftover, at("😀")..at("status"), "three lines"),
            Finding::new(
                Code::InvalidStatus,
                at("implementd")..at("implementd") + 10,
                "bad status",
            ),
            Finding::new(Code::InvalidDate, at("50%")..at("50%"), "50% done,\nsecond line")
                .with_severity(Severity::Hint),
        ];
        vec![FileReport {
            display: "keps/sig-x/1-a,b/kep.yaml".into(),
            text: text.into(),
            findings,
        }]
    }

    fn render(write: impl Fn(&mut Vec<u8>) -> io::Result<()>) -> String {
        let mut out = Vec::new();
        write(&mut out).unwrap();
        anstream::adapter::strip_str(&String::from_utf8(out).unwrap()).to_string()
    }

    #[test]
    fn human_format() {
        let reports = sample();
        let out = render(|w| write_human(w, &reports, 3, false));
        let expected = "\
keps/sig-x/1-a,b/kep.yaml:2:2: error[unknown-field]: unknown key `editors`
2 | \teditors: x
  | \t^^^^^^^
keps/sig-x/1-a,b/kep.yaml:1:15: warning[template-leftover]: three lines
1 | title: \"héllo 😀\"
  |               ^^
keps/sig-x/1-a,b/kep.yaml:3:9: error[invalid-status]: bad status
3 | status: implementd
  |         ^^^^^^^^^^
keps/sig-x/1-a,b/kep.yaml:4:7: hint[invalid-date]: 50% done,
second line
4 | last: 50%, a:b
  |       ^
2 errors, 1 warning, 0 infos, 1 hint in 3 files
";
        assert_eq!(out, expected);
        let quiet = render(|w| write_human(w, &reports, 3, true));
        assert_eq!(quiet.lines().count(), 5, "{quiet}");
        assert!(!quiet.contains(" | "));
    }

    #[test]
    fn json_format() {
        let reports = sample();
        let out: serde_json::Value = serde_json::from_str(&render(|w| write_json(w, &reports))).unwrap();
        assert_eq!(
            out[1],
            serde_json::json!({
                "file": "keps/sig-x/1-a,b/kep.yaml", "line": 1, "column": 15, "end_line": 3,
                "end_column": 1, "severity": "warning", "code": "template-leftover", "message": "three lines"
            })
        );
        assert_eq!(out[0]["column"], 2);
        assert_eq!(out[0]["end_column"], 9);
        assert_eq!(out[3]["severity"], "hint");
        assert_eq!(out.as_array().unwrap().len(), 4);
        assert_eq!(render(|w| write_json(w, &[])), "[]\n");
    }

    #[test]
    fn github_format() {
        let reports = sample();
        let out = render(|w| write_github(w, &reports));
        let expected = "\
::error file=keps/sig-x/1-a%2Cb/kep.yaml,line=2,col=2,endLine=2,endColumn=9,title=unknown-field::unknown key `editors`
::warning file=keps/sig-x/1-a%2Cb/kep.yaml,line=1,col=15,endLine=3,endColumn=1,title=template-leftover::three lines
::error file=keps/sig-x/1-a%2Cb/kep.yaml,line=3,col=9,endLine=3,endColumn=19,title=invalid-status::bad status
::notice file=keps/sig-x/1-a%2Cb/kep.yaml,line=4,col=7,endLine=4,endColumn=7,title=invalid-date::50%25 done,%0Asecond line
";
        assert_eq!(out, expected);
    }

    proptest::proptest! {
        /// Any text and any range (even off char boundaries or past the end) renders in every
        /// format without panicking, and positions stay 1-based and ordered.
        #[test]
        fn any_range_renders(text in "(?s).{0,80}", a in 0usize..100, b in 0usize..100) {
            let (start, end) = (a.min(b), a.max(b));
            let reports = vec![FileReport {
                display: "f".into(),
                text: text.clone(),
                findings: vec![Finding::new(Code::UnknownField, start..end, "m")],
            }];
            render(|w| write_human(w, &reports, 1, false));
            render(|w| write_github(w, &reports));
            let json: serde_json::Value = serde_json::from_str(&render(|w| write_json(w, &reports))).unwrap();
            let (line, column) = (json[0]["line"].as_u64().unwrap(), json[0]["column"].as_u64().unwrap());
            let (end_line, end_column) = (json[0]["end_line"].as_u64().unwrap(), json[0]["end_column"].as_u64().unwrap());
            proptest::prop_assert!(line >= 1 && column >= 1);
            proptest::prop_assert!((line, column) <= (end_line, end_column));
        }
    }

    #[test]
    fn github_escaping() {
        assert_eq!(escape_data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
