//! The pre-filter (which files are parsed at all) never changes findings:
//! every fixture, and the shared corpus when it is present, gives the same
//! findings with and without it. Only syntax errors in files that cannot
//! hold anything checked differ.

use std::path::{Path, PathBuf};

use mfalint::discover::DiscoverOptions;
use mfalint::scan::{ScanOptions, scan};

fn findings(path: &Path, parse_everything: bool) -> Vec<String> {
    let options = ScanOptions {
        discover: DiscoverOptions {
            paths: vec![path.to_path_buf()],
            respect_ignore_files: true,
            threads: 2,
            ..DiscoverOptions::default()
        },
        parse_everything,
        ..ScanOptions::default()
    };
    let result = scan(&options).expect("valid options");
    result
        .findings
        .iter()
        .map(|f| {
            let file = result.sources.get(f.primary.file);
            let at = file.position(f.primary.start);
            format!(
                "{}:{}:{} {} {:?} {} related={}",
                file.display,
                at.line,
                at.column,
                f.rule.as_str(),
                f.address,
                f.message,
                f.related.len()
            )
        })
        .collect()
}

fn assert_same(path: &Path) {
    let filtered = findings(path, false);
    let everything = findings(path, true);
    assert!(!everything.is_empty(), "{} has findings", path.display());
    assert_eq!(filtered, everything, "{}", path.display());
}

#[test]
fn fixtures_give_the_same_findings_with_and_without_the_prefilter() {
    assert_same(&Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata"));
}

#[test]
fn the_shared_corpus_gives_the_same_findings_with_and_without_the_prefilter() {
    let corpus: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if !corpus.is_dir() {
        eprintln!("no shared corpus at {}; skipped", corpus.display());
        return;
    }
    assert_same(&corpus);
}
