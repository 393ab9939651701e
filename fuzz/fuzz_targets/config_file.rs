#![no_main]
//! `.mfalint.toml` validation: any text gives a configuration or an error
//! naming a position, never a panic.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = mfalint::config::parse(std::path::Path::new(".mfalint.toml"), text);
    }
});
