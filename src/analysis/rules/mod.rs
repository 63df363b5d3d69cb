//! The rule families, one file each. Each takes text (and the context) and returns findings.

pub(crate) mod layout;
pub(crate) mod metadata;
pub(crate) mod prr;
pub mod readme;
pub(crate) mod template_files;
pub(crate) mod title_style;
