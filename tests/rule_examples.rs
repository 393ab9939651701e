//! The examples in `rules/*.toml` run as tests: each fenced code block of
//! a rule's `description` is an example the rule flags, and must fire it;
//! each block of its `remediation`, and a block of its description after
//! a "Use instead:" line, is what to write instead, and must not.
//! A block is scanned alone, as the file its language names (`hcl`: a
//! `.tf` file, `yaml`: a template, `csv`: a credential report); `sh`
//! blocks are commands to run, not inputs. An example that only makes
//! sense beside another input says so in its fence (`hcl partial`) and is
//! checked to parse only.

use std::path::PathBuf;

use mfalint::rules::{self, Rule};
use mfalint::scan::scan_texts;

/// One fenced block: its info string, its text, and whether it follows
/// a "Use instead:" line.
struct Block {
    info: String,
    text: String,
    use_instead: bool,
}

fn blocks(markdown: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut current: Option<Block> = None;
    let mut last_prose = "";
    for line in markdown.lines() {
        let trimmed = line.trim_start();
        match current.as_mut() {
            None => {
                if let Some(info) = trimmed.strip_prefix("```") {
                    current = Some(Block {
                        info: info.trim().to_string(),
                        text: String::new(),
                        use_instead: last_prose.starts_with("Use instead"),
                    });
                } else if !trimmed.is_empty() {
                    last_prose = trimmed;
                }
            }
            Some(block) => {
                if trimmed.starts_with("```") {
                    out.extend(current.take());
                } else {
                    block.text.push_str(line);
                    block.text.push('\n');
                }
            }
        }
    }
    assert!(current.is_none(), "an unclosed code block in {markdown:?}");
    out
}

/// The file an example is scanned as, or `None` for what is no input.
fn file_name(language: &str) -> Option<&'static str> {
    match language {
        "hcl" | "terraform" => Some("example/main.tf"),
        "yaml" => Some("example/template.yaml"),
        "json" => Some("example/template.json"),
        "csv" => Some("example/credential-report.csv"),
        "sh" | "console" | "text" | "" => None,
        other => panic!("an example in an unknown language: {other:?}"),
    }
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Kind {
    Flags,
    UseInstead,
}

fn check(rule: &Rule, kind: Kind, block: &Block) -> Result<(), String> {
    let mut words = block.info.split_whitespace();
    let language = words.next().unwrap_or("");
    let partial = words.any(|w| w == "partial");
    let Some(name) = file_name(language) else {
        return Ok(());
    };
    let result = scan_texts(vec![(PathBuf::from(name), block.text.clone())]);
    if !result.errors.is_empty() {
        return Err(format!(
            "the example does not read: {:?}\n{}",
            result.errors.iter().map(|e| &e.message).collect::<Vec<_>>(),
            block.text
        ));
    }
    if partial {
        return Ok(());
    }
    let fired: Vec<&str> = result
        .findings
        .iter()
        .filter(|f| f.rule == rule.id && !f.is_suppressed())
        .map(|f| f.message.as_str())
        .collect();
    match kind {
        Kind::Flags if fired.is_empty() => Err(format!(
            "{} does not fire on its example:\n{}",
            rule.meta.id, block.text
        )),
        Kind::UseInstead if !fired.is_empty() => Err(format!(
            "{} fires on what its remediation says to write ({fired:?}):\n{}",
            rule.meta.id, block.text
        )),
        _ => Ok(()),
    }
}

fn main() {
    let arguments = libtest_mimic::Arguments::from_args();
    let mut trials = Vec::new();
    for rule in rules::all() {
        for (kind, markdown) in [
            (Kind::Flags, &rule.meta.description),
            (Kind::UseInstead, &rule.meta.remediation),
        ] {
            for (n, block) in blocks(markdown).into_iter().enumerate() {
                let kind = if block.use_instead {
                    Kind::UseInstead
                } else {
                    kind
                };
                let name = format!(
                    "{}/{}/{}",
                    rule.meta.id,
                    match kind {
                        Kind::Flags => "flags",
                        Kind::UseInstead => "use_instead",
                    },
                    n + 1
                );
                trials.push(libtest_mimic::Trial::test(name, move || {
                    check(rule, kind, &block).map_err(Into::into)
                }));
            }
        }
    }
    libtest_mimic::run(&arguments, trials).exit();
}
