//! `.kep-lsp.toml`, the one config file at a repository's root, read by `kep-lsp check` and by
//! the server: the profile override, the KEP root, the template folder, the mdtoc dialect,
//! severities, disabled and enabled codes. Every key is documented in docs/config.md.
//!
//! Parsed with the `toml` crate's span-keeping table (`toml::de::DeTable`) and walked by hand
//! rather than derived with serde: a derive stops at the first unknown key and gives no range
//! per key, and every problem must be a finding on its own key or value. A key with a bad value
//! is ignored (the rest of the file still applies).

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::{Code, Finding, Severity};
use crate::knowledge::TocCheck;

/// The file's name, at the repository root.
pub(crate) const FILE_NAME: &str = ".kep-lsp.toml";

/// The keys of the file, in the order docs/config.md lists them.
pub(crate) const KEYS: &[&str] = &[
    "profile", "kep-root", "template", "mdtoc", "severity", "disable", "enable", "docs-url",
];

/// `profile = ...`: let the files decide, or force one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ProfileChoice {
    #[default]
    Auto,
    Kubernetes,
    Subproject,
}

/// `template = ...`: the embedded kubernetes/enhancements template, or a repo-relative folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateChoice {
    Embedded,
    Folder(String),
}

/// What `.kep-lsp.toml` says; `None` / empty: not set (detection and defaults apply).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileConfig {
    pub profile: ProfileChoice,
    /// Repo-relative, no leading or trailing `/`.
    pub kep_root: Option<String>,
    pub template: Option<TemplateChoice>,
    /// `None`: detected from the repository's tooling.
    pub mdtoc: Option<TocCheck>,
    pub severity: BTreeMap<Code, Severity>,
    pub disable: BTreeSet<Code>,
    /// Opt-in codes turned on.
    pub enable: BTreeSet<Code>,
    /// `docs-url`: where the repository publishes the diagnostics page (an http(s) address), for
    /// the server's code links; the editor's `docsUrl` setting wins over it.
    pub docs_url: Option<String>,
}

/// Whether a core path is the config file (at the root, or anywhere when no root is known).
pub(crate) fn is_config_file(path: &str) -> bool {
    path == FILE_NAME || path.ends_with(&format!("/{FILE_NAME}"))
}

/// Parse the file: the config (bad entries left out) and a `config-invalid` finding per problem,
/// on the key or value at fault (byte ranges into `text`).
pub(crate) fn parse(text: &str) -> (FileConfig, Vec<Finding>) {
    let mut config = FileConfig::default();
    let mut out = Vec::new();
    let table = match DeTable::parse(text) {
        Ok(t) => t,
        Err(e) => {
            let range = e.span().unwrap_or(0..0);
            let message = e.message().trim().to_owned();
            out.push(problem(
                range,
                format!("{FILE_NAME} is not valid TOML: {message}"),
            ));
            return (config, out);
        }
    };
    for (key, value) in table.get_ref().iter() {
        let name: &str = key.get_ref();
        let k = key.span();
        match name {
            "profile" => match string(value, &mut out, name) {
                Some(("auto", _)) => config.profile = ProfileChoice::Auto,
                Some(("kubernetes", _)) => config.profile = ProfileChoice::Kubernetes,
                Some(("subproject", _)) => config.profile = ProfileChoice::Subproject,
                Some((other, r)) => out.push(problem(
                    r,
                    format!("profile `{other}` is not one of auto, kubernetes, subproject"),
                )),
                None => {}
            },
            "kep-root" => {
                if let Some((s, r)) = string(value, &mut out, name) {
                    match folder(s) {
                        Some(f) => config.kep_root = Some(f),
                        None => out.push(problem(
                            r,
                            "kep-root must be a folder inside the repository, like `keps` or `docs/keps`",
                        )),
                    }
                }
            }
            "template" => {
                if let Some((s, r)) = string(value, &mut out, name) {
                    if s == "embedded" {
                        config.template = Some(TemplateChoice::Embedded);
                    } else {
                        match folder(s) {
                            Some(f) => config.template = Some(TemplateChoice::Folder(f)),
                            None => out.push(problem(
                                r,
                                "template must be `embedded` or a folder inside the repository, like `keps/NNNN-kep-template`",
                            )),
                        }
                    }
                }
            }
            "docs-url" => {
                if let Some((s, r)) = string(value, &mut out, name) {
                    let s = s.trim();
                    if s.starts_with("https://") || s.starts_with("http://") {
                        config.docs_url = Some(s.to_owned());
                    } else {
                        out.push(problem(
                            r,
                            format!(
                                "docs-url `{s}` is not an http(s) address of the published diagnostics page"
                            ),
                        ));
                    }
                }
            }
            "mdtoc" => {
                if let Some((s, r)) = string(value, &mut out, name) {
                    let choice = match s {
                        "auto" => Some(None),
                        "off" => Some(Some(TocCheck::Off)),
                        "pre-inline-code" => Some(Some(TocCheck::Mdtoc {
                            pre_inline_code: true,
                        })),
                        _ => TocCheck::from_mdtoc_version(s).map(Some),
                    };
                    match choice {
                        Some(c) => config.mdtoc = c,
                        None => out.push(problem(
                            r,
                            format!(
                                "mdtoc `{s}` is not auto, off, pre-inline-code or an mdtoc version like v1.4.0"
                            ),
                        )),
                    }
                }
            }
            "severity" => severity_table(value, &mut config, &mut out),
            "disable" | "enable" => code_list(name, value, &mut config, &mut out),
            _ => {
                let near = crate::knowledge::schema::did_you_mean(name, KEYS.iter().copied());
                let hint = match near {
                    Some(n) => format!(": did you mean `{n}`?"),
                    None => format!(" (keys: {})", KEYS.join(", ")),
                };
                out.push(problem(k, format!("unknown key `{name}` in {FILE_NAME}{hint}")));
            }
        }
    }
    clamp_ranges(text, &mut out);
    out.sort_by_key(|f| (f.range.start, f.range.end));
    (config, out)
}

/// `[severity]`: `code = "level"` lines.
fn severity_table(value: &Spanned<DeValue<'_>>, config: &mut FileConfig, out: &mut Vec<Finding>) {
    let DeValue::Table(t) = value.get_ref() else {
        out.push(problem(
            value.span(),
            "severity must be a table of `code = \"level\"` lines, under `[severity]`",
        ));
        return;
    };
    for (code, level) in t.iter() {
        let Some(c) = known_code(code, out, "severity") else {
            continue;
        };
        match level.get_ref().as_str().and_then(Severity::parse) {
            Some(s) => {
                config.severity.insert(c, s);
            }
            None => out.push(problem(
                level.span(),
                format!(
                    "severity of `{}` must be one of \"error\", \"warning\", \"info\", \"hint\"",
                    c.as_str()
                ),
            )),
        }
    }
}

/// `disable = [...]` or `enable = [...]` (`name`): lists of diagnostic codes; only opt-in codes
/// can be enabled.
fn code_list(name: &str, value: &Spanned<DeValue<'_>>, config: &mut FileConfig, out: &mut Vec<Finding>) {
    let Some(items) = value.get_ref().as_array() else {
        out.push(problem(
            value.span(),
            format!("{name} must be a list of diagnostic codes, like [\"toc-missing\"]"),
        ));
        return;
    };
    for item in items.iter() {
        let Some(s) = item.get_ref().as_str() else {
            out.push(problem(item.span(), format!("{name}: a code is a string")));
            continue;
        };
        let spanned = Spanned::new(item.span(), std::borrow::Cow::Borrowed(s));
        let Some(c) = known_code(&spanned, out, name) else {
            continue;
        };
        if name == "disable" {
            config.disable.insert(c);
        } else if c.is_opt_in() {
            config.enable.insert(c);
        } else {
            out.push(
                problem(item.span(), format!("enable: `{}` is on by default", c.as_str()))
                    .with_severity(Severity::Hint),
            );
        }
    }
}

/// Ranges inside the text and on char boundaries whatever the parser reported (the CLI prints
/// them without going through `analyze`).
fn clamp_ranges(text: &str, out: &mut [Finding]) {
    let floor = |mut i: usize| {
        i = i.min(text.len());
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    for f in out {
        let start = floor(f.range.start);
        f.range = start..floor(f.range.end.max(start));
    }
}

fn problem(range: Range<usize>, message: impl Into<String>) -> Finding {
    Finding::new(Code::ConfigInvalid, range, message)
}

/// The value as a string with its range (quotes included), or a finding when it is not one.
fn string<'v>(
    value: &'v Spanned<DeValue<'_>>,
    out: &mut Vec<Finding>,
    key: &str,
) -> Option<(&'v str, Range<usize>)> {
    match value.get_ref().as_str() {
        Some(s) => Some((s, value.span())),
        None => {
            out.push(problem(
                value.span(),
                format!("{key} must be a string, got {}", value.get_ref().type_str()),
            ));
            None
        }
    }
}

/// A diagnostic code by name, or a finding on the name (with the nearest code).
fn known_code(name: &Spanned<std::borrow::Cow<'_, str>>, out: &mut Vec<Finding>, key: &str) -> Option<Code> {
    let s: &str = name.get_ref();
    if let Some(c) = Code::parse(s) {
        return Some(c);
    }
    let near = crate::knowledge::schema::did_you_mean(s, Code::ALL.iter().map(|c| c.as_str()));
    let hint = near
        .map(|n| format!(": did you mean `{n}`?"))
        .unwrap_or_else(|| "; docs/diagnostics.md lists the codes".to_owned());
    out.push(problem(
        name.span(),
        format!("{key}: unknown diagnostic code `{s}`{hint}"),
    ));
    None
}

/// A repo-relative folder as written (`docs/keps/`, `./kep`) in canonical form, or `None` when
/// it is empty, absolute or leaves the repository.
fn folder(s: &str) -> Option<String> {
    if s.starts_with('/') || s.contains('\\') || s.contains(':') {
        return None;
    }
    let mut parts: Vec<&str> = Vec::new();
    for seg in s.split('/') {
        match seg {
            "" | "." => {}
            ".." => return None,
            p => parts.push(p),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_are_canonical_and_inside() {
        assert_eq!(folder("docs/keps/").as_deref(), Some("docs/keps"));
        assert_eq!(folder("./kep").as_deref(), Some("kep"));
        assert_eq!(folder("/etc"), None);
        assert_eq!(folder("../x"), None);
        assert_eq!(folder(""), None);
    }

    #[test]
    fn every_key() {
        let text = "profile = \"subproject\"\nkep-root = \"./docs/keps/\"\ntemplate = \"docs/keps/NNNN-Template\"\n\
                    mdtoc = \"v1.0.1\"\ndisable = [\"toc-missing\"]\nenable = [\"heading-case\"]\n\
                    docs-url = \"https://kep.example/diagnostics\"\n\
                    [severity]\nmissing-section = \"hint\"\n";
        let (c, problems) = parse(text);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            c,
            FileConfig {
                profile: ProfileChoice::Subproject,
                kep_root: Some("docs/keps".into()),
                template: Some(TemplateChoice::Folder("docs/keps/NNNN-Template".into())),
                mdtoc: Some(TocCheck::Mdtoc {
                    pre_inline_code: true
                }),
                severity: [(Code::MissingSection, Severity::Hint)].into(),
                disable: [Code::TocMissing].into(),
                enable: [Code::HeadingCase].into(),
                docs_url: Some("https://kep.example/diagnostics".into()),
            }
        );
        let other = |t: &str| parse(t).0;
        // Not an address: a finding on the value, and no link.
        let text = "docs-url = \"docs/diagnostics.md\"\n";
        let (c, problems) = parse(text);
        assert_eq!(c.docs_url, None);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(&text[problems[0].range.clone()], "\"docs/diagnostics.md\"");
        assert_eq!(
            other("template = \"embedded\"").template,
            Some(TemplateChoice::Embedded)
        );
        assert_eq!(other("mdtoc = \"off\"").mdtoc, Some(TocCheck::Off));
        assert_eq!(other("mdtoc = \"auto\"").mdtoc, None);
        assert_eq!(
            other("mdtoc = \"pre-inline-code\"").mdtoc,
            Some(TocCheck::Mdtoc {
                pre_inline_code: true
            })
        );
        assert_eq!(
            other("profile = \"kubernetes\"").profile,
            ProfileChoice::Kubernetes
        );
        assert_eq!(other("profile = \"auto\"").profile, ProfileChoice::Auto);
    }

    #[test]
    fn bad_toml_is_one_finding_with_a_range() {
        let (c, problems) = parse("profile = \"subproject\"\nkep-root = [\n");
        assert_eq!(c, FileConfig::default());
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].message.starts_with(".kep-lsp.toml is not valid TOML"));
        assert!(problems[0].range.start >= 24, "{:?}", problems[0].range);
        let (_, problems) = parse("[severity]\nunknown-field = \"warning\"\n[severity]\n");
        assert_eq!(problems.len(), 1, "a table defined twice: {problems:?}");
    }

    #[test]
    fn any_edit_of_a_config_gives_findings_inside_the_text() {
        let base =
            "profile = \"subproject\" # ü\nkep-root = \"docs/keps\"\n[severity]\nunknown-field = \"héllo\"\n";
        let inserts = ["", "\"", "[", "]", "=", "\n", "é", "😀", "'''", "\\u"];
        for (at, _) in base.char_indices() {
            for ins in inserts {
                for cut in [0, 1, 3] {
                    let mut text = base[..at].to_string();
                    text.push_str(ins);
                    let rest = &base[at..];
                    let skip = rest.char_indices().nth(cut).map_or(rest.len(), |(i, _)| i);
                    text.push_str(&rest[skip..]);
                    for f in parse(&text).1 {
                        assert!(
                            f.range.start <= f.range.end && f.range.end <= text.len(),
                            "{text:?}"
                        );
                        assert!(text.is_char_boundary(f.range.start) && text.is_char_boundary(f.range.end));
                    }
                }
            }
        }
    }

    #[test]
    fn config_paths() {
        assert!(is_config_file(".kep-lsp.toml"));
        assert!(is_config_file("/abs/repo/.kep-lsp.toml"));
        assert!(!is_config_file("x.kep-lsp.toml"));
    }
}
