//! The analysis core on arbitrary bytes as `keps/sig-node/4321-fuzzed-kep/kep.yaml`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    kep_lsp_fuzz::fuzz_analysis("keps/sig-node/4321-fuzzed-kep/kep.yaml", data);
});
