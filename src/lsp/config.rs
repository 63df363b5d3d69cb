//! The server's settings (section `kep-lsp`): severity overrides, disabled codes, an extra
//! sigs.yaml, the upcoming Kubernetes release, the log level and the workspace diagnostics' scope. Read from `initializationOptions`, `didChangeConfiguration` and
//! the `workspace/configuration` pull; unknown codes and bad values are reported back as warnings,
//! never fatal.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::analysis::{Code, Finding, Severity};

/// The settings section name, as clients key it.
pub(crate) const SECTION: &str = "kep-lsp";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    pub severity: BTreeMap<Code, Severity>,
    pub disable: BTreeSet<Code>,
    /// Opt-in codes turned on (`misspelling`).
    pub enable: BTreeSet<Code>,
    /// An extra sigs.yaml (absolute, or relative to the workspace root) that replaces the SIG list.
    pub sigs_path: Option<String>,
    /// A tracing filter (`info`, `debug`, `kep_lsp=trace`...).
    pub log_level: Option<String>,
    /// `release`: the upcoming Kubernetes release as its minor version (`"v1.37"` gives 37), for
    /// sig-node's tech-lead rule; unset, the release calendar's release on today's date.
    pub upcoming_minor: Option<u64>,
    /// `docsUrl`: the address of the diagnostics page (docs/diagnostics.md as published), which
    /// each diagnostic links as `<docsUrl>#<code>` (or with `{code}` replaced). Unset: no link.
    pub docs_url: Option<String>,
    /// `readiness`: `"off"` hides the freeze-readiness code lens on kep.yaml.
    pub readiness_off: bool,
    /// `readiness`: `"v1.37"` (37) checks kep.yaml against that release; unset: the upcoming one
    /// (`release`, else the release calendar's on today).
    pub readiness_release: Option<u64>,
    /// `workspaceDiagnostics`: which KEP files of the repository the server reports on without
    /// their being open (`off`, `all`, or `sig-node,sig-apps`).
    pub workspace_diagnostics: WorkspaceScope,
}

/// The `workspaceDiagnostics` setting: the KEP files reported by `workspace/diagnostic` (and
/// pushed to clients that do not pull).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum WorkspaceScope {
    /// No workspace diagnostics (the default: a whole repository is ~1,800 files).
    #[default]
    Off,
    /// Every KEP file under the KEP root.
    All,
    /// The files under `<kep root>/<sig>/` and `<kep root>/prod-readiness/<sig>/` for these SIG
    /// folder names.
    Sigs(BTreeSet<String>),
}

impl WorkspaceScope {
    /// Read the setting's text: `off`, `all`, or SIG folder names separated by commas (each of
    /// lowercase letters, digits and `-`). `Err` names the first bad part.
    pub fn parse(text: &str) -> Result<WorkspaceScope, String> {
        let text = text.trim();
        if text.is_empty() || text.eq_ignore_ascii_case("off") {
            return Ok(WorkspaceScope::Off);
        }
        if text.eq_ignore_ascii_case("all") {
            return Ok(WorkspaceScope::All);
        }
        let mut sigs = BTreeSet::new();
        for part in text.split(',').map(str::trim) {
            let folder_name = !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            if !folder_name {
                return Err(format!(
                    "workspaceDiagnostics: `{part}` is not a SIG folder name like sig-node (expected \"off\", \"all\" or a comma-separated list of SIGs)"
                ));
            }
            sigs.insert(part.to_string());
        }
        Ok(WorkspaceScope::Sigs(sigs))
    }

    /// Whether the repo-relative `path` is in scope; `kep_root` is the repository's KEP root
    /// (`keps`), the path is one under it.
    pub fn covers(&self, kep_root: &str, path: &str) -> bool {
        let sigs = match self {
            WorkspaceScope::Off => return false,
            WorkspaceScope::All => return true,
            WorkspaceScope::Sigs(sigs) => sigs,
        };
        let Some(rest) = path.strip_prefix(kep_root).and_then(|r| r.strip_prefix('/')) else {
            return false;
        };
        let rest = rest.strip_prefix("prod-readiness/").unwrap_or(rest);
        // The SIG folder holds the file (not the file itself, at the KEP root's top).
        match rest.split_once('/') {
            Some((sig, _)) => sigs.contains(sig),
            None => false,
        }
    }
}

impl Config {
    /// Read settings from a JSON value: either the section itself or an object holding it under
    /// `kep-lsp` (clients differ). Returns the config and the problems found in it.
    pub fn from_json(value: &Value) -> (Config, Vec<String>) {
        let section = value.get(SECTION).unwrap_or(value);
        let mut config = Config::default();
        let mut problems = Vec::new();
        let Some(obj) = section.as_object() else {
            if !section.is_null() {
                problems.push(format!("settings should be an object, got {section}"));
            }
            return (config, problems);
        };
        if let Some(sev) = obj.get("severity") {
            match sev.as_object() {
                Some(map) => {
                    for (code, level) in map {
                        let parsed_code = Code::parse(code);
                        let parsed_level = level.as_str().and_then(Severity::parse);
                        match (parsed_code, parsed_level) {
                            (Some(c), Some(s)) => {
                                config.severity.insert(c, s);
                            }
                            (None, _) => problems.push(format!("severity: unknown code `{code}`")),
                            (_, None) => problems.push(format!(
                                "severity: `{level}` for `{code}` is not error, warning, info or hint"
                            )),
                        }
                    }
                }
                None => problems.push("severity should map codes to levels".into()),
            }
        }
        if let Some(disable) = obj.get("disable") {
            match disable.as_array() {
                Some(list) => {
                    for item in list {
                        match item.as_str().and_then(Code::parse) {
                            Some(c) => {
                                config.disable.insert(c);
                            }
                            None => problems.push(format!("disable: unknown code {item}")),
                        }
                    }
                }
                None => problems.push("disable should be a list of codes".into()),
            }
        }
        if let Some(enable) = obj.get("enable") {
            match enable.as_array() {
                Some(list) => {
                    for item in list {
                        match item.as_str().and_then(Code::parse) {
                            Some(c) if c.is_opt_in() => {
                                config.enable.insert(c);
                            }
                            Some(c) => problems.push(format!("enable: {} is on by default", c.as_str())),
                            None => problems.push(format!("enable: unknown code {item}")),
                        }
                    }
                }
                None => problems.push("enable should be a list of codes".into()),
            }
        }
        match obj.get("sigsPath") {
            Some(Value::String(p)) if !p.trim().is_empty() => config.sigs_path = Some(p.clone()),
            Some(Value::String(_)) | Some(Value::Null) | None => {}
            Some(other) => problems.push(format!("sigsPath should be a string, got {other}")),
        }
        match obj.get("release") {
            Some(Value::String(r)) if !r.trim().is_empty() => {
                match crate::knowledge::release_calendar::parse_release(r) {
                    Some(minor) => config.upcoming_minor = Some(minor),
                    None => problems.push(format!("release `{r}` is not a Kubernetes release like v1.37")),
                }
            }
            Some(Value::String(_)) | Some(Value::Null) | None => {}
            Some(other) => problems.push(format!("release should be a string like \"v1.37\", got {other}")),
        }
        match obj.get("readiness") {
            Some(Value::String(r)) if r.trim().eq_ignore_ascii_case("off") => config.readiness_off = true,
            Some(Value::String(r)) if !r.trim().is_empty() => {
                match crate::knowledge::release_calendar::parse_release(r) {
                    Some(minor) => config.readiness_release = Some(minor),
                    None => problems.push(format!("readiness `{r}` is not \"off\" or a release like v1.37")),
                }
            }
            Some(Value::String(_)) | Some(Value::Null) | None => {}
            Some(other) => problems.push(format!(
                "readiness should be \"off\" or a release like \"v1.37\", got {other}"
            )),
        }
        match obj.get("workspaceDiagnostics") {
            Some(Value::String(w)) => match WorkspaceScope::parse(w) {
                Ok(scope) => config.workspace_diagnostics = scope,
                Err(problem) => problems.push(problem),
            },
            Some(Value::Null) | None => {}
            Some(other) => problems.push(format!(
                "workspaceDiagnostics should be \"off\", \"all\" or SIGs like \"sig-node,sig-apps\", got {other}"
            )),
        }
        match obj.get("logLevel") {
            Some(Value::String(l)) if !l.trim().is_empty() => config.log_level = Some(l.clone()),
            Some(Value::String(_)) | Some(Value::Null) | None => {}
            Some(other) => problems.push(format!("logLevel should be a string, got {other}")),
        }
        match obj.get("docsUrl") {
            Some(Value::String(u)) if u.trim().starts_with("http://") || u.trim().starts_with("https://") => {
                config.docs_url = Some(u.trim().to_string())
            }
            Some(Value::String(u)) if u.trim().is_empty() => {}
            Some(Value::Null) | None => {}
            Some(other) => problems.push(format!("docsUrl should be an http(s) address, got {other}")),
        }
        (config, problems)
    }

    /// These editor settings on top of the repository's `.kep-lsp.toml`: an editor severity
    /// wins over the file's, disabled and enabled codes add up (a code either disables stays
    /// off).
    pub(crate) fn over_file(&self, file: &crate::analysis::config_file::FileConfig) -> Config {
        let mut merged = self.clone();
        for (code, severity) in &file.severity {
            merged.severity.entry(*code).or_insert(*severity);
        }
        merged.disable.extend(file.disable.iter().copied());
        merged.enable.extend(file.enable.iter().copied());
        if merged.docs_url.is_none() {
            merged.docs_url.clone_from(&file.docs_url);
        }
        merged
    }

    /// The core's options: the opt-in rules this config turns on.
    pub fn options(&self) -> crate::analysis::Options {
        let on: Vec<Code> = self
            .enable
            .iter()
            .filter(|c| !self.disable.contains(c))
            .copied()
            .collect();
        crate::analysis::Options::enabling(&on)
    }

    /// Drop disabled findings and apply severity overrides.
    pub(crate) fn apply(&self, findings: Vec<Finding>) -> Vec<Finding> {
        findings
            .into_iter()
            .filter(|f| !self.disable.contains(&f.code))
            .map(|mut f| {
                if let Some(s) = self.severity.get(&f.code) {
                    f.severity = *s;
                }
                f
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_the_documented_example_under_the_section_key() {
        let v = json!({"kep-lsp": {
            "severity": {"unknown-field": "warning", "retired-sig": "hint"},
            "disable": ["legacy-status"],
            "sigsPath": "community/sigs.yaml",
            "release": "v1.37",
            "logLevel": "debug"
        }});
        let (c, problems) = Config::from_json(&v);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(c.severity.get(&Code::UnknownField), Some(&Severity::Warning));
        assert_eq!(c.severity.get(&Code::RetiredSig), Some(&Severity::Hint));
        assert!(c.disable.contains(&Code::LegacyStatus));
        assert_eq!(c.sigs_path.as_deref(), Some("community/sigs.yaml"));
        assert_eq!(c.log_level.as_deref(), Some("debug"));
        assert_eq!(c.upcoming_minor, Some(37));
    }

    #[test]
    fn release_must_name_a_release() {
        for bad in [
            json!({"release": "next"}),
            json!({"release": 37}),
            json!({"release": "v2.0"}),
        ] {
            let (c, problems) = Config::from_json(&bad);
            assert_eq!(c.upcoming_minor, None);
            assert_eq!(problems.len(), 1, "{bad}: {problems:?}");
        }
        assert_eq!(
            Config::from_json(&json!({"release": "1.38"})).0.upcoming_minor,
            Some(38)
        );
        assert_eq!(
            Config::from_json(&json!({"release": ""})),
            (Config::default(), vec![])
        );
    }

    #[test]
    fn bad_entries_are_reported_and_skipped() {
        let v = json!({"severity": {"no-such-code": "error", "unknown-field": "loud"}, "disable": "x"});
        let (c, problems) = Config::from_json(&v);
        assert_eq!(c, Config::default());
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert_eq!(Config::from_json(&Value::Null), (Config::default(), vec![]));
    }

    #[test]
    fn editor_settings_apply_over_the_config_file() {
        let (file, problems) = crate::analysis::config_file::parse(
            "disable = [\"toc-missing\"]\nenable = [\"misspelling\"]\n[severity]\nunknown-field = \"info\"\nwrong-type = \"hint\"\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
        let (editor, _) = Config::from_json(
            &json!({"severity": {"unknown-field": "warning"}, "disable": ["duplicate-key"]}),
        );
        let c = editor.over_file(&file);
        assert_eq!(c.severity.get(&Code::UnknownField), Some(&Severity::Warning));
        assert_eq!(c.severity.get(&Code::WrongType), Some(&Severity::Hint));
        assert!(c.disable.contains(&Code::TocMissing) && c.disable.contains(&Code::DuplicateKey));
        assert!(c.enable.contains(&Code::Misspelling));
        // The file's docs-url applies where the editor sets none; the editor's wins.
        let (file, problems) =
            crate::analysis::config_file::parse("docs-url = \"https://kep.example/diagnostics\"\n");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            Config::default().over_file(&file).docs_url.as_deref(),
            Some("https://kep.example/diagnostics")
        );
        let (editor, _) = Config::from_json(&json!({"docsUrl": "https://mine.example/d"}));
        assert_eq!(
            editor.over_file(&file).docs_url.as_deref(),
            Some("https://mine.example/d")
        );
    }

    #[test]
    fn docs_url_is_kept_only_as_an_http_address() {
        let (c, problems) = Config::from_json(&json!({"docsUrl": " https://docs.example.org/d.html "}));
        assert_eq!(c.docs_url.as_deref(), Some("https://docs.example.org/d.html"));
        assert!(problems.is_empty());
        let (c, problems) = Config::from_json(&json!({"docsUrl": "docs/diagnostics.md"}));
        assert_eq!((c.docs_url, problems.len()), (None, 1));
        assert_eq!(
            Config::from_json(&json!({"docsUrl": ""})),
            (Config::default(), vec![])
        );
    }

    #[test]
    fn workspace_diagnostics_scope() {
        let scope = |v: Value| Config::from_json(&json!({"workspaceDiagnostics": v}));
        assert_eq!(scope(json!("off")), (Config::default(), vec![]));
        assert_eq!(scope(json!("")), (Config::default(), vec![]));
        assert_eq!(scope(json!("ALL")).0.workspace_diagnostics, WorkspaceScope::All);
        let (c, problems) = scope(json!(" sig-node , sig-apps"));
        assert!(problems.is_empty(), "{problems:?}");
        let sigs = WorkspaceScope::Sigs(["sig-apps".to_string(), "sig-node".to_string()].into());
        assert_eq!(c.workspace_diagnostics, sigs);
        for bad in [
            json!("sig-node,,sig-apps"),
            json!("Sig Node"),
            json!(true),
            json!(["sig-node"]),
        ] {
            let (c, problems) = scope(bad.clone());
            assert_eq!(c.workspace_diagnostics, WorkspaceScope::Off, "{bad}");
            assert_eq!(problems.len(), 1, "{bad}: {problems:?}");
        }
        assert!(sigs.covers("keps", "keps/sig-node/1001-x/kep.yaml"));
        assert!(sigs.covers("keps", "keps/prod-readiness/sig-apps/1003.yaml"));
        assert!(sigs.covers("keps", "keps/sig-node/README-legacy.md"));
        assert!(!sigs.covers("keps", "keps/sig-storage/1-x/README.md"));
        assert!(!sigs.covers("keps", "keps/prod-readiness/sig-storage/1.yaml"));
        assert!(!sigs.covers("keps", "keps/sig-node"));
        assert!(!sigs.covers("keps", "keps-other/sig-node/1-x/kep.yaml"));
        assert!(!sigs.covers("docs/keps", "keps/sig-node/1-x/kep.yaml"));
        assert!(WorkspaceScope::All.covers("keps", "keps/NNNN-kep-template/README.md"));
        assert!(!WorkspaceScope::Off.covers("keps", "keps/sig-node/1-x/kep.yaml"));
    }

    #[test]
    fn apply_filters_and_overrides() {
        let (c, _) =
            Config::from_json(&json!({"severity": {"unknown-field": "info"}, "disable": ["duplicate-key"]}));
        let out = c.apply(vec![
            Finding::new(Code::UnknownField, 0..1, "a"),
            Finding::new(Code::DuplicateKey, 0..1, "b"),
            Finding::new(Code::YamlSyntax, 0..1, "c"),
        ]);
        let got: Vec<_> = out.iter().map(|f| (f.code, f.severity)).collect();
        assert_eq!(
            got,
            vec![
                (Code::UnknownField, Severity::Info),
                (Code::YamlSyntax, Severity::Error)
            ]
        );
    }
}
