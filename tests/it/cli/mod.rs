//! The command line as users run it: the real binary (`check`, `new`, `promote`, `list`, `readiness`, `serve`).

mod authoring;
mod bad_content;
mod check;
mod list_filters;
mod opt_in;
mod readiness;
mod serve_args;
