//! Span-aware YAML: a small node tree with byte ranges, built on saphyr's parser.
// STUB: to be written (metadata helper).
