#![no_main]
//! Fuzz target `pulumi_yaml`: see `fuzz/common.rs` for what it runs.

#[path = "../common.rs"]
mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::run_target("pulumi_yaml", data));
