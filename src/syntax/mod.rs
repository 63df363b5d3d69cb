//! The syntax floor: readers of the raw text that every rule and feature above asks, instead
//! of scanning lines of their own. For now: mdtoc's view of a Markdown document (`mdtoc`).

pub mod mdtoc;
