//! The syntax floor: readers of the raw text that every rule and feature above asks, instead
//! of scanning lines of their own. YAML: one reader (`yaml`) giving both the span-aware tree upstream's
//! parser sees and the line structure of half-typed text the editor asks. Markdown: GitHub's view
//! (`outline`, pulldown-cmark; `headings` is its fast path for every keystroke, handing over to
//! it on any line it cannot settle), mdtoc's view (`mdtoc`) and the TOC verdict and anchor
//! sluggers built on the two (`toc`). A legacy KEP's `front_matter`. Imports nothing else of
//! the crate.

pub mod front_matter;
pub mod headings;
pub mod mdtoc;
pub mod outline;
pub(crate) mod outline_reuse;
pub mod toc;
pub mod yaml;
