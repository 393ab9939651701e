//! The GitHub Action's scanning step (`scripts/action-run`, which
//! `action.yml` runs) executed locally with the `GITHUB_*` environment a
//! runner provides: it must write a valid SARIF file and the outputs, and
//! fail or pass as `fail-on` says.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run_action(dir: &Path, path: &str, fail_on: &str) -> (Output, String) {
    let output_file = dir.join("github_output");
    std::fs::write(&output_file, "").unwrap();
    let out = Command::new("bash")
        .arg(root().join("scripts/action-run"))
        .current_dir(root())
        .env("MFALINT", env!("CARGO_BIN_EXE_mfalint"))
        .env("GITHUB_OUTPUT", &output_file)
        .env("GITHUB_ACTION_PATH", root())
        .env("RUNNER_TEMP", dir)
        .env("INPUT_PATH", path)
        .env("INPUT_SARIF_FILE", dir.join("out.sarif"))
        .env("INPUT_FAIL_ON", fail_on)
        .env("INPUT_ARGS", "")
        .output()
        .expect("bash runs the action step");
    (out, std::fs::read_to_string(output_file).unwrap())
}

#[test]
fn the_action_step_writes_sarif_and_outputs_and_fails_on_errors() {
    let dir = tempfile::tempdir().unwrap();
    let (out, outputs) = run_action(dir.path(), "testdata/rules/MFA001/cross_file", "error");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(outputs.contains("findings=1\n"), "{outputs}");
    let sarif_path = dir.path().join("out.sarif");
    assert!(outputs.contains(&format!("sarif-file={}\n", sarif_path.display())));
    // Annotations as workflow commands.
    assert!(
        stdout.contains("::error file=testdata/rules/MFA001/cross_file/users.tf,line=1"),
        "{stdout}"
    );

    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("testdata/sarif-schema-2.1.0.json")).unwrap(),
    )
    .unwrap();
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif_path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    assert!(validator.is_valid(&sarif));
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 1);
}

#[test]
fn fail_on_decides_the_step_status() {
    let dir = tempfile::tempdir().unwrap();
    let (out, outputs) = run_action(dir.path(), "testdata/rules/MFA001/cross_file", "never");
    assert_eq!(out.status.code(), Some(0));
    assert!(outputs.contains("findings=1\n"));
    let (out, _) = run_action(
        dir.path(),
        "testdata/rules/MFA001/device_by_template",
        "warning",
    );
    assert_eq!(out.status.code(), Some(0));
    // Only a warning (MFA002) in this case: fails with fail-on warning only.
    let dir2 = tempfile::tempdir().unwrap();
    std::fs::write(
        dir2.path().join("main.tf"),
        "resource \"aws_iam_virtual_mfa_device\" \"d\" {\n  virtual_mfa_device_name = \"nobody\"\n}\n",
    )
    .unwrap();
    let path = dir2.path().to_string_lossy().into_owned();
    let (out, _) = run_action(dir.path(), &path, "error");
    assert_eq!(out.status.code(), Some(0));
    let (out, outputs) = run_action(dir.path(), &path, "warning");
    assert_eq!(out.status.code(), Some(1));
    assert!(outputs.contains("findings=1\n"));
    let (out, _) = run_action(dir.path(), &path, "sometimes");
    assert_eq!(out.status.code(), Some(2));
    // The log format: compact lines instead of annotations.
    let compact = Command::new("bash")
        .arg(root().join("scripts/action-run"))
        .current_dir(root())
        .env("MFALINT", env!("CARGO_BIN_EXE_mfalint"))
        .env("GITHUB_OUTPUT", dir.path().join("out2"))
        .env("INPUT_PATH", "testdata/rules/MFA001/cross_file")
        .env("INPUT_SARIF_FILE", dir.path().join("x.sarif"))
        .env("INPUT_FORMAT", "compact")
        .output()
        .unwrap();
    let log = String::from_utf8_lossy(&compact.stdout);
    assert!(
        log.contains("users.tf:1:1: error: [MFA001]") && !log.contains("::error"),
        "{log}"
    );
}

#[test]
fn action_yml_runs_the_tested_script_with_every_input() {
    let text = std::fs::read_to_string(root().join("action.yml")).unwrap();
    use saphyr::LoadableYamlNode;
    let docs = saphyr::Yaml::load_from_str(&text).expect("action.yml is valid YAML");
    assert_eq!(docs.len(), 1);
    let hooks = std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).unwrap();
    saphyr::Yaml::load_from_str(&hooks).expect(".pre-commit-hooks.yaml is valid YAML");
    assert!(text.contains("run: bash \"$GITHUB_ACTION_PATH/scripts/action-run\""));
    for input in [
        "path",
        "sarif-file",
        "args",
        "fail-on",
        "upload-sarif",
        "binary",
    ] {
        assert!(
            text.contains(&format!("\n  {input}:\n")),
            "input {input} missing"
        );
    }
    for env in [
        "INPUT_PATH",
        "INPUT_SARIF_FILE",
        "INPUT_ARGS",
        "INPUT_FAIL_ON",
    ] {
        assert!(text.contains(env), "{env} not passed to the script");
    }
    assert!(text.contains("github/codeql-action/upload-sarif@"));
    assert!(text.contains("cargo install --locked --path \"$GITHUB_ACTION_PATH\""));
}
