//! Fixture harness: every folder under `testdata/rules/<RULE>/<case>/` is
//! scanned on its own, and its findings must equal, exactly, the markers
//! written in its files: `expect: MFA001` on the line of the finding's
//! primary location, `expect: input` on the line of an input error,
//! `expect: warning` on the line of an input warning (a duplicate YAML key).
//! `expect: MFA001@aws_iam_user.team["bob"]` also fixes the address the
//! finding names; several markers on one line are separated by commas.
//! A finding excused by a recorded exception is marked `suppressed:MFA001`.
//! Files that cannot hold comments (JSON) list theirs in the case's
//! `expected.txt`, one `path:line: RULE[@address]` per line.
//! Cases run with the default rules plus the rule they are filed under.
//! A case's `messages.txt` says why, one `path:line@address: text` per line:
//! the message of the finding there must contain the text.
//! Each case is a test of its own: `cargo test --test fixtures --
//! MFA001/cross_file` runs one.

use std::path::{Path, PathBuf};

use mfalint::discover::DiscoverOptions;
use mfalint::rules::RuleSelection;
use mfalint::scan::{ScanOptions, ScanResult, scan};

/// Scans one case; the rule the case is filed under is enabled even if it
/// is opt-in.
fn scan_dir(dir: &Path, threads: usize) -> ScanResult {
    let rule = dir
        .parent()
        .and_then(Path::file_name)
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let options = ScanOptions {
        rules: RuleSelection {
            enable: vec![rule],
            disable: Vec::new(),
        },
        discover: DiscoverOptions {
            paths: vec![dir.to_path_buf()],
            exclude: Vec::new(),
            respect_ignore_files: true,
            threads,
        },
        ..ScanOptions::default()
    };
    scan(&options).expect("scan options are valid")
}

/// `(path relative to the case, line, rule or "input", address)`; an
/// expectation without address matches any address.
type Expectation = (String, usize, String, Option<String>);

fn relative(case: &Path, path: &Path) -> String {
    path.strip_prefix(case)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

fn expected(case: &Path) -> Vec<Expectation> {
    let mut out = Vec::new();
    if let Ok(listed) = std::fs::read_to_string(case.join("expected.txt")) {
        for line in listed
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        {
            let (place, marker) = line.split_once(": ").expect("path:line: RULE");
            let (path, number) = place.rsplit_once(':').expect("path:line");
            let (rule, address) = match marker.trim().split_once('@') {
                Some((rule, address)) => (rule, Some(address.to_string())),
                None => (marker.trim(), None),
            };
            out.push((
                path.to_string(),
                number.parse().expect("line number"),
                rule.to_string(),
                address,
            ));
        }
    }
    for entry in walk(case)
        .into_iter()
        .filter(|p| !p.ends_with("expected.txt"))
    {
        let text = std::fs::read_to_string(&entry).unwrap_or_default();
        for (i, line) in text.lines().enumerate() {
            if let Some(rest) = line.split("expect:").nth(1) {
                for marker in rest.split(", ") {
                    let marker = marker.split_whitespace().next().unwrap_or("");
                    let (rule, address) = match marker.split_once('@') {
                        Some((rule, address)) => (rule, Some(address.to_string())),
                        None => (marker, None),
                    };
                    out.push((relative(case, &entry), i + 1, rule.to_string(), address));
                }
            }
        }
    }
    out.sort();
    out
}

fn actual(case: &Path, result: &ScanResult) -> Vec<Expectation> {
    let mut out = Vec::new();
    for f in &result.findings {
        let file = result.sources.get(f.primary.file);
        let line = file.position(f.primary.start).line;
        let rule = if f.is_suppressed() {
            format!("suppressed:{}", f.rule.as_str())
        } else {
            f.rule.as_str().to_string()
        };
        out.push((relative(case, &file.path), line, rule, f.address.clone()));
    }
    for e in &result.errors {
        let span = e.span.expect("fixture input errors have a position");
        let file = result.sources.get(span.file);
        let line = file.position(span.start).line;
        out.push((relative(case, &file.path), line, "input".to_string(), None));
    }
    for w in &result.input_warnings {
        let span = w.span.expect("fixture input warnings have a position");
        let file = result.sources.get(span.file);
        let line = file.position(span.start).line;
        out.push((
            relative(case, &file.path),
            line,
            "warning".to_string(),
            None,
        ));
    }
    out.sort();
    out
}

/// Every expectation is met by a distinct finding, and no finding is left.
fn matches(want: &[Expectation], got: &[Expectation]) -> bool {
    let mut left: Vec<&Expectation> = got.iter().collect();
    // Expectations with an address first, so that a bare marker cannot take
    // the finding an addressed one needs.
    let mut ordered: Vec<&Expectation> = want.iter().collect();
    ordered.sort_by_key(|w| w.3.is_none());
    for w in ordered {
        let found = left
            .iter()
            .position(|g| (&g.0, g.1, &g.2) == (&w.0, w.1, &w.2) && (w.3.is_none() || w.3 == g.3));
        match found {
            Some(i) => {
                left.remove(i);
            }
            None => return false,
        }
    }
    left.is_empty()
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("readable fixture dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/rules");
    let mut cases = Vec::new();
    for rule in std::fs::read_dir(&root).expect("testdata/rules exists") {
        let rule = rule.expect("entry").path();
        for case in std::fs::read_dir(&rule).expect("rule dir") {
            let case = case.expect("entry").path();
            if case.is_dir() {
                cases.push(case);
            }
        }
    }
    cases.sort();
    cases
}

/// One case: its findings equal its markers, and its messages say why.
fn check_case(case: &Path) -> Result<(), String> {
    let result = scan_dir(case, 2);
    let (want, got) = (expected(case), actual(case, &result));
    if !matches(&want, &got) {
        return Err(format!(
            "{}:\n  expected {want:?}\n  actual   {got:?}\n  messages: {:#?}",
            case.display(),
            result
                .findings
                .iter()
                .map(|f| &f.message)
                .collect::<Vec<_>>()
        ));
    }
    let mut failures = Vec::new();
    for (path, line, address, text) in expected_messages(case) {
        let here: Vec<&mfalint::finding::Finding> = result
            .findings
            .iter()
            .filter(|f| {
                let file = result.sources.get(f.primary.file);
                relative(case, &file.path) == path
                    && file.position(f.primary.start).line == line
                    && f.address.as_deref() == Some(address.as_str())
            })
            .collect();
        if here.is_empty() {
            failures.push(format!("no finding at {path}:{line}@{address}"));
        } else if !here.iter().any(|f| f.message.contains(&text)) {
            failures.push(format!(
                "{path}:{line}@{address}: no message has {text:?}:\n  {}",
                here.iter()
                    .map(|f| f.message.as_str())
                    .collect::<Vec<_>>()
                    .join("\n  ")
            ));
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(format!("{}:\n{}", case.display(), failures.join("\n")))
    }
}

/// A case's output as a reader sees it, in the human, compact and SARIF
/// formats (SARIF without what depends on the machine or the version:
/// the tool and its rule list, the absolute `%SRCROOT%`), beside the
/// markers that pin findings: a change of wording, of a label or of a
/// related location shows in review. `MFALINT_BLESS=1 cargo test --test
/// fixtures` rewrites the snapshots (`tests/snapshots/<RULE>/<case>.txt`);
/// a changed snapshot is read and judged, like the corpus snapshot.
fn check_snapshot(case: &Path, name: &str) -> Result<(), String> {
    use mfalint::report::{OutputFormat, RenderOptions, write};
    let result = scan_dir(case, 2);
    let render = |format| {
        let mut out = Vec::new();
        write(format, &result.report(), RenderOptions::default(), &mut out)
            .expect("writing to memory");
        String::from_utf8(out).expect("UTF-8 output")
    };
    let mut sarif: serde_json::Value =
        serde_json::from_str(&render(OutputFormat::Sarif)).expect("SARIF is JSON");
    let run = sarif["runs"][0]
        .as_object_mut()
        .expect("one run in the SARIF log");
    run.remove("tool");
    run.remove("originalUriBaseIds");
    let snapshot = format!(
        "# human\n{}\n# compact\n{}\n# sarif (the run, without the tool and %SRCROOT%)\n{}\n",
        render(OutputFormat::Human),
        render(OutputFormat::Compact),
        serde_json::to_string_pretty(&sarif["runs"][0]).expect("serialisable")
    );
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(format!("{name}.txt"));
    if std::env::var_os("MFALINT_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("snapshot folder");
        std::fs::write(&path, &snapshot).expect("writing the snapshot");
        return Ok(());
    }
    let recorded = std::fs::read_to_string(&path).unwrap_or_default();
    if recorded == snapshot {
        return Ok(());
    }
    let first = recorded
        .lines()
        .zip(snapshot.lines())
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| recorded.lines().count().min(snapshot.lines().count()));
    Err(format!(
        "{}: the output differs from {} from line {}:\n  recorded: {:?}\n  now:      {:?}\n(MFALINT_BLESS=1 rewrites it once the change is judged right)",
        case.display(),
        path.display(),
        first + 1,
        recorded.lines().nth(first).unwrap_or("<end>"),
        snapshot.lines().nth(first).unwrap_or("<end>"),
    ))
}

/// `(path, line, address, text)` from a case's `messages.txt`.
fn expected_messages(case: &Path) -> Vec<(String, usize, String, String)> {
    let Ok(listed) = std::fs::read_to_string(case.join("messages.txt")) else {
        return Vec::new();
    };
    listed
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|line| {
            let (place, text) = line.split_once(": ").expect("path:line@address: text");
            let (place, address) = place.split_once('@').expect("path:line@address");
            let (path, number) = place.rsplit_once(':').expect("path:line");
            (
                path.to_string(),
                number.parse().expect("line number"),
                address.to_string(),
                text.to_string(),
            )
        })
        .collect()
}

/// One test per case (`MFA001/cross_file`), so that a failure names it,
/// and two over all of them: the fixtures are not vacuous.
fn main() {
    let arguments = libtest_mimic::Arguments::from_args();
    let cases = cases();
    let mut trials: Vec<libtest_mimic::Trial> = cases
        .iter()
        .map(|case| {
            let name = case
                .strip_prefix(Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/rules"))
                .unwrap_or(case)
                .to_string_lossy()
                .replace('\\', "/");
            let case = case.clone();
            libtest_mimic::Trial::test(name, move || check_case(&case).map_err(Into::into))
        })
        .collect();
    for case in &cases {
        let name = case
            .strip_prefix(Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/rules"))
            .unwrap_or(case)
            .to_string_lossy()
            .replace('\\', "/");
        let case = case.clone();
        trials.push(libtest_mimic::Trial::test(
            format!("{name} (output)"),
            move || check_snapshot(&case, &name).map_err(Into::into),
        ));
    }
    let all = cases.clone();
    trials.push(libtest_mimic::Trial::test(
        "fixtures_are_not_vacuous",
        move || {
            let expectations: usize = all.iter().map(|c| expected(c).len()).sum();
            let messages: usize = all.iter().map(|c| expected_messages(c).len()).sum();
            if all.len() < 10 || expectations < 10 || messages < 5 {
                return Err(format!(
                    "only {} cases, {expectations} expectations, {messages} messages",
                    all.len()
                )
                .into());
            }
            Ok(())
        },
    ));
    libtest_mimic::run(&arguments, trials).exit();
}
