//! The groups (SIGs, working groups, user groups, committees) as completion and hover show them.
//!
//! A view over `knowledge::sigs::SigRegistry`; until its iterator lands on main, it reads the
//! embedded sigs.yaml with the line scanner (dir, name, kind, mission statement).

use std::sync::OnceLock;

use crate::analysis::Context;
use crate::knowledge::EMBEDDED_SIGS_YAML;

use super::yaml_lines::{self, LineKind};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupInfo {
    /// `sig-node`, `wg-batch`, ...
    pub dir: String,
    /// `Node`, `Batch`, ...
    pub name: String,
    /// `sig`, `working group`, `user group`, `committee`.
    pub kind: &'static str,
    pub description: String,
}

/// Every group, in sigs.yaml order.
pub fn groups(_ctx: &Context<'_>) -> &'static [GroupInfo] {
    static EMBEDDED: OnceLock<Vec<GroupInfo>> = OnceLock::new();
    EMBEDDED.get_or_init(|| parse_sigs_yaml(EMBEDDED_SIGS_YAML))
}

pub fn group<'c>(ctx: &Context<'c>, dir: &str) -> Option<&'static GroupInfo> {
    groups(ctx).iter().find(|g| g.dir == dir)
}

fn parse_sigs_yaml(text: &str) -> Vec<GroupInfo> {
    let lines = yaml_lines::lines(text, 0..text.len());
    let mut out: Vec<GroupInfo> = Vec::new();
    let mut kind: Option<&'static str> = None;
    let mut in_mission = false;
    for l in &lines {
        match &l.kind {
            LineKind::Key { value, .. } if l.indent == 0 => {
                in_mission = false;
                kind = match l.key(text) {
                    Some("sigs") => Some("SIG"),
                    Some("workinggroups") => Some("working group"),
                    Some("usergroups") => Some("user group"),
                    Some("committees") => Some("committee"),
                    _ => None,
                };
                let _ = value;
            }
            LineKind::Item { value, .. } if l.indent == 2 => {
                in_mission = false;
                let v = &text[value.clone()];
                if let (Some(kind), Some(dir)) = (kind, v.strip_prefix("dir:")) {
                    out.push(GroupInfo {
                        dir: yaml_lines::unquote(dir).to_string(),
                        name: String::new(),
                        kind,
                        description: String::new(),
                    });
                }
            }
            LineKind::Key { value, .. } if l.indent == 4 => {
                in_mission = false;
                let Some(g) = out.last_mut() else { continue };
                let v = yaml_lines::unquote(&text[value.clone()]);
                match l.key(text) {
                    Some("name") => g.name = v.to_string(),
                    Some("mission_statement") => {
                        if !v.starts_with('>') && !v.starts_with('|') {
                            g.description = v.to_string();
                        }
                        in_mission = true;
                    }
                    _ => {}
                }
            }
            _ if in_mission && l.indent > 4 => {
                if let Some(g) = out.last_mut() {
                    let t = text[l.range.clone()].trim();
                    if !g.description.is_empty() {
                        g.description.push(' ');
                    }
                    g.description.push_str(t);
                }
            }
            LineKind::Blank => {}
            _ => in_mission = false,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_groups() {
        let gs = parse_sigs_yaml(EMBEDDED_SIGS_YAML);
        let node = gs.iter().find(|g| g.dir == "sig-node").unwrap();
        assert_eq!(node.name, "Node");
        assert_eq!(node.kind, "SIG");
        assert!(
            gs.iter()
                .any(|g| g.dir == "wg-batch" && g.kind == "working group")
        );
        let am = gs.iter().find(|g| g.dir == "sig-api-machinery").unwrap();
        assert!(
            am.description.starts_with("Covers all aspects of API server"),
            "{}",
            am.description
        );
    }
}
