//! The analysis core on arbitrary bytes as `keps/prod-readiness/sig-node/4321.yaml`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    kep_lsp_fuzz::fuzz_analysis("keps/prod-readiness/sig-node/4321.yaml", data);
});
