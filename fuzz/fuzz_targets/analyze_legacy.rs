//! The analysis core on arbitrary bytes as `keps/sig-node/20190101-fuzzed-kep.md`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Without an opening `---` the file is not a legacy KEP at all: give most inputs one.
    if data.starts_with(b"---") {
        kep_lsp_fuzz::fuzz_analysis("keps/sig-node/20190101-fuzzed-kep.md", data);
    } else {
        let mut with = b"---\n".to_vec();
        with.extend_from_slice(data);
        kep_lsp_fuzz::fuzz_analysis("keps/sig-node/20190101-fuzzed-kep.md", &with);
    }
});
