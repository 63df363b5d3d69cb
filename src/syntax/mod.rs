//! The syntax floor: readers of the raw text that every rule and feature above asks, instead
//! of scanning lines of their own: the span-aware YAML tree (`yaml`), GitHub's view of a
//! Markdown document (`outline`, pulldown-cmark), mdtoc's view of it (`mdtoc`) and the TOC
//! verdict and anchor sluggers built on the two (`toc`). Imports nothing else of the crate.

pub mod front_matter;
pub mod mdtoc;
pub mod outline;
pub mod toc;
pub mod yaml;
