#![no_main]
//! The whole pipeline on one `template.yaml`.

#[path = "../common.rs"]
mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::scan_one("template.yaml", data));
