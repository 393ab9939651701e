//! The vendored hcl-edit parses bodies with a hand-written parser first and
//! gives the input to its winnow parser where that one gives up
//! (`vendor/hcl-edit/src/parser/fast.rs`). These tests hold the
//! hand-written parser to the winnow parser: on every HCL file of the
//! fixtures, the shared corpus and a synthetic tree, on tricky cases
//! written here, and on generated token soup, either it gives up or it
//! builds the tree the winnow parser builds, spans included (decor, which
//! it leaves out, aside); and it never accepts what the winnow parser
//! refuses.

use std::path::{Path, PathBuf};

use hcl_edit::parser::{parse_body_fast, parse_body_winnow};
use proptest::prelude::*;

#[path = "../benches/support/synthetic.rs"]
mod synthetic;

/// The fuzz harness, for its decor-free comparison of trees
/// (`without_decor`), which the `terraform_hcl_parsers` target uses too.
#[path = "../fuzz/common.rs"]
mod common;

use common::without_decor;

/// What the two parsers did with one input.
#[derive(Debug, PartialEq)]
enum Outcome {
    /// Same tree (decor aside).
    Same,
    /// The hand-written parser gave up; the winnow parser accepted.
    GaveUp,
    /// Both refused.
    Refused,
}

/// Compares the parsers on `text`; panics (naming `what`) where the
/// hand-written one accepts what the winnow one refuses or builds another
/// tree.
fn compare(what: &str, text: &str) -> Outcome {
    let reference = parse_body_winnow(text);
    match (parse_body_fast(text), reference) {
        (Some(fast), Ok(reference)) => {
            let fast = format!("{fast:?}");
            let reference = without_decor(&format!("{reference:?}"));
            if fast != reference {
                let at = fast
                    .bytes()
                    .zip(reference.bytes())
                    .position(|(a, b)| a != b)
                    .unwrap_or(fast.len().min(reference.len()));
                let around = |s: &str| {
                    let window = at.saturating_sub(200)..(at + 200).min(s.len());
                    String::from_utf8_lossy(&s.as_bytes()[window]).into_owned()
                };
                panic!(
                    "{what}: the trees differ\n--- hand-written\n{}\n--- winnow\n{}",
                    around(&fast),
                    around(&reference)
                );
            }
            Outcome::Same
        }
        (Some(_), Err(err)) => {
            panic!("{what}: the hand-written parser accepted what the winnow parser refuses: {err}")
        }
        (None, Ok(_)) => Outcome::GaveUp,
        (None, Err(_)) => Outcome::Refused,
    }
}

fn hcl_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            hcl_files(&path, out);
        } else if kind.is_file() {
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            if [".tf", ".tfvars", ".hcl", ".tofu"]
                .iter()
                .any(|e| name.ends_with(e))
            {
                out.push(path);
            }
        }
    }
}

/// Compares on every HCL file under `dir`; returns (same, gave up,
/// refused).
fn compare_tree(dir: &Path) -> (usize, usize, usize) {
    let mut files = Vec::new();
    hcl_files(dir, &mut files);
    files.sort();
    let (mut same, mut gave_up, mut refused) = (0, 0, 0);
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        match compare(&path.display().to_string(), &text) {
            Outcome::Same => same += 1,
            Outcome::GaveUp => gave_up += 1,
            Outcome::Refused => refused += 1,
        }
    }
    (same, gave_up, refused)
}

#[test]
fn fixtures_parse_alike() {
    let (same, gave_up, refused) =
        compare_tree(&Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata"));
    eprintln!("fixtures: {same} the same, {gave_up} left to winnow, {refused} refused by both");
    // All but a few files take the fast path (heredocs, templates and
    // files with carriage returns are the few), or it is not one.
    assert!(
        same > 0 && same >= 98 * (same + gave_up) / 100,
        "{same} of {}",
        same + gave_up
    );
}

#[test]
fn the_shared_corpus_parses_alike() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if !corpus.is_dir() {
        eprintln!("no shared corpus at {}; skipped", corpus.display());
        return;
    }
    let (same, gave_up, refused) = compare_tree(&corpus);
    eprintln!("corpus: {same} the same, {gave_up} left to winnow, {refused} refused by both");
    assert!(
        same >= 98 * (same + gave_up) / 100,
        "{same} of {}",
        same + gave_up
    );
}

#[test]
fn the_synthetic_tree_parses_alike() {
    let dir = tempfile::tempdir().expect("temporary folder");
    // Thirty modules: both kinds the generator writes, ten times each.
    synthetic::generate(dir.path(), 300);
    let (same, gave_up, refused) = compare_tree(dir.path());
    assert_eq!(refused, 0);
    assert!(same > gave_up, "{same} against {gave_up}");
}

/// Inputs written for the grammar's corners, each compared; the expected
/// outcome says which must take the fast path.
#[test]
fn corner_cases_parse_alike() {
    use Outcome::*;
    let cases: &[(&str, Outcome)] = &[
        ("", Same),
        ("\n\n  # only a comment\n", Same),
        ("a = 1", Same),
        ("a = 1\n", Same),
        ("a = 1 # c\nb = 2 // d\nc = 3 /* e */\n", Same),
        ("/* x\n y */ a = 1\n", Same),
        ("a = /* x */ 1\n", Same),
        ("a = 1 b = 2\n", Refused),
        ("a = 1\na = 2\n", Refused),
        ("a {}\n", Same),
        ("a { }\n", Same),
        ("a { b = 1 }\n", Same),
        ("a \"x\" y \"z\" {\n  b = 1\n}\n", Same),
        ("a { # c\n  b = 1\n}\n", Same),
        ("a { b = 1\n}\n", Refused),
        ("a { b {} }\n", Refused),
        ("a \"${x}\" {}\n", Refused),
        ("a {\n  b = 1\n  b = 2\n}\n", Refused),
        ("a {\n b = 1\n}\na {\n b = 2\n}\n", Same),
        ("x = \"a\\n\\t\\\\\\\"\\u00e9\\U0001F600b\"\n", Same),
        ("x = \"\\q\"\n", Refused),
        ("x = \"\\ud800\"\n", Refused),
        ("x = \"$${a} %%{b} $ % $$ %% $\"\n", Same),
        ("x = \"a${b}c${~ d ~}e\"\n", Same),
        ("x = \"${a}${b}\"\n", Same),
        ("x = \"a\nb\"\n", Same),
        ("x = \"caf\u{e9} ${\"\u{fc}\"}\"\n", Same),
        ("x = \"%{if a}b%{endif}\"\n", GaveUp),
        (
            "x = 0\ny = 42\nz = 1.5\nw = 2e10\nv = 2.5E-3\nu = 18446744073709551616\n",
            Same,
        ),
        ("x = 1e\n", Refused),
        ("x = 1.foo\n", Same),
        ("x = -5\ny = - 5\nz = -x\nw = !x\nv = -(1)\n", Same),
        ("x = a.b.c[0].d[\"e\"].*.f[*].g.0\n", Same),
        ("x = a .b\n", Same),
        ("x = a.0.10\n", Same),
        ("x = a.00\n", Refused),
        ("x = a.01\n", Refused),
        ("x = a\n  .b\n", Refused),
        ("x = f(a)\n  + 1\n", Same),
        ("x = [a]\n  .b\n", Same),
        (
            "x = f()\ny = f(a,)\nz = f(a, b...)\nw = f(\n  a,\n  b,\n)\n",
            Same,
        ),
        ("x = f (a)\n", Same),
        ("x = f(a...,)\n", Refused),
        ("x = provider::p::f(a)\n", GaveUp),
        ("x = [for k, v in a : k if v]\ny = [for v in a: v]\n", Same),
        (
            "x = [ for v in a : v if v ]\ny = [\n  for v in a :\n  v\n  if v\n]\n",
            Same,
        ),
        (
            "x = { for k, v in a : k => v if v }\ny = { for k, v in a : k => v ... }\n",
            Same,
        ),
        (
            "x = {for k, v in a : k => v...}\ny = {for k, v in a : k => v... if v}\n",
            Same,
        ),
        ("x = {\n  for k in a :\n  k => k\n}\n", Same),
        ("x = [\n  1,\n  2,\n]\ny = [1, 2]\nz = []\nw = [ ]\n", Same),
        ("x = [,]\n", Refused),
        (
            "x = {}\ny = { a = 1, b = 2 }\nz = {\n  a = 1\n  \"b\" : 2 # c\n  (c) = 3,\n}\n",
            Same,
        ),
        ("x = { a = 1, a = 2 }\n", Refused),
        ("x = { a = 1, \"a\" = 2 }\n", Same),
        ("x = { (a) = 1, (b) = 2, (a) = 3 }\n", Refused),
        (
            "x = { (a) = 1, b = 2, \"c\" = 3, (d) = 4, \"${e}\" = 5 }\n",
            Same,
        ),
        ("x = { a = 1 b = 2 }\n", Refused),
        ("x = { for = 1 }\n", Refused),
        ("x = a ? b : c\ny = a ? b : c ? d : e\n", Same),
        (
            "x = a == b && c != d || !e\ny = 1 + 2 * 3 - 4 / 5 % 6\nz = a < b\nw = a <= b\nv = a > b\nu = a >= b\n",
            Same,
        ),
        ("x = a + b ? c : d\n", Same),
        ("x = (a\n + b)\n", Same),
        ("x = a +\n b\n", Refused),
        (
            "x = a / b\ny = a // b\nz = a + b // c\nw = a + b /* c */\n",
            Same,
        ),
        ("x = true\ny = false\nz = null\nw = nullable\n", Same),
        ("x = <<EOT\nhello\nEOT\n", Same),
        ("x = <<-EOT\n    a\n      b\n    EOT\n", Same),
        ("x = <<EOT\nEOT\ny = <<EOT\n  EOT\n", Same),
        (
            "x = <<EOT\n${a}\nEOT\ny = <<EOT\na ${b} c\n$${d} %%{e} $$${f}\nEOT\n",
            Same,
        ),
        ("x = <<EOT\nEOTX\n EOT_\nEOT\n", Same),
        ("x = <<EOT\ncaf\u{e9}\nEOT", Same),
        ("x = [<<EOT\na\nEOT\n, 1]\ny = <<EOT\na\nEOT\nz = 1\n", Same),
        ("x = (1 ? <<EOT\nEOT : 7 %{})\n", Same),
        ("x = <<EOT\nEOT\ny = <<EOT\nhello\nEOT\n", Same),
        ("x = <<EOT\n  EOTX\nEOT\n", Same),
        ("x = <<EOT\nabc", Refused),
        ("x = <<EOT \nabc\nEOT\n", Refused),
        ("x = <<EOT\nabc\nEOT1\n", Refused),
        ("x = <<EOT\n%{if a}b%{endif}\nEOT\n", GaveUp),
        ("x = \"a\"\r\n", Same),
        (
            "a \"b\" {\r\n  c = 1 # d\r\n  e = {\r\n    f = 1\r\n    g = 2 // h\r\n  }\r\n}\r\n",
            Same,
        ),
        (
            "x = <<EOT\r\na\r\nb ${c}\r\nEOT\r\ny = <<-EOT\r\n  a\r\n  EOT\r\n",
            Same,
        ),
        ("x = [\r\n  1,\r\n  f(\r\n    a,\r\n  ),\r\n]\r\n", Same),
        ("x = 1 # a\rb\n", Refused),
        ("x = \"a\rb\"\n", GaveUp),
        ("\u{e9} = 1\n", GaveUp),
        ("x = a.\u{e9}\n", GaveUp),
        ("x = \n", Refused),
        ("x = [\n", Refused),
        ("x = \"abc\n", Refused),
        ("x = {\n", Refused),
        ("a {\n", Refused),
        ("}", Refused),
    ];
    for (i, (input, expected)) in cases.iter().enumerate() {
        let outcome = compare(&format!("case {i} {input:?}"), input);
        assert_eq!(&outcome, expected, "case {i}: {input:?}");
    }
}

/// An empty heredoc ends at its first line (vendored hcl-edit's fourth
/// patch): before, its template ran on to the next line holding the
/// delimiter, so that a second heredoc's attribute was taken into the
/// first's text.
#[test]
fn an_empty_heredoc_ends_at_once() {
    let text = "x = <<EOT\nEOT\ny = <<EOT\nhello\nEOT\n";
    for (parser, body) in [
        ("fast", parse_body_fast(text).expect("parses")),
        ("winnow", parse_body_winnow(text).expect("parses")),
    ] {
        let keys: Vec<&str> = body.attributes().map(|a| a.key.as_str()).collect();
        assert_eq!(keys, ["x", "y"], "{parser}");
    }
}

/// Nesting and operator chains past the fast parser's limits go to the
/// winnow parser, whose limits and messages stay.
#[test]
fn limits_are_left_to_the_winnow_parser() {
    let deep = format!("x = {}1{}\n", "[".repeat(60), "]".repeat(60));
    assert_eq!(compare("60 arrays", &deep), Outcome::GaveUp);
    let deeper = format!("x = {}1{}\n", "[".repeat(70), "]".repeat(70));
    assert_eq!(compare("70 arrays", &deeper), Outcome::Refused);
    let shallow = format!("x = {}1{}\n", "[".repeat(20), "]".repeat(20));
    assert_eq!(compare("20 arrays", &shallow), Outcome::Same);
    let chain = format!("x = 1{}\n", " + 1".repeat(100));
    assert_eq!(compare("100 operators", &chain), Outcome::GaveUp);
    let chain = format!("x = 1{}\n", " + 1".repeat(30));
    assert_eq!(compare("30 operators", &chain), Outcome::Same);
    let blocks = format!("{}{}", "a {\n".repeat(50), "}\n".repeat(50));
    assert_eq!(compare("50 blocks", &blocks), Outcome::GaveUp);
    let many: String = (0..500).map(|i| format!("k{i} = {i}\n")).collect();
    assert_eq!(compare("500 attributes", &many), Outcome::Same);
    let object = format!(
        "x = {{\n{}}}\n",
        (0..500)
            .map(|i| format!("  k{i} = {i}\n"))
            .collect::<String>()
    );
    assert_eq!(compare("500 object keys", &object), Outcome::Same);
}

/// Object keys that are neither identifiers nor strings are compared by
/// value (`==`, which ignores whitespace) for repeats, now among the keys
/// of the same hash (vendored hcl-edit's sixth change): the same keys are
/// refused as repeats, by both parsers, as when every earlier key was
/// compared.
#[test]
fn expression_keys_repeat_by_value() {
    use Outcome::*;
    let cases: &[(&str, &str, Outcome)] = &[
        ("(a)", "(b)", Same),
        ("(a)", "(a)", Refused),
        ("(a)", "( a )", Refused),
        ("(a)", "((a))", Same),
        ("1", "2", Same),
        ("1", "1", Refused),
        ("1", "1.0", Refused),
        ("1.5", "15e-1", Refused),
        ("\"a${x}\"", "\"a${x}\"", Refused),
        ("\"a${x}\"", "\"b${x}\"", Same),
        ("\"a${x}\"", "\"a${y}\"", Same),
        ("\"${1}\"", "\"${1.0}\"", Refused),
        ("f(1)", "f(1)", Refused),
        ("f(1)", "f(2)", Same),
        ("f(1)", "g(1)", Same),
        ("a.b", "a.b", Refused),
        ("a.b", "a.c", Same),
        ("a.b", "a.b.c", Same),
        ("a[0]", "a[0]", Refused),
        ("a ? b : c", "a ? b : c", Refused),
        ("a ? b : c", "a ? c : b", Same),
        ("[1, 2]", "[1, 2]", Refused),
        ("[1, 2]", "[2, 1]", Same),
        ("-1", "-1", Refused),
        ("!a", "!b", Same),
        ("a + 1", "a + 1", Refused),
        ("a + 1", "a + 2", Same),
        // As before the change: the same object is a repeat, its items
        // in another order are not.
        ("{a = 1, b = 2}", "{b = 2, a = 1}", Same),
        ("{a = 1, b = 2}", "{a = 1, b = 2}", Refused),
        ("{a = 1}", "{a = 1}", Refused),
        ("{a = 1}", "{a = 2}", Same),
        ("{a = 1}", "{b = 1}", Same),
        ("a.0", "a.0", Refused),
        ("a.0", "a.1", Same),
        ("a[*].b", "a[*].b", Refused),
        ("a[*].b", "a[*].c", Same),
        // Past 2^53 an integer and a float are told apart exactly.
        ("9007199254740993", "9007199254740992.0", Same),
        ("9007199254740992", "9007199254740992.0", Refused),
        ("provider::p::f(1)", "provider::p::f(1)", Refused),
        // (The hand-written parser leaves namespaced calls to winnow.)
        ("provider::p::f(1)", "provider::q::f(1)", GaveUp),
        ("[for x in y : x]", "[for x in y : x]", Refused),
        ("[for x in y : x]", "[for x in z : x]", Same),
        (
            "{for k, v in y : k => v}",
            "{for k, v in y : k => v...}",
            Same,
        ),
        ("\"%{if a}x%{endif}\"", "\"%{if a}x%{endif}\"", Refused),
        // (Template directives are left to winnow too.)
        ("\"%{if a}x%{endif}\"", "\"%{if b}x%{endif}\"", GaveUp),
        (
            "\"%{for v in a}x%{endfor}\"",
            "\"%{for v in b}x%{endfor}\"",
            GaveUp,
        ),
    ];
    for (i, (first, second, expected)) in cases.iter().enumerate() {
        let text = format!("x = {{\n  {first} = 1\n  {second} = 2\n}}\n");
        assert_eq!(&compare(&format!("case {i}"), &text), expected, "{text}");
    }
    // Many keys, all different, with hashes that collide past the depth
    // the hash looks at (deep parentheses), and one repeat at the end.
    let deep = "(".repeat(12);
    let shut = ")".repeat(12);
    let keys: String = (0..300)
        .map(|i| format!("  {deep}k{i}{shut} = {i}\n  \"t${{{i}}}\" = {i}\n  f({i}) = {i}\n"))
        .collect();
    assert_eq!(compare("900 keys", &format!("x = {{\n{keys}}}\n")), Same);
    let repeated = format!("x = {{\n{keys}  {deep}k7{shut} = 0\n}}\n");
    assert_eq!(compare("900 keys and a repeat", &repeated), Refused);
}

/// Pieces of HCL, joined at random: mostly nonsense, often valid.
fn token() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "a", "b", "x1", "for", "in", "if", "null", "true", "f", "\"s\"", "\"${", "\"%{", "}\"",
        "\"", "\\n", "\r", "\r\n", "$${", "0", "12", "1.5", "2e3", "-", "!", "+", "*", "/", "%",
        "==", "!=", "<", ">=", "&&", "||", "?", ":", "=", "=>", "...", ".", "..", "[", "]", "{",
        "}", "(", ")", ",", "~", " ", " ", "\t", "\n", "\n", "# c\n", "// c\n", "/* c */", "/*",
        "<<EOT\n", "EOT\n", "\u{e9}",
    ])
}

/// A tiny deterministic generator (xorshift) for [`grammar_text`].
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// Space between tokens: none, spaces, a newline, comments.
fn gap(rng: &mut Rng) -> &'static str {
    rng.pick(&[
        "",
        "",
        " ",
        " ",
        "\n",
        " /* c */ ",
        "\n# c\n",
        "\n// c\n",
        "  ",
    ])
}

/// A random expression of HCL's grammar, with random space between its
/// tokens: valid where the space is allowed, so that many inputs parse.
fn grammar_expr(rng: &mut Rng, depth: usize, out: &mut String) {
    let choice = if depth == 0 {
        rng.below(4)
    } else {
        rng.below(17)
    };
    let sub = |rng: &mut Rng, out: &mut String| grammar_expr(rng, depth.saturating_sub(1), out);
    match choice {
        0 => out.push_str(rng.pick(&["a", "b_c", "d-e", "null", "true", "false", "nullx"])),
        1 => out.push_str(rng.pick(&[
            "0",
            "7",
            "1.5",
            "2e3",
            "1.5E-2",
            "- 3",
            "99999999999999999999",
        ])),
        2 => out.push_str(rng.pick(&["\"s\"", "\"\"", "\"a\\nb\"", "\"$${x}\"", "\"\\u00e9\""])),
        3 => {
            out.push_str("\"a${");
            out.push_str(gap(rng));
            grammar_expr(rng, 0, out);
            out.push_str(rng.pick(&["}b\"", "~}\"", "}\""]));
        }
        4 | 5 => {
            out.push('[');
            for i in 0..rng.below(4) {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(gap(rng));
                sub(rng, out);
                out.push_str(gap(rng));
            }
            out.push_str(rng.pick(&["]", ",]", "\n]"]));
        }
        6 | 7 => {
            out.push('{');
            for _ in 0..rng.below(4) {
                out.push_str(rng.pick(&[" ", "\n", ""]));
                out.push_str(rng.pick(&["k", "\"q\"", "(k)", "k.l", "m"]));
                out.push_str(rng.pick(&[" = ", "=", ": ", " : "]));
                sub(rng, out);
                out.push_str(rng.pick(&[",", "\n", " # c\n", ", ", ""]));
            }
            out.push('}');
        }
        8 => {
            out.push_str(rng.pick(&["f(", "g (", "h(\n"]));
            for i in 0..rng.below(4) {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(gap(rng));
                sub(rng, out);
            }
            out.push_str(rng.pick(&[")", ",)", "...)", "\n)"]));
        }
        9 | 10 => {
            sub(rng, out);
            out.push_str(gap(rng));
            out.push_str(rng.pick(&[
                "+", "-", "*", "/", "%", "==", "!=", "<", "<=", ">", ">=", "&&", "||",
            ]));
            out.push_str(gap(rng));
            sub(rng, out);
        }
        11 => {
            sub(rng, out);
            out.push_str(gap(rng));
            out.push('?');
            out.push_str(gap(rng));
            sub(rng, out);
            out.push_str(gap(rng));
            out.push(':');
            out.push_str(gap(rng));
            sub(rng, out);
        }
        12 => {
            out.push('(');
            out.push_str(gap(rng));
            sub(rng, out);
            out.push_str(gap(rng));
            out.push(')');
        }
        13 | 14 => {
            sub(rng, out);
            for _ in 0..1 + rng.below(3) {
                out.push_str(rng.pick(&["", "", " ", "\n"]));
                out.push_str(
                    rng.pick(&[".a", ".0", ".*", "[*]", "[0]", "[\"k\"]", ". b", "[ 1 ]"]),
                );
            }
        }
        15 => {
            let object = rng.below(2) == 0;
            out.push_str(if object { "{" } else { "[" });
            out.push_str(rng.pick(&["for k, v in ", "for v in ", "\nfor v in "]));
            sub(rng, out);
            out.push_str(rng.pick(&[" : ", ":", "\n: "]));
            if object {
                sub(rng, out);
                out.push_str(rng.pick(&[" => ", "=>"]));
            }
            sub(rng, out);
            if object && rng.below(2) == 0 {
                out.push_str("...");
            }
            if rng.below(2) == 0 {
                out.push_str(" if ");
                sub(rng, out);
            }
            out.push_str(gap(rng));
            out.push_str(if object { "}" } else { "]" });
        }
        16 => {
            out.push_str(rng.pick(&[
                "<<EOT\na ${b}\nEOT",
                "<<-EOT\n  x\n    y\n  EOT",
                "<<EOT\nEOT",
                "<<EOT\n$${a}\n EOT",
            ]));
        }
        _ => {
            out.push_str(rng.pick(&["-", "!", "- "]));
            sub(rng, out);
        }
    }
}

/// A body of attributes and blocks with random expressions; with a byte
/// range cut out or doubled now and then, to reach the errors.
fn grammar_text(seed: u64) -> String {
    let mut rng = Rng(seed | 1);
    let crlf = rng.below(8) == 0;
    let mut out = String::new();
    for i in 0..1 + rng.below(3) {
        match rng.below(3) {
            0 => {
                out.push_str(rng.pick(&["r \"t\" \"n\" {\n", "b {\n", "l x {\n"]));
                out.push_str(&format!("  a{i} = "));
                grammar_expr(&mut rng, 3, &mut out);
                out.push_str("\n}\n");
            }
            1 => {
                out.push_str(&format!("o{i} {{ v = "));
                grammar_expr(&mut rng, 2, &mut out);
                out.push_str(" }\n");
            }
            _ => {
                out.push_str(&format!("x{i} = "));
                grammar_expr(&mut rng, 4, &mut out);
                out.push_str(rng.pick(&["\n", " # c\n", " // c\n", "", "\n\n"]));
            }
        }
    }
    match rng.below(4) {
        0 if !out.is_empty() => {
            let at = rng.below(out.len());
            let len = 1 + rng.below(4);
            if out.is_char_boundary(at) && out.is_char_boundary((at + len).min(out.len())) {
                out.replace_range(at..(at + len).min(out.len()), "");
            }
        }
        1 if !out.is_empty() => {
            let at = rng.below(out.len());
            if out.is_char_boundary(at) {
                let piece = rng.pick(&["\n", "}", "]", ")", ",", "\"", "${", "=", " ", ".", "?"]);
                out.insert_str(at, piece);
            }
        }
        _ => {}
    }
    if crlf {
        out = out.replace('\n', "\r\n");
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 20000, ..ProptestConfig::default() })]

    /// Random joins of tokens after `x = ` or as a body: the fast parser
    /// gives up or agrees.
    #[test]
    fn token_soup_parses_alike(tokens in prop::collection::vec(token(), 0..24), attribute in any::<bool>()) {
        let mut text = if attribute { String::from("x = ") } else { String::new() };
        text.extend(tokens);
        compare(&format!("{text:?}"), &text);
    }

    /// Generated from HCL's grammar (valid more often than not): the
    /// fast parser agrees, and does not give up, since the generator
    /// writes nothing it leaves to the winnow parser.
    #[test]
    fn grammar_parses_alike(seed in any::<u64>()) {
        let text = grammar_text(seed);
        let outcome = compare(&format!("{text:?}"), &text);
        prop_assert_ne!(outcome, Outcome::GaveUp, "{:?}", text);
    }

    /// The same, inside a block whose body holds valid attributes around
    /// the random one.
    #[test]
    fn token_soup_in_blocks_parses_alike(tokens in prop::collection::vec(token(), 0..16)) {
        let text = format!("r \"t\" \"n\" {{\n  a = 1\n  b = {}\n  c = [x, y]\n}}\n", tokens.concat());
        compare(&format!("{text:?}"), &text);
    }
}
