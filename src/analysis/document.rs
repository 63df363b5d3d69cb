//! Which kind of KEP file a path (and its content) is.
//!
//! Paths are `/`-separated; repo-relative when the root is known, as given otherwise. Only the
//! tail of the path matters, so absolute paths work too.

/// The kinds of file the core understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocumentKind {
    /// `keps/**/NNNN-name/kep.yaml`.
    KepYaml,
    /// `keps/**/NNNN-name/README.md`.
    KepReadme,
    /// A 2017-2019 single-file KEP: Markdown under `keps/` opening with `---` YAML front matter.
    LegacyKep,
    /// `keps/prod-readiness/sig-X/NNNN.yaml`.
    PrrYaml,
    /// A file of the template folder (`NNNN-kep-template/`, `prod-readiness/template/`): checked
    /// leniently, its placeholders are the point.
    Template,
    /// Any other Markdown file under the top `keps/` folder (design notes beside a README,
    /// `KEP-NNNN-name.md`, index READMEs): hack/verify-toc.sh runs mdtoc on every
    /// `keps/**/*.md`, so the TOC rules (and only they) apply.
    KepMarkdown,
    /// Anything else: no findings.
    Other,
}

impl DocumentKind {
    pub(crate) fn is_kep(self) -> bool {
        !matches!(self, DocumentKind::Other)
    }
}

/// Classify a file by its path and, for Markdown, by whether it opens with front matter.
pub fn classify(path: &str, text: &str) -> DocumentKind {
    let path = path.replace('\\', "/");
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let Some(&file) = parts.last() else {
        return DocumentKind::Other;
    };
    let parent = parts.len().checked_sub(2).map(|i| parts[i]).unwrap_or("");
    let in_template = parts.iter().any(|p| is_template_folder(p))
        || (parent == "template" && parts.contains(&"prod-readiness"));
    // Legacy templates are named like templates, so they count as such.
    let legacy_template = file.ends_with("-kep-template.md");
    if in_template || legacy_template {
        let known = file == "kep.yaml" || file == "README.md" || file.ends_with(".yaml") || legacy_template;
        return if known {
            DocumentKind::Template
        } else {
            DocumentKind::Other
        };
    }
    let under_keps = parts.contains(&"keps");
    let under_prr = parts
        .windows(2)
        .any(|w| w[0] == "keps" && w[1] == "prod-readiness")
        || (parts.len() >= 3 && parts[parts.len() - 3] == "prod-readiness");
    if file == "kep.yaml" {
        return DocumentKind::KepYaml;
    }
    if under_prr && file.ends_with(".md") && in_keps_tree(&path, &parts) {
        return DocumentKind::KepMarkdown;
    }
    if under_prr {
        let is_number_yaml = file
            .strip_suffix(".yaml")
            .is_some_and(|stem| !stem.is_empty() && stem.bytes().all(|b| b.is_ascii_digit()));
        return if is_number_yaml {
            DocumentKind::PrrYaml
        } else {
            DocumentKind::Other
        };
    }
    if file.ends_with(".md") {
        if crate::syntax::front_matter::opens(text) && (under_keps || front_matter_looks_like_kep(text)) {
            return DocumentKind::LegacyKep;
        }
        if file == "README.md" && starts_with_number(parent) && parent.contains('-') {
            return DocumentKind::KepReadme;
        }
    }
    if file.ends_with(".md") && in_keps_tree(&path, &parts) {
        return DocumentKind::KepMarkdown;
    }
    DocumentKind::Other
}

/// Whether `find keps -name '*.md'` from the repository root (hack/verify-toc.sh) reaches the
/// file: a repo-relative path starting with `keps/`, or an absolute one through a `keps` folder
/// that is not inside Go test data (upstream's own validator fixtures).
fn in_keps_tree(path: &str, parts: &[&str]) -> bool {
    let absolute = path.starts_with('/') || parts.first().is_some_and(|p| p.ends_with(':'));
    if absolute {
        parts.contains(&"keps") && !parts.contains(&"testdata")
    } else {
        parts.first() == Some(&"keps")
    }
}

/// Front matter that names KEP fields (for legacy KEPs kept outside a `keps/` folder).
fn front_matter_looks_like_kep(text: &str) -> bool {
    text.lines()
        .skip(1)
        .take_while(|l| l.trim_end() != "---")
        .any(|l| l.starts_with("owning-sig:") || l.starts_with("kep-number:"))
}

/// The KEP template folder, and the templates some SIGs keep for their own sub-KEPs
/// (`sig-cloud-provider/providers/0000-cloud-provider-template`): a number of zeros or `NNNN`
/// and a name ending in `template`. Real KEPs about templates (`5978-...-claim-template`) have a
/// real number.
/// Letter case does not matter: subprojects name theirs `NNNN-Template` or `nnnn-kep-template`.
pub(crate) fn is_template_folder(name: &str) -> bool {
    let Some((number, rest)) = name.split_once('-') else {
        return false;
    };
    let placeholder =
        number.eq_ignore_ascii_case("NNNN") || (!number.is_empty() && number.bytes().all(|b| b == b'0'));
    placeholder && rest.to_ascii_lowercase().ends_with("template")
}

/// `NNNN-...` or `NNNN` folder/file name.
pub(crate) fn starts_with_number(name: &str) -> bool {
    name.bytes().next().is_some_and(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_path() {
        assert_eq!(
            classify("keps/sig-node/2625-cpu/kep.yaml", ""),
            DocumentKind::KepYaml
        );
        assert_eq!(
            classify("/abs/repo/keps/sig-node/2625-cpu/README.md", "# KEP"),
            DocumentKind::KepReadme
        );
        assert_eq!(
            classify("keps/prod-readiness/sig-node/2625.yaml", ""),
            DocumentKind::PrrYaml
        );
        assert_eq!(
            classify("keps/prod-readiness/template/nnnn.yaml", ""),
            DocumentKind::Template
        );
        assert_eq!(
            classify("keps/NNNN-kep-template/README.md", ""),
            DocumentKind::Template
        );
        assert_eq!(
            classify("keps/NNNN-kep-template/kep.yaml", ""),
            DocumentKind::Template
        );
        assert_eq!(
            classify(
                "keps/sig-network/20190118-pod-dns-config.md",
                "---\ntitle: x\n---\n"
            ),
            DocumentKind::LegacyKep
        );
        assert_eq!(
            classify("legacy/keps__sig-apps__x.md", "---\nowning-sig: sig-apps\n---\n"),
            DocumentKind::LegacyKep
        );
        assert_eq!(
            classify("notes/x.md", "---\nlayout: post\n---\n"),
            DocumentKind::Other
        );
        assert_eq!(classify("keps/README.md", "# KEPs"), DocumentKind::KepMarkdown);
        // Subprojects' template folders, in any case.
        for t in [
            "keps/NNNN-Template/kep.yaml",
            "docs/keps/nnnn-kep-template/README.md",
            "kep/0000-TEMPLATE/README.md",
        ] {
            assert_eq!(classify(t, "# KEP-NNNN: x"), DocumentKind::Template, "{t}");
        }
        assert_eq!(
            classify("keps/sig-node/2625-cpu/notes.md", "# notes"),
            DocumentKind::KepMarkdown
        );
        assert_eq!(
            classify("/abs/repo/keps/sig-x/KEP-1234-name.md", "# KEP"),
            DocumentKind::KepMarkdown
        );
        assert_eq!(
            classify("api/testdata/keps/sig-x/notes.md", "# notes"),
            DocumentKind::Other
        );
        assert_eq!(
            classify("/abs/api/testdata/keps/sig-x/notes.md", "# notes"),
            DocumentKind::Other
        );
        assert_eq!(
            classify("keps/prod-readiness/README.md", ""),
            DocumentKind::KepMarkdown
        );
        assert_eq!(classify("src/main.rs", ""), DocumentKind::Other);
        assert_eq!(classify("", ""), DocumentKind::Other);
    }
}
