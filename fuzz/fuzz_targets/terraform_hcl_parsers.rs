#![no_main]
//! Fuzz target `terraform_hcl_parsers`: see `fuzz/common.rs` for what it runs.

#[path = "../common.rs"]
mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::run_target("terraform_hcl_parsers", data));
