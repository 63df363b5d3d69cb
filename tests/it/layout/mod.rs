//! Rules across the tree: folders, numbers, references, a README without its kep.yaml (R6).

mod readme;
mod rules;
