//! The rule families, one file each. Each takes text (and the context) and returns findings.

pub mod layout;
pub mod metadata;
pub mod prr;
pub mod readme;
pub mod template_files;
pub mod title_style;
