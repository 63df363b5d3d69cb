//! The workspace index, what counts as a KEP file, and repository profiles.

mod index;
mod profiles;
mod scope;
