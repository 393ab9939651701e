//! Hostile inputs: what a repository under review may contain to crash,
//! hang or escape the scanner. Each case asserts the outcome: a positioned
//! diagnostic or a skip, and the rest of the scan intact (the good file
//! beside it is still reported).

use std::path::Path;
use std::process::{Command, Output};

/// A file whose finding proves the scan went on.
const GOOD: &str = "resource \"aws_iam_user_login_profile\" \"good\" {\n  user = \"good\"\n}\n";

fn mfalint(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mfalint"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("mfalint runs")
}

/// Scans a folder holding `GOOD` plus what `setup` writes; returns the
/// compact output and the exit status.
fn scan_with(setup: impl FnOnce(&Path), extra: &[&str]) -> (String, i32) {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("good.tf"), GOOD).expect("write");
    setup(dir.path());
    let mut args = vec!["scan", "--format", "compact", "."];
    args.extend_from_slice(extra);
    let output = mfalint(&args, dir.path());
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        text.contains("good.tf:1:1: error: [MFA001]"),
        "the good file must still be reported:\n{text}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        !String::from_utf8_lossy(&output.stderr).contains("panicked"),
        "no panic"
    );
    (text, output.status.code().unwrap_or(-1))
}

fn line_for<'t>(text: &'t str, file: &str) -> &'t str {
    text.lines()
        .find(|l| l.starts_with(file))
        .unwrap_or_else(|| panic!("no line for {file} in:\n{text}"))
}

#[test]
fn a_100_mb_file_is_skipped_with_a_diagnostic_and_the_limit_is_configurable() {
    let big = |dir: &Path| {
        // Sparse: 100 MB on paper, nothing written.
        let file = std::fs::File::create(dir.join("huge.tf")).expect("create");
        file.set_len(100 * 1024 * 1024).expect("set_len");
    };
    let (text, status) = scan_with(big, &[]);
    assert!(
        line_for(&text, "huge.tf").contains("over the 33554432-byte limit"),
        "{text}"
    );
    assert_eq!(status, 2);
    // A lower limit from the command line applies to the small files too.
    let small = |dir: &Path| std::fs::write(dir.join("other.tf"), GOOD.repeat(20)).expect("write");
    let (text, _) = scan_with(small, &["--max-file-size", "1000"]);
    assert!(
        line_for(&text, "other.tf").contains("over the 1000-byte limit"),
        "{text}"
    );
}

/// Appended to a file so that the pre-filter parses it (a file that
/// mentions nothing checked is never parsed, whatever its nesting).
const CHECKED: &str = "\n# aws_iam_user\n";

#[test]
fn ten_thousand_levels_of_nesting_are_diagnostics_not_stack_overflows() {
    let n = 10_000;
    let (text, status) = scan_with(
        |dir| {
            let hcl = format!(
                "locals {{\n  a = {}1{}\n}}\n",
                "{a = ".repeat(n),
                "}".repeat(n)
            );
            std::fs::write(dir.join("objects.tf"), hcl).expect("write");
            let list = format!(
                "locals {{\n  a = {}1{}\n}}\n{CHECKED}",
                "[".repeat(n),
                "]".repeat(n)
            );
            std::fs::write(dir.join("lists.tf"), list).expect("write");
            let calls = format!(
                "locals {{\n  a = {}\"x\"{}\n}}\n",
                "lower(".repeat(n),
                ")".repeat(n)
            );
            std::fs::write(dir.join("calls.tf"), calls).expect("write");
            let sum = format!(
                "locals {{\n  a = {}\n}}\n{CHECKED}",
                vec!["1"; 100_000].join("+")
            );
            std::fs::write(dir.join("sum.tf"), sum).expect("write");
            let json = format!(
                "{{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Description\": \"AWS::IAM::User\", \"Resources\": {}{}}}",
                "[".repeat(n),
                "]".repeat(n)
            );
            std::fs::write(dir.join("arrays.json"), json).expect("write");
            let yaml = format!(
                "AWSTemplateFormatVersion: \"2010-09-09\"\nResources: {}{}\n{CHECKED}",
                "[".repeat(n),
                "]".repeat(n)
            );
            std::fs::write(dir.join("sequences.yaml"), yaml).expect("write");
            let tf_json = format!(
                "{{\"locals\": {{\"a\": {}{}}}}}",
                "[".repeat(n),
                "]".repeat(n)
            );
            std::fs::write(dir.join("deep.tf.json"), tf_json).expect("write");
        },
        &[],
    );
    for file in ["objects.tf", "lists.tf", "calls.tf"] {
        assert!(line_for(&text, file).contains("nesting depth"), "{text}");
    }
    assert!(
        line_for(&text, "sum.tf").contains("chained binary operators"),
        "{text}"
    );
    for file in ["arrays.json", "sequences.yaml", "deep.tf.json"] {
        assert!(
            line_for(&text, file).contains("deeper than 200 levels"),
            "{text}"
        );
    }
    assert_eq!(status, 2);
}

/// Terraform that evaluates to too much: each folder is its own root
/// module, so each meets the bounds alone. Each ends in a finding whose
/// message says which bound stopped it (the rules take an unknown on the
/// safe side), never in a hang: before the bounds, the locals took hours,
/// `replace` asked for 10 GB, `distinct` a minute, and the module calls a
/// hundred million instances (with `count`) or a million (plain calls
/// fanning out; those left out are an input error, reported once).
#[test]
fn terraform_built_to_exhaust_the_evaluator_ends_in_unknowns_that_say_why() {
    const LOGIN: &str =
        "resource \"aws_iam_user_login_profile\" \"p\" {\n  user = aws_iam_user.u.name\n}\n";
    let write = |dir: &Path, folder: &str, name: &str, text: &str| {
        std::fs::create_dir_all(dir.join(folder)).expect("mkdir");
        std::fs::write(dir.join(folder).join(name), text).expect("write");
    };
    // Each case is a scan of its own, so that each case's output is read
    // alone.
    let setup = |dir: &Path| {
        // Each local repeats the previous one ten times: 10^8 copies.
        let mut locals = format!("  s0 = \"{}\"\n", "x".repeat(100));
        for i in 1..=8 {
            let previous = format!("${{local.s{}}}", i - 1);
            locals.push_str(&format!("  s{i} = \"{}\"\n", previous.repeat(10)));
        }
        let doubling = format!(
            "locals {{\n{locals}}}\nresource \"aws_iam_user\" \"u\" {{\n  name = local.s8\n}}\n{LOGIN}"
        );
        write(dir, "locals", "main.tf", &doubling);
        // Eight nested `for` over ten items: 10^8 strings.
        let mut body = "\"${a}\"".to_string();
        for var in ["h", "g", "f", "e", "d", "c", "b", "a"] {
            body = format!("[for {var} in local.t : {body}]");
        }
        let nested = format!(
            "locals {{\n  t = [\"0\",\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\"]\n  n = {body}\n}}\n\
                 resource \"aws_iam_user\" \"u\" {{\n  name = length(flatten(local.n))\n}}\n{LOGIN}"
        );
        write(dir, "for", "main.tf", &nested);
        // Replacing a character by a line, three times: 10 GB.
        let replace = format!(
            "locals {{\n  k = \"{}\"\n  k2 = replace(local.k, \"k\", local.k)\n  k3 = replace(local.k2, \"k\", local.k)\n  k4 = replace(local.k3, \"k\", local.k2)\n}}\n\
                 resource \"aws_iam_user\" \"u\" {{\n  name = local.k4\n}}\n{LOGIN}",
            "k".repeat(100)
        );
        write(dir, "replace", "main.tf", &replace);
        // `distinct` over 100,000 strings: linear, and right.
        let distinct = format!(
            "locals {{\n  t = [\"0\",\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\"]\n  \
                 all = flatten([for a in local.t : [for b in local.t : [for c in local.t : [for d in local.t : [for e in local.t : \"${{a}}${{b}}${{c}}${{d}}${{e}}\"]]]]])\n  \
                 d = distinct(concat(local.all, local.all))\n}}\n\
                 resource \"aws_iam_user\" \"u\" {{\n  name = \"${{length(local.d)}}-${{local.d[99999]}}\"\n}}\n{LOGIN}"
        );
        write(dir, "distinct", "main.tf", &distinct);
        // A template that renders itself three times per level.
        write(
            dir,
            "template",
            "t.tpl",
            &"${templatefile(\"t.tpl\", {})}".repeat(3),
        );
        let template = format!(
            "resource \"aws_iam_user\" \"u\" {{\n  name = templatefile(\"t.tpl\", {{}})\n}}\n{LOGIN}"
        );
        write(dir, "template", "main.tf", &template);
        // Module calls with `count` inside module calls with `count`.
        write(
            dir,
            "modules",
            "main.tf",
            "module \"a\" {\n  count  = 1000\n  source = \"./m\"\n}\n",
        );
        write(
            dir,
            "modules/m",
            "main.tf",
            "module \"b\" {\n  count  = 1000\n  source = \"../n\"\n}\n",
        );
        write(
            dir,
            "modules/n",
            "main.tf",
            &format!("resource \"aws_iam_user\" \"u\" {{\n  name = \"u\"\n}}\n{LOGIN}"),
        );
        // Ten plain calls of ten plain calls, six levels: a million
        // module instances from seven small files.
        write(
            dir,
            "fanout",
            "main.tf",
            "module \"m\" {\n  source = \"./m0\"\n}\n",
        );
        for level in 0..6 {
            let calls: String = (0..10)
                .map(|i| format!("module \"c{i}\" {{\n  source = \"../m{}\"\n}}\n", level + 1))
                .collect();
            write(dir, &format!("fanout/m{level}"), "main.tf", &calls);
        }
        write(
            dir,
            "fanout/m6",
            "main.tf",
            &format!("resource \"aws_iam_user\" \"u\" {{\n  name = \"u\"\n}}\n{LOGIN}"),
        );
    };
    let all = tempfile::tempdir().expect("temp dir");
    setup(all.path());
    let mut text = String::new();
    let mut cases: Vec<_> = std::fs::read_dir(all.path())
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    cases.sort();
    for case in cases {
        let from = all.path().join(&case);
        let (out, _) = scan_with(
            |dir| {
                let copied = Command::new("cp")
                    .arg("-r")
                    .arg(&from)
                    .arg(dir)
                    .status()
                    .expect("cp runs");
                assert!(copied.success());
            },
            &[],
        );
        text.push_str(&out);
    }
    let stopped = "evaluation stopped: this configuration takes more than 5000000 evaluation steps";
    // Ten references to a 1 MB local copy 10 MB: the bytes bound stops
    // them before the string is built.
    assert!(
        line_for(&text, "locals/main.tf").contains(
            "evaluation stopped: the Terraform evaluation of this root module produces more than 8388608 bytes"
        ),
        "{text}"
    );
    assert!(line_for(&text, "for/main.tf").contains(stopped), "{text}");
    assert!(
        line_for(&text, "replace/main.tf").contains("a string of 10000000000 bytes"),
        "{text}"
    );
    assert!(
        line_for(&text, "distinct/main.tf").contains("IAM user `100000-99999`"),
        "{text}"
    );
    assert!(
        line_for(&text, "template/main.tf").contains(stopped),
        "{text}"
    );
    let instances = text
        .lines()
        .filter(|l| l.starts_with("modules/n/main.tf"))
        .count();
    assert!(
        (1_000..=50_000).contains(&instances),
        "{instances} module instances reported, expected the 50,000 bound to stop the expansion"
    );
    let fanout: Vec<&str> = text.lines().filter(|l| l.starts_with("fanout/")).collect();
    let left_out: Vec<&&str> = fanout.iter().filter(|l| l.contains("[input]")).collect();
    assert_eq!(left_out.len(), 1, "reported once: {left_out:?}");
    assert!(
        left_out[0].contains("expands to more than 50000 resource and module instances"),
        "{left_out:?}"
    );
    assert!((1_000..=50_000).contains(&(fanout.len() - 1)));
}

/// Thirty nested stacks of a template with thirty nested stacks, four
/// levels down: 810,000 template instances (29 s and 3 GB before the
/// bound). Past 10,000 the rest is not followed, and a diagnostic at the
/// call says so: the users left out are not silently passed.
#[test]
fn nested_stacks_that_multiply_stop_at_the_bound_with_a_diagnostic() {
    let (text, status) = scan_with(
        |dir| {
            let stacks = |child: &str| {
                let resources: Vec<String> = (0..30)
                    .map(|i| {
                        format!(
                            "\"S{i}\": {{\"Type\": \"AWS::CloudFormation::Stack\", \"Properties\": {{\"TemplateURL\": \"./{child}\"}}}}"
                        )
                    })
                    .collect();
                format!(
                    "{{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Resources\": {{{}}}}}",
                    resources.join(", ")
                )
            };
            for (name, child) in [("a", "b"), ("b", "c"), ("c", "d"), ("d", "e")] {
                let text = stacks(&format!("{child}.json"));
                std::fs::write(dir.join(format!("{name}.json")), text).expect("write");
            }
            let user = "{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Resources\": {\"U\": {\"Type\": \"AWS::IAM::User\", \"Properties\": {\"LoginProfile\": {\"Password\": \"p\"}}}}}";
            std::fs::write(dir.join("e.json"), user).expect("write");
        },
        &[],
    );
    assert!(
        line_for(&text, "d.json").contains(
            "error: [input] `a.json` expands to more than 10000 nested stack instances; from this one on, they are not followed"
        ),
        "{text}"
    );
    let users = text.lines().filter(|l| l.starts_with("e.json")).count();
    assert!((1_000..10_000).contains(&users), "{users} users reported");
    assert_eq!(status, 2);
}

/// A template that names itself as a nested stack, or two that name each
/// other, were nobody's root: their users were never checked, with no
/// diagnostic and exit 0 when nothing else was found. The cycle is an
/// input error at the `TemplateURL` that closes it, and each template's
/// users are checked once.
#[test]
fn nested_stack_cycles_are_reported_and_hide_no_user() {
    let template = |nested: &str, user: &str| {
        format!(
            "{{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Resources\": {{\"Stack\": {{\"Type\": \"AWS::CloudFormation::Stack\", \"Properties\": {{\"TemplateURL\": \"./{nested}\"}}}}, \"{user}\": {{\"Type\": \"AWS::IAM::User\", \"Properties\": {{\"LoginProfile\": {{\"Password\": \"p\"}}}}}}}}}}"
        )
    };
    let (text, status) = scan_with(
        |dir| {
            std::fs::write(dir.join("self.json"), template("self.json", "Selfie")).expect("write");
            std::fs::write(dir.join("a.json"), template("b.json", "Alice")).expect("write");
            std::fs::write(dir.join("b.json"), template("a.json", "Bob")).expect("write");
        },
        &[],
    );
    let cycle = "a template that already contains it (a cycle of nested stacks, which CloudFormation cannot deploy); not followed: each template's users are checked once";
    let url = |file: &str| {
        let text = template(file, "X");
        text.find("\"./").expect("TemplateURL") + 1
    };
    assert!(
        line_for(&text, "self.json").starts_with(&format!(
            "self.json:1:{}: error: [input] nested stack `Stack` names `./self.json`, {cycle}",
            url("self.json")
        )),
        "{text}"
    );
    assert!(
        line_for(&text, "b.json").starts_with(&format!(
            "b.json:1:{}: error: [input] nested stack `Stack.Stack` names `./a.json`, {cycle}",
            url("a.json")
        )),
        "{text}"
    );
    for user in ["`Selfie`", "`Alice`", "`Stack.Bob`"] {
        let found = text
            .lines()
            .filter(|l| l.contains(&format!("IAM user {user}")))
            .count();
        assert_eq!(found, 1, "{user} once:\n{text}");
    }
    assert_eq!(status, 2);
}

/// A minified template is one line of hundreds of kilobytes. Positions
/// far into it are counted from checkpoints, not from the line's start
/// for every finding and every YAML node: as flow-style YAML it took over
/// a minute at 1.7 MB, as JSON its findings' columns took seconds.
#[test]
fn a_minified_template_on_one_line_is_placed_exactly() {
    let mut resources = Vec::new();
    for i in 0..1_000 {
        resources.push(format!(
            "\"U{i}\": {{\"Type\": \"AWS::IAM::User\", \"Properties\": {{\"UserName\": \"ü{i}\", \"LoginProfile\": {{\"Password\": \"p\"}}}}}}"
        ));
        if i % 2 == 1 {
            resources.push(format!(
                "\"M{i}\": {{\"Type\": \"AWS::IAM::VirtualMFADevice\", \"Properties\": {{\"Users\": [{{\"Ref\": \"U{i}\"}}]}}}}"
            ));
        }
    }
    let template = format!(
        "{{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Resources\": {{{}}}}}",
        resources.join(", ")
    );
    let at = template.find("\"U998\"").expect("U998");
    let column = template[..at].chars().count() + 1;
    let (text, _) = scan_with(
        |dir| {
            std::fs::write(dir.join("minified.json"), &template).expect("write");
            std::fs::write(dir.join("flow.yaml"), &template).expect("write");
        },
        &[],
    );
    for file in ["minified.json", "flow.yaml"] {
        let lines: Vec<&str> = text.lines().filter(|l| l.starts_with(file)).collect();
        assert_eq!(lines.len(), 500, "{file}: users without a device");
        let u998 = format!("{file}:1:{column}: error: [MFA001] IAM user `ü998` (`U998`)");
        assert!(
            lines.iter().any(|l| l.starts_with(&u998)),
            "{file}: no line starts with {u998}"
        );
    }

    // Human snippets show a window of the line, not the whole of it, and
    // place it at the same character column.
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("minified.json"), &template).expect("write");
    let human = mfalint(&["scan", "--color", "never", "minified.json"], dir.path());
    let human = String::from_utf8_lossy(&human.stdout);
    let longest = human.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    assert!(longest < 400, "a line of {longest} characters");
    assert!(
        human.contains(&format!("╭─[minified.json:1:{column}]")),
        "no snippet header at 1:{column}"
    );
    assert_eq!(human.matches("× IAM user").count(), 500);
}

#[test]
fn a_yaml_alias_bomb_fails_fast() {
    let (text, _) = scan_with(
        |dir| {
            let mut yaml = String::from(
                "AWSTemplateFormatVersion: \"2010-09-09\"\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n",
            );
            for i in 1..10 {
                let prev = format!("*a{}", i - 1);
                yaml.push_str(&format!("a{i}: &a{i} [{}]\n", vec![prev; 10].join(", ")));
            }
            yaml.push_str(
                "Resources:\n  Bomb:\n    Type: AWS::IAM::User\n    Properties:\n      Tags: *a9\n",
            );
            std::fs::write(dir.join("bomb.yaml"), yaml).expect("write");
        },
        &[],
    );
    assert!(
        line_for(&text, "bomb.yaml").contains(
            "error: [input] YAML aliases expand to more than 100000 nodes (--max-yaml-aliases); not read"
        ),
        "{text}"
    );

    // The budget is configurable: three aliases of a ten-item list pass by
    // default and fail under a budget of 20 nodes.
    let three = "AWSTemplateFormatVersion: \"2010-09-09\"\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\nb: [*a0, *a0, *a0]\n\
                 Resources:\n  U:\n    Type: AWS::IAM::User\n    Properties:\n      LoginProfile:\n        Password: p\n";
    let setup = |dir: &Path| std::fs::write(dir.join("aliases.yaml"), three).expect("write");
    let (text, _) = scan_with(setup, &[]);
    assert!(
        line_for(&text, "aliases.yaml").contains("[MFA001]"),
        "{text}"
    );
    let (text, status) = scan_with(setup, &["--max-yaml-aliases", "20"]);
    assert!(
        line_for(&text, "aliases.yaml").contains("more than 20 nodes"),
        "{text}"
    );
    assert_eq!(status, 2);
}

#[test]
fn encodings_and_nul_bytes_are_positioned_diagnostics() {
    let (text, _) = scan_with(
        |dir| {
            std::fs::write(dir.join("latin1.tf"), b"locals {\n  a = \"caf\xe9\"\n}\n")
                .expect("write");
            let utf16: Vec<u8> = "\u{feff}locals {}\n"
                .encode_utf16()
                .flat_map(u16::to_le_bytes)
                .collect();
            std::fs::write(dir.join("utf16.tf"), utf16).expect("write");
            std::fs::write(dir.join("nul.tf"), "locals {\n  a = 1\n}\n\0\0").expect("write");
        },
        &[],
    );
    assert!(
        line_for(&text, "latin1.tf:2:").contains("not valid UTF-8"),
        "{text}"
    );
    assert!(line_for(&text, "utf16.tf").contains("UTF-16"), "{text}");
    assert!(
        line_for(&text, "nul.tf:4:").contains("error: [input]"),
        "{text}"
    );
}

#[cfg(unix)]
#[test]
fn links_out_of_the_scan_fifos_and_devices_are_not_read() {
    let outside = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        outside.path().join("secret.tf"),
        GOOD.replace("good", "secret"),
    )
    .expect("write");
    let outside_path = outside.path().to_path_buf();
    let (text, status) = scan_with(
        |dir| {
            std::os::unix::fs::symlink(outside_path.join("secret.tf"), dir.join("link.tf"))
                .expect("symlink");
            std::os::unix::fs::symlink(&outside_path, dir.join("linked-folder")).expect("symlink");
            std::os::unix::fs::symlink(dir, dir.join("loop")).expect("symlink");
            let made = Command::new("mkfifo")
                .arg(dir.join("pipe.tf"))
                .status()
                .expect("mkfifo runs");
            assert!(made.success());
        },
        &[],
    );
    assert!(!text.contains("secret"), "{text}");
    assert!(
        !text.contains("pipe.tf"),
        "a FIFO is skipped silently: {text}"
    );
    assert_eq!(status, 1, "{text}");
    // Named explicitly, a device or a FIFO is refused, not opened.
    let dir = tempfile::tempdir().expect("temp dir");
    let output = mfalint(&["scan", "--format", "compact", "/dev/zero"], dir.path());
    assert_eq!(output.status.code(), Some(2));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("not a regular file"), "{text}");
}

#[test]
fn a_named_file_that_is_gone_is_a_diagnostic_and_the_scan_goes_on() {
    let (text, code) = scan_with(|_| {}, &["gone.tf"]);
    assert!(
        line_for(&text, "gone.tf").starts_with("gone.tf:1:1: error: [input]"),
        "{text}"
    );
    assert_eq!(code, 2);
}

#[test]
fn module_sources_that_escape_the_repository_are_not_followed() {
    let (text, _) = scan_with(
        |dir| {
            let calls = "module \"up\" {\n  source = \"../../../../../../../../etc\"\n}\n\
                         module \"absolute\" {\n  source = \"/etc\"\n}\n\
                         module \"home\" {\n  source = \"~/.ssh\"\n}\n";
            std::fs::write(dir.join("calls.tf"), calls).expect("write");
        },
        &[],
    );
    assert_eq!(text.lines().count(), 1, "only the good finding: {text}");
}

#[test]
fn a_hundred_thousand_empty_files_are_scanned() {
    let (text, status) = scan_with(
        |dir| {
            for i in 0..100_000 {
                std::fs::File::create(dir.join(format!("empty{i:06}.tf"))).expect("create");
            }
        },
        &["--quiet"],
    );
    assert_eq!(text.lines().count(), 1, "{}", &text[..text.len().min(2000)]);
    assert_eq!(status, 1);
}

/// A file named, and a user named, to forge output lines, terminal
/// sequences or GitHub workflow commands: every format keeps one finding
/// one record, with no raw control character.
#[cfg(unix)]
#[test]
fn crafted_names_cannot_forge_output_in_any_format() {
    let dir = tempfile::tempdir().expect("temp dir");
    let name = "a\nb::error file=x::pwned\u{1b}[31m.tf";
    std::fs::write(
        dir.path().join(name),
        "resource \"aws_iam_user_login_profile\" \"x\" {\n  user = \"bob\u{1b}[2J\r::error::boom\n\"\n}\n",
    )
    .expect("write");
    for format in ["human", "compact", "github", "json", "sarif"] {
        let output = mfalint(&["scan", "--format", format, "."], dir.path());
        assert_eq!(output.status.code(), Some(1), "{format}");
        let text = String::from_utf8(output.stdout).expect("UTF-8");
        assert!(
            !text.chars().any(|c| c.is_control() && c != '\n'),
            "{format}: a raw control character:\n{text:?}"
        );
        match format {
            "compact" => assert_eq!(text.lines().count(), 1, "{text}"),
            "github" => {
                assert_eq!(text.lines().count(), 1, "{text}");
                assert!(text.starts_with("::error file=a%0Ab%3A%3Aerror"), "{text}");
            }
            "json" | "sarif" => {
                let _: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
            }
            _ => assert!(!text.lines().any(|l| l.starts_with("::")), "{text}"),
        }
    }
}

/// YAML read as CloudFormation reads it stays linear: duplicate keys are
/// looked up through an index once a mapping is large (50,000 entries
/// over 1,000 names are 49,000 warnings), and a flow list of 100,000 lines
/// at the parent's indentation is joined in one pass and parsed twice at
/// most. Both took under a second in a debug build.
#[test]
fn many_duplicate_keys_and_under_indented_flow_lines_stay_linear() {
    let mut duplicates = String::from("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n");
    for i in 0..50_000 {
        duplicates.push_str(&format!("  U{}:\n    Type: AWS::IAM::Group\n", i % 1000));
    }
    let mut flow = String::from(
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Erin:\n    Type: AWS::IAM::User\n    Properties:\n      LoginProfile: {Password: x}\n      Groups: [\n",
    );
    for _ in 0..100_000 {
        flow.push_str("      g, # at the key's indentation\n");
    }
    flow.push_str("      ]\n");
    let started = std::time::Instant::now();
    let (text, status) = scan_with(
        |dir| {
            std::fs::write(dir.join("duplicates.yaml"), &duplicates).expect("write");
            std::fs::write(dir.join("flow.yaml"), &flow).expect("write");
        },
        &[],
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(30),
        "took {:?}",
        started.elapsed()
    );
    assert!(
        line_for(&text, "flow.yaml").starts_with("flow.yaml:3:3: error: [MFA001]"),
        "{text}"
    );
    assert!(!text.contains("duplicates.yaml"), "{text}");
    assert_eq!(status, 1);
}

/// One rule for lines in every format: a lone CR ends a line (as editors,
/// the Language Server Protocol and YAML count), so a user on the fifth
/// line of a CR-only JSON template is reported on line 5, as in YAML, and
/// an exception comment in a CR-only YAML template applies to the line
/// below it.
#[test]
fn a_lone_cr_ends_a_line_in_every_format() {
    let json = "{\r  \"Resources\": {\r    \"Pw\": {\"Type\": \"AWS::IAM::LoginProfile\", \"Properties\": {\"UserName\": \"cr-json\", \"Password\": \"x\"}},\r    \"Other\": {\"Type\": \"AWS::SNS::Topic\"},\r    \"U\": {\"Type\": \"AWS::IAM::User\", \"Properties\": {\"UserName\": \"cr-json\", \"LoginProfile\": {\"Password\": \"x\"}}}\r  }\r}\r";
    let yaml = "Resources:\r  Other:\r    Type: AWS::SNS::Topic\r  # mfalint:ignore MFA001 reason=\"break-glass account, sealed\" until=2099-01-01\r  Excused:\r    Type: AWS::IAM::User\r    Properties:\r      UserName: cr-excused\r      LoginProfile:\r        Password: x\r  U:\r    Type: AWS::IAM::User\r    Properties:\r      UserName: cr-yaml\r      LoginProfile:\r        Password: x\r";
    let (text, _) = scan_with(
        |dir| {
            std::fs::write(dir.join("template.json"), json).unwrap();
            std::fs::write(dir.join("template.yaml"), yaml).unwrap();
        },
        &[],
    );
    assert!(
        line_for(&text, "template.json").starts_with("template.json:5:5: error: [MFA001]"),
        "{text}"
    );
    let yaml_lines: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("template.yaml"))
        .collect();
    assert_eq!(yaml_lines.len(), 1, "{text}");
    assert!(
        yaml_lines[0].starts_with("template.yaml:11:3: error: [MFA001] IAM user `cr-yaml`"),
        "{text}"
    );
}
