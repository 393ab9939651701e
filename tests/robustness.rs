//! Never a panic, whatever the input: every input the fuzzers kept as a
//! regression (`fuzz/regressions/<target>/`, crash inputs included) is
//! replayed through the fuzz harness itself, and every fixture is run
//! again truncated and mutated at deterministic places (a cheap property
//! test in the normal suite; the fuzzers themselves run outside CI, see
//! `fuzz/README.md`).

#[path = "../fuzz/common.rs"]
mod common;

use std::path::{Path, PathBuf};

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

#[test]
fn fuzz_regressions_replay_without_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let mut replayed = 0;
    for target in std::fs::read_dir(&root).expect("fuzz/regressions exists") {
        let target = target.expect("entry");
        let name = target.file_name().to_string_lossy().into_owned();
        let mut inputs = Vec::new();
        files_under(&target.path(), &mut inputs);
        for input in inputs {
            let data = std::fs::read(&input).expect("readable");
            common::run_target(&name, &data);
            replayed += 1;
        }
    }
    assert!(replayed >= 8, "one regression input per target at least");
}

/// A fixture's file name decides its front-end; keep it.
fn name_of(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[test]
fn truncated_and_mutated_fixtures_never_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/rules");
    let mut files = Vec::new();
    files_under(&root, &mut files);
    files.sort();
    let mut runs = 0;
    for path in files {
        let name = name_of(&path);
        let Ok(data) = std::fs::read(&path) else {
            continue;
        };
        if data.len() > 64 * 1024 {
            continue;
        }
        let cuts = 4.min(data.len());
        for k in 1..=cuts {
            let at = data.len() * k / (cuts + 1);
            // Truncated mid-token, and the same place overwritten with the
            // characters that open or close structures.
            common::scan_one(&name, &data[..at]);
            for byte in [b'{', b'"', b'$', b'}'] {
                let mut mutated = data.clone();
                mutated[at] = byte;
                common::scan_one(&name, &mutated);
                runs += 1;
            }
        }
    }
    assert!(runs > 500, "{runs} mutated runs");
}
