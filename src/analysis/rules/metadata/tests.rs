//! Unit tests of small helpers; the rule tests live in tests/metadata*.rs.

use super::people::is_handle;

#[test]
fn handles() {
    assert!(is_handle("@neolit123"));
    assert!(is_handle("deads2k"));
    assert!(!is_handle("@quinton_hoole"));
    assert!(!is_handle("@kubernetes/sig-x"));
    assert!(!is_handle("@-x"));
    assert!(!is_handle(&format!("@{}", "a".repeat(40))));
}
