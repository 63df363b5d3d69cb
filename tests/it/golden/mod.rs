//! Differential tests against the upstream tools' recorded verdicts in ../shared/golden (skip without ../shared).

mod format;
mod meta;
mod toc;
