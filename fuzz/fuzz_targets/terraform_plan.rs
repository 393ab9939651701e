#![no_main]
//! The whole pipeline on one plan JSON (recognised by content: the
//! fuzzer's text is wrapped so that it is taken as a plan when it is an
//! object), next to a `.tf` file the plan may point into.

#[path = "../common.rs"]
mod common;

use std::path::PathBuf;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let plan = format!(
        "{{\"format_version\": \"1.2\", \"planned_values\": {text}, \"configuration\": {text}}}"
    );
    common::scan_files(vec![
        (PathBuf::from("plan.json"), plan),
        (
            PathBuf::from("main.tf"),
            "resource \"aws_iam_user\" \"alice\" {\n  name = \"alice\"\n}\n".into(),
        ),
    ]);
});
