//! Parsing later or again for the model (`frontend::Trees::Defer`, which
//! scans use to reuse memory while warm, and `Trees::Reparse`, which large
//! scans use to bound it) gives exactly what keeping the trees gives:
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
    assert!(kept.contains("MFA001"), "{} has findings", path.display());
    for trees in [Trees::Defer, Trees::Reparse] {
        assert_same_as_kept(path, &kept, trees);
    }
}

fn assert_same_as_kept(path: &Path, kept: &str, trees: Trees) {
    let parsed_again = outcome(path, trees);
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
            "{}: {trees:?} changed the outcome near line {first}:\n--- kept\n{}\n--- {trees:?}\n{}",
            path.display(),
            show(kept),
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

/// Parsing for the calls skips the files without the word `module`, which
/// first parse when parsed again: a syntax error there must give what it
/// gives when found first. A folder whose every file fails does not exist
/// for the scan (its caller's call is not followed, it is no root module
/// shifting the scopes of those after it), and a broken file beside good
/// ones leaves the good ones read.
#[test]
fn files_first_parsed_again_fail_as_when_parsed_first() {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    let user = |name: &str| {
        format!(
            "resource \"aws_iam_user\" \"{name}\" {{\n  name = \"{name}\"\n}}\n\
             resource \"aws_iam_user_login_profile\" \"{name}\" {{\n  user = aws_iam_user.{name}.name\n}}\n"
        )
    };
    write(
        "env/main.tf",
        "module \"broken\" {\n  source = \"../broken\"\n}\nmodule \"mixed\" {\n  source = \"../mixed\"\n}\n",
    );
    write(
        "broken/main.tf",
        &format!("{}\nresource \"aws_iam_user\" {{", user("bea")),
    );
    write("mixed/good.tf", &user("gus"));
    write(
        "mixed/bad.tf",
        "resource \"aws_iam_user\" \"x\" {\n  name = \n",
    );
    write("alone/main.tf", "resource \"aws_iam_group\" \"g\" {");
    // Smallest first: two broken files before the one that parses.
    write("turns/a.tf", "aws_iam_ {");
    write("turns/b.tf", "locals { aws_iam_ = }");
    write("turns/c.tf", &user("tim"));
    write("allbad/x.tf", "aws_iam_ {");
    write("allbad/y.tf", "locals { aws_iam_ = }");
    write("later/main.tf", &user("lea"));
    let kept = outcome(dir.path(), Trees::Keep);
    for expected in [
        "broken/main.tf",
        "mixed/bad.tf",
        "alone/main.tf",
        "turns/a.tf",
        "turns/b.tf",
        "allbad/x.tf",
        "allbad/y.tf",
        "aws_iam_user.tim",
        "module `broken` is not followed",
        "aws_iam_user.gus",
        "aws_iam_user.lea",
    ] {
        assert!(kept.contains(expected), "{expected} in\n{kept}");
    }
    assert!(!kept.contains("aws_iam_user.bea"), "{kept}");
    assert_same(dir.path());
}
