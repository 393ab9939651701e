#![no_main]
//! The whole pipeline on one `main.tf`.

#[path = "../common.rs"]
mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::scan_one("main.tf", data));
