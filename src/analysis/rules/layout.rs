//! Rules across the tree: folder vs owning-sig and kep-number, duplicate numbers, references.
// STUB: to be written (metadata helper).
