//! The syntax floor: the YAML reader's queries on half-typed fixtures, and its line structure
//! against its parse on every real metadata file.

mod yaml_agreement;
mod yaml_queries;
