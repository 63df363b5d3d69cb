//! The authoring features (completion, code actions, navigation, scaffolding) called as functions on the fixture repository.

mod code_actions;
mod completion;
mod navigation;
mod scaffold;
