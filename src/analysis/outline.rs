//! The Markdown outline of a README: headings with levels, byte ranges and anchors; the TOC block.
// STUB: to be written (README helper).
