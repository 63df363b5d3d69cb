//! mdtoc v1.4.0's view of a Markdown document (sigs.k8s.io/mdtoc, the version
//! kubernetes/enhancements pins in hack/tools and runs as `mdtoc --inplace --max-depth=5
//! --dryrun` on every `keps/**/*.md`): which headings it lists, the TOC text it writes, and
//! its verdict on the `<!-- toc -->` block.
//!
//! mdtoc parses with gomarkdown (its `CommonExtensions`) plus mmark's title-block hook, not
//! with CommonMark, so this view differs from GitHub's (`syntax::outline`, pulldown-cmark)
//! by design; the two are compared where a rule needs to say so. Split in three: `block`
//! (which lines are headings), `inline` (a heading's HTML and anchor text), `writer` (the TOC
//! and the markers). The behaviour was learnt from gomarkdown, mmark and mdtoc's public
//! sources and from ../shared/golden/toc; no code of theirs is copied.

mod block;
mod bytes;
mod entities;
mod inline;
mod rescan;
mod writer;

pub(crate) use block::Construct;
pub use writer::{
    MarkerError, Scan, TOC_END, TOC_START, TocVerdict, View, anchor_base, check, check_with, find_markers,
    scan, toc, view, view_of,
};
pub(crate) use writer::{ascii_anchor_base, view_with};

/// Which mdtoc to imitate.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum MdtocDialect {
    /// mdtoc v1.4.0 (what kubernetes/enhancements pins): a code span's text is part of the
    /// anchor (`## The `foo` plugin` → `#the-foo-plugin`).
    #[default]
    V1_4_0,
    /// mdtoc before inline-code support: the anchor leaves a code span's text out
    /// (`## Description of the `foo` plugin` → `#description-of-the--plugin`).
    PreInlineCode,
}
