//! The LSP edge: documents in ropes, versions, position encodings, handlers.
// STUB: to be written (server helper).
