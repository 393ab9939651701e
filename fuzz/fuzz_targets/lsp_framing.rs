#![no_main]
//! Fuzz target `lsp_framing`: see `fuzz/common.rs` for what it runs.

#[path = "../common.rs"]
mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::run_target("lsp_framing", data));
