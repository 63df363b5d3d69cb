//! Reading plain values out of small YAML files (OWNERS, OWNERS_ALIASES, and the temporary
//! metadata fallback) with saphyr, without spans: the index needs values, not positions.

use saphyr::{LoadableYamlNode, Scalar, Yaml};

/// The first document of `text`, or `None` when it does not parse.
pub(crate) fn load(text: &str) -> Option<Yaml<'_>> {
    Yaml::load_from_str(text).ok()?.into_iter().next()
}

/// A scalar as the text a user wrote (ints and bools too: `kep-number: 2625` is a number to YAML).
pub(crate) fn scalar(node: &Yaml<'_>) -> Option<String> {
    match node {
        Yaml::Value(Scalar::String(s)) => Some(s.to_string()),
        Yaml::Value(Scalar::Integer(i)) => Some(i.to_string()),
        Yaml::Value(Scalar::FloatingPoint(f)) => Some(f.to_string()),
        Yaml::Value(Scalar::Boolean(b)) => Some(b.to_string()),
        Yaml::Representation(s, _, _) => Some(s.to_string()),
        Yaml::Tagged(_, inner) => scalar(inner),
        _ => None,
    }
}

/// A list of scalars; a lone scalar counts as a one-item list.
pub(crate) fn scalars(node: &Yaml<'_>) -> Vec<String> {
    match node {
        Yaml::Sequence(items) => items.iter().filter_map(scalar).collect(),
        other => scalar(other).into_iter().collect(),
    }
}

/// The mapping's `(key, value)` pairs with string keys.
pub(crate) fn entries<'a, 'i>(node: &'a Yaml<'i>) -> Vec<(String, &'a Yaml<'i>)> {
    match node.as_mapping() {
        Some(map) => map.iter().filter_map(|(k, v)| Some((scalar(k)?, v))).collect(),
        None => Vec::new(),
    }
}
