//! The one table of kep.yaml fields that drives validation, completion and hover.
// STUB: to be written (metadata helper).
