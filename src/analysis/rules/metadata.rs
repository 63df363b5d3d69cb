//! Rules on KEP metadata: kep.yaml and legacy front matter (R1-R5, R7, R8, R17-R20 and more).
// STUB: to be written (metadata helper).

use crate::analysis::{Context, Finding, KepMetadata};

pub fn check_kep_yaml(_path: &str, _text: &str, _ctx: &Context<'_>) -> (Option<KepMetadata>, Vec<Finding>) {
    (None, Vec::new())
}

pub fn check_legacy_front_matter(
    _path: &str,
    _text: &str,
    _ctx: &Context<'_>,
) -> (Option<KepMetadata>, Vec<Finding>) {
    (None, Vec::new())
}
