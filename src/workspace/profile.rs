//! Deciding a repository's `Profile` from its files, once per workspace: `.kep-lsp.toml` first,
//! then what the tree shows (KEP root, SIG folders, `prod-readiness/`, its own template folder,
//! the mdtoc its hack/ scripts, Makefile or CI workflows run).
//!
//! kubernetes/enhancements is recognised by its go.mod (`module k8s.io/enhancements`) or its
//! layout (`keps/sig-*/` folders); everything else is a subproject that copied the process, where
//! each rule family is on only when the repository shows the convention it checks.

use std::fs;
use std::path::Path;

use crate::analysis::Finding;
use crate::analysis::config_file::{self, FileConfig, ProfileChoice, TemplateChoice};
use crate::analysis::document::is_template_folder;
use crate::knowledge::profile::{Profile, ProfileKind, TemplateFields, TocCheck};

use super::scan::read_text;

/// The KEP roots looked for, in order, when `.kep-lsp.toml` names none.
pub(crate) const KEP_ROOTS: [&str; 3] = ["keps", "docs/keps", "kep"];

/// What detection found: the profile, the template README to match sections against (when the
/// repository has its own), and the config file with its problems.
#[derive(Debug, Clone, Default)]
pub struct Detected {
    pub profile: Profile,
    pub template_readme: Option<String>,
    pub config: FileConfig,
    /// Text of `.kep-lsp.toml` and its findings, when the file exists.
    pub config_file: Option<(String, Vec<Finding>)>,
}

/// The KEP root folder of the repository at `root` (its `.kep-lsp.toml`'s `kep-root`, else the
/// first of `KEP_ROOTS` that exists, else `keps`), as a path under `root`.
pub(crate) fn kep_root_dir(root: &Path) -> std::path::PathBuf {
    let config = read_text(&root.join(config_file::FILE_NAME))
        .map(|text| config_file::parse(&text).0)
        .unwrap_or_default();
    root.join(kep_root(root, &config))
}

/// Read the config file at `root` (if any) and decide the profile.
pub fn detect(root: &Path) -> Detected {
    let config_file = read_text(&root.join(config_file::FILE_NAME)).ok().map(|text| {
        let findings = config_file::parse(&text).1;
        (text, findings)
    });
    let config = config_file
        .as_ref()
        .map(|(text, _)| config_file::parse(text).0)
        .unwrap_or_default();
    let (profile, template_readme) = decide(root, &config);
    Detected {
        profile,
        template_readme,
        config,
        config_file,
    }
}

/// The KEP root of the repository at `root`: configured, else the first of `KEP_ROOTS` that is
/// a folder, else `keps`.
pub(crate) fn kep_root(root: &Path, config: &FileConfig) -> String {
    if let Some(r) = &config.kep_root {
        return r.clone();
    }
    KEP_ROOTS
        .iter()
        .find(|r| root.join(r).is_dir())
        .unwrap_or(&"keps")
        .to_string()
}

fn decide(root: &Path, config: &FileConfig) -> (Profile, Option<String>) {
    let mut reasons = Vec::new();
    let kep_root = kep_root(root, config);
    if config.kep_root.is_some() {
        reasons.push(format!("KEP root {kep_root}: {}", config_file::FILE_NAME));
    } else {
        reasons.push(format!(
            "KEP root {kep_root}: first of keps, docs/keps, kep found"
        ));
    }
    let kep_dir = root.join(&kep_root);
    let children = dir_names(&kep_dir);
    let sig_folders = children.iter().any(|n| n.starts_with("sig-"));
    let kind = profile_kind(root, config, &kep_root, sig_folders, &mut reasons);
    let mut profile = match kind {
        ProfileKind::Kubernetes => Profile::kubernetes(),
        ProfileKind::Subproject => subproject_rules(root, &kep_root, sig_folders, &mut reasons),
    };
    profile.kep_root = kep_root.clone();
    let template_readme = own_template(
        root,
        config,
        kind,
        &kep_root,
        &children,
        &mut profile,
        &mut reasons,
    );
    profile.toc = toc_check(root, config, kind, &mut reasons);
    profile.reasons = reasons;
    (profile, template_readme)
}

/// kubernetes/enhancements or a subproject: the config's choice, else k8s.io/enhancements's
/// go.mod, else `keps/sig-*` folders. Says why in `reasons`.
fn profile_kind(
    root: &Path,
    config: &FileConfig,
    kep_root: &str,
    sig_folders: bool,
    reasons: &mut Vec<String>,
) -> ProfileKind {
    let enhancements_module = read_text(&root.join("go.mod"))
        .is_ok_and(|t| t.lines().any(|l| l.trim() == "module k8s.io/enhancements"));
    match config.profile {
        ProfileChoice::Kubernetes => {
            reasons.push(format!("kubernetes: profile in {}", config_file::FILE_NAME));
            ProfileKind::Kubernetes
        }
        ProfileChoice::Subproject => {
            reasons.push(format!("subproject: profile in {}", config_file::FILE_NAME));
            ProfileKind::Subproject
        }
        ProfileChoice::Auto if enhancements_module => {
            reasons.push("kubernetes: go.mod is module k8s.io/enhancements".to_owned());
            ProfileKind::Kubernetes
        }
        ProfileChoice::Auto if kep_root == "keps" && sig_folders => {
            reasons.push("kubernetes: keps/sig-* folders (the kubernetes/enhancements layout)".to_owned());
            ProfileKind::Kubernetes
        }
        ProfileChoice::Auto => {
            reasons.push(format!("subproject: no sig-* folders under {kep_root}/"));
            ProfileKind::Subproject
        }
    }
}

/// A subproject's rule families: SIG rules when it has sigs.yaml or sig-* folders, PRR rules
/// when `<kep root>/prod-readiness/` exists; never the sig-node rules. Says why in `reasons`.
fn subproject_rules(root: &Path, kep_root: &str, sig_folders: bool, reasons: &mut Vec<String>) -> Profile {
    let kep_dir = root.join(kep_root);
    let kind = ProfileKind::Subproject;
    let sigs_yaml = root.join("sigs.yaml").is_file();
    let prr = kep_dir.join("prod-readiness").is_dir();
    reasons.push(format!(
        "SIG rules {}: {}",
        on(sigs_yaml || sig_folders),
        if sigs_yaml {
            "sigs.yaml at the root"
        } else if sig_folders {
            "sig-* folders"
        } else {
            "no sigs.yaml, no sig-* folders"
        }
    ));
    reasons.push(format!(
        "PRR rules {}: {kep_root}/prod-readiness/ {}",
        on(prr),
        if prr { "exists" } else { "absent" }
    ));
    Profile {
        kind,
        sig_rules: sigs_yaml || sig_folders,
        prr_rules: prr,
        sig_node_rules: false,
        ..Profile::kubernetes()
    }
}

/// The repository's own template (configured, else outside kubernetes/enhancements a
/// `*template*` folder under the KEP root): sets the profile's template folder and fields, and
/// returns the template README's text when there is one. Says why in `reasons`.
fn own_template(
    root: &Path,
    config: &FileConfig,
    kind: ProfileKind,
    kep_root: &str,
    children: &[String],
    profile: &mut Profile,
    reasons: &mut Vec<String>,
) -> Option<String> {
    let kep_dir = root.join(kep_root);
    let own_template = match (&config.template, kind) {
        (Some(TemplateChoice::Embedded), _) => None,
        (Some(TemplateChoice::Folder(dir)), _) => Some(dir.clone()),
        (None, ProfileKind::Kubernetes) => None,
        (None, ProfileKind::Subproject) => children
            .iter()
            .find(|n| is_template_folder(n) && kep_dir.join(n).join("README.md").is_file())
            .or_else(|| children.iter().find(|n| is_template_folder(n)))
            .map(|n| format!("{kep_root}/{n}")),
    };
    let mut template_readme = None;
    if let Some(dir) = &own_template {
        template_readme = read_text(&root.join(dir).join("README.md")).ok();
        profile.template_fields = read_text(&root.join(dir).join("kep.yaml"))
            .ok()
            .and_then(|t| TemplateFields::from_kep_yaml(&t));
        reasons.push(format!(
            "template {dir}{}: README {}, kep.yaml {}",
            if config.template.is_some() {
                format!(" ({})", config_file::FILE_NAME)
            } else {
                String::new()
            },
            if template_readme.is_some() {
                "read"
            } else {
                "absent (embedded sections)"
            },
            if profile.template_fields.is_some() {
                "read"
            } else {
                "absent or unreadable (embedded fields)"
            },
        ));
        profile.template_dir = Some(dir.clone());
    } else {
        reasons.push("template: embedded kubernetes/enhancements".to_owned());
    }

    template_readme
}

/// How the TOC is checked: the config's mdtoc setting, else how the repository runs mdtoc
/// (hack scripts, Makefile, workflows; the pinned version), else on for kubernetes/enhancements
/// and off for a subproject. Says why in `reasons`.
fn toc_check(root: &Path, config: &FileConfig, kind: ProfileKind, reasons: &mut Vec<String>) -> TocCheck {
    match config.mdtoc {
        Some(t) => {
            reasons.push(format!("TOC {t}: mdtoc in {}", config_file::FILE_NAME));
            t
        }
        None => {
            let (runs, version) = toc_tooling(root);
            let pinned = version.as_deref().and_then(TocCheck::from_mdtoc_version);
            match (&runs, kind) {
                (Some(by), _) => {
                    let t = pinned.unwrap_or(TocCheck::Mdtoc {
                        pre_inline_code: false,
                    });
                    reasons.push(format!(
                        "TOC {t}: {by} runs mdtoc{}",
                        version.map(|v| format!(", pinned at {v}")).unwrap_or_default()
                    ));
                    t
                }
                (None, ProfileKind::Kubernetes) => {
                    reasons.push("TOC mdtoc: kubernetes/enhancements runs mdtoc v1.4.0".to_owned());
                    TocCheck::Mdtoc {
                        pre_inline_code: false,
                    }
                }
                (None, ProfileKind::Subproject) => {
                    reasons.push(
                        "TOC off: no hack/*toc* script, Makefile target or workflow runs mdtoc".to_owned(),
                    );
                    TocCheck::Off
                }
            }
        }
    }
}

fn on(b: bool) -> &'static str {
    if b { "on" } else { "off" }
}

/// Names of the folders directly under `dir`, sorted.
fn dir_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().is_dir())
        .filter_map(|e| e.file_name().to_str().map(str::to_owned))
        .collect();
    names.sort();
    names
}

/// Files of a folder (not recursive), sorted.
fn files_in(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// Whether the repository runs mdtoc, and where (`hack/verify-toc.sh`, `Makefile`,
/// `.github/workflows/x.yaml`), and the mdtoc version it pins, if any (from a go.mod under
/// hack/ or at the root, or `sigs.k8s.io/mdtoc@vX` in a script).
fn toc_tooling(root: &Path) -> (Option<String>, Option<String>) {
    let mut runs: Option<String> = None;
    let mut version: Option<String> = None;
    let hack = root.join("hack");
    let mut scanned: Vec<std::path::PathBuf> = files_in(&hack);
    // Tool modules: hack/tools/go.mod, hack/tools/mdtoc/go.mod, hack/internal/tools/go.mod...
    for sub in dir_names(&hack) {
        scanned.extend(files_in(&hack.join(&sub)));
        for sub2 in dir_names(&hack.join(&sub)) {
            scanned.extend(files_in(&hack.join(&sub).join(sub2)));
        }
    }
    // Scripts and tool modules are small; a hack/ folder holding vendored trees or binaries is
    // not read whole (the first files by name, small ones only).
    const MAX_FILES: usize = 200;
    const MAX_BYTES: u64 = 256 * 1024;
    for path in scanned.iter().take(MAX_FILES) {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if fs::metadata(path).map_or(true, |m| m.len() > MAX_BYTES) {
            continue;
        }
        let Ok(text) = read_text(path) else { continue };
        let rel = path
            .strip_prefix(root)
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        let is_script = path.parent() == Some(hack.as_path());
        // Name the check (`verify-toc.sh`) rather than the generator when both exist.
        let lower = name.to_ascii_lowercase();
        if is_script
            && lower.contains("toc")
            && runs
                .as_ref()
                .is_none_or(|r| !r.contains("verify") && lower.contains("verify"))
        {
            runs = Some(rel.clone());
        }
        if version.is_none() {
            version = mdtoc_version(&text);
        }
    }
    for name in ["Makefile", "makefile", "GNUmakefile"] {
        if let Ok(text) = read_text(&root.join(name))
            && text.contains("mdtoc")
        {
            runs.get_or_insert_with(|| name.to_owned());
            if version.is_none() {
                version = mdtoc_version(&text);
            }
        }
    }
    for path in files_in(&root.join(".github/workflows")) {
        if let Ok(text) = read_text(&path)
            && text.contains("mdtoc")
        {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            runs.get_or_insert_with(|| format!(".github/workflows/{name}"));
            if version.is_none() {
                version = mdtoc_version(&text);
            }
        }
    }
    if version.is_none()
        && let Ok(text) = read_text(&root.join("go.mod"))
    {
        version = mdtoc_version(&text);
    }
    (runs, version)
}

/// The mdtoc version a text pins: `sigs.k8s.io/mdtoc v1.0.1` (go.mod),
/// `sigs.k8s.io/mdtoc@v1.0.1` or `@<commit>` (go install / go run), also through a shell
/// variable set in the same script (`TOOL_VERSION=b8c54a5...` and `mdtoc@${TOOL_VERSION}`).
fn mdtoc_version(text: &str) -> Option<String> {
    const MODULE: &str = "sigs.k8s.io/mdtoc";
    let word = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+' | '_'))
            .collect()
    };
    let mut rest = text;
    while let Some(i) = rest.find(MODULE) {
        let after = &rest[i + MODULE.len()..];
        let (v, installed) = match after.strip_prefix('@') {
            Some(v) => (Some(v), true),
            None => (after.strip_prefix(' ').map(str::trim_start), false),
        };
        if let Some(v) = v {
            let v = match v.strip_prefix("${").or_else(|| v.strip_prefix('$')) {
                Some(var) => shell_variable(text, &word(var)).unwrap_or_default(),
                None => word(v),
            };
            let version = v.starts_with('v') && v[1..].starts_with(|c: char| c.is_ascii_digit());
            let commit = installed && v.len() >= 7 && v.bytes().all(|b| b.is_ascii_hexdigit());
            if version || commit {
                return Some(v);
            }
        }
        rest = after;
    }
    None
}

/// The value a script gives `name` (`NAME=value`, `NAME="value"`, `readonly NAME=...`).
fn shell_variable(text: &str, name: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let line = line
            .trim()
            .trim_start_matches("readonly ")
            .trim_start_matches("export ");
        let value = line.strip_prefix(name)?.strip_prefix('=')?;
        let value = value.split_whitespace().next().unwrap_or("");
        Some(value.trim_matches(['"', '\'']).to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mdtoc_pins() {
        assert_eq!(
            mdtoc_version("require (\n\tsigs.k8s.io/mdtoc v1.0.1\n)\n").as_deref(),
            Some("v1.0.1")
        );
        assert_eq!(
            mdtoc_version("go run sigs.k8s.io/mdtoc@v1.4.0 --inplace").as_deref(),
            Some("v1.4.0")
        );
        assert_eq!(mdtoc_version("go install sigs.k8s.io/mdtoc@latest"), None);
        let script = "TOOL_VERSION=b8c54a57d69f29386d055584e595f38d65ce2a1f\n\
                      go install \"sigs.k8s.io/mdtoc@${TOOL_VERSION}\"\n";
        assert_eq!(
            mdtoc_version(script).as_deref(),
            Some("b8c54a57d69f29386d055584e595f38d65ce2a1f")
        );
        assert_eq!(
            mdtoc_version("readonly V=\"v1.0.1\"\ngo run sigs.k8s.io/mdtoc@$V").as_deref(),
            Some("v1.0.1")
        );
        assert_eq!(mdtoc_version("sigs.k8s.io/mdtoc/pkg v1.2.0").as_deref(), None);
    }
}
