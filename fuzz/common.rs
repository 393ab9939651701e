// Shared by every fuzz target: the whole pipeline on one in-memory file,
// then every reporter over the result (spans become lines, columns and
// escaped text there, so a bad span or an unescaped byte shows up).

use std::path::PathBuf;

use mfalint::report::{OutputFormat, RenderOptions, write};
use mfalint::scan::scan_texts;

pub fn scan_one(name: &str, data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    scan_files(vec![(PathBuf::from(name), text.to_string())]);
}

pub fn scan_files(files: Vec<(PathBuf, String)>) {
    let result = scan_texts(files);
    for format in [
        OutputFormat::Human,
        OutputFormat::Compact,
        OutputFormat::Json,
        OutputFormat::Sarif,
        OutputFormat::Github,
    ] {
        let mut out = Vec::new();
        write(format, &result, RenderOptions::default(), &mut out).expect("writing to memory");
    }
}
