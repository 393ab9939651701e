#![no_main]
//! The whole pipeline on one `template.json`.

#[path = "../common.rs"]
mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::scan_one("template.json", data));
