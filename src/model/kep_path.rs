//! Where a KEP sits in the repository, read from its path (the folder's SIG, number and slug).

/// Where a KEP sits, read from its path: `keps/<sig>/[<sub>/]<NNNN-slug>/kep.yaml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct KepLocation {
    /// The folder right under `keps/` (`sig-node`, `provider-aws`).
    pub sig: String,
    /// The subproject folder between the SIG and the KEP, if any (`kubeadm`).
    pub subfolder: Option<String>,
    /// The KEP folder (`2625-cpumanager-policies-thread-placement`).
    pub folder: String,
    /// Its number (`2625`), when the folder starts with digits.
    pub number: Option<String>,
    /// The folder name after the number (`cpumanager-policies-thread-placement`).
    pub slug: String,
    /// Repo-relative folder (`keps/sig-node/2625-...`).
    pub dir: String,
}

/// The location of a kep.yaml (or KEP README) from its path, when under `keps/`.
pub(crate) fn kep_location(path: &str) -> Option<KepLocation> {
    let path = path.replace('\\', "/");
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let keps = parts.iter().rposition(|p| *p == "keps")?;
    let rest = &parts[keps + 1..];
    // rest = [sig, (sub,) folder, file]
    let (sig, subfolder, folder) = match rest.len() {
        3 => (rest[0], None, rest[1]),
        4 => (rest[0], Some(rest[1]), rest[2]),
        _ => return None,
    };
    if sig == "prod-readiness" {
        return None;
    }
    let digits: String = folder.chars().take_while(char::is_ascii_digit).collect();
    let slug = folder[digits.len()..].trim_start_matches('-').to_string();
    let dir = parts[keps..parts.len() - 1].join("/");
    Some(KepLocation {
        sig: sig.to_string(),
        subfolder: subfolder.map(str::to_string),
        folder: folder.to_string(),
        number: (!digits.is_empty()).then_some(digits),
        slug,
        dir,
    })
}
