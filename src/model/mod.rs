//! The model floor: a KEP's values read once, for the rules (`analysis`) and the editor features
//! (`ide`) alike: the metadata of a kep.yaml or a legacy KEP's front matter with the spans it
//! was read from (`kep`), read as upstream reads it (`kep_yaml`),
//! where its folder puts it (`kep_path`), its people's handles (`handle`), its milestones (`milestone`)
//! and dates (`date`), where its relative links point (`repo_link`), what a field added for the author gets (`field_default`) and where it goes (`field_insert`). Built on `syntax` and `knowledge`.

pub(crate) mod date;
pub(crate) mod field_default;
pub(crate) mod field_insert;
pub(crate) mod handle;
pub(crate) mod kep;
pub(crate) mod kep_path;
pub mod kep_yaml;
pub(crate) mod milestone;
pub(crate) mod repo_link;
