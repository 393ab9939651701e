#![no_main]
//! Fuzz target `cloudformation_json`: see `fuzz/common.rs` for what it runs.

#[path = "../common.rs"]
mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::run_target("cloudformation_json", data));
