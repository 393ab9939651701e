#![no_main]
//! Exception comments: the fuzzer's text is a comment on a login profile
//! that MFA001 reports, so exceptions are parsed and applied.

#[path = "../common.rs"]
mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let tf = format!(
        "# mfalint:ignore {text}\nresource \"aws_iam_user_login_profile\" \"x\" {{ # {text}\n  user = \"bob\"\n}}\n"
    );
    common::scan_files(vec![(std::path::PathBuf::from("main.tf"), tf)]);
    let _ = mfalint::suppress::exceptions_in(mfalint::source::FileId(0), text);
});
