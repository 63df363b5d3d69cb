//! Acceptance over the real KEP tree in ../shared (skip without it): no false error, fixes never make a file worse.

mod check;
mod fixes;
mod metadata;
mod readme;
mod readme_sections;
mod toc;
