//! Rules on a KEP's README.md: template sections, table of contents, title, placeholders.
// STUB: to be written (README helper).

use crate::analysis::{Context, Finding, KepMetadata};

/// `meta` is given for legacy KEPs (their own front matter); for a modern README the rules read
/// the sibling kep.yaml through the workspace view.
pub fn check_readme(
    _path: &str,
    _text: &str,
    _ctx: &Context<'_>,
    _meta: Option<&KepMetadata>,
    _legacy: bool,
) -> Vec<Finding> {
    Vec::new()
}
