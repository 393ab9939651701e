//! The binary as users run it: exit codes, formats, determinism, SARIF
//! validity against the official 2.1.0 schema.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A login profile for an undeclared user `x`: one MFA001 finding.
const LOGIN_PROFILE_X: &str =
    "resource \"aws_iam_user_login_profile\" \"x\" {\n  user = \"x\"\n}\n";

fn mfalint(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mfalint"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("mfalint runs")
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("utf-8 output")
}

fn fixture(case: &str) -> String {
    format!("testdata/rules/MFA001/{case}")
}

#[test]
fn exit_codes_are_0_clean_1_findings_2_input_errors() {
    let clean = mfalint(&["scan", &fixture("device_by_template")], &root());
    assert_eq!(clean.status.code(), Some(0), "{}", stdout(&clean));
    let findings = mfalint(&["scan", &fixture("user_with_profile")], &root());
    assert_eq!(findings.status.code(), Some(1));
    let broken = mfalint(&["scan", &fixture("syntax_error_beside_good")], &root());
    assert_eq!(broken.status.code(), Some(2));
    let missing = mfalint(&["scan", "does/not/exist"], &root());
    assert_eq!(missing.status.code(), Some(2));
    let usage = mfalint(&["scan", "--format", "nope"], &root());
    assert_eq!(usage.status.code(), Some(2));
    let bad_glob = mfalint(
        &["scan", "--exclude", "a{", &fixture("user_with_profile")],
        &root(),
    );
    assert_eq!(bad_glob.status.code(), Some(2));
}

#[test]
fn exit_zero_ignores_findings_but_not_input_errors() {
    let findings = mfalint(&["--exit-zero", &fixture("user_with_profile")], &root());
    assert_eq!(findings.status.code(), Some(0));
    let broken = mfalint(
        &["--exit-zero", &fixture("syntax_error_beside_good")],
        &root(),
    );
    assert_eq!(broken.status.code(), Some(2));
}

#[test]
fn a_malformed_file_is_reported_with_position_and_the_others_still_scanned() {
    let out = mfalint(
        &["-f", "compact", &fixture("syntax_error_beside_good")],
        &root(),
    );
    let text = stdout(&out);
    assert!(
        text.contains("syntax_error_beside_good/broken.tf:2:10: error: [input] HCL syntax error"),
        "{text}"
    );
    assert!(
        text.contains("syntax_error_beside_good/good.tf:1:1: error: [MFA001]"),
        "{text}"
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn compact_lines_follow_file_line_col_severity_rule_message() {
    let out = mfalint(&["scan", "-f", "compact", &fixture("cross_file")], &root());
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1, "{text}");
    assert!(lines[0].starts_with(
        "testdata/rules/MFA001/cross_file/users.tf:1:1: error: [MFA001] IAM user `erin`"
    ));
}

#[test]
fn human_output_shows_the_snippet_label_and_fix() {
    let out = mfalint(&[&fixture("user_with_profile")], &root());
    let text = stdout(&out);
    assert!(
        text.contains("MFA001(aws-iam-console-user-without-mfa)"),
        "{text}"
    );
    assert!(
        text.contains("resource \"aws_iam_user\" \"alice\""),
        "{text}"
    );
    assert!(text.contains("this user can sign in to the console without MFA"));
    assert!(text.contains("aws iam enable-mfa-device"));
    assert!(text.contains("mfalint: 1 finding in 1 file"));
}

#[test]
fn json_has_the_documented_fields() {
    let out = mfalint(&["-f", "json", &fixture("cross_file")], &root());
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(doc["version"], 1);
    let finding = &doc["findings"][0];
    assert_eq!(finding["rule"], "MFA001");
    assert_eq!(finding["severity"], "error");
    assert_eq!(finding["path"], "testdata/rules/MFA001/cross_file/users.tf");
    assert_eq!(finding["start"]["line"], 1);
    assert_eq!(finding["address"], "aws_iam_user.erin");
    assert_eq!(
        finding["related"][0]["path"],
        "testdata/rules/MFA001/cross_file/console.tf"
    );
    assert_eq!(finding["related"][0]["start"]["line"], 1);
    assert_eq!(doc["summary"]["files_scanned"], 3);
    assert_eq!(doc["summary"]["findings"], 1);
}

#[test]
fn output_is_identical_for_one_and_eight_threads() {
    for format in ["compact", "json", "sarif", "human"] {
        let one = mfalint(&["-j", "1", "-f", format, "testdata"], &root());
        let eight = mfalint(&["-j", "8", "-f", format, "testdata"], &root());
        assert!(!one.stdout.is_empty());
        assert_eq!(one.stdout, eight.stdout, "format {format} differs");
    }
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let validator = sarif_validator();
    // Findings, related locations and an input error in one run.
    let out = mfalint(&["-f", "sarif", "testdata/rules"], &root());
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "schema violations: {errors:#?}");
    // The validator does reject what GitHub would: a bad level, a missing message.
    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    broken["runs"][0]["results"][1]
        .as_object_mut()
        .unwrap()
        .remove("message");
    assert_eq!(validator.iter_errors(&broken).count(), 2);

    assert_eq!(sarif["version"], "2.1.0");
    assert!(sarif["$schema"].as_str().unwrap().starts_with("https://"));
    let runs = sarif["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "mfalint");
    let rules = driver["rules"].as_array().unwrap();
    let mut ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), rules.len(), "duplicate rule ids");
    let rule = &rules[0];
    assert!(rule["shortDescription"]["text"].is_string());
    assert!(rule["fullDescription"]["text"].is_string());
    assert!(
        rule["help"]["markdown"]
            .as_str()
            .unwrap()
            .contains("## How to fix")
    );
    assert!(
        rule["properties"]["tags"]
            .as_array()
            .unwrap()
            .contains(&"security".into())
    );
    assert!(rule["properties"]["security-severity"].is_string());

    let results = runs[0]["results"].as_array().unwrap();
    assert!(results.len() >= 10);
    for result in results {
        assert_eq!(
            result["ruleId"],
            rules[result["ruleIndex"].as_u64().unwrap() as usize]["id"]
        );
        let rule = &rules[result["ruleIndex"].as_u64().unwrap() as usize];
        // A result keeps its rule's level, except the lesser problems
        // rules report at a lower level (MFA022's exclusions, MFA031's
        // adaptive MFA, MFA032's optional MFA).
        if result["level"] != rule["defaultConfiguration"]["level"] {
            assert_eq!(result["level"], "warning");
            let text = result["message"]["text"].as_str().unwrap();
            match result["ruleId"].as_str().unwrap() {
                "MFA022" => assert!(text.contains("excludes"), "{text}"),
                "MFA021" => assert!(text.contains("exempts"), "{text}"),
                "MFA027" => assert!(text.contains("mfa_disabled"), "{text}"),
                "MFA031" => assert!(text.contains("confidence-score"), "{text}"),
                "MFA032" => assert!(text.contains("OPTIONAL"), "{text}"),
                "MFA030" => assert!(text.contains("mins_to_bypass_mfa"), "{text}"),
                other => panic!("{other} reported at a level not its own: {text}"),
            }
        }
        let location = &result["locations"][0]["physicalLocation"];
        let uri = location["artifactLocation"]["uri"].as_str().unwrap();
        assert!(uri.starts_with("testdata/rules/MFA"), "{uri}");
        assert!(!uri.contains('\\') && !uri.contains(':'), "{uri}");
        assert!(location["region"]["startLine"].as_u64().unwrap() >= 1);
        assert!(result["partialFingerprints"]["mfalintFingerprint/v1"].is_string());
    }
    assert!(
        results
            .iter()
            .any(|r| r["relatedLocations"][0]["message"]["text"].is_string())
    );
    // Excused findings stay in the log, marked with their justification.
    let suppressed: Vec<&serde_json::Value> = results
        .iter()
        .filter(|r| r["suppressions"].is_array())
        .collect();
    let summary = mfalint(&["-f", "json", "testdata/rules"], &root());
    let summary: serde_json::Value = serde_json::from_slice(&summary.stdout).unwrap();
    assert_eq!(
        suppressed.len() as u64,
        summary["summary"]["suppressed"].as_u64().unwrap()
    );
    assert!(suppressed.len() >= 3);
    let suppression = &suppressed[0]["suppressions"][0];
    assert_eq!(suppression["kind"], "inSource");
    assert!(
        suppression["justification"]
            .as_str()
            .unwrap()
            .contains("break-glass")
    );
    let notes = runs[0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    let json = mfalint(&["-f", "json", "testdata/rules"], &root());
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    // Input errors, then input warnings (duplicate YAML keys).
    let errors = json["errors"].as_array().unwrap().len();
    let warnings = json["warnings"].as_array().unwrap().len();
    assert_eq!(notes.len(), errors + warnings);
    assert!(errors >= 2 && warnings >= 2);
    for (i, note) in notes.iter().enumerate() {
        assert_eq!(note["level"], if i < errors { "error" } else { "warning" });
        let region = &note["locations"][0]["physicalLocation"]["region"];
        assert!(region["startLine"].as_u64().unwrap() >= 1);
    }
    assert_eq!(runs[0]["invocations"][0]["executionSuccessful"], false);
}

#[test]
fn fingerprints_survive_unrelated_lines_moving() {
    let dir = tempfile::tempdir().unwrap();
    let body = "resource \"aws_iam_user\" \"a\" {\n  name = \"a\"\n}\nresource \"aws_iam_user_login_profile\" \"a\" {\n  user = aws_iam_user.a.name\n}\n";
    std::fs::write(dir.path().join("main.tf"), body).unwrap();
    let fingerprint = |cwd: &Path| {
        let out = mfalint(&["-f", "sarif", "."], cwd);
        let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let r = &sarif["runs"][0]["results"][0];
        (
            r["partialFingerprints"]["mfalintFingerprint/v1"].clone(),
            r["locations"][0]["physicalLocation"]["region"]["startLine"].clone(),
        )
    };
    let before = fingerprint(dir.path());
    std::fs::write(dir.path().join("main.tf"), format!("# moved\n\n{body}")).unwrap();
    let after = fingerprint(dir.path());
    assert_eq!(before.0, after.0);
    assert_ne!(before.1, after.1);
}

#[test]
fn no_subcommand_scans_the_current_folder() {
    let out = mfalint(
        &["-f", "compact"],
        &root().join(fixture("user_with_profile")),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).starts_with("main.tf:1:1: error: [MFA001]"));
}

#[test]
fn a_named_file_links_with_its_folder_and_reports_only_what_touches_it() {
    // Only the login profile file is named; the user lives in users.tf.
    let out = mfalint(
        &[
            "-f",
            "compact",
            &format!("{}/console.tf", fixture("cross_file")),
        ],
        &root(),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("cross_file/users.tf:1:1: error: [MFA001]"));
    // mfa.tf has nothing to do with erin's finding.
    let out = mfalint(
        &[
            "-f",
            "compact",
            &format!("{}/mfa.tf", fixture("cross_file")),
        ],
        &root(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn gitignore_and_exclude_skip_files() {
    let dir = tempfile::tempdir().unwrap();
    let body = LOGIN_PROFILE_X;
    for sub in [
        "kept",
        "ignored",
        "excluded",
        ".terraform/modules/m",
        "node_modules/m",
    ] {
        std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        std::fs::write(dir.path().join(sub).join("main.tf"), body).unwrap();
    }
    std::fs::write(dir.path().join(".gitignore"), "ignored/\n").unwrap();
    let out = mfalint(&["-f", "compact", "--exclude", "excluded", "."], dir.path());
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.starts_with("kept/main.tf:1:1:"), "{text}");
    let out = mfalint(
        &["-f", "compact", "--no-ignore", "--exclude", "excluded", "."],
        dir.path(),
    );
    assert_eq!(stdout(&out).lines().count(), 2);
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_does_not_trap_the_walk() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("a")).unwrap();
    std::os::unix::fs::symlink("..", dir.path().join("a/loop")).unwrap();
    std::fs::write(dir.path().join("a/main.tf"), LOGIN_PROFILE_X).unwrap();
    let out = mfalint(&["-f", "compact", "."], dir.path());
    assert_eq!(stdout(&out).lines().count(), 1);
}

#[test]
fn rules_and_explain_read_the_metadata() {
    let list = mfalint(&["rules"], &root());
    assert!(stdout(&list).contains("MFA001"));
    let json = mfalint(&["rules", "--format", "json"], &root());
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(doc[0]["id"], "MFA001");
    let explain = mfalint(&["explain", "MFA001"], &root());
    let text = stdout(&explain);
    assert!(text.contains("## Why is this bad?") && text.contains("## How to fix"));
    let unknown = mfalint(&["explain", "MFA999"], &root());
    assert_eq!(unknown.status.code(), Some(2));
}

#[test]
fn the_bundled_example_reports_its_two_findings() {
    let out = mfalint(&["-f", "compact", "examples"], &root());
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let rules: Vec<&str> = text
        .lines()
        .map(|l| l.split(": ").next().unwrap())
        .collect();
    assert_eq!(
        rules,
        [
            "examples/console-users/users.tf:10:1",
            "examples/console-users/users.tf:18:1"
        ],
        "{text}"
    );
}

#[test]
fn invalid_utf8_is_a_positioned_error_and_the_scan_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.tf"), b"# ok\nname = \"\xff\"\n").unwrap();
    std::fs::write(dir.path().join("good.tf"), LOGIN_PROFILE_X).unwrap();
    let out = mfalint(&["-f", "compact", "."], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let text = stdout(&out);
    assert!(
        text.contains("bad.tf:2:9: error: [input] file is not valid UTF-8"),
        "{text}"
    );
    assert!(text.contains("good.tf:1:1: error: [MFA001]"), "{text}");
}

#[test]
fn control_characters_in_file_names_are_escaped_in_compact_output() {
    let dir = tempfile::tempdir().unwrap();
    let name = "evil\n::error file=x::pwned.tf";
    std::fs::write(dir.path().join(name), LOGIN_PROFILE_X).unwrap();
    let out = mfalint(&["-f", "compact", "."], dir.path());
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.starts_with("evil\\n::error"), "{text}");
}

#[test]
fn a_broken_sibling_of_a_named_file_is_still_reported() {
    let named = format!("{}/good.tf", fixture("syntax_error_beside_good"));
    let out = mfalint(&["-f", "compact", &named], &root());
    assert_eq!(out.status.code(), Some(2));
    let text = stdout(&out);
    assert!(text.contains("broken.tf:2:10: error: [input]"), "{text}");
    assert!(text.contains("good.tf:1:1: error: [MFA001]"), "{text}");
}

#[test]
fn var_and_var_file_set_root_module_inputs() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        "variable \"who\" {}\nvariable \"devices\" {\n  type    = list(string)\n  default = []\n}\n\
         resource \"aws_iam_user_login_profile\" \"p\" {\n  user = var.who\n}\n\
         resource \"aws_iam_virtual_mfa_device\" \"d\" {\n  for_each                = toset(var.devices)\n  virtual_mfa_device_name = each.key\n}\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("prod.tfvars"), "who = \"zoe\"\n").unwrap();
    // Without values the user is unresolved, and reported as such.
    let out = mfalint(&["-f", "compact", "."], dir.path());
    assert!(stdout(&out).contains("`var.who`"), "{}", stdout(&out));
    // With the file, the user is zoe; with the device list, zoe has MFA.
    let out = mfalint(
        &["-f", "compact", "--var-file", "prod.tfvars", "."],
        dir.path(),
    );
    assert!(stdout(&out).contains("IAM user `zoe`"), "{}", stdout(&out));
    let out = mfalint(
        &[
            "-f",
            "compact",
            "--var-file",
            "prod.tfvars",
            "--var",
            "devices=[\"zoe\"]",
            ".",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    // --var wins over the file.
    let out = mfalint(
        &[
            "-f",
            "compact",
            "--var-file",
            "prod.tfvars",
            "--var",
            "who=yan",
            ".",
        ],
        dir.path(),
    );
    assert!(stdout(&out).contains("IAM user `yan`"), "{}", stdout(&out));
    let bad = mfalint(&["--var", "novalue", "."], dir.path());
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn opt_in_rules_run_only_when_enabled() {
    let case = fixture("device_by_template");
    let off = mfalint(&["-f", "compact", &case], &root());
    assert_eq!(off.status.code(), Some(0), "{}", stdout(&off));
    let on = mfalint(&["-f", "compact", "--enable", "MFA003", &case], &root());
    assert_eq!(on.status.code(), Some(1));
    assert!(stdout(&on).contains("warning: [MFA003]"), "{}", stdout(&on));
    let disabled = mfalint(
        &[
            "-f",
            "compact",
            "--disable",
            "MFA001",
            &fixture("user_with_profile"),
        ],
        &root(),
    );
    assert_eq!(disabled.status.code(), Some(0));
    let unknown = mfalint(&["--enable", "MFA999", &case], &root());
    assert_eq!(unknown.status.code(), Some(2));
}

#[test]
fn github_format_annotates_and_cannot_be_injected() {
    let dir = tempfile::tempdir().unwrap();
    let name = "x,line=9::y\n::error file=z::pwned.tf";
    std::fs::write(dir.path().join(name), LOGIN_PROFILE_X).unwrap();
    let out = mfalint(&["-f", "github", "."], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(
        text.starts_with(
            "::error file=x%2Cline=9%3A%3Ay%0A%3A%3Aerror file=z%3A%3Apwned.tf,line=1,col=1,"
        ),
        "{text}"
    );
    assert!(text.contains(",title=MFA001 "), "{text}");
}

#[test]
fn a_baseline_round_trip_reports_only_new_findings() {
    let dir = tempfile::tempdir().unwrap();
    let user = |name: &str| {
        format!(
            "resource \"aws_iam_user\" \"{name}\" {{\n  name = \"{name}\"\n}}\n\
             resource \"aws_iam_user_login_profile\" \"{name}\" {{\n  user = aws_iam_user.{name}.name\n}}\n"
        )
    };
    std::fs::write(dir.path().join("main.tf"), user("old")).unwrap();
    let write = mfalint(
        &["--write-baseline", "mfalint.baseline.json", "."],
        dir.path(),
    );
    assert_eq!(write.status.code(), Some(0));
    let baseline: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("mfalint.baseline.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(baseline["version"], 1);
    assert_eq!(baseline["findings"].as_array().unwrap().len(), 1);
    assert_eq!(baseline["findings"][0]["address"], "aws_iam_user.old");

    // Lines move: the recorded finding is still known.
    std::fs::write(
        dir.path().join("main.tf"),
        format!("# moved\n\n{}", user("old")),
    )
    .unwrap();
    let out = mfalint(
        &["-f", "compact", "--baseline", "mfalint.baseline.json", "."],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(stdout(&out), "");
    let json = mfalint(
        &["-f", "json", "--baseline", "mfalint.baseline.json", "."],
        dir.path(),
    );
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert!(
        doc["findings"][0]["suppression"]["justification"]
            .as_str()
            .unwrap()
            .contains("baseline")
    );

    // A new user is reported.
    std::fs::write(dir.path().join("new.tf"), user("new")).unwrap();
    let out = mfalint(
        &["-f", "compact", "--baseline", "mfalint.baseline.json", "."],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("IAM user `new`") && !stdout(&out).contains("IAM user `old`"));

    std::fs::write(dir.path().join("bad.json"), "{\"version\": 7}").unwrap();
    let bad = mfalint(&["--baseline", "bad.json", "."], dir.path());
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn the_config_file_sets_rules_severities_excludes_exceptions_and_format() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("infra/sub")).unwrap();
    std::fs::create_dir_all(root.join("examples")).unwrap();
    std::fs::write(
        root.join("infra/main.tf"),
        "resource \"aws_iam_user\" \"a\" {\n  name = \"a\"\n}\n\
         resource \"aws_iam_user_login_profile\" \"a\" {\n  user = aws_iam_user.a.name\n}\n\
         resource \"aws_iam_user\" \"b\" {\n  name = \"b\"\n}\n\
         resource \"aws_iam_user_login_profile\" \"b\" {\n  user = aws_iam_user.b.name\n}\n\
         resource \"aws_iam_virtual_mfa_device\" \"b\" {\n  virtual_mfa_device_name = aws_iam_user.b.name\n}\n\
         resource \"aws_iam_virtual_mfa_device\" \"x\" {\n  virtual_mfa_device_name = \"nobody\"\n}\n",
    )
    .unwrap();
    std::fs::write(
        root.join("examples/main.tf"),
        "resource \"aws_iam_user_login_profile\" \"e\" {\n  user = \"e\"\n}\n",
    )
    .unwrap();
    std::fs::write(
        root.join(".mfalint.toml"),
        "format = \"compact\"\nexclude = [\"examples\"]\n[rules]\nenable = [\"MFA003\"]\nseverity = { MFA002 = \"error\" }\n\
         [[exceptions]]\nrule = \"MFA001\"\naddress = \"aws_iam_user.a\"\nreason = \"break glass\"\n",
    )
    .unwrap();
    // Found by walking up from the scanned folder.
    let out = mfalint(&["scan", "infra/sub"], root);
    assert!(stdout(&out).is_empty() && out.status.code() == Some(0));
    let out = mfalint(&["scan", "."], root);
    let text = stdout(&out);
    assert!(
        !text.contains("[MFA001]"),
        "excused by the config exception: {text}"
    );
    assert!(
        text.contains("error: [MFA002]"),
        "severity override: {text}"
    );
    assert!(
        text.contains("warning: [MFA003]"),
        "enabled by config: {text}"
    );
    assert!(!text.contains("examples/"), "excluded: {text}");
    assert_eq!(out.status.code(), Some(1));
    let ignored = mfalint(&["scan", "--no-config", "-f", "compact", "."], root);
    assert!(stdout(&ignored).contains("[MFA001]"));
    assert!(stdout(&ignored).contains("examples/main.tf"));

    std::fs::write(
        root.join(".mfalint.toml"),
        "[rules]\nenabel = [\"MFA003\"]\n",
    )
    .unwrap();
    let bad = mfalint(&["scan", "infra"], root);
    assert_eq!(bad.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(
        stderr.contains(".mfalint.toml:2:1:") && stderr.contains("enabel"),
        "{stderr}"
    );
}

#[test]
fn explain_says_why_passing_users_pass() {
    let out = mfalint(
        &[
            "-f",
            "compact",
            "--explain",
            &fixture("policy_group_force_mfa"),
        ],
        &root(),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("main.tf:2:1: note: `aws_iam_user.ana` has a console password and passes MFA001: policy `aws_iam_group_policy.force_mfa`"), "{stderr}");
    assert!(
        !stderr.contains("aws_iam_user.bo`"),
        "bo fails, it is a finding: {stderr}"
    );
    let quiet = mfalint(
        &["-f", "compact", &fixture("policy_group_force_mfa")],
        &root(),
    );
    assert!(quiet.stderr.is_empty());
}

#[test]
fn quiet_prints_findings_only_and_version_names_the_commit() {
    let out = mfalint(&["-q", &fixture("user_with_profile")], &root());
    let text = stdout(&out);
    assert!(
        text.contains("MFA001") && !text.contains("mfalint: 1 finding"),
        "{text}"
    );
    let version = mfalint(&["--version"], &root());
    let text = stdout(&version);
    assert!(
        text.starts_with(&format!("mfalint {}", env!("CARGO_PKG_VERSION"))),
        "{text}"
    );
}

/// The README's rule table lists every registered rule, with its name and
/// default severity, so documentation cannot fall behind `rules/`.
#[test]
fn readme_rule_table_lists_every_rule() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    for rule in mfalint::rules::all() {
        let row = readme
            .lines()
            .find(|l| l.starts_with(&format!("| {} |", rule.meta.id)))
            .unwrap_or_else(|| panic!("README's rule table has no row for {}", rule.meta.id));
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        assert_eq!(cells[2], rule.meta.name, "{row}");
        assert!(cells[3].starts_with(rule.meta.severity.as_str()), "{row}");
    }
}

/// A plan named on the command line reports its resources where the
/// scanned configuration declares them (the plan's folder is read with
/// it), and at the plan entry when its module's folder was not read.
#[test]
fn a_named_plan_points_at_its_configuration_when_scanned() {
    let case = fixture("plan_json_with_source");
    let output = mfalint(
        &["scan", "--format", "compact", &format!("{case}/plan.json")],
        &root(),
    );
    let text = stdout(&output);
    let places: Vec<&str> = text
        .lines()
        .map(|l| l.split(": ").next().unwrap_or_default())
        .collect();
    assert_eq!(
        places,
        [
            format!("{case}/main.tf:3:1"),
            format!("{case}/plan.json:14:14"),
        ],
        "{text}"
    );
}

/// `file()` follows a link only to a file inside the scanned folders: a
/// link that leads out of the scan is not read, and says so.
#[cfg(unix)]
#[test]
fn file_function_does_not_follow_links_out_of_the_scan() {
    let outside = tempfile::tempdir().expect("temp dir");
    let scanned = tempfile::tempdir().expect("temp dir");
    std::fs::write(outside.path().join("name.txt"), "alice").expect("write");
    std::os::unix::fs::symlink(
        outside.path().join("name.txt"),
        scanned.path().join("name.txt"),
    )
    .expect("symlink");
    std::fs::write(
        scanned.path().join("main.tf"),
        "resource \"aws_iam_user_login_profile\" \"x\" {\n  user = file(\"name.txt\")\n}\n",
    )
    .expect("write");
    let output = mfalint(&["scan", "--format", "compact", "."], scanned.path());
    let text = stdout(&output);
    assert!(
        text.contains("`name.txt` is outside the scanned folders"),
        "{text}"
    );
    // Copied inside, the same file is read and names the user.
    std::fs::remove_file(scanned.path().join("name.txt")).expect("remove");
    std::fs::write(scanned.path().join("name.txt"), "alice").expect("write");
    let text = stdout(&mfalint(
        &["scan", "--format", "compact", "."],
        scanned.path(),
    ));
    assert!(text.contains("IAM user `alice`"), "{text}");
}

/// `mfalint ... | head`: the reader goes away, the write fails with a
/// broken pipe, and mfalint stops quietly with 0 (as README says), no
/// panic message. The output is larger than a pipe's buffer, so the write
/// meets the closed pipe whichever process runs first.
#[test]
fn a_closed_output_pipe_exits_quietly() {
    use std::process::Stdio;
    let dir = tempfile::tempdir().expect("temp dir");
    let users: String = (0..2_000)
        .map(|i| {
            format!("resource \"aws_iam_user_login_profile\" \"u{i}\" {{\n  user = \"u{i}\"\n}}\n")
        })
        .collect();
    std::fs::write(dir.path().join("users.tf"), users).expect("write");
    let mut child = Command::new(env!("CARGO_BIN_EXE_mfalint"))
        .args(["scan", "--format", "compact", "."])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("mfalint runs");
    drop(child.stdout.take());
    let output = child.wait_with_output().expect("mfalint ends");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "stderr: {stderr}");
    assert!(stderr.is_empty(), "stderr: {stderr}");
}

/// Pre-commit names only the changed files, and only their folders are
/// scanned. Exceptions for findings in a sibling file, or configured for a
/// resource in a folder not scanned, are not "unused": no MFA902 and no
/// warning. A scan of everything still reports the truly unused one.
#[test]
fn exceptions_outside_the_named_files_are_not_called_unused() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("infra")).unwrap();
    std::fs::create_dir_all(root.join("elsewhere")).unwrap();
    let write = |path: &str, text: &str| std::fs::write(root.join(path), text).unwrap();
    write(
        "infra/users.tf",
        "resource \"aws_iam_user\" \"alice\" {\n  name = \"alice\"\n}\n",
    );
    write(
        "infra/console.tf",
        "resource \"aws_iam_user_login_profile\" \"alice\" {\n  user = aws_iam_user.alice.name\n}\n",
    );
    write(
        "infra/other.tf",
        "# mfalint:ignore MFA001 reason=\"break-glass\" until=2099-01-01\n\
         resource \"aws_iam_user_login_profile\" \"bob\" {\n  user = \"bob\"\n}\n\
         resource \"aws_iam_user\" \"carol\" {\n  name = \"carol\"\n}\n\
         resource \"aws_iam_user_login_profile\" \"carol\" {\n  user = aws_iam_user.carol.name\n}\n",
    );
    write(
        "elsewhere/main.tf",
        "resource \"aws_iam_user\" \"dave\" {\n  name = \"dave\"\n}\n",
    );
    write(
        ".mfalint.toml",
        "[[exceptions]]\nrule = \"MFA001\"\naddress = \"aws_iam_user.carol\"\nreason = \"vendor\"\n\
         [[exceptions]]\nrule = \"MFA001\"\naddress = \"aws_iam_user.dave\"\nreason = \"left\"\n",
    );

    let named = mfalint(&["scan", "-f", "compact", "infra/console.tf"], root);
    let text = stdout(&named);
    let stderr = String::from_utf8_lossy(&named.stderr);
    assert_eq!(
        text.lines().collect::<Vec<_>>(),
        [
            "infra/users.tf:1:1: error: [MFA001] IAM user `alice` (`aws_iam_user.alice`) can sign in to the AWS console with a password (`aws_iam_user_login_profile.alice`) but no virtual MFA device is declared for it and no policy that applies to it denies access without MFA"
        ],
        "stderr: {stderr}"
    );
    assert!(stderr.is_empty(), "{stderr}");

    let everything = mfalint(&["scan", "-f", "compact", "."], root);
    let text = stdout(&everything);
    let stderr = String::from_utf8_lossy(&everything.stderr);
    assert!(!text.contains("MFA902"), "{text}");
    assert!(!text.contains("carol") && !text.contains("bob"), "{text}");
    assert!(
        stderr.contains("exception for MFA001 on `aws_iam_user.dave` excuses no finding"),
        "{stderr}"
    );
    assert!(!stderr.contains("carol"), "{stderr}");
}

/// The one finding a compact scan of `dir` gives (exit status 1), or a
/// failure showing all of them.
fn the_only_finding(dir: &Path) -> String {
    let out = mfalint(&["scan", "-f", "compact", "."], dir);
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 1, "{text}");
    assert_eq!(out.status.code(), Some(1));
    text.trim_end().to_string()
}

/// A large, legitimate configuration: 3,000 users in one local map, each
/// read through `local.users[each.key]` by four resources. It must stay
/// well inside the evaluation bounds (every user resolved, the one
/// without a device reported by name) rather than end in "evaluation
/// stopped" unknowns.
#[test]
fn thousands_of_users_in_one_map_stay_inside_the_evaluation_bounds() {
    let dir = tempfile::tempdir().unwrap();
    let users: String = (0..3_000)
        .map(|i| format!("    u{i} = {{ name = \"user{i}\", groups = [\"dev\"] }}\n"))
        .collect();
    let text = format!(
        "locals {{\n  users = {{\n{users}  }}\n  with_device = {{ for k, v in local.users : k => v if k != \"u1234\" }}\n}}\n\
         resource \"aws_iam_user\" \"this\" {{\n  for_each = local.users\n  name     = local.users[each.key].name\n}}\n\
         resource \"aws_iam_user_login_profile\" \"this\" {{\n  for_each = local.users\n  user     = aws_iam_user.this[each.key].name\n}}\n\
         resource \"aws_iam_virtual_mfa_device\" \"this\" {{\n  for_each                = local.with_device\n  virtual_mfa_device_name = local.users[each.key].name\n}}\n\
         resource \"aws_iam_user_group_membership\" \"this\" {{\n  for_each = local.users\n  user     = aws_iam_user.this[each.key].name\n  groups   = local.users[each.key].groups\n}}\n"
    );
    std::fs::write(dir.path().join("main.tf"), text).unwrap();
    let only = the_only_finding(dir.path());
    assert!(
        only.contains("IAM user `user1234` (`aws_iam_user.this[\"u1234\"]`)"),
        "{only}"
    );
}

/// The same users through a module called once per user, each call also
/// given the whole map (a common way to look up a user's manager or
/// groups). The map is shared with every call, not copied into each: a
/// copy per call exhausted the evaluation bounds at 3,000 users.
#[test]
fn a_module_called_per_user_with_the_whole_map_stays_inside_the_bounds() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("user")).unwrap();
    let users: String = (0..3_000)
        .map(|i| format!("    u{i} = {{ name = \"user{i}\", mfa = {} }}\n", i != 42))
        .collect();
    let root = format!(
        "locals {{\n  users = {{\n{users}  }}\n}}\n\
         module \"user\" {{\n  for_each = local.users\n  source   = \"./user\"\n  key      = each.key\n  all      = local.users\n}}\n"
    );
    std::fs::write(dir.path().join("main.tf"), root).unwrap();
    std::fs::write(
        dir.path().join("user/main.tf"),
        "variable \"key\" {}\nvariable \"all\" {}\n\
         resource \"aws_iam_user\" \"this\" {\n  name = var.all[var.key].name\n}\n\
         resource \"aws_iam_user_login_profile\" \"this\" {\n  user = aws_iam_user.this.name\n}\n\
         resource \"aws_iam_virtual_mfa_device\" \"this\" {\n  count                   = var.all[var.key].mfa ? 1 : 0\n  virtual_mfa_device_name = aws_iam_user.this.name\n}\n",
    )
    .unwrap();
    let only = the_only_finding(dir.path());
    assert!(
        only.contains("IAM user `user42` (`module.user[\"u42\"].aws_iam_user.this`)"),
        "{only}"
    );
}

/// Devices named through a map built from the users themselves
/// (`{for k, u in aws_iam_user.this : k => u.name}`), read once per
/// device. Each read refers to every user; those references are shared,
/// not copied per read (3,000 users took 14 s and 2 GB when they were).
#[test]
fn a_map_of_user_names_read_per_device_links_each_device_to_its_user() {
    let dir = tempfile::tempdir().unwrap();
    let users: String = (0..3_000)
        .map(|i| format!("    u{i} = \"user{i}\"\n"))
        .collect();
    let text = format!(
        "locals {{\n  users = {{\n{users}  }}\n  names = {{ for k, u in aws_iam_user.this : k => u.name }}\n}}\n\
         resource \"aws_iam_user\" \"this\" {{\n  for_each = local.users\n  name     = each.value\n}}\n\
         resource \"aws_iam_user_login_profile\" \"this\" {{\n  for_each = local.users\n  user     = local.names[each.key]\n}}\n\
         resource \"aws_iam_virtual_mfa_device\" \"this\" {{\n  for_each                = {{ for k, v in local.users : k => v if k != \"u7\" }}\n  virtual_mfa_device_name = local.names[each.key]\n}}\n"
    );
    std::fs::write(dir.path().join("main.tf"), text).unwrap();
    let only = the_only_finding(dir.path());
    assert!(
        only.contains("IAM user `user7` (`aws_iam_user.this[\"u7\"]`)"),
        "{only}"
    );
}

fn git(args: &[&str], cwd: &Path) {
    let status = Command::new("git")
        .args(args)
        .current_dir(cwd)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

/// Writes files under `root`, making their folders.
fn write(root: &Path, path: &str, text: &str) {
    let full = root.join(path);
    std::fs::create_dir_all(full.parent().unwrap()).unwrap();
    std::fs::write(full, text).unwrap();
}

/// A module that gives a console password to the user it is named for.
const USER_MODULE: &str = "variable \"name\" {}\nresource \"aws_iam_user\" \"this\" {\n  name = var.name\n}\nresource \"aws_iam_user_login_profile\" \"this\" {\n  user = aws_iam_user.this.name\n}\n";

/// The official SARIF 2.1.0 schema, compiled.
fn sarif_validator() -> jsonschema::Validator {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("testdata/sarif-schema-2.1.0.json")).unwrap(),
    )
    .unwrap();
    jsonschema::validator_for(&schema).expect("schema compiles")
}

/// `--changed --base REF`: what a pull request changes reaches the root
/// modules that call a changed module and read a changed data file, and
/// only those; old findings elsewhere are not reported.
#[test]
fn changed_since_a_base_reaches_callers_and_file_inputs_only() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let write = |path: &str, text: &str| write(d, path, text);
    write(
        "modules/user/main.tf",
        "variable \"name\" {}\nresource \"aws_iam_user\" \"this\" {\n  name = var.name\n}\nresource \"aws_iam_virtual_mfa_device\" \"this\" {\n  virtual_mfa_device_name = var.name\n}\nresource \"aws_iam_user_login_profile\" \"this\" {\n  user = aws_iam_user.this.name\n}\n",
    );
    write(
        "prod/main.tf",
        "module \"alice\" {\n  source = \"../modules/user\"\n  name   = \"alice\"\n}\n",
    );
    write(
        "people/main.tf",
        "locals {\n  people = csvdecode(file(\"${path.module}/data/people.csv\"))\n}\nresource \"aws_iam_user\" \"p\" {\n  for_each = { for p in local.people : p.name => p }\n  name     = each.key\n}\nresource \"aws_iam_user_login_profile\" \"p\" {\n  for_each = { for p in local.people : p.name => p if p.mfa == \"yes\" }\n  user     = aws_iam_user.p[each.key].name\n}\n",
    );
    write("people/data/people.csv", "name,mfa\nbob,no\n");
    write("legacy/main.tf", LOGIN_PROFILE_X);
    git(&["init", "--quiet", "--initial-branch=main"], d);
    git(&["add", "-A"], d);
    git(&["commit", "--quiet", "-m", "start"], d);
    git(&["checkout", "--quiet", "-b", "change"], d);
    // The module loses its device; people.csv gives bob a console password.
    write("modules/user/main.tf", USER_MODULE);
    write("people/data/people.csv", "name,mfa\nbob,yes\n");
    git(&["commit", "--quiet", "-am", "change"], d);

    let out = mfalint(
        &["scan", "--changed", "--base", "main", "--format", "compact"],
        d,
    );
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert_eq!(lines.len(), 2, "{text}");
    assert!(
        lines[0].starts_with("modules/user/main.tf:2:1: error: [MFA001] IAM user `alice` (`module.alice.aws_iam_user.this`, root module `prod`)"),
        "{text}"
    );
    assert!(
        lines[1].starts_with("people/main.tf:4:1: error: [MFA001] IAM user `bob`"),
        "{text}"
    );
    // The full scan also has the old finding in legacy/.
    let all = mfalint(&["scan", "--format", "compact"], d);
    assert_eq!(stdout(&all).lines().count(), 3, "{}", stdout(&all));
    // Nothing changed since the branch itself: nothing is reached.
    let none = mfalint(&["scan", "--changed", "--base", "change"], d);
    assert_eq!(none.status.code(), Some(0), "{}", stdout(&none));
    // Outside a git repository, --changed is a usage error.
    let outside = tempfile::tempdir().unwrap();
    let refused = mfalint(&["scan", "--changed"], outside.path());
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("git"));
}

/// SARIF from a subfolder of a repository: URIs are relative to the
/// repository root (`%SRCROOT%`), never `../`, and the run has a category;
/// `--sarif-root` overrides the root. Checked against the official schema.
#[test]
fn sarif_uris_are_relative_to_the_repository_root_from_any_folder() {
    let validator = sarif_validator();
    let dir = tempfile::tempdir().unwrap();
    let repo = std::fs::canonicalize(dir.path()).unwrap();
    let prod = repo.join("infra/prod");
    write(&repo, "modules/user/main.tf", USER_MODULE);
    write(
        &repo,
        "infra/prod/main.tf",
        "module \"alice\" {\n  source = \"../../modules/user\"\n  name   = \"alice\"\n}\n",
    );
    git(&["init", "--quiet"], &repo);

    // From infra/prod, scanning the repository with `../..`.
    let out = mfalint(&["scan", "../..", "--format", "sarif"], &prod);
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "schema violations: {errors:#?}");
    let run = &sarif["runs"][0];
    assert_eq!(
        run["originalUriBaseIds"]["%SRCROOT%"]["uri"],
        format!("file://{}/", repo.display())
    );
    assert_eq!(run["automationDetails"]["id"], "mfalint/../..");
    let result = &run["results"][0];
    let artifact = &result["locations"][0]["physicalLocation"]["artifactLocation"];
    assert_eq!(artifact["uri"], "modules/user/main.tf", "{result}");
    assert_eq!(artifact["uriBaseId"], "%SRCROOT%");
    let related: Vec<&str> = result["relatedLocations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            l["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert!(
        related.contains(&"infra/prod/main.tf"),
        "the module call: {related:?}"
    );
    let text = stdout(&out);
    assert!(!text.contains("\"../"), "no URI climbs out of the root");

    // --sarif-root and --sarif-category.
    let out = mfalint(
        &[
            "scan",
            "../..",
            "--format",
            "sarif",
            "--sarif-root",
            "..",
            "--sarif-category",
            "iam/prod",
        ],
        &prod,
    );
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let run = &sarif["runs"][0];
    assert_eq!(run["automationDetails"]["id"], "iam/prod");
    let uris: Vec<&str> = run["results"][0]["relatedLocations"]
        .as_array()
        .unwrap()
        .iter()
        .chain(run["results"][0]["locations"].as_array().unwrap())
        .map(|l| {
            l["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert!(uris.contains(&"prod/main.tf"), "{uris:?}");
    // The module lies outside the given root: named by its absolute URI.
    assert!(
        uris.contains(&format!("file://{}/modules/user/main.tf", repo.display()).as_str()),
        "{uris:?}"
    );
}

/// A mistyped sub-command is a usage error naming the closest command, not
/// a scan of a path that does not exist; a folder named like a command is
/// still scanned.
#[test]
fn a_mistyped_command_suggests_the_closest() {
    let out = mfalint(&["expain", "MFA001"], &root());
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("did you mean `explain`?"), "{stderr}");
    assert!(stdout(&out).is_empty());
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("rulse")).unwrap();
    std::fs::write(dir.path().join("rulse/main.tf"), LOGIN_PROFILE_X).unwrap();
    let scanned = mfalint(&["rulse", "--format", "compact"], dir.path());
    assert_eq!(scanned.status.code(), Some(1), "{}", stdout(&scanned));
    let help = mfalint(&["--help"], &root());
    let help = stdout(&help);
    for name in [
        "human",
        "compact",
        "json",
        "sarif",
        "github",
        "CloudFormation",
        "credential reports",
        "plan JSON",
    ] {
        assert!(help.contains(name), "--help lacks {name}: {help}");
    }
}

/// One scan, several reports: FORMAT=PATH outputs, `-` for standard output,
/// a bare path's format from its extension, and refusals for a path whose
/// format cannot be told or two reports on standard output.
#[test]
fn one_scan_writes_several_reports() {
    let dir = tempfile::tempdir().unwrap();
    let sarif = dir.path().join("out.sarif");
    let json = dir.path().join("report.json");
    let out = mfalint(
        &[
            "scan",
            &fixture("cross_file"),
            "--output",
            &format!("sarif={}", sarif.display()),
            "-o",
            json.to_str().unwrap(),
            "--output",
            "github=-",
        ],
        &root(),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).starts_with("::error file="),
        "{}",
        stdout(&out)
    );
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 1);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(json["summary"]["findings"], 1);

    let unknown = mfalint(
        &["scan", &fixture("cross_file"), "-o", "report.txt"],
        &root(),
    );
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("cannot tell the format"));
    assert!(!root().join("report.txt").exists());
    let both = mfalint(
        &[
            "scan",
            &fixture("cross_file"),
            "-o",
            "json=-",
            "-o",
            "compact=-",
        ],
        &root(),
    );
    assert_eq!(both.status.code(), Some(2));
    assert!(stdout(&both).is_empty());
}

/// An exception whose reason is a placeholder excuses nothing: it is
/// invalid (MFA901) and the finding stays, in a comment and in
/// .mfalint.toml alike.
#[test]
fn placeholder_reasons_excuse_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        format!("# mfalint:ignore MFA001 reason=\"TODO: explain\"\n{LOGIN_PROFILE_X}"),
    )
    .unwrap();
    let out = mfalint(&["scan", ".", "--format", "compact"], dir.path());
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("[MFA001]"), "the finding stays: {text}");
    assert!(
        text.contains("[MFA901]") && text.contains("is a placeholder"),
        "{text}"
    );
    // A real reason excuses it.
    std::fs::write(
        dir.path().join("main.tf"),
        format!("# mfalint:ignore MFA001 reason=\"service account, console disabled by SCP\"\n{LOGIN_PROFILE_X}"),
    )
    .unwrap();
    let out = mfalint(&["scan", ".", "--format", "compact"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    // In .mfalint.toml, a placeholder is a settings error.
    std::fs::write(dir.path().join("main.tf"), LOGIN_PROFILE_X).unwrap();
    std::fs::write(
        dir.path().join(".mfalint.toml"),
        "[[exceptions]]\nrule = \"MFA001\"\naddress = \"aws_iam_user_login_profile.x\"\nreason = \"tbd\"\n",
    )
    .unwrap();
    let out = mfalint(&["scan", "."], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("placeholder"));
}

/// `--changed` judges what the commit records, however the work tree and
/// git are set up: a device dropped from the index but left on disk, a
/// user's `diff.relative`, a repository reached through a link, a change
/// to `.gitignore`, and nothing staged (`pre-commit run --all-files`).
#[test]
fn changed_judges_what_the_commit_records() {
    let dir = tempfile::tempdir().unwrap();
    let repo = std::fs::canonicalize(dir.path()).unwrap().join("repo");
    write(
        &repo,
        "infra/main.tf",
        "resource \"aws_iam_user\" \"alice\" {\n  name = \"alice\"\n}\nresource \"aws_iam_user_login_profile\" \"alice\" {\n  user = aws_iam_user.alice.name\n}\n",
    );
    write(
        &repo,
        "infra/mfa.tf",
        "resource \"aws_iam_virtual_mfa_device\" \"alice\" {\n  virtual_mfa_device_name = \"alice\"\n}\n",
    );
    git(&["init", "--quiet"], &repo);
    git(&["add", "-A"], &repo);
    git(&["commit", "--quiet", "-m", "start"], &repo);
    let refused = |args: &[&str], cwd: &Path, what: &str| {
        let out = mfalint(args, cwd);
        assert_eq!(out.status.code(), Some(1), "{what}: {}", stdout(&out));
        assert!(stdout(&out).contains("IAM user `alice`"), "{what}");
    };
    let changed = ["scan", "--changed", "--format", "compact"];

    // Nothing staged: everything is reported, and alice has her device.
    let clean = mfalint(&changed, &repo);
    assert_eq!(clean.status.code(), Some(0), "{}", stdout(&clean));

    // The device leaves the commit but stays on disk, untracked.
    git(&["rm", "--quiet", "--cached", "infra/mfa.tf"], &repo);
    refused(&changed, &repo, "git rm --cached");
    // Seen from a subfolder with diff.relative, and through a link.
    git(&["config", "diff.relative", "true"], &repo);
    let mut in_infra = changed.to_vec();
    in_infra.push("infra");
    refused(&in_infra, &repo, "diff.relative");
    let link = dir.path().join("link");
    std::os::unix::fs::symlink(&repo, &link).unwrap();
    refused(&changed, &link, "through a link");
    git(&["reset", "--quiet"], &repo);

    // An ignore file that hides the device reaches the module.
    std::fs::write(repo.join(".gitignore"), "infra/mfa.tf\n").unwrap();
    git(&["add", ".gitignore"], &repo);
    refused(&changed, &repo, ".gitignore");
}

/// OpenTofu reads `main.tofu` instead of `main.tf`: a folder scan reports
/// what `main.tofu` declares and nothing of `main.tf`, and naming
/// `main.tf` (as a pre-commit hook does) says why nothing is reported.
#[test]
fn a_tofu_file_replaces_its_tf_twin() {
    let folder = mfalint(
        &[
            &fixture("tofu_replaces_tf"),
            "--format",
            "compact",
            "--no-config",
        ],
        &root(),
    );
    let out = stdout(&folder);
    assert!(
        out.contains("main.tofu:1:1:") && out.contains("other.tf:2:1:"),
        "{out}"
    );
    assert!(!out.contains("legacy"), "{out}");
    let named = mfalint(
        &[
            &format!("{}/main.tf", fixture("tofu_replaces_tf")),
            "--format",
            "compact",
            "--no-config",
        ],
        &root(),
    );
    assert_eq!(named.status.code(), Some(0));
    assert!(stdout(&named).is_empty(), "{}", stdout(&named));
    let stderr = String::from_utf8_lossy(&named.stderr);
    assert!(
        stderr.contains("main.tf:1:1: warning: [input] not read: `main.tofu`, in the same folder, is read in its place"),
        "{stderr}"
    );
}

/// The allocator options that keep peak memory near what a scan holds
/// (src/main.rs: freed memory handed back after 1 ms, arenas committed on
/// use) take effect: they are set by an ELF constructor, which only works
/// if the linker runs it before mimalloc initialises. mimalloc prints its
/// options when asked to be verbose.
#[cfg(target_os = "linux")]
#[test]
fn the_allocator_returns_freed_memory_within_a_millisecond() {
    let out = Command::new(env!("CARGO_BIN_EXE_mfalint"))
        .arg("rules")
        .env("MIMALLOC_VERBOSE", "1")
        .output()
        .expect("mfalint runs");
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Whole lines (mimalloc writes the value, a space and its unit): the
    // defaults, 10 and 1000, begin with the digit 1 too.
    let lines: Vec<&str> = stderr.lines().map(str::trim_end).collect();
    for option in ["option 'purge_delay': 1", "option 'arena_eager_commit': 0"] {
        assert!(lines.contains(&option), "{option} not in:\n{stderr}");
    }
}
