#![no_main]
//! The whole pipeline on one `credential-report.csv`.

#[path = "../common.rs"]
mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::scan_one("credential-report.csv", data));
