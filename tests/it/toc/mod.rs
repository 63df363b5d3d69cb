//! The table of contents (mdtoc) on fixture documents.

mod fixtures;
