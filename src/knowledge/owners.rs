//! OWNERS and OWNERS_ALIASES files: aliases and their members.
// STUB: to be written (metadata helper).

/// Members of `alias` in an OWNERS_ALIASES text, without `@`.
pub fn alias_members(_text: &str, _alias: &str) -> Vec<String> {
    Vec::new()
}
