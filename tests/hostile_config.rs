//! Hostile input, round 2 (issue #20): configuration, baselines, limits,
//! exception dates, credential reports and names built to forge output.
//! Each case asserts the outcome as `tests/hostile.rs` does: a clear
//! diagnostic naming the file (and position where there is one) or a usage
//! error, never a panic, nothing raw on any output stream, and, where the
//! scan goes on, the good file beside the hostile one still reported.

use std::path::Path;
use std::process::{Command, Output};

/// A file whose finding proves the scan went on.
const GOOD: &str = "resource \"aws_iam_user_login_profile\" \"good\" {\n  user = \"good\"\n}\n";

/// The line the good file's finding gives in compact output.
const GOOD_LINE: &str = "good.tf:1:1: error: [MFA001]";

/// What forges output: a line break and a GitHub workflow command, a
/// terminal escape, and a right-to-left override (Trojan Source).
const FORGE: &str = "x\n::error::forged\u{1b}[31m\u{202e}";

fn mfalint(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mfalint"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("mfalint runs")
}

/// A folder holding the good file.
fn folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("good.tf"), GOOD).expect("write");
    dir
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Characters that must never reach an output raw: control characters
/// (C0 but the line feed, DEL, C1), bidirectional controls and invisible
/// characters.
fn is_hostile(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(
            c,
            '\u{061c}'
                | '\u{200b}'..='\u{200f}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
                | '\u{feff}'
        )
}

/// A text printed line by line (standard error, compact, human): nothing
/// raw, and no line that the Actions runner would take for a command.
fn assert_clean(what: &str, text: &str) {
    assert!(
        !text.chars().any(is_hostile),
        "{what}: a raw control, bidi or invisible character:\n{text:?}"
    );
    assert!(
        !text.lines().any(|l| l.trim_start().starts_with("::")),
        "{what}: a line the Actions runner reads as a workflow command:\n{text}"
    );
    assert!(!text.contains("panicked"), "{what}: a panic:\n{text}");
}

/// `FORGE` as a TOML basic string.
fn toml_forge() -> String {
    "\"x\\n::error::forged\\u001b[31m\\u202e\"".to_string()
}

/// Problem 6: strings from `.mfalint.toml` reached standard error raw. A
/// mistake is a usage error naming the file, line and column, its text
/// escaped; an unused exception is a warning and the scan goes on.
#[test]
fn config_text_is_escaped_on_standard_error() {
    let forge = toml_forge();
    let mistakes = [
        ("unknown key", format!("{forge} = 1\n"), ":1:1:"),
        (
            "unknown rule",
            format!("[rules]\nenable = [{forge}]\n"),
            ":2:11:",
        ),
        (
            "unknown severity rule",
            format!("[rules.severity]\n{forge} = \"error\"\n"),
            ".mfalint.toml",
        ),
        ("unknown format", format!("format = {forge}\n"), ":1:10:"),
        (
            "bad glob",
            format!("exclude = [\"ok/**\", {}]\n", forge.replace("x", "[x")),
            ":1:21:",
        ),
        (
            "exception for an unknown rule",
            format!("[[exceptions]]\nrule = {forge}\naddress = \"a\"\nreason = \"r\"\n"),
            ":2:8:",
        ),
    ];
    for (what, config, position) in mistakes {
        let dir = folder();
        std::fs::write(dir.path().join(".mfalint.toml"), &config).expect("write");
        let output = mfalint(&["scan", "--format", "compact", "."], dir.path());
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{what}: {err}");
        assert!(err.contains(position), "{what}: no {position} in {err}");
        assert!(err.contains("::error::forged"), "{what}: {err}");
        assert_eq!(err.lines().count(), 1, "{what}: {err}");
        assert_clean(what, &err);
    }

    // An exception that excuses nothing: a warning, and the scan goes on.
    let dir = folder();
    std::fs::write(
        dir.path().join(".mfalint.toml"),
        format!(
            "[[exceptions]]\nrule = \"MFA001\"\naddress = {}\nreason = \"kept for the audit\"\n",
            toml_forge()
        ),
    )
    .expect("write");
    let output = mfalint(&["scan", "--format", "compact", "."], dir.path());
    assert!(stdout(&output).contains(GOOD_LINE), "{}", stdout(&output));
    let err = stderr(&output);
    assert!(err.contains("excuses no finding"), "{err}");
    assert_clean("unused exception", &err);
}

/// Problem 6, the other standard error paths: files named on the command
/// line, input errors listed by `--write-baseline`, input warnings and
/// `--explain` notes (which start with a path), rule names.
#[cfg(unix)]
#[test]
fn every_standard_error_path_is_escaped() {
    let dir = folder();
    let named = |args: &[&str]| {
        let output = mfalint(args, dir.path());
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        // A `--var-file` that cannot be read is an input error, in the
        // report on standard output.
        let all = format!("{}{}", stdout(&output), stderr(&output));
        assert!(all.contains("::error::forged"), "{args:?}: {all}");
        assert_clean(&format!("{args:?}"), &all);
    };
    named(&["scan", "--baseline", FORGE, "."]);
    named(&["scan", "--config", FORGE, "."]);
    named(&["scan", "--enable", FORGE, "."]);
    named(&["scan", "--var-file", FORGE, "."]);
    named(&["explain", FORGE]);

    // A broken credential report named to forge, listed by --write-baseline.
    std::fs::write(
        dir.path().join(format!("{FORGE}.csv")),
        "user,arn,password_enabled\nbob,x,true\n",
    )
    .expect("write");
    // A YAML file whose name starts a workflow command, with a duplicate
    // key (an input warning, printed on standard error, path first).
    std::fs::write(
        dir.path().join("::error::dup.yaml"),
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  U:\n    Type: AWS::IAM::Group\n  U:\n    Type: AWS::IAM::Group\n",
    )
    .expect("write");
    let output = mfalint(&["scan", "--write-baseline", "b.json", "."], dir.path());
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(err.contains("::error::forged"), "{err}");
    assert_clean("--write-baseline", &err);
    let output = mfalint(&["scan", "--format", "compact", "."], dir.path());
    assert!(stdout(&output).contains(GOOD_LINE), "{}", stdout(&output));
    let err = stderr(&output);
    assert!(err.contains("dup.yaml:5:3: warning: [input]"), "{err}");
    assert_clean("input warnings", &err);
    assert_clean("compact", &stdout(&output));

    // `--explain` notes start with the path of a user that passes.
    let passing = dir.path().join("::error::ok");
    std::fs::create_dir(&passing).expect("mkdir");
    std::fs::write(
        passing.join("main.tf"),
        std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("testdata/rules/MFA001/device_by_template/main.tf"),
        )
        .expect("fixture"),
    )
    .expect("write");
    let output = mfalint(&["scan", "--explain", "::error::ok"], dir.path());
    let err = stderr(&output);
    assert!(err.contains(": note: "), "{err}");
    assert_clean("--explain", &err);
}

/// Problem 7: `max_file_size = 18446744073709551615` made every file read
/// as empty (0 findings, exit 0; a panic in debug builds), in the settings
/// and on the command line. A limit out of its range is a usage error that
/// names where it was set; the documented extremes are accepted.
#[test]
fn impossible_limits_are_usage_errors() {
    let max = u64::MAX.to_string();
    let refused: [(&str, &str, &str); 7] = [
        ("--max-file-size", &max, "max_file_size"),
        ("--max-file-size", "0", "max_file_size"),
        ("--max-nesting", "0", "max_nesting"),
        ("--max-nesting", &max, "max_nesting"),
        ("--max-yaml-aliases", &max, "max_yaml_aliases"),
        ("--max-file-size", "4294967296", "max_file_size"),
        ("--max-nesting", "1001", "max_nesting"),
    ];
    for (flag, value, key) in refused {
        let dir = folder();
        let output = mfalint(
            &["scan", "--format", "compact", flag, value, "."],
            dir.path(),
        );
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{flag} {value}: {err}");
        assert!(err.contains(flag), "{flag} {value}: {err}");
        assert!(stdout(&output).is_empty(), "{flag} {value}: no scan");
        assert_clean(flag, &err);

        std::fs::write(
            dir.path().join(".mfalint.toml"),
            format!("# limits\n[limits]\n{key} = {value}\n"),
        )
        .expect("write");
        let output = mfalint(&["scan", "--format", "compact", "."], dir.path());
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{key} = {value}: {err}");
        assert!(
            err.contains(".mfalint.toml:3:") && err.contains(key),
            "{key} = {value}: {err}"
        );
        assert!(stdout(&output).is_empty(), "{key} = {value}: no scan");
    }
    // The extremes of each range scan as usual.
    for (flag, value) in [
        ("--max-file-size", "1000"),
        ("--max-file-size", "4294967295"),
        ("--max-nesting", "1"),
        ("--max-nesting", "1000"),
        ("--max-yaml-aliases", "0"),
        ("--max-yaml-aliases", "10000000"),
    ] {
        let dir = folder();
        let output = mfalint(
            &["scan", "--format", "compact", flag, value, "."],
            dir.path(),
        );
        assert!(
            stdout(&output).contains(GOOD_LINE),
            "{flag} {value}: {}",
            stderr(&output)
        );
        assert_eq!(output.status.code(), Some(1), "{flag} {value}");
    }
}

/// Problem 8: baseline entries matched on fingerprint only, so an entry
/// labelled as another rule and user excused an MFA001. An entry excuses
/// a finding only with its rule and fingerprint; one whose stated rule,
/// address or path disagrees with the finding of its fingerprint excuses
/// nothing and is a warning naming the baseline and the entry.
#[test]
fn forged_baseline_entries_excuse_nothing_and_are_reported() {
    let dir = folder();
    let output = mfalint(&["scan", "--write-baseline", "base.json", "."], dir.path());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let path = dir.path().join("base.json");
    let honest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("JSON");
    // The honest baseline excuses the finding, with no warning.
    let output = mfalint(
        &[
            "scan",
            "--format",
            "compact",
            "--baseline",
            "base.json",
            ".",
        ],
        dir.path(),
    );
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(!stderr(&output).contains("warning"), "{}", stderr(&output));

    for (field, value) in [
        ("rule", "MFA902"),
        ("address", "aws_iam_user.someone_else"),
        ("path", "elsewhere.tf"),
    ] {
        let mut forged = honest.clone();
        forged["findings"][0][field] = value.into();
        std::fs::write(&path, forged.to_string()).expect("write");
        let output = mfalint(
            &[
                "scan",
                "--format",
                "compact",
                "--baseline",
                "base.json",
                ".",
            ],
            dir.path(),
        );
        assert!(
            stdout(&output).contains(GOOD_LINE),
            "{field}: the finding is reported:\n{}",
            stdout(&output)
        );
        assert_eq!(output.status.code(), Some(1), "{field}");
        let err = stderr(&output);
        assert!(
            err.contains("base.json") && err.contains("entry 1") && err.contains(value),
            "{field}: a warning names the baseline and the entry:\n{err}"
        );
        assert_clean(field, &err);
    }
}

/// Bidirectional and invisible characters (Trojan Source), as a user name
/// and in a file name.
const INVISIBLE: &str = "\u{202e}\u{2066}\u{2067}\u{2068}\u{2069}\u{200e}\u{200f}\u{2028}\u{2029}\u{061c}\u{200b}\u{200c}\u{200d}\u{feff}";

/// Problem 9: bidi and invisible characters passed raw into every format,
/// and C1 controls and DEL into JSON and SARIF. Each is escaped (`\u{..}`
/// in text, `\uXXXX` in JSON); JSON still decodes to the real name.
#[cfg(unix)]
#[test]
fn bidi_invisible_and_c1_characters_are_escaped_in_every_format() {
    let dir = folder();
    let name = format!("ev{INVISIBLE}\u{85}\u{9b}\u{7f}il.tf");
    let user = format!("bob{INVISIBLE}\u{85}\u{9b}31m\u{7f}");
    std::fs::write(
        dir.path().join(&name),
        format!("resource \"aws_iam_user_login_profile\" \"x\" {{\n  user = \"{user}\"\n}}\n"),
    )
    .expect("write");
    for format in ["human", "compact", "github", "json", "sarif"] {
        let output = mfalint(&["scan", "--format", format, "."], dir.path());
        assert_eq!(output.status.code(), Some(1), "{format}");
        let text = String::from_utf8(output.stdout).expect("UTF-8");
        assert!(text.contains("good"), "{format}: the good file:\n{text}");
        assert!(
            !text.chars().any(is_hostile),
            "{format}: a raw bidi, invisible or control character:\n{text:?}"
        );
        if format == "json" {
            let doc: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
            let findings = doc["findings"].as_array().expect("findings");
            assert!(
                findings.iter().any(|f| f["path"] == name.as_str()
                    && f["message"].as_str().unwrap().contains(&user)),
                "the JSON holds the real name and user:\n{text}"
            );
        }
        if format == "sarif" {
            let _: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        }
    }
}

/// Problem 12: `until=2099-02-31` in an exception comment and
/// `"2099-02-30"` in the settings were valid exceptions, and of two
/// `until=` the last silently won. Impossible dates and repeated keys make
/// an exception invalid (MFA901, at the comment) that excuses nothing; in
/// the settings, a usage error at the date.
#[test]
fn impossible_dates_and_repeated_keys_are_invalid_exceptions() {
    let dir = folder();
    let comments = [
        ("feb31", "until=2099-02-31", "is not a date"),
        ("apr31", "until=2099-04-31", "is not a date"),
        ("feb29", "until=2099-02-29", "is not a date"),
        ("day0", "until=2099-01-00", "is not a date"),
        ("signed", "until=+099-01-01", "is not a date"),
        (
            "twice",
            "until=2020-01-01 until=2099-01-01",
            "`until` is given twice",
        ),
        ("reasons", "reason=\"other\"", "`reason` is given twice"),
    ];
    let mut tf = String::new();
    for (name, extra, _) in comments {
        tf.push_str(&format!(
            "# mfalint:ignore MFA001 reason=\"break-glass account\" {extra}\nresource \"aws_iam_user_login_profile\" \"{name}\" {{\n  user = \"{name}\"\n}}\n"
        ));
    }
    // A leap day that exists is a date.
    tf.push_str("# mfalint:ignore MFA001 reason=\"break-glass account\" until=2096-02-29\nresource \"aws_iam_user_login_profile\" \"leap\" {\n  user = \"leap\"\n}\n");
    std::fs::write(dir.path().join("exceptions.tf"), tf).expect("write");
    let output = mfalint(&["scan", "--format", "compact", "."], dir.path());
    let text = stdout(&output);
    assert!(text.contains(GOOD_LINE), "{text}");
    for (i, (name, extra, why)) in comments.iter().enumerate() {
        let line = 4 * i + 1;
        assert!(
            text.contains(&format!(
                "exceptions.tf:{line}:3: error: [MFA901] invalid mfalint exception: "
            )) && text
                .lines()
                .any(|l| l.starts_with(&format!("exceptions.tf:{line}:")) && l.contains(why)),
            "{name} ({extra}): MFA901 saying {why:?}:\n{text}"
        );
        assert!(
            text.contains(&format!("exceptions.tf:{}:1: error: [MFA001]", line + 1)),
            "{name}: the finding is not excused:\n{text}"
        );
    }
    assert!(!text.contains("`leap`"), "2096-02-29 is a date:\n{text}");

    // In a template's Metadata.
    std::fs::write(
        dir.path().join("template.yaml"),
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  U:\n    Type: AWS::IAM::User\n    Metadata:\n      mfalint:\n        ignore:\n          - rule: MFA001\n            reason: break-glass account\n            until: '2099-02-30'\n    Properties:\n      LoginProfile:\n        Password: p\n",
    )
    .expect("write");
    let output = mfalint(
        &["scan", "--format", "compact", "template.yaml"],
        dir.path(),
    );
    let text = stdout(&output);
    assert!(
        text.contains("[MFA901]") && text.contains("2099-02-30"),
        "{text}"
    );
    assert!(
        text.contains("template.yaml:3:3: error: [MFA001]"),
        "{text}"
    );

    // In the settings: a usage error at the date.
    std::fs::write(
        dir.path().join(".mfalint.toml"),
        "[[exceptions]]\nrule = \"MFA001\"\naddress = \"aws_iam_user_login_profile.good\"\nreason = \"break-glass account\"\nuntil = \"2099-02-30\"\n",
    )
    .expect("write");
    let output = mfalint(&["scan", "--format", "compact", "good.tf"], dir.path());
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(
        err.contains(".mfalint.toml:5:9: `2099-02-30` is not a date"),
        "{err}"
    );
}

/// The SARIF results of a scan of `.` in `dir`, URIs relative to it.
fn sarif_results(dir: &Path) -> Vec<serde_json::Value> {
    let output = mfalint(
        &["scan", "--format", "sarif", "--sarif-root", ".", "."],
        dir,
    );
    let doc: serde_json::Value = serde_json::from_slice(&output.stdout).expect("SARIF is JSON");
    doc["runs"][0]["results"]
        .as_array()
        .expect("results")
        .clone()
}

/// A SARIF URI's bytes, percent-decoded.
fn percent_decoded(uri: &str) -> Vec<u8> {
    let bytes = uri.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("hex");
            out.push(u8::from_str_radix(hex, 16).expect("hex"));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

/// Problem 13: a file name that is not UTF-8 got the SARIF URI of a file
/// that does not exist (its bytes were replaced before encoding), and a
/// backslash in a name was shown as `/` in compact, GitHub and JSON output.
/// The URI encodes the name's own bytes; a backslash is shown as itself.
#[cfg(target_os = "linux")]
#[test]
fn file_names_are_shown_and_linked_as_they_are() {
    use std::os::unix::ffi::OsStrExt;
    let dir = folder();
    let raw = std::ffi::OsStr::from_bytes(b"latin\xe9.tf");
    std::fs::write(dir.path().join(raw), GOOD.replace("good", "latin")).expect("write");
    std::fs::write(
        dir.path().join("back\\slash.tf"),
        GOOD.replace("good", "slash"),
    )
    .expect("write");
    let results = sarif_results(dir.path());
    let uris: Vec<&str> = results
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .expect("uri")
        })
        .collect();
    assert!(uris.contains(&"latin%E9.tf"), "{uris:?}");
    assert!(uris.contains(&"back%5Cslash.tf"), "{uris:?}");
    for uri in &uris {
        let path = dir
            .path()
            .join(std::ffi::OsStr::from_bytes(&percent_decoded(uri)));
        assert!(path.is_file(), "{uri} names no file");
    }

    let compact = stdout(&mfalint(&["scan", "--format", "compact", "."], dir.path()));
    assert!(
        compact.contains("back\\slash.tf:1:1: error: [MFA001]"),
        "{compact}"
    );
    assert!(compact.contains(GOOD_LINE), "{compact}");
    let github = stdout(&mfalint(&["scan", "--format", "github", "."], dir.path()));
    assert!(github.contains("file=back\\slash.tf,"), "{github}");
    let json = mfalint(&["scan", "--format", "json", "."], dir.path());
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    let paths: Vec<&str> = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["path"].as_str().expect("path"))
        .collect();
    assert!(paths.contains(&"back\\slash.tf"), "{paths:?}");
}

/// Problem 14: SARIF message text carried markdown link syntax from input
/// names (GitHub renders `[text](target)` in a message as a link). Square
/// brackets from names are escaped as SARIF says (`\[`, `\]`), in results,
/// related locations and notifications.
#[test]
fn sarif_messages_cannot_carry_links() {
    let dir = folder();
    std::fs::write(
        dir.path().join("links.tf"),
        "resource \"aws_iam_user_login_profile\" \"x\" {\n  user = \"[click me](https://evil.example/x)\"\n}\n",
    )
    .expect("write");
    std::fs::create_dir(dir.path().join("sub")).expect("mkdir");
    std::fs::write(dir.path().join("sub/broken.tf"), "broken [x](y) {\n").expect("write");
    let output = mfalint(
        &["scan", "--format", "sarif", "--parse-all", "."],
        dir.path(),
    );
    let doc: serde_json::Value = serde_json::from_slice(&output.stdout).expect("SARIF is JSON");
    let run = &doc["runs"][0];
    let mut texts = Vec::new();
    for result in run["results"].as_array().expect("results") {
        texts.push(
            result["message"]["text"]
                .as_str()
                .expect("text")
                .to_string(),
        );
        for related in result["relatedLocations"].as_array().into_iter().flatten() {
            texts.push(
                related["message"]["text"]
                    .as_str()
                    .expect("text")
                    .to_string(),
            );
        }
    }
    for notification in run["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .expect("notifications")
    {
        texts.push(
            notification["message"]["text"]
                .as_str()
                .expect("text")
                .to_string(),
        );
    }
    assert!(
        texts
            .iter()
            .any(|t| t.contains("\\[click me\\](https://evil.example/x)")),
        "{texts:#?}"
    );
    for text in &texts {
        let bytes = text.as_bytes();
        for (i, b) in bytes.iter().enumerate() {
            if *b == b'[' || *b == b']' {
                assert!(
                    i > 0 && bytes[i - 1] == b'\\',
                    "an unescaped bracket: {text}"
                );
            }
        }
    }
}

/// The header of an AWS IAM credential report.
const REPORT_HEADER: &str = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated";

/// A report row: `user` has a console password and no MFA (MFA011).
fn report_row(user: &str) -> String {
    format!(
        "{user},arn:aws:iam::1:user/{user},2020-01-01T00:00:00+00:00,true,N/A,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A"
    )
}

/// Problem 15: a credential report whose lines are separated by lone CRs
/// was skipped silently, named or found in a folder. CR, LF and CRLF are
/// all line breaks; each row is read.
#[test]
fn a_credential_report_with_cr_line_breaks_is_read() {
    for (name, newline) in [("cr.csv", "\r"), ("lf.csv", "\n"), ("crlf.csv", "\r\n")] {
        let dir = folder();
        let text = [
            REPORT_HEADER.to_string(),
            report_row("carol"),
            report_row("dave"),
        ]
        .join(newline)
            + newline;
        std::fs::write(dir.path().join(name), text).expect("write");
        for target in [name, "."] {
            let output = mfalint(&["scan", "--format", "compact", target], dir.path());
            let text = stdout(&output);
            for user in ["carol", "dave"] {
                assert!(
                    text.lines().any(|l| l.starts_with(name)
                        && l.contains("[MFA011]")
                        && l.contains(&format!("`{user}`"))),
                    "{name} ({target}): {user} is read:\n{text}{}",
                    stderr(&output)
                );
            }
            if target == "." {
                assert!(text.contains(GOOD_LINE), "{text}");
            }
            assert_eq!(output.status.code(), Some(1), "{name}");
        }
    }
}

/// Runs mfalint with at most 2 GB of memory and 60 seconds: a read that
/// never ends fails the test instead of the machine.
#[cfg(unix)]
fn mfalint_bounded(args: &[&str], cwd: &Path) -> (Output, std::time::Duration) {
    let started = std::time::Instant::now();
    let mut child = Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 2000000; exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_mfalint"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("mfalint runs");
    loop {
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        if started.elapsed() > std::time::Duration::from_secs(60) {
            child.kill().expect("kill");
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let output = child.wait_with_output().expect("output");
    (output, started.elapsed())
}

/// Problem 16: `--baseline /dev/zero` read until memory ran out and a FIFO
/// baseline hung. Baselines, settings files and `--var-file` files are
/// opened without blocking and read no further than the file size limit,
/// as scanned files are; a device or FIFO is refused, naming the file.
#[cfg(target_os = "linux")]
#[test]
fn a_baseline_settings_or_variables_file_that_never_ends_is_refused() {
    let dir = folder();
    let fifo = dir.path().join("fifo");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    for flag in ["--baseline", "--config", "--var-file"] {
        for file in ["/dev/zero", "fifo"] {
            let (output, took) = mfalint_bounded(
                &["scan", "--format", "compact", flag, file, "."],
                dir.path(),
            );
            let all = format!("{}{}", stdout(&output), stderr(&output));
            assert!(
                took < std::time::Duration::from_secs(60),
                "{flag} {file}: still reading after {took:?}"
            );
            assert_eq!(output.status.code(), Some(2), "{flag} {file}: {all}");
            assert!(
                all.contains(file) && all.contains("not a regular file"),
                "{flag} {file}: {all}"
            );
            assert_clean(flag, &all);
            if flag == "--var-file" {
                assert!(all.contains(GOOD_LINE), "the scan goes on: {all}");
            }
        }
    }
    // A baseline over the file size limit is refused, naming the limit.
    std::fs::write(dir.path().join("big.json"), " ".repeat(2000)).expect("write");
    let (output, _) = mfalint_bounded(
        &[
            "scan",
            "--max-file-size",
            "1000",
            "--baseline",
            "big.json",
            ".",
        ],
        dir.path(),
    );
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(
        err.contains("big.json") && err.contains("1000-byte limit"),
        "{err}"
    );

    // A downloaded-modules manifest that is a link to a device is not
    // read whole while discovering.
    let modules = dir.path().join(".terraform/modules");
    std::fs::create_dir_all(&modules).expect("mkdir");
    std::os::unix::fs::symlink("/dev/zero", modules.join("modules.json")).expect("link");
    let (output, took) = mfalint_bounded(&["scan", "--format", "compact", "."], dir.path());
    assert!(took < std::time::Duration::from_secs(60), "{took:?}");
    assert!(stdout(&output).contains(GOOD_LINE), "{}", stderr(&output));
}
