//! `cargo bench`: scan throughput (files/s, MB/s) on the shared corpus (if
//! present) and on synthetic trees of growing size, plus the parse-only
//! floor per front-end. Plain `harness = false` timing with a median of
//! runs: no benchmark framework to build.
//!
//! Synthetic trees are generated deterministically (no randomness): N
//! Terraform modules with users, login profiles, groups, policies and
//! `for_each`, and CloudFormation templates.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use mfalint::discover::DiscoverOptions;
use mfalint::scan::{ScanOptions, scan};

const RUNS: usize = 5;

fn main() {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "mfalint {} benchmark, {threads} threads, median of {RUNS} runs",
        env!("CARGO_PKG_VERSION")
    );
    println!(
        "{:<34} {:>7} {:>9} {:>10} {:>10} {:>9}",
        "input", "files", "MB", "time (ms)", "files/s", "MB/s"
    );
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/scale");
    if corpus.is_dir() {
        bench_scan("shared corpus (scale/)", &corpus, threads);
    }
    let root = std::env::temp_dir().join(format!("mfalint-bench-{}", std::process::id()));
    for modules in [100, 1_000, 3_000] {
        let dir = root.join(format!("synthetic-{modules}"));
        generate(&dir, modules);
        bench_scan(&format!("synthetic, {modules} modules"), &dir, threads);
        bench_scan(&format!("synthetic, {modules} modules, 1 thread"), &dir, 1);
    }
    let _ = std::fs::remove_dir_all(&root);
}

fn bench_scan(label: &str, dir: &Path, threads: usize) {
    let options = ScanOptions {
        discover: DiscoverOptions {
            paths: vec![dir.to_path_buf()],
            respect_ignore_files: true,
            threads,
            ..DiscoverOptions::default()
        },
        ..ScanOptions::default()
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("thread pool");
    let mut times = Vec::new();
    let mut files = 0;
    let mut bytes = 0;
    for _ in 0..RUNS {
        let start = Instant::now();
        let result = pool.install(|| scan(&options)).expect("valid options");
        times.push(start.elapsed());
        files = result.files_scanned;
        bytes = result
            .sources
            .iter()
            .map(|(_, f)| f.text.len())
            .sum::<usize>();
    }
    times.sort();
    let median: Duration = times[RUNS / 2];
    let secs = median.as_secs_f64();
    let mb = bytes as f64 / 1e6;
    println!(
        "{label:<34} {files:>7} {mb:>9.2} {:>10.1} {:>10.0} {:>9.1}",
        secs * 1e3,
        files as f64 / secs,
        mb / secs
    );
}

/// Writes `modules` Terraform modules and `modules / 4` CloudFormation
/// templates under `dir`, deterministically.
fn generate(dir: &Path, modules: usize) {
    let _ = std::fs::remove_dir_all(dir);
    for m in 0..modules {
        let module: PathBuf = dir.join(format!("team{:05}", m));
        std::fs::create_dir_all(&module).expect("create module dir");
        let people: Vec<String> = (0..4)
            .map(|p| format!("\"user{m}x{p}\" = {{ mfa = {} }}", p % 2 == 0))
            .collect();
        std::fs::write(
            module.join("variables.tf"),
            format!("variable \"people\" {{\n  default = {{\n    {}\n  }}\n}}\n\nvariable \"team\" {{\n  default = \"team{m}\"\n}}\n", people.join("\n    ")),
        )
        .expect("write");
        std::fs::write(
            module.join("users.tf"),
            r#"resource "aws_iam_user" "people" {
  for_each = var.people
  name     = each.key
}

resource "aws_iam_user_login_profile" "people" {
  for_each = aws_iam_user.people
  user     = each.value.name
}

resource "aws_iam_virtual_mfa_device" "people" {
  for_each                = { for name, p in var.people : name => p if p.mfa }
  virtual_mfa_device_name = aws_iam_user.people[each.key].name
}
"#,
        )
        .expect("write");
        std::fs::write(
            module.join("groups.tf"),
            r#"resource "aws_iam_group" "team" {
  name = "${var.team}-console"
}

resource "aws_iam_group_membership" "team" {
  name  = "${var.team}-members"
  group = aws_iam_group.team.name
  users = [for u in aws_iam_user.people : u.name]
}

data "aws_iam_policy_document" "force_mfa" {
  statement {
    sid         = "DenyAllExceptListedIfNoMFA"
    effect      = "Deny"
    not_actions = ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "sts:GetSessionToken"]
    resources   = ["*"]
    condition {
      test     = "BoolIfExists"
      variable = "aws:MultiFactorAuthPresent"
      values   = ["false"]
    }
  }
}

resource "aws_iam_policy" "force_mfa" {
  name   = "${var.team}-force-mfa"
  policy = data.aws_iam_policy_document.force_mfa.json
}

resource "aws_iam_group_policy_attachment" "force_mfa" {
  group      = aws_iam_group.team.name
  policy_arn = aws_iam_policy.force_mfa.arn
}

resource "aws_s3_bucket" "data" {
  bucket = "${var.team}-data"
  tags   = { team = var.team, purpose = "padding like real repositories" }
}
"#,
        )
        .expect("write");
        if m % 4 == 0 {
            std::fs::write(
                module.join("template.yaml"),
                format!(
                    "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  User:\n    Type: AWS::IAM::User\n    Properties:\n      UserName: cfn{m}\n      LoginProfile:\n        Password: \"{{{{resolve:secretsmanager:x}}}}\"\n  Device:\n    Type: AWS::IAM::VirtualMFADevice\n    Properties:\n      Users: [!Ref User]\n"
                ),
            )
            .expect("write");
        }
    }
}
