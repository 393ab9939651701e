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

/// With `inventory-summary: true`, the Markdown inventory lands in the
/// job summary, and the step still passes or fails on findings.
#[test]
fn the_inventory_goes_to_the_job_summary() {
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("step_summary.md");
    let run = |inventory: Option<&str>| {
        let mut command = Command::new("bash");
        command
            .arg(root().join("scripts/action-run"))
            .current_dir(root())
            .env("MFALINT", env!("CARGO_BIN_EXE_mfalint"))
            .env("GITHUB_OUTPUT", dir.path().join("github_output"))
            .env("GITHUB_STEP_SUMMARY", &summary)
            .env("INPUT_PATH", "testdata/inventory/multi_service")
            .env("INPUT_SARIF_FILE", dir.path().join("out.sarif"))
            .env("INPUT_FAIL_ON", "never")
            .env("INPUT_FORMAT", "none")
            .env("INPUT_ARGS", "--no-config");
        if let Some(summary) = inventory {
            command
                .env("INPUT_INVENTORY_SUMMARY", summary)
                .env("INPUT_INVENTORY_ARGS", "--no-config");
        }
        command.output().expect("bash runs the action step")
    };
    std::fs::write(&summary, "earlier step\n").unwrap();
    let out = run(Some("true"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&summary).unwrap();
    assert!(
        text.starts_with("earlier step\n# MFA inventory\n"),
        "appended: {text}"
    );
    assert!(
        text.contains("| AWS IAM | 9 | 1 | 0 | 3 | 0 | 1 | 3 | 1 |"),
        "{text}"
    );
    // Off by default: nothing is written.
    std::fs::write(&summary, "").unwrap();
    let out = run(None);
    assert!(out.status.success());
    assert_eq!(std::fs::read_to_string(&summary).unwrap(), "");
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
        "version",
        "binary",
        "inventory-summary",
        "inventory-args",
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
        "INPUT_INVENTORY_SUMMARY",
        "INPUT_INVENTORY_ARGS",
    ] {
        assert!(text.contains(env), "{env} not passed to the script");
    }
    assert!(text.contains("github/codeql-action/upload-sarif@"));
    assert!(text.contains("cargo install --locked --path \"$GITHUB_ACTION_PATH\""));
    assert!(text.contains("run: bash \"$GITHUB_ACTION_PATH/scripts/action-install\""));
    assert!(text.contains("ACTION_REF: ${{ github.action_ref }}"));
}

/// A release as the release workflow lays it out, in a local folder:
/// `v9.9.9/mfalint-9.9.9-x86_64-unknown-linux-musl.tar.gz` holding
/// `mfalint-9.9.9-x86_64-unknown-linux-musl/mfalint` (here a script that
/// says who it is), and `v9.9.9/SHA256SUMS`.
fn fake_release(dir: &Path) -> PathBuf {
    let releases = dir.join("releases");
    let name = "mfalint-9.9.9-x86_64-unknown-linux-musl";
    let staging = dir.join("staging").join(name);
    std::fs::create_dir_all(&staging).unwrap();
    std::fs::create_dir_all(releases.join("v9.9.9")).unwrap();
    let exe = staging.join("mfalint");
    std::fs::write(&exe, "#!/bin/sh\necho the released mfalint\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&exe, std::fs::Permissions::from_mode(0o755)).unwrap();
    let archive = format!("{name}.tar.gz");
    let status = Command::new("tar")
        .arg("-czf")
        .arg(releases.join("v9.9.9").join(&archive))
        .arg("-C")
        .arg(dir.join("staging"))
        .arg(name)
        .status()
        .unwrap();
    assert!(status.success());
    let sums = Command::new("sha256sum")
        .arg(&archive)
        .current_dir(releases.join("v9.9.9"))
        .output()
        .unwrap();
    std::fs::write(releases.join("v9.9.9/SHA256SUMS"), sums.stdout).unwrap();
    releases
}

/// Runs scripts/action-install as action.yml does on a Linux x86_64
/// runner; returns (status, log, $GITHUB_OUTPUT).
fn install(dir: &Path, releases: &Path, action_ref: &str, version: &str) -> (i32, String, String) {
    let output_file = dir.join("github_output");
    std::fs::write(&output_file, "").unwrap();
    let out = Command::new("bash")
        .arg(root().join("scripts/action-install"))
        .env("GITHUB_OUTPUT", &output_file)
        .env("RUNNER_TEMP", dir)
        .env("RUNNER_OS", "Linux")
        .env("RUNNER_ARCH", "X64")
        .env("ACTION_REF", action_ref)
        .env("INPUT_VERSION", version)
        .env("MFALINT_RELEASES", format!("file://{}", releases.display()))
        .output()
        .unwrap();
    let log =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (
        out.status.code().unwrap_or(-1),
        log,
        std::fs::read_to_string(output_file).unwrap(),
    )
}

#[test]
fn the_action_downloads_its_own_release_and_checks_it() {
    let dir = tempfile::tempdir().unwrap();
    let releases = fake_release(dir.path());
    let (status, log, outputs) = install(dir.path(), &releases, "v9.9.9", "");
    assert_eq!(status, 0, "{log}");
    assert!(log.contains("checked against SHA256SUMS"), "{log}");
    let binary = outputs
        .strip_prefix("binary=")
        .and_then(|b| b.strip_suffix('\n'))
        .unwrap_or_else(|| panic!("{outputs}"));
    let ran = Command::new(binary).output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&ran.stdout),
        "the released mfalint\n"
    );

    // Without github.action_ref, the folder the runner checked the action
    // out to names the ref.
    let output_file = dir.path().join("github_output");
    std::fs::write(&output_file, "").unwrap();
    let out = Command::new("bash")
        .arg(root().join("scripts/action-install"))
        .env("GITHUB_OUTPUT", &output_file)
        .env(
            "GITHUB_ACTION_PATH",
            "/runner/_actions/mfalint/mfalint/v9.9.9",
        )
        .env("RUNNER_TEMP", dir.path())
        .env("RUNNER_OS", "Linux")
        .env("RUNNER_ARCH", "X64")
        .env("ACTION_REF", "")
        .env("INPUT_VERSION", "")
        .env("MFALINT_RELEASES", format!("file://{}", releases.display()))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(
        std::fs::read_to_string(&output_file)
            .unwrap()
            .starts_with("binary=")
    );

    // The `version` input wins over the ref.
    let (status, log, outputs) = install(dir.path(), &releases, "main", "v9.9.9");
    assert_eq!(status, 0, "{log}");
    assert!(outputs.starts_with("binary="), "{outputs}");
}

#[test]
fn a_tampered_release_is_refused_not_built_around() {
    let dir = tempfile::tempdir().unwrap();
    let releases = fake_release(dir.path());
    let sums = releases.join("v9.9.9/SHA256SUMS");
    let text = std::fs::read_to_string(&sums).unwrap();
    std::fs::write(&sums, format!("{}{}", "0".repeat(64), &text[64..])).unwrap();
    let (status, log, outputs) = install(dir.path(), &releases, "v9.9.9", "");
    assert_eq!(status, 1, "{log}");
    assert!(log.contains("does not match SHA256SUMS"), "{log}");
    assert_eq!(outputs, "", "neither a binary nor a build");
}

#[test]
fn without_a_release_the_action_builds_from_source_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let releases = fake_release(dir.path());
    for (action_ref, version, why) in [
        ("main", "", "'main' is not a release tag"),
        ("4f3c2e1d", "", "'4f3c2e1d' is not a release tag"),
        (
            "v9.9.8",
            "",
            "release v9.9.8 has no mfalint-9.9.8-x86_64-unknown-linux-musl.tar.gz",
        ),
    ] {
        let (status, log, outputs) = install(dir.path(), &releases, action_ref, version);
        assert_eq!(status, 0, "{log}");
        assert!(log.contains(why), "{action_ref}: {log}");
        assert!(
            log.contains("building mfalint from the action's source"),
            "{log}"
        );
        assert_eq!(outputs, "build=true\n");
    }
    let (status, log, _) = install(dir.path(), &releases, "v9.9.9", "latest; rm -rf /");
    assert_eq!(status, 2, "{log}");
    assert!(log.contains("version must look like 1.2.3"), "{log}");
}
