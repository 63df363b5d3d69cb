//! README rules (template sections, links, TOC markers, editorial checks) on fixture READMEs.

mod cases;
mod editorial;
mod rules;
