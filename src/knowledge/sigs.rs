//! The groups from sigs.yaml (SIGs, working groups, user groups, committees).
// STUB: to be written (metadata helper).

#[derive(Debug, Clone, Default)]
pub struct SigRegistry {}

impl SigRegistry {
    pub fn from_sigs_yaml(_text: &str) -> Result<SigRegistry, String> {
        Ok(SigRegistry {})
    }
}
