// The fuzz harness, shared by every fuzz target (fuzz/fuzz_targets/) and by
// the regression tests (tests/robustness.rs), so a crash input replays
// exactly as the fuzzer ran it. Each front-end target runs the whole
// pipeline on in-memory files, then every reporter over the result (spans
// become lines, columns and escaped text there, so a bad span or an
// unescaped byte shows up).

#![allow(dead_code)]

use std::path::PathBuf;

use mfalint::report::{OutputFormat, RenderOptions, write};
use mfalint::scan::scan_texts;

/// Runs the input of one target (a fuzz target's name).
pub fn run_target(target: &str, data: &[u8]) {
    match target {
        "terraform_hcl" => scan_one("main.tf", data),
        "terraform_json" => scan_one("main.tf.json", data),
        "cloudformation_json" => scan_one("template.json", data),
        "cloudformation_yaml" => scan_one("template.yaml", data),
        "serverless" => scan_one("serverless.yml", data),
        "pulumi_yaml" => scan_one("Pulumi.yaml", data),
        "credential_report" => scan_one("credential-report.csv", data),
        "terraform_plan" => terraform_plan(data),
        "exception_comments" => exception_comments(data),
        "config_file" => config_file(data),
        "lsp_framing" => lsp_framing(data),
        "terraform_hcl_parsers" => hcl_parsers_agree(data),
        other => panic!("unknown fuzz target {other}"),
    }
}

/// The language server's framing over arbitrary input: every frame is
/// read within the size limit given (small here, so that the "over the
/// limit" path is fuzzed too) and decoded into a message or an error
/// answer with a null id; the input always ends the loop.
pub fn lsp_framing(data: &[u8]) {
    let mut input = std::io::BufReader::with_capacity(64, data);
    let mut frames = 0;
    while let Some(frame) = mfalint::lsp::read_frame(&mut input, 4096).expect("reading memory") {
        frames += 1;
        assert!(frames <= data.len() + 1, "a frame consumes input");
        if let mfalint::lsp::Frame::Body(body) = &frame {
            assert!(body.len() <= 4096);
        }
        match mfalint::lsp::decode(frame) {
            Ok(_) => {}
            Err(answer) => assert!(answer["id"].is_null() && answer["error"]["code"].is_i64()),
        }
    }
}

/// The vendored hcl-edit's hand-written body parser against its winnow
/// parser (`vendor/hcl-edit/src/parser/fast.rs`): where the fast one
/// accepts, the winnow one accepts too and builds the same tree, decor
/// aside (as `tests/hcl_fast_parser.rs` checks on files).
pub fn hcl_parsers_agree(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let reference = hcl_edit::parser::parse_body_winnow(text);
    if let Some(fast) = hcl_edit::parser::parse_body_fast(text) {
        let reference = match reference {
            Ok(tree) => tree,
            Err(err) => panic!("the fast parser accepted what winnow refuses: {err}"),
        };
        assert_eq!(
            format!("{fast:?}"),
            without_decor(&format!("{reference:?}")),
            "the parsers' trees differ"
        );
    }
}

/// A tree's `Debug` text without decor: the winnow parser keeps it as
/// spans (`RawString(Spanned(..))`), the fast one leaves it out. Also
/// `tests/hcl_fast_parser.rs`'s comparison.
pub fn without_decor(tree: &str) -> String {
    const SPANNED: &str = "RawString(Spanned(";
    let mut out = String::with_capacity(tree.len());
    let mut rest = tree;
    while let Some(i) = rest.find(SPANNED) {
        out.push_str(&rest[..i]);
        let after = &rest[i + SPANNED.len()..];
        let end = after.find("))").expect("a span ends");
        out.push_str("RawString(Empty)");
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out.replace("Some(RawString(Empty))", "None")
}

pub fn scan_one(name: &str, data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    scan_files(vec![(PathBuf::from(name), text.to_string())]);
}

pub fn scan_files(files: Vec<(PathBuf, String)>) {
    let result = scan_texts(files);
    check_spans(&result);
    render_all(&result);
}

/// The result in every output format, one after the other.
pub fn render_all(result: &mfalint::scan::ScanResult) -> Vec<u8> {
    let mut out = Vec::new();
    for format in [
        OutputFormat::Human,
        OutputFormat::Compact,
        OutputFormat::Json,
        OutputFormat::Sarif,
        OutputFormat::Github,
    ] {
        write(format, &result.report(), RenderOptions::default(), &mut out)
            .expect("writing to memory");
    }
    // The inventory, in each of its formats.
    let (rows, sources, errors) = (&result.inventory, &result.sources, &result.errors);
    use mfalint::inventory::{csv, html, json, markdown};
    markdown::write(rows, sources, errors, &mut out).expect("writing to memory");
    csv::write(rows, sources, errors, &mut out).expect("writing to memory");
    json::write(rows, sources, errors, &mut out).expect("writing to memory");
    html::write(rows, sources, errors, &mut out).expect("writing to memory");
    out
}

/// Every position a finding or a diagnostic gives lies inside its file, on
/// character boundaries: reporters turn spans into lines, columns and
/// snippets, and an editor or GitHub would point at the wrong place (or a
/// reporter would have to guess) if a span were off.
pub fn check_spans(result: &mfalint::scan::ScanResult) {
    let check = |span: mfalint::source::Span, what: &str| {
        assert!(
            (span.file.0 as usize) < result.sources.len(),
            "{what}: span in file {} of {}",
            span.file.0,
            result.sources.len()
        );
        let text = &result.sources.get(span.file).text;
        let range = span.range();
        assert!(
            range.start <= range.end && range.end <= text.len(),
            "{what}: span {range:?} outside a {}-byte file",
            text.len()
        );
        assert!(
            text.is_char_boundary(range.start) && text.is_char_boundary(range.end),
            "{what}: span {range:?} splits a character"
        );
    };
    for row in &result.inventory {
        if let mfalint::inventory::Declared::Code(span) = row.declared {
            check(span, "inventory row");
        }
        for related in &row.evidence {
            check(related.span, "inventory evidence");
        }
    }
    for finding in &result.findings {
        check(finding.primary, finding.rule.as_str());
        for related in &finding.related {
            check(related.span, finding.rule.as_str());
        }
    }
    for error in &result.errors {
        if let Some(span) = error.span {
            check(span, &error.message);
        }
    }
    for (span, _) in &result.explanations {
        check(*span, "explanation");
    }
}

/// A plan JSON (recognised by content: the input is wrapped so that it is
/// taken as a plan), next to a `.tf` file the plan may point into.
pub fn terraform_plan(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let plan = format!(
        "{{\"format_version\": \"1.2\", \"planned_values\": {text}, \"configuration\": {text}}}"
    );
    scan_files(vec![
        (PathBuf::from("plan.json"), plan),
        (
            PathBuf::from("main.tf"),
            "resource \"aws_iam_user\" \"alice\" {\n  name = \"alice\"\n}\n".into(),
        ),
    ]);
}

/// Exception comments: the input is a comment on a login profile that
/// MFA001 reports, so exceptions are parsed and applied.
pub fn exception_comments(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let tf = format!(
        "# mfalint:ignore {text}\nresource \"aws_iam_user_login_profile\" \"x\" {{ # {text}\n  user = \"bob\"\n}}\n"
    );
    scan_files(vec![(PathBuf::from("main.tf"), tf)]);
    for syntax in [
        mfalint::source::CommentSyntax::HashAndSlashes,
        mfalint::source::CommentSyntax::Hash,
    ] {
        let _ = mfalint::suppress::exceptions_in(mfalint::source::FileId(0), text, syntax);
    }
}

/// `.mfalint.toml` validation: a configuration or an error, never a panic.
pub fn config_file(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = mfalint::config::parse(std::path::Path::new(".mfalint.toml"), text);
    }
}
