//! Documents and generated sources that must agree with the code.

mod diagnostics;
mod sourcegen;
