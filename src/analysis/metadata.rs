//! Builds the `KepMetadata` model from kep.yaml text or legacy front matter.
// STUB: to be written (metadata helper).

use crate::analysis::KepMetadata;

/// Parse kep.yaml text into the model (best effort: broken YAML gives what could be read).
pub fn parse_metadata(_text: &str) -> KepMetadata {
    KepMetadata::default()
}
