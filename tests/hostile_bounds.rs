//! Hostile inputs built to cost time or memory rather than to crash: wide
//! files, amplifying CloudFormation intrinsics, YAML aliases of big
//! scalars, nested-stack cycles and Terraform evaluation that copies big
//! values. Each scan runs under a cap on address space (`prlimit --as`)
//! and a deadline, and must end within the bound the issue set (a
//! deadline, memory under ten times the input plus 100 MB) with the good
//! file beside the hostile one still reported. Apart from `hostile.rs`
//! because these cases are heavy: a separate binary, run on its own.
#![cfg(target_os = "linux")]

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A file whose finding proves the scan went on.
const GOOD: &str = "resource \"aws_iam_user_login_profile\" \"good\" {\n  user = \"good\"\n}\n";

const MB: u64 = 1024 * 1024;

/// What a bounded scan did.
struct Run {
    text: String,
    status: Option<i32>,
    elapsed: Duration,
    /// Peak resident memory (the child's `ru_maxrss`).
    peak_rss: u64,
}

/// Scans `dir` (holding `GOOD` plus what `setup` wrote) and requires it to
/// end before `deadline` with a peak resident memory under ten times the
/// input plus `slack`. The address space is capped (`prlimit --as`) at
/// eight times that bound, and at least 4 GiB, so that a blow-up fails fast
/// instead of taking the machine, and the scan is killed at the deadline.
/// The cap is a guard, not the criterion: allocators reserve address space
/// well beyond what they touch (glibc's per-thread arenas, the over-sized
/// mappings that align mimalloc's large blocks, which with two threads
/// each growing a 40 MB vector needed 600 MB of address space for 110 MB
/// resident), so the bound is checked on the resident peak.
fn bounded_scan(setup: impl FnOnce(&Path), extra: &[&str], slack: u64, deadline: Duration) -> Run {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("good.tf"), GOOD).expect("write");
    setup(dir.path());
    let input: u64 = walk_size(dir.path());
    let bound = 10 * input + slack;
    let cap = (8 * bound).max(4096 * MB);
    let out = tempfile::NamedTempFile::new().expect("output file");
    let mut args = vec!["scan", "--format", "compact", "."];
    args.extend_from_slice(extra);
    let started = Instant::now();
    #[expect(
        clippy::zombie_processes,
        reason = "reaped by wait4 below, which also gives its peak memory"
    )]
    let mut child = Command::new("prlimit")
        .arg(format!("--as={cap}"))
        .arg("--")
        .arg(env!("CARGO_BIN_EXE_mfalint"))
        .args(&args)
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .stdout(out.reopen().expect("reopen"))
        .stderr(Stdio::piped())
        .spawn()
        .expect("prlimit runs mfalint");
    let pid = child.id() as libc::pid_t;
    // SAFETY: plain system calls on a child of ours, with valid pointers.
    let (status, usage) = unsafe {
        let mut status = 0;
        let mut usage: libc::rusage = std::mem::zeroed();
        loop {
            let done = libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage);
            if done == pid {
                break;
            }
            if started.elapsed() > deadline {
                let _ = child.kill();
                libc::wait4(pid, &mut status, 0, &mut usage);
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        (status, usage)
    };
    let elapsed = started.elapsed();
    let peak_rss = usage.ru_maxrss as u64 * 1024;
    let mut stderr = String::new();
    if let Some(mut pipe) = child.stderr.take() {
        use std::io::Read;
        let _ = pipe.read_to_string(&mut stderr);
    }
    let text = std::fs::read_to_string(out.path()).unwrap_or_default();
    let head = &text[..text.len().min(4000)];
    assert!(
        elapsed <= deadline,
        "killed after {elapsed:?} (deadline {deadline:?}); peak RSS {} MB",
        peak_rss / MB
    );
    assert!(
        !stderr.contains("memory allocation") && !stderr.contains("panicked"),
        "over the {} MB address space cap, or a panic:\n{stderr}",
        cap / MB,
    );
    assert!(
        peak_rss < bound,
        "peak RSS {} MB, over the {} MB bound for {} KB of input",
        peak_rss / MB,
        bound / MB,
        input / 1024
    );
    assert!(
        text.contains("good.tf:1:1: error: [MFA001]"),
        "the good file must still be reported:\n{head}\n{stderr}"
    );
    Run {
        text,
        status: libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status)),
        elapsed,
        peak_rss,
    }
}

fn walk_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| {
            let e = e.expect("entry");
            let meta = e.metadata().expect("metadata");
            if meta.is_dir() {
                walk_size(&e.path())
            } else {
                meta.len()
            }
        })
        .sum()
}

fn write(dir: &Path, path: &str, text: &str) {
    let path = dir.join(path);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

fn line_for<'t>(text: &'t str, file: &str) -> &'t str {
    text.lines()
        .find(|l| l.starts_with(file))
        .unwrap_or_else(|| panic!("no line for {file} in:\n{}", &text[..text.len().min(4000)]))
}

/// Terms that fail after an operator, nested: hcl-edit's parser read such
/// a term twice at each level (once for the chain, once more when the
/// chain restarted at the same operator), so `x = 0` then `%{0<5` twenty
/// times, 100 bytes, took a second, and each level more doubled it (found by
/// the `terraform_hcl_parsers` fuzz target; vendor/hcl-edit/PATCHED.md).
/// The term fails where the file ends (a failure at a newline stops the
/// parse at once). Forty levels, refused at once with the error they
/// always had.
#[test]
fn nested_terms_after_operators_parse_in_linear_time() {
    let text = format!("# aws_iam_user\nx = 0{}", "%{0<5".repeat(40));
    let run = bounded_scan(
        |dir| write(dir, "nested/main.tf", &text),
        &[],
        100 * MB,
        Duration::from_secs(20),
    );
    let line = line_for(&run.text, "nested/main.tf");
    assert!(line.contains("HCL syntax error"), "{line}");
    assert_eq!(run.status, Some(2));
}

/// Wide files parse in linear time. 50,000 attributes in a `locals` block
/// took 39 s in a debug build, a resource of 50,000 attributes 36 s, a
/// `.tf.json` block of 50,000 keys 35 s, and an object constructor of
/// 20,000 keys 12 s (hcl-edit looked each key up among those before it;
/// 50,000 would take over a minute). At the 200,000 (3.5 MB
/// files) each takes under a second in a release build (3-7 s in a debug
/// one, which is what `cargo test` runs, hence its wider limit) and stays
/// under ten times its size plus 100 MB: 97-120 MB, where a 200,000-key
/// object peaked at 182 MB before values shrank to 48 bytes and the
/// allocator returned freed memory at once (src/main.rs).
#[test]
fn wide_blocks_and_objects_parse_in_linear_time() {
    let n = 200_000;
    let limit = Duration::from_secs(if cfg!(debug_assertions) { 20 } else { 10 });
    let attributes: String = (0..n).map(|i| format!("  a{i} = {i}\n")).collect();
    let keys: Vec<String> = (0..n).map(|i| format!("\"k{i}\": {i}")).collect();
    let keys = keys.join(", ");
    let items: String = (0..n).map(|i| format!("    k{i} = {i}\n")).collect();
    // A quarter as many: their trees are larger (up to 60 bytes a byte of
    // input, through the winnow parser, which the template directives
    // send the file to), and the bound is on memory too.
    let expression_keys: String = (0..n / 4)
        .map(|i| match i % 7 {
            0 => format!("    (k{i}) = {i}\n"),
            1 => format!("    \"k${{{i}}}\" = {i}\n"),
            2 => format!("    local.k{i} = {i}\n"),
            3 => format!("    {{ a = k{i} }} = {i}\n"),
            4 => format!("    [for x in y : k{i}] = {i}\n"),
            5 => format!("    \"%{{if k{i}}}a%{{endif}}\" = {i}\n"),
            _ => format!("    (((((((((((k{i}))))))))))) = {i}\n"),
        })
        .collect();
    let cases = [
        (
            "locals.tf",
            format!("# aws_iam_user\nlocals {{\n{attributes}}}\n"),
            0,
        ),
        (
            "resource.tf",
            format!(
                "resource \"aws_iam_user\" \"wide\" {{\n  name = \"wide\"\n{attributes}}}\n\
                 resource \"aws_iam_user_login_profile\" \"wide\" {{\n  user = aws_iam_user.wide.name\n}}\n"
            ),
            1,
        ),
        (
            "block.tf.json",
            format!(
                "{{\"locals\": {{{keys}}}, \"resource\": {{\"aws_iam_user_login_profile\": {{\"p\": {{\"user\": \"json\"}}}}}}}}"
            ),
            1,
        ),
        (
            "object.tf.json",
            format!(
                "{{\"locals\": {{\"o\": {{{keys}}}}}, \"resource\": {{\"aws_iam_user_login_profile\": {{\"p\": {{\"for_each\": \"${{{{for k, v in local.o : k => v if v < 2}}}}\", \"user\": \"${{each.key}}\"}}}}}}}}"
            ),
            2,
        ),
        (
            // Keys neither identifiers nor strings, compared among
            // themselves for repeats: 20,000 took 2 s in a release build
            // (each against every earlier one); these 50,000, of kinds
            // whose hashes could collide, 25 s.
            "expression_keys.tf",
            format!(
                "locals {{\n  o = {{\n{expression_keys}  }}\n}}\n\
                 resource \"aws_iam_user_login_profile\" \"p\" {{\n  for_each = {{ for k, v in local.o : k => v if v < 2 }}\n  user = each.key\n}}\n"
            ),
            1,
        ),
        (
            "object.tf",
            format!(
                "locals {{\n  o = {{\n{items}  }}\n}}\n\
                 resource \"aws_iam_user_login_profile\" \"p\" {{\n  for_each = {{ for k, v in local.o : k => v if v < 2 }}\n  user = each.key\n}}\n"
            ),
            2,
        ),
    ];
    for (name, text, findings) in cases {
        let run = bounded_scan(
            |dir| write(dir, &format!("wide/{name}"), &text),
            &[],
            100 * MB,
            Duration::from_secs(40),
        );
        assert!(run.elapsed < limit, "{name} took {:?}", run.elapsed);
        let found = run.text.lines().filter(|l| l.starts_with("wide/")).count();
        assert_eq!(found, findings, "{name}:\n{}", run.text);
        assert_eq!(run.status, Some(1));
        eprintln!(
            "{name}: {:?}, peak RSS {} MB",
            run.elapsed,
            run.peak_rss / MB
        );
    }
}

/// 20,000 aliases of one 300 KB scalar in a 380 KB file: the node budget
/// saw 20,000 nodes and let them through, and the copies took over 4 GB
/// (the scan aborted with no output under a 4 GB cap). The budget counts
/// bytes too, and the file is an input error at the alias that overdraws
/// it.
#[test]
fn aliases_of_a_big_scalar_are_refused_by_bytes() {
    let run = bounded_scan(
        |dir| {
            let copies = vec!["*b"; 20_000].join(", ");
            let yaml = format!(
                "AWSTemplateFormatVersion: \"2010-09-09\"\nMetadata:\n  Big: &b \"{}\"\n  Copies: [{copies}]\n\
                 Resources:\n  U:\n    Type: AWS::IAM::User\n    Properties:\n      LoginProfile:\n        Password: p\n",
                "x".repeat(300_000)
            );
            write(dir, "aliases.yaml", &yaml);
        },
        &[],
        100 * MB,
        Duration::from_secs(30),
    );
    assert!(
        line_for(&run.text, "aliases.yaml:4:")
            .contains("error: [input] YAML aliases expand to more than 67108864 bytes; not read"),
        "{}",
        run.text
    );
    assert!(
        run.elapsed < Duration::from_secs(10),
        "took {:?}",
        run.elapsed
    );
    assert_eq!(run.status, Some(2));
    eprintln!(
        "aliases: {:?}, peak RSS {} MB",
        run.elapsed,
        run.peak_rss / MB
    );
}

fn cloudformation_template(parameter: &str, resources: &str) -> String {
    format!(
        "{{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Parameters\": {{\"P\": {{\"Type\": \"String\", \"Default\": \"{parameter}\"}}}}, \"Resources\": {{{resources}}}}}"
    )
}

fn cloudformation_user(id: &str, name: &str) -> String {
    format!(
        "\"{id}\": {{\"Type\": \"AWS::IAM::User\", \"Properties\": {{\"UserName\": {name}, \"LoginProfile\": {{\"Password\": \"p\"}}}}}}"
    )
}

/// CloudFormation strings built by `Fn::Join` and `Fn::Sub` are bounded
/// as Terraform's are: a 440 KB template joining 10,000 copies of a 300 KB
/// default built a 3 GB user name, a 4 MB `Fn::Sub` a 4 GB one (both
/// aborted under a 6 GB cap, with no output). Past the bound the name is
/// unknown and the finding says why; a long expression is cut in the
/// message, with its length.
#[test]
fn cloudformation_strings_are_bounded_and_long_names_cut() {
    let run = bounded_scan(
        |dir| {
            let refs = vec!["{\"Ref\": \"P\"}"; 10_000].join(", ");
            write(
                dir,
                "join.json",
                &cloudformation_template(
                    &"x".repeat(300_000),
                    &cloudformation_user("Joined", &format!("{{\"Fn::Join\": [\"\", [{refs}]]}}")),
                ),
            );
            let subs = "${A}".repeat(1_000_000);
            write(
                dir,
                "sub.json",
                &cloudformation_template(
                    "p",
                    &cloudformation_user(
                        "Subbed",
                        &format!(
                            "{{\"Fn::Sub\": [\"{subs}\", {{\"A\": \"{}\"}}]}}",
                            "y".repeat(1_000)
                        ),
                    ),
                ),
            );
        },
        &[],
        100 * MB,
        Duration::from_secs(60),
    );
    let joined = line_for(&run.text, "join.json");
    assert!(
        joined.contains("IAM user `Joined` (its name `{\"Fn::Join\": [\"\", [{\"Ref\": \"P\"}, ")
            && joined.contains("… (140020 bytes)` is not known statically: a list of more than 1048576 bytes of text, longer than mfalint evaluates)"),
        "{joined}"
    );
    let subbed = line_for(&run.text, "sub.json");
    assert!(
        subbed.contains(
            "… (4001028 bytes)` is not known statically: a string of more than 1048576 bytes, longer than the 1048576 bytes mfalint evaluates)"
        ),
        "{subbed}"
    );
    let longest = run.text.lines().map(str::len).max().unwrap_or(0);
    assert!(longest < 2_000, "a line of {longest} bytes");
    assert!(
        run.elapsed < Duration::from_secs(10),
        "took {:?}",
        run.elapsed
    );
    eprintln!(
        "join, sub: {:?}, peak RSS {} MB",
        run.elapsed,
        run.peak_rss / MB
    );
}

/// The text budget is shared by the templates of a scan, whose root
/// templates are lowered in parallel. Where it runs out is decided in
/// template order all the same (the scan lowers them again, in order,
/// when it ran out): of twenty templates each naming its user by a
/// reference to a 1 MB default, the first eight fit in the 16 MiB and the
/// last twelve are unknown, with one thread or two. (A reference counts
/// twice: the default's text as evaluated, then the reference's value,
/// `Evaluator::value` of each; 2 MB a template.)
#[test]
fn cloudformation_budget_runs_out_in_template_order() {
    let setup = |dir: &Path| {
        for t in 0..20 {
            write(
                dir,
                &format!("t{t:02}.json"),
                &cloudformation_template(
                    &format!("{}{t:02}", "n".repeat(999_998)),
                    &cloudformation_user("U", "{\"Ref\": \"P\"}"),
                ),
            );
        }
    };
    let mut outputs = Vec::new();
    for threads in ["1", "2", "2"] {
        let run = bounded_scan(
            setup,
            &["--threads", threads],
            100 * MB,
            Duration::from_secs(60),
        );
        for t in 0..20 {
            let line = line_for(&run.text, &format!("t{t:02}.json"));
            let named = line.contains("… (1000000 bytes)` (`U`)");
            let stopped = line.contains("evaluation stopped");
            assert_eq!(
                (named, stopped),
                (t < 8, t >= 8),
                "t{t:02}.json with {threads} threads: {}",
                &line[..line.len().min(600)]
            );
        }
        outputs.push(run.text);
    }
    assert!(outputs.windows(2).all(|w| w[0] == w[1]));
}

/// 2,000 users named by a reference to one 1 MB default held 2 GB of
/// names (and printed 2 GB of findings). What evaluation copies is counted
/// across the scan: past 16 MiB, names are unknown, every user is still
/// reported, and the names shown are cut.
#[test]
fn cloudformation_copies_are_bounded_across_the_scan() {
    let run = bounded_scan(
        |dir| {
            let users: Vec<String> = (0..2_000)
                .map(|i| cloudformation_user(&format!("U{i}"), "{\"Ref\": \"P\"}"))
                .collect();
            write(
                dir,
                "copies.json",
                &cloudformation_template(&"z".repeat(1_000_000), &users.join(", ")),
            );
        },
        &[],
        100 * MB,
        Duration::from_secs(60),
    );
    let copies: Vec<&str> = run
        .text
        .lines()
        .filter(|l| l.starts_with("copies.json"))
        .collect();
    assert_eq!(copies.len(), 2_000, "every user is still reported");
    let cut = format!("IAM user `{}… (1000000 bytes)` (`U0`)", "z".repeat(200));
    assert!(copies.iter().any(|l| l.contains(&cut)), "{}", copies[0]);
    assert!(
        copies.iter().any(|l| l.contains(
            "is not known statically: evaluation stopped: the templates produce more than 16777216 bytes of text"
        )),
        "{}",
        copies[copies.len() - 1]
    );
    let longest = run.text.lines().map(str::len).max().unwrap_or(0);
    assert!(longest < 2_000, "a line of {longest} bytes");
    assert!(
        run.elapsed < Duration::from_secs(10),
        "took {:?}",
        run.elapsed
    );
    eprintln!(
        "copies: {:?}, peak RSS {} MB",
        run.elapsed,
        run.peak_rss / MB
    );
}

/// Terraform evaluation is charged by the bytes it produces. A 1.7 KB file copying an unknown whose reason quotes a 1 MB
/// string 10,000 times through nested `for` expressions took over 8 GB
/// (aborted with no output); three roots each joining 2,500 copies of a
/// 1 MB string took 2.7 GB each within the step bound, and roots run in
/// parallel. Reasons are now shared, not copied, every value is charged
/// by its size to a bound per root module (so that which root stops never
/// depends on the schedule), and where the model first reads a value the
/// bound left unknown is an input error; the finding says why.
#[test]
fn terraform_evaluation_is_bounded_in_bytes() {
    const LOGIN: &str =
        "resource \"aws_iam_user_login_profile\" \"p\" {\n  user = aws_iam_user.u.name\n}\n";
    let big = format!(
        "join(\"\", [for i in range(1024) : \"{}\"])",
        "x".repeat(1024)
    );
    let run = bounded_scan(
        |dir| {
            write(
                dir,
                "reasons/main.tf",
                &format!(
                    "locals {{\n  big  = {big}\n  bad  = {{ a = 1 }}[local.big]\n  rows = [for i in range(100) : [for j in range(100) : local.bad]]\n}}\n\
                     resource \"aws_iam_user\" \"u\" {{\n  name = local.rows[0][0]\n}}\n{LOGIN}"
                ),
            );
            for root in ["join-a", "join-b", "join-c"] {
                write(
                    dir,
                    &format!("{root}/main.tf"),
                    &format!(
                        "locals {{\n  big = {big}\n  all = join(\"\", [for i in range(1000) : local.big], [for i in range(1000) : local.big], [for i in range(500) : local.big])\n}}\n\
                         resource \"aws_iam_user\" \"u\" {{\n  name = local.all\n}}\n{LOGIN}"
                    ),
                );
            }
        },
        &[],
        100 * MB,
        Duration::from_secs(60),
    );
    let stopped = "evaluation stopped: the Terraform evaluation of this root module produces more than 8388608 bytes";
    let reasons: Vec<&str> = run
        .text
        .lines()
        .filter(|l| l.starts_with("reasons/"))
        .collect();
    assert!(
        reasons.iter().any(|l| l.contains("error: [MFA001]")),
        "the user is still reported: {reasons:?}"
    );
    // Every root reaches its bound, says where, and its user's finding
    // says why.
    let diagnostics: Vec<&str> = run
        .text
        .lines()
        .filter(|l| l.contains("error: [input]") && l.contains(stopped))
        .collect();
    assert_eq!(diagnostics.len(), 4, "{}", run.text);
    assert!(
        diagnostics
            .iter()
            .all(|l| l.contains(".tf:") && l.contains("; reached here:")),
        "{diagnostics:?}"
    );
    let users = run
        .text
        .lines()
        .filter(|l| l.contains("error: [MFA001]") && !l.starts_with("good.tf"))
        .count();
    assert_eq!(users, 4, "every root's user is reported:\n{}", run.text);
    assert!(
        run.text
            .lines()
            .any(|l| l.contains("error: [MFA001]") && l.contains(stopped)),
        "{}",
        run.text
    );
    assert!(
        run.elapsed < Duration::from_secs(10),
        "took {:?}",
        run.elapsed
    );
    assert_eq!(run.status, Some(2));
    eprintln!(
        "terraform bytes: {:?}, peak RSS {} MB",
        run.elapsed,
        run.peak_rss / MB
    );
}

/// Serverless variables that copy: a 1.3 KB service whose `custom` lists
/// each hold the previous one twice (22 levels: 4 million nodes, 204 MB
/// in a debug build before copies were charged by size), a 1 MB string
/// doubled over ten levels (1 GB), a variable with 2,000 fallbacks used
/// by 16 doubling levels (minutes), and 10,000 nested `${` (a stack
/// overflow). Each is cut by the bound, said once, with the user still
/// reported.
#[test]
fn serverless_variables_are_bounded() {
    let user = "resources:\n  Resources:\n    Bob:\n      Type: AWS::IAM::User\n      Properties:\n        UserName: ${self:custom.l22}\n        LoginProfile:\n          Password: x\n";
    let run = bounded_scan(
        |dir| {
            let mut nodes = String::from("custom:\n  l0: [a, a]\n");
            for i in 1..=22 {
                nodes.push_str(&format!(
                    "  l{i}: [\"${{self:custom.l{p}}}\", \"${{self:custom.l{p}}}\"]\n",
                    p = i - 1
                ));
            }
            write(dir, "nodes/serverless.yml", &format!("{nodes}{user}"));
            let mut text = format!("custom:\n  l0: {}\n", "s".repeat(1 << 20));
            for i in 1..=22 {
                text.push_str(&format!(
                    "  l{i}: ${{self:custom.l{p}}}${{self:custom.l{p}}}\n",
                    p = i - 1
                ));
            }
            write(dir, "text/serverless.yml", &format!("{text}{user}"));
            let fallbacks = vec!["opt:a"; 2_000].join(", ");
            let mut slow = format!("custom:\n  l0: '${{{fallbacks}}}'\n");
            for i in 1..=22 {
                slow.push_str(&format!(
                    "  l{i}: ${{self:custom.l{p}}}${{self:custom.l{p}}}\n",
                    p = i - 1
                ));
            }
            write(dir, "slow/serverless.yml", &format!("{slow}{user}"));
            let deep = format!("{}self:x{}", "${".repeat(10_000), "}".repeat(10_000));
            write(
                dir,
                "deep/serverless.yml",
                &format!(
                    "x: a\n{}",
                    user.replace("${self:custom.l22}", &format!("\"{deep}\""))
                ),
            );
        },
        &[],
        100 * MB,
        Duration::from_secs(60),
    );
    for service in ["nodes", "text", "slow", "deep"] {
        let line = line_for(&run.text, &format!("{service}/serverless.yml"));
        assert!(line.contains("[MFA001]"), "{service}: {line}");
    }
    assert!(
        run.elapsed < Duration::from_secs(10),
        "took {:?}",
        run.elapsed
    );
    eprintln!(
        "serverless: {:?}, peak RSS {} MB",
        run.elapsed,
        run.peak_rss / MB
    );
}

/// Pulumi YAML expressions that copy or recurse: a 39 KB program whose
/// 4,000 list items each reference a list of 3,900 (1 GB of values before
/// copies were charged by their size), a resource whose name refers to
/// itself inside `fn::toJSON` (a stack overflow), and a chain of 10,000
/// resources each naming itself after the previous one (a stack overflow,
/// then seconds). Each ends within the bound with the user still reported.
#[test]
fn pulumi_expressions_are_bounded() {
    let user = "  bob:\n    type: aws:iam:User\n    properties:\n      name: bob\n  bobLogin:\n    type: aws:iam:UserLoginProfile\n    properties:\n      user: ${bob.name}\n";
    let run = bounded_scan(
        |dir| {
            let big = vec!["x"; 3_900].join(",");
            let copies = vec!["'${v0}'"; 4_000].join(",");
            write(
                dir,
                "copies/Pulumi.yaml",
                &format!(
                    "name: p\nruntime: yaml\nvariables:\n  v0: [{big}]\n  v1: [{copies}]\nresources:\n  other:\n    type: aws:iam:UserPolicy\n    properties:\n      user: bob\n      policy:\n        fn::toJSON: ${{v1}}\n{user}"
                ),
            );
            write(
                dir,
                "cycle/Pulumi.yaml",
                &format!(
                    "name: p\nruntime: yaml\nresources:\n  a:\n    type: aws:iam:User\n    properties:\n      name: ${{a.name}}\n  p:\n    type: aws:iam:UserPolicy\n    properties:\n      user: u\n      policy:\n        fn::toJSON:\n          x: ${{a.name}}\n{user}"
                ),
            );
            let mut chain = String::from("name: p\nruntime: yaml\nresources:\n");
            for i in (1..10_000).rev() {
                chain.push_str(&format!(
                    "  r{i}:\n    type: aws:iam:User\n    properties:\n      name: x${{r{}.name}}\n",
                    i - 1
                ));
            }
            chain.push_str("  r0:\n    type: aws:iam:User\n    properties:\n      name: r\n");
            write(dir, "chain/Pulumi.yaml", &format!("{chain}{user}"));
        },
        &[],
        100 * MB,
        Duration::from_secs(60),
    );
    for program in ["copies", "cycle", "chain"] {
        let line = line_for(&run.text, &format!("{program}/Pulumi.yaml"));
        assert!(
            run.text
                .lines()
                .any(|l| l.starts_with(&format!("{program}/Pulumi.yaml")) && l.contains("[MFA001]")),
            "{program}: {line}"
        );
    }
    assert!(
        run.elapsed < Duration::from_secs(10),
        "took {:?}",
        run.elapsed
    );
    eprintln!(
        "pulumi: {:?}, peak RSS {} MB",
        run.elapsed,
        run.peak_rss / MB
    );
}
