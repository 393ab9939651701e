//! `mfalint inventory`, run as a user runs it: the JSON and CSV of a
//! multi-service tree compared exactly with a hand-written expectation
//! (`testdata/inventory/multi_service/expected.csv`, judged by reading
//! the code), Markdown's shape and escaping, and `--fail-on`.

use std::path::Path;
use std::process::Command;

const CASE: &str = "testdata/inventory/multi_service";

/// Days from 1970-01-01 to 2099-12-31, the fixture's exception expiry
/// (computed apart: `(date(2099,12,31) - date(1970,1,1)).days`).
const EXPIRY_DAYS: i64 = 47_481;

fn mfalint(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_mfalint"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("mfalint runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).expect("UTF-8"),
        String::from_utf8(out.stderr).expect("UTF-8"),
    )
}

/// The columns `expected.csv` fixes, in its order.
const COLUMNS: &[&str] = &[
    "service",
    "identity",
    "address",
    "path",
    "line",
    "column",
    "access",
    "status",
    "exception_reason",
    "exception_until",
    "rules",
];

/// RFC 4180 records (quoted cells with `""`, CRLF or LF line ends).
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            '"' => quoted = !quoted,
            ',' if !quoted => record.push(std::mem::take(&mut cell)),
            '\r' if !quoted => {}
            '\n' if !quoted => {
                record.push(std::mem::take(&mut cell));
                records.push(std::mem::take(&mut record));
            }
            c => cell.push(c),
        }
    }
    assert!(
        !quoted && cell.is_empty() && record.is_empty(),
        "ends a record"
    );
    records
}

/// Records as maps from header names, projected on [`COLUMNS`], paths
/// made relative to the case.
fn projected(records: Vec<Vec<String>>) -> Vec<Vec<String>> {
    let header = &records[0];
    let index = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("column {name}"))
    };
    records[1..]
        .iter()
        .map(|r| {
            COLUMNS
                .iter()
                .map(|c| {
                    let v = r[index(c)].clone();
                    if *c == "path" {
                        v.strip_prefix(&format!("{CASE}/"))
                            .unwrap_or(&v)
                            .to_string()
                    } else {
                        v
                    }
                })
                .collect()
        })
        .collect()
}

fn expected() -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(CASE)
            .join("expected.csv"),
    )
    .expect("expected.csv");
    projected(parse_csv(&text))
}

fn today_days() -> i64 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs();
    (secs / 86_400) as i64
}

#[test]
fn json_lists_every_identity_with_its_status() {
    let (code, out, err) = mfalint(&["inventory", "--format", "json", "--no-config", CASE]);
    assert_eq!(code, 0, "no --fail-on, no input error: {err}");
    let doc: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(doc["version"], 1);
    let rows: Vec<Vec<String>> = doc["identities"]
        .as_array()
        .expect("identities")
        .iter()
        .map(|i| {
            let exception = &i["exception"];
            let text = |v: &serde_json::Value| v.as_str().unwrap_or("").to_string();
            vec![
                text(&i["service"]),
                text(&i["identity"]),
                text(&i["address"]),
                text(&i["location"]["path"])
                    .strip_prefix(&format!("{CASE}/"))
                    .expect("in the case")
                    .to_string(),
                i["location"]["line"].to_string(),
                i["location"]["column"].to_string(),
                text(&i["access"]),
                text(&i["status"]),
                text(&exception["reason"]),
                text(&exception["until"]),
                i["rules"]
                    .as_array()
                    .expect("rules")
                    .iter()
                    .map(text)
                    .collect::<Vec<_>>()
                    .join(" "),
            ]
        })
        .collect();
    assert_eq!(rows, expected());

    // Unknown says what could not be evaluated; excepted says for how long.
    let identities = doc["identities"].as_array().expect("identities");
    let find = |address: &str| {
        identities
            .iter()
            .find(|i| i["address"] == address)
            .unwrap_or_else(|| panic!("{address} listed"))
    };
    assert!(
        find("aws_iam_user.dave")["detail"]
            .as_str()
            .expect("detail")
            .contains("`var.dave_group`")
    );
    assert!(
        find("tfe_organization.acme")["detail"]
            .as_str()
            .expect("detail")
            .contains("`var.tfe_auth_policy`")
    );
    let excepted = &find("aws_iam_user.breakglass")["exception"];
    assert_eq!(excepted["days_left"], EXPIRY_DAYS - today_days());
    assert_eq!(excepted["location"]["line"], 59, "the comment's line");
    // The enforcing policy is the evidence, with its location.
    let alice = find("aws_iam_user.alice");
    assert!(
        alice["detail"]
            .as_str()
            .unwrap()
            .contains("aws_iam_group_policy.force_mfa")
    );
    assert_eq!(alice["evidence"][0]["location"]["line"], 21);

    // The summary counts each service's statuses.
    let aws = &doc["services"][0];
    assert_eq!(aws["service"], "AWS IAM");
    assert_eq!(aws["total"], 9);
    let counts = &aws["counts"];
    let expected_counts = [
        ("enforced", 1),
        ("service-required", 0),
        ("device", 3),
        ("evidence", 0),
        ("excepted", 1),
        ("none", 3),
        ("unknown", 1),
    ];
    for (status, n) in expected_counts {
        assert_eq!(counts[status], n, "{status}");
    }
}

#[test]
fn csv_is_the_same_inventory() {
    let (code, out, err) = mfalint(&["inventory", "-f", "csv", "--no-config", CASE]);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.split('\n').collect();
    assert_eq!(lines.last(), Some(&""), "ends with a line break");
    assert!(
        lines[..lines.len() - 1].iter().all(|l| l.ends_with('\r')),
        "CRLF records (RFC 4180)"
    );
    let records = parse_csv(&out);
    assert!(records.iter().all(|r| r.len() == records[0].len()));
    assert_eq!(projected(records.clone()), expected());
    let days = records[0]
        .iter()
        .position(|h| h == "exception_days_left")
        .expect("column");
    let breakglass = records
        .iter()
        .find(|r| r[2] == "aws_iam_user.breakglass")
        .expect("listed");
    assert_eq!(breakglass[days], (EXPIRY_DAYS - today_days()).to_string());
}

#[test]
fn markdown_has_a_summary_and_a_table_per_service() {
    let (code, out, _) = mfalint(&["inventory", "--no-config", CASE]);
    assert_eq!(code, 0);
    assert!(out.starts_with("# MFA inventory\n\n| Service | Identities | enforced |"));
    assert!(
        out.contains("| AWS IAM | 9 | 1 | 0 | 3 | 0 | 1 | 3 | 1 |\n"),
        "{out}"
    );
    for heading in ["## AWS IAM", "## GitLab", "## HCP Terraform", "## Okta"] {
        assert!(out.contains(&format!("\n{heading}\n")), "{heading}");
    }
    assert!(out.contains("| `carol` | password | **none** |"), "{out}");
    assert!(
        out.contains("| `testdata/inventory/multi_service/aws.tf:50:1` | `aws_iam_user.carol` |"),
        "{out}"
    );
    assert!(
        out.contains("| `breakglass` | password | excepted | excepted until 2099\\-12\\-31 \\("),
        "{out}"
    );
}

#[test]
fn fail_on_makes_none_or_unknown_fail_the_run() {
    for flag in ["none", "unknown", "none,unknown"] {
        let (code, _, _) = mfalint(&["inventory", "--no-config", "--fail-on", flag, CASE]);
        assert_eq!(code, 1, "--fail-on {flag}");
    }
    let all_required = "testdata/inventory/all_required";
    let (code, out, _) = mfalint(&[
        "inventory",
        "--no-config",
        "--fail-on",
        "none,unknown",
        "-f",
        "csv",
        all_required,
    ]);
    assert_eq!(code, 0, "everyone is required to use MFA");
    assert_eq!(parse_csv(&out).len(), 3, "a header and two settings");
    let (code, _, err) = mfalint(&["inventory", "--no-config", "no/such/folder"]);
    assert_eq!(code, 2, "an unreadable input: {err}");
}

/// `inventory` reads its input as `scan` does, limits included: one set
/// of flags (`cli::InputArgs`) serves both.
#[test]
fn the_input_flags_and_limits_are_those_of_scan() {
    let (code, _, err) = mfalint(&["inventory", "--no-config", "--max-file-size", "0", CASE]);
    assert_eq!(code, 2, "an impossible limit is a usage error: {err}");
    assert!(err.contains("--max-file-size 0"), "{err}");
    let (code, _, err) = mfalint(&[
        "inventory",
        "--no-config",
        "--max-file-size",
        "10",
        "-f",
        "csv",
        CASE,
    ]);
    assert_eq!(code, 2, "files over the limit are input errors: {err}");
    assert!(err.contains("over the 10-byte limit"), "{err}");
    let csv = |extra: &[&str]| {
        let mut args = vec!["inventory", "--no-config", "-f", "csv"];
        args.extend_from_slice(extra);
        args.push(CASE);
        mfalint(&args).1
    };
    assert_eq!(csv(&["--parse-all", "-j", "1"]), csv(&[]));
}

#[test]
fn names_cannot_forge_markdown_or_csv() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("main.tf"),
        "resource \"aws_iam_user\" \"u\" {\n  name = \"=HYPERLINK(\\\"https://e.vil\\\") | [x](https://e.vil)\"\n}\nresource \"aws_iam_user_login_profile\" \"u\" {\n  user = aws_iam_user.u.name\n}\n",
    )
    .expect("written");
    let path = dir.path().to_str().expect("UTF-8 path");
    let (_, md, _) = mfalint(&["inventory", "--no-config", path]);
    assert!(
        // In a code span: no link, and the cell is not split.
        md.contains("| `=HYPERLINK(\"https://e.vil\") \\| [x](https://e.vil)` |"),
        "{md}"
    );
    let (_, csv, _) = mfalint(&["inventory", "--no-config", "-f", "csv", path]);
    let records = parse_csv(&csv);
    assert_eq!(
        records[1][1],
        "'=HYPERLINK(\"https://e.vil\") | [x](https://e.vil)"
    );
}

#[test]
fn external_evidence_satisfies_expires_and_stands_alone() {
    let case = "testdata/inventory/evidence";
    let (code, out, err) = mfalint(&["inventory", "-f", "csv", case]);
    assert_eq!(code, 0, "{err}");
    let records = parse_csv(&out);
    let column = |name: &str| {
        records[0]
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("{name}"))
    };
    let rows: Vec<(String, String, String, String, String)> = records[1..]
        .iter()
        .map(|r| {
            (
                r[column("service")].clone(),
                r[column("identity")].clone(),
                r[column("path")].clone(),
                r[column("access")].clone(),
                r[column("status")].clone(),
            )
        })
        .collect();
    let row = |service: &str, identity: &str, path: &str, access: &str, status: &str| {
        (
            service.to_string(),
            identity.to_string(),
            format!("{case}/{path}"),
            access.to_string(),
            status.to_string(),
        )
    };
    assert_eq!(
        rows,
        [
            row("AWS IAM", "hwkey", "main.tf", "password", "evidence"),
            row("AWS IAM", "lapsed", "main.tf", "password", "none"),
            row("GitHub", "acme", ".mfalint.toml", "external", "evidence"),
            row("GitHub", "acme-old", ".mfalint.toml", "external", "none"),
            row("GitHub", "renewed", ".mfalint.toml", "external", "evidence"),
        ]
    );
    // Expired and unused evidence are findings in the settings file,
    // which the inventory shows on standard error.
    for warning in [
        ".mfalint.toml:19:11: warning: [MFA900] the external evidence for `aws_iam_user.lapsed` (AWS IAM) expired on 2020-06-30",
        ".mfalint.toml:38:11: warning: [MFA900] the external evidence for `acme-old` (GitHub) expired on 2020-12-31",
        ".mfalint.toml:62:11: warning: [MFA902] the external evidence for `nobody` (AWS IAM) matches no finding",
    ] {
        assert!(
            err.contains(&format!("{case}/{warning}")),
            "{warning}: {err}"
        );
    }
    // A scan shows the finding as suppressed by the evidence (SARIF:
    // external), and the lapsed user's finding stands.
    let (code, out, _) = mfalint(&["scan", "-f", "json", case]);
    assert_eq!(code, 1);
    let doc: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let findings = doc["findings"].as_array().expect("findings");
    let rules: Vec<&str> = findings
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    // The renewed subject's old entry is history, not a finding.
    assert_eq!(rules, ["MFA900", "MFA900", "MFA902", "MFA001", "MFA001"]);
    assert_eq!(
        doc["summary"]["files_scanned"], 1,
        "the settings file is not scanned"
    );
    let hwkey = findings
        .iter()
        .find(|f| f["address"] == "aws_iam_user.hwkey")
        .expect("hwkey");
    assert!(
        hwkey["suppression"]["justification"]
            .as_str()
            .expect("suppressed")
            .starts_with("external evidence (hardware-key: https://tickets.example.com/SEC-1)")
    );
    let lapsed = findings
        .iter()
        .find(|f| f["address"] == "aws_iam_user.lapsed")
        .expect("lapsed");
    assert!(lapsed["suppression"].is_null());
}

#[test]
fn malformed_evidence_is_a_usage_error_naming_its_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join(".mfalint.toml"),
        "[[evidence]]\nservice = \"GitHub\"\nsubject = \"acme\"\nkind = \"rumour\"\nreference = \"x\"\nverified_by = \"J\"\nverified_on = \"2026-11-20\"\nexpires = \"2027-02-30\"\n",
    )
    .expect("written");
    let path = dir.path().to_str().expect("UTF-8");
    let (code, _, err) = mfalint(&["inventory", path]);
    assert_eq!(code, 2);
    assert!(
        err.contains(":4:") && err.contains("unknown evidence kind `rumour`"),
        "{err}"
    );
}

/// A GitHub organization whose 2FA requirement a check block or a
/// postcondition asserts is `service-required`; one asserted off is
/// `none`, one whose condition cannot be read `unknown`; one without an
/// assertion is not listed.
#[test]
fn asserted_github_requirements_are_listed() {
    let case = "testdata/rules/MFA033/assertions";
    let (code, out, err) = mfalint(&["inventory", "--no-config", "-f", "csv", case]);
    assert_eq!(code, 0, "{err}");
    let records = parse_csv(&out);
    let rows: Vec<(&str, &str)> = records[1..]
        .iter()
        .map(|r| (r[1].as_str(), r[7].as_str()))
        .collect();
    assert_eq!(
        rows,
        [
            ("acme", "service-required"),
            ("beta", "service-required"),
            ("gamma", "none"),
            ("delta", "unknown"),
            ("scoped", "service-required"),
            ("epsilon", "unknown"),
        ]
    );
}

/// Regressions a reviewer found: a disabled rule does not empty the
/// inventory; naming one file of a folder keeps the folder's exceptions;
/// Okta rules that let nobody in are not listed.
#[test]
fn the_inventory_lists_identities_whatever_the_selection() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join(".mfalint.toml"),
        "[rules]\ndisable = [\"MFA001\"]\n",
    )
    .expect("written");
    std::fs::write(
        dir.path().join("main.tf"),
        "resource \"aws_iam_user\" \"u\" {\n  name = \"u\"\n}\nresource \"aws_iam_user_login_profile\" \"u\" {\n  user = aws_iam_user.u.name\n}\n",
    )
    .expect("written");
    let path = dir.path().to_str().expect("UTF-8");
    let (code, out, err) = mfalint(&["inventory", "-f", "csv", "--fail-on", "none", path]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(err.contains("the inventory runs every rule"), "{err}");
    assert_eq!(parse_csv(&out)[1][7], "none");

    // One file named: the folder's identities, with its exception.
    let named = format!("{CASE}/services.tf");
    let (_, out, _) = mfalint(&["inventory", "--no-config", "-f", "csv", &named]);
    let records = parse_csv(&out);
    let breakglass = records
        .iter()
        .find(|r| r[2] == "aws_iam_user.breakglass")
        .expect("listed");
    assert_eq!(breakglass[7], "excepted");

    let (_, out, _) = mfalint(&[
        "inventory",
        "--no-config",
        "-f",
        "csv",
        "testdata/rules/MFA021/grouped_rules",
    ]);
    let rows: Vec<(String, String)> = parse_csv(&out)[1..]
        .iter()
        .map(|r| (r[1].clone(), r[7].clone()))
        .collect();
    assert_eq!(
        rows,
        [
            (
                "default two factors".to_string(),
                "service-required".to_string()
            ),
            ("one factor".to_string(), "none".to_string()),
        ]
    );
}

#[test]
fn a_service_named_almost_as_a_checked_one_is_an_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join(".mfalint.toml"),
        "[[evidence]]\nservice = \"AWS\"\nsubject = \"alice\"\nkind = \"attestation\"\nreference = \"x\"\nverified_by = \"J\"\nverified_on = \"2026-11-20\"\nexpires = \"2099-01-01\"\n",
    )
    .expect("written");
    let path = dir.path().to_str().expect("UTF-8");
    let (code, _, err) = mfalint(&["inventory", path]);
    assert_eq!(code, 2);
    assert!(
        err.contains(":2:11: unknown service `AWS`; did you mean `AWS IAM`?"),
        "{err}"
    );
}

/// Evidence is "unused" only when the scan sees every resource it may
/// name and no finding matches it, excused already or not.
#[test]
fn unused_evidence_is_judged_only_where_it_can_be() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    std::fs::create_dir_all(root.join("a")).unwrap();
    std::fs::create_dir_all(root.join("b")).unwrap();
    std::fs::write(
        root.join(".mfalint.toml"),
        "[[evidence]]\nservice = \"AWS IAM\"\nsubject = \"hwkey\"\nkind = \"hardware-key\"\nreference = \"x\"\nverified_by = \"J\"\nverified_on = \"2026-11-20\"\nexpires = \"2099-01-01\"\n\n[[evidence]]\nservice = \"AWS IAM\"\nsubject = \"noted\"\nkind = \"hardware-key\"\nreference = \"y\"\nverified_by = \"J\"\nverified_on = \"2026-11-20\"\nexpires = \"2099-01-01\"\n\n[[evidence]]\nservice = \"AWS IAM Identity Center\"\nsubject = \"acme\"\nkind = \"attestation\"\nreference = \"z\"\nverified_by = \"J\"\nverified_on = \"2026-11-20\"\nexpires = \"2099-01-01\"\n",
    )
    .unwrap();
    let user = |name: &str| {
        format!(
            "resource \"aws_iam_user\" \"{name}\" {{\n  name = \"{name}\"\n}}\nresource \"aws_iam_user_login_profile\" \"{name}\" {{\n  user = aws_iam_user.{name}.name\n}}\n"
        )
    };
    std::fs::write(root.join("a/main.tf"), user("hwkey")).unwrap();
    std::fs::write(
        root.join("b/main.tf"),
        format!(
            "# mfalint:ignore MFA001 reason=\"hardware key, tracked in SEC-2\"\n{}",
            user("noted")
        ),
    )
    .unwrap();
    let path = |p: &str| root.join(p).to_str().expect("UTF-8").to_string();
    // The whole project: both entries match (one finding already excused
    // by a comment); the Identity Center entry is a service of its own.
    let (code, out, err) = mfalint(&["scan", "-f", "compact", &path(".")]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(!out.contains("MFA902"), "{out}");
    // A subfolder: the other folder's user is not seen, nothing is unused.
    let (code, out, err) = mfalint(&["scan", "-f", "compact", &path("b")]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(!out.contains("MFA902"), "{out}");
    let (_, out, _) = mfalint(&["inventory", "-f", "csv", &path(".")]);
    let rows: Vec<(String, String)> = parse_csv(&out)[1..]
        .iter()
        .map(|r| (r[1].clone(), r[7].clone()))
        .collect();
    assert!(
        rows.contains(&("acme".to_string(), "evidence".to_string())),
        "{rows:?}"
    );
    assert!(
        rows.contains(&("hwkey".to_string(), "evidence".to_string())),
        "{rows:?}"
    );
}
