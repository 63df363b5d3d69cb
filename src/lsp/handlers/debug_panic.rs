//! `kep/debugPanic` (debug builds only): panics inside a request handler, so that a test can prove
//! the server answers InternalError and keeps serving.

pub(crate) const METHOD: &str = "kep/debugPanic";

pub(crate) fn handle() -> ! {
    panic!("kep/debugPanic: deliberate panic for tests");
}
