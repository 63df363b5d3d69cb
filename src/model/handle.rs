//! A GitHub handle as KEP files write it (`"@alice"`, `@deads2k - For Kube API Server`, `TBD`),
//! read one way for the index, the references, hover, completion and scaffolding.

/// A handle as written in a people list, without `@`, quotes (typographic ones too) or trailing
/// free text (`@deads2k - For Kube API Server portion`); `None` for `TBD` and empty entries.
pub(crate) fn clean_handle(raw: &str) -> Option<String> {
    let first = raw
        .trim_matches(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '“' | '”' | '‘' | '’'))
        .split_whitespace()
        .next()?;
    let handle = first
        .trim_start_matches('@')
        .trim_matches(|c: char| matches!(c, '"' | '\'' | '“' | '”' | ',' | '‘' | '’'));
    if handle.is_empty() || handle.eq_ignore_ascii_case("tbd") {
        return None;
    }
    Some(handle.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_are_cleaned() {
        assert_eq!(clean_handle("\"@jane\"").as_deref(), Some("jane"));
        assert_eq!(clean_handle("“@neolit123”").as_deref(), Some("neolit123"));
        assert_eq!(
            clean_handle("@deads2k - For Kube API Server").as_deref(),
            Some("deads2k")
        );
        assert_eq!(clean_handle("TBD"), None);
        assert_eq!(clean_handle("  "), None);
    }
}
