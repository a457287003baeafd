#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| glow_fuzz::manifest(data));
