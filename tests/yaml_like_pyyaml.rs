//! YAML as CloudFormation reads it: every YAML file of the shared corpus
//! (`../shared/corpus`, skipped when absent) that PyYAML loads, mfalint's
//! YAML reader loads too, and it rejects the files PyYAML rejects, except
//! the few listed below with the reason. PyYAML's verdicts are checked in as
//! `testdata/yaml-pyyaml-rejects.txt` (see `scripts/pyyaml-rejects`), so
//! the test needs no Python.
//!
//! The reader is asked directly, for every YAML file, template or not: a
//! file that does not look like a template is never parsed by a scan, but
//! the YAML it holds is the same YAML.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use mfalint::frontend::Limits;
use mfalint::source::SourceFile;
use mfalint::syntax::parse_yaml;

/// Files PyYAML rejects and mfalint reads, and why.
const READ_THOUGH_PYYAML_REJECTS: &[(&str, &str)] = &[
    (
        "scale/DataDog__kics/assets/queries/cloudFormation/aws/s3_bucket_allows_public_acl/test/positive1.yaml",
        "several documents: the first is read and the second is a warning",
    ),
    (
        "scale/DataDog__kics/assets/queries/cloudFormation/aws/s3_bucket_with_public_policy/test/positive1.yaml",
        "several documents: the first is read and the second is a warning",
    ),
    (
        "scale/DataDog__kics/assets/queries/cloudFormation/aws/s3_bucket_without_ignore_public_acl/test/positive1.yaml",
        "several documents: the first is read and the second is a warning",
    ),
    (
        "scale/DataDog__kics/assets/queries/cloudFormation/aws/s3_bucket_without_restriction_of_public_bucket/test/positive1.yaml",
        "several documents: the first is read and the second is a warning",
    ),
    (
        "scale/bridgecrewio__checkov/tests/cloudformation/checks/resource/aws/unused/ec2_instance_with_ebs_volume.yaml",
        "a tab before a comment (`True\\t# ...`): YAML 1.2 allows it, PyYAML (YAML 1.1) does not",
    ),
];

fn corpus() -> PathBuf {
    match std::env::var_os("MFALINT_CORPUS") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
    }
}

/// `.yaml` and `.yml` files, and `.template` files that do not open with
/// `{`, as `scripts/pyyaml-rejects` picks them; relative paths, sorted.
fn yaml_files(corpus: &Path) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    let mut stack = vec![corpus.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                stack.push(path);
                continue;
            }
            if !kind.is_file() {
                continue;
            }
            let name = entry.file_name().to_string_lossy().to_ascii_lowercase();
            let picked = if name.ends_with(".yaml") || name.ends_with(".yml") {
                true
            } else if name.ends_with(".template") {
                let bytes = std::fs::read(&path).unwrap_or_default();
                let text = String::from_utf8_lossy(&bytes);
                !text
                    .trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n'])
                    .starts_with('{')
            } else {
                false
            };
            if picked {
                let relative = path
                    .strip_prefix(corpus)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((relative, path));
            }
        }
    }
    out.sort();
    out
}

/// Why mfalint's YAML reader rejects the file, if it does.
fn rejection(path: &Path) -> Option<String> {
    let bytes = std::fs::read(path).expect("readable corpus file");
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Some("not UTF-8".into());
    };
    let limits = Limits::default();
    let file = SourceFile::new(path.to_path_buf(), text);
    parse_yaml(&file, limits.max_nesting, limits.max_yaml_aliases)
        .err()
        .map(|e| e.message)
}

#[test]
fn mfalint_rejects_the_yaml_files_pyyaml_rejects() {
    let corpus = corpus();
    if !corpus.is_dir() {
        eprintln!("no corpus at {}; skipped", corpus.display());
        return;
    }
    let listed = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/yaml-pyyaml-rejects.txt"),
    )
    .expect("testdata/yaml-pyyaml-rejects.txt");
    let pyyaml: BTreeSet<&str> = listed
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split('\t').next().unwrap_or(l))
        .collect();
    let files = yaml_files(&corpus);
    assert!(!files.is_empty(), "no YAML file in {}", corpus.display());
    let mut rejected = Vec::new();
    for (relative, path) in &files {
        if let Some(why) = rejection(path) {
            rejected.push((relative.clone(), why));
        }
    }
    let known: BTreeSet<&str> = READ_THOUGH_PYYAML_REJECTS.iter().map(|(p, _)| *p).collect();
    let mfalint: BTreeSet<&str> = rejected.iter().map(|(p, _)| p.as_str()).collect();
    let expected: BTreeSet<&str> = pyyaml.difference(&known).copied().collect();
    let only_mfalint: Vec<&(String, String)> = rejected
        .iter()
        .filter(|(p, _)| !pyyaml.contains(p.as_str()))
        .collect();
    let only_pyyaml: Vec<&&str> = expected.difference(&mfalint).collect();
    let known_but_rejected: Vec<&&str> = known.intersection(&mfalint).collect();
    assert!(
        only_mfalint.is_empty() && only_pyyaml.is_empty() && known_but_rejected.is_empty(),
        "{} YAML files read; mfalint rejects these that PyYAML loads: {only_mfalint:#?}\n\
         PyYAML rejects these that mfalint reads (and that are not listed with a reason): {only_pyyaml:#?}\n\
         listed as read though PyYAML rejects them, but rejected: {known_but_rejected:#?}",
        files.len()
    );
}
