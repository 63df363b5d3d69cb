//! The KEP README template: its sections in order, with their guidance comments.
// STUB: to be written (README helper).

#[derive(Debug, Clone, Default)]
pub struct Template {}

impl Template {
    pub fn from_markdown(_text: &str) -> Template {
        Template {}
    }
}
