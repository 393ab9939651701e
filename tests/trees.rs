//! Parsing again for the model (`frontend::Trees::Reparse`, which large
//! scans use to bound memory) gives exactly what keeping the trees gives:
//! findings, input errors and warnings, the inventory, for every fixture
//! (override files, downloaded modules, Terragrunt units, `.tf.json`,
//! syntax errors among them) and the shared corpus when present.

use std::path::{Path, PathBuf};

use mfalint::discover::DiscoverOptions;
use mfalint::frontend::{FrontendOptions, Trees};
use mfalint::scan::{ScanOptions, scan};

/// Everything a scan reports, spans and messages included.
fn outcome(path: &Path, trees: Trees) -> String {
    let options = ScanOptions {
        discover: DiscoverOptions {
            paths: vec![path.to_path_buf()],
            respect_ignore_files: true,
            threads: 2,
            ..DiscoverOptions::default()
        },
        frontends: FrontendOptions {
            trees,
            ..FrontendOptions::default()
        },
        inventory: true,
        ..ScanOptions::default()
    };
    let result = scan(&options).expect("valid options");
    format!(
        "{:#?}\n{:#?}\n{:#?}\n{:#?}",
        result.findings, result.errors, result.input_warnings, result.inventory
    )
}

fn assert_same(path: &Path) {
    let kept = outcome(path, Trees::Keep);
    let parsed_again = outcome(path, Trees::Reparse);
    assert!(kept.contains("MFA001"), "{} has findings", path.display());
    if kept != parsed_again {
        let first = kept
            .lines()
            .zip(parsed_again.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        let show = |text: &str| {
            text.lines()
                .skip(first.saturating_sub(5))
                .take(15)
                .collect::<Vec<_>>()
                .join("\n")
        };
        panic!(
            "{}: reparsing changed the outcome near line {first}:\n--- kept\n{}\n--- parsed again\n{}",
            path.display(),
            show(&kept),
            show(&parsed_again)
        );
    }
}

#[test]
fn fixtures_give_the_same_outcome_when_parsed_again() {
    assert_same(&Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata"));
}

#[test]
fn the_shared_corpus_gives_the_same_outcome_when_parsed_again() {
    let corpus: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if !corpus.is_dir() {
        eprintln!("no shared corpus at {}; skipped", corpus.display());
        return;
    }
    assert_same(&corpus);
}
