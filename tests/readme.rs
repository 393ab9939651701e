//! The README's snippets work as copied: every fenced block is extracted
//! and checked against what it claims. Workflow YAML parses, uses this
//! repository (Cargo.toml's `repository`) with inputs action.yml declares,
//! and pins third-party actions by SHA; the pre-commit YAML names hooks
//! .pre-commit-hooks.yaml defines; the Neovim snippet covers every
//! filetype that holds IaC; TOML parses; every `mfalint` command line
//! parses as the CLI does.

use std::path::PathBuf;

use saphyr::{LoadableYamlNode, Yaml};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(name: &str) -> String {
    std::fs::read_to_string(root().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// `(language, body)` of every fenced block, in order; indented fences
/// (inside list items) included.
fn blocks(markdown: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut open: Option<(String, usize, String)> = None;
    for line in markdown.lines() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        match &mut open {
            None => {
                if let Some(language) = trimmed.strip_prefix("```") {
                    open = Some((language.trim().to_string(), indent, String::new()));
                }
            }
            Some((language, fence_indent, body)) => {
                if trimmed.starts_with("```") {
                    out.push((language.clone(), std::mem::take(body)));
                    open = None;
                } else {
                    let text = line.get(*fence_indent..).unwrap_or(trimmed);
                    body.push_str(text);
                    body.push('\n');
                }
            }
        }
    }
    out
}

fn yaml(text: &str) -> Yaml<'_> {
    let docs = Yaml::load_from_str(text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    docs.into_iter().next().expect("one document")
}

/// `node[key]`, or `None` (saphyr's index panics on a missing key).
fn field<'a, 'y>(node: &'a Yaml<'y>, key: &str) -> Option<&'a Yaml<'y>> {
    node.as_mapping()?
        .iter()
        .find(|(k, _)| k.as_str() == Some(key))
        .map(|(_, v)| v)
}

fn repository() -> String {
    let cargo: toml::Table = read("Cargo.toml").parse().unwrap();
    let url = cargo["package"]["repository"].as_str().unwrap().to_string();
    url.strip_prefix("https://github.com/")
        .expect("a GitHub repository")
        .to_string()
}

fn action_inputs() -> Vec<String> {
    let text = read("action.yml");
    let action = yaml(&text);
    field(&action, "inputs")
        .and_then(Yaml::as_mapping)
        .expect("inputs")
        .keys()
        .map(|k| k.as_str().unwrap().to_string())
        .collect()
}

fn hook_ids(file: &str) -> Vec<String> {
    let text = read(file);
    let hooks = yaml(&text);
    hooks
        .as_sequence()
        .expect("a list of hooks")
        .iter()
        .map(|h| field(h, "id").and_then(Yaml::as_str).unwrap().to_string())
        .collect()
}

#[test]
fn readme_snippets_work_as_copied() {
    let readme = read("README.md");
    let blocks = blocks(&readme);
    let repository = repository();
    assert_eq!(repository, "mfalint/mfalint");
    let inputs = action_inputs();
    let hooks = hook_ids(".pre-commit-hooks.yaml");
    let mirror_hooks = hook_ids("pre-commit-mirror/.pre-commit-hooks.yaml");
    let (mut workflows, mut precommit, mut neovim, mut commands) = (0, 0, 0, 0);
    for (language, body) in &blocks {
        match language.as_str() {
            "yaml" | "yml" => {
                let doc = yaml(body);
                if let Some(jobs) = field(&doc, "jobs").and_then(Yaml::as_mapping) {
                    workflows += 1;
                    for job in jobs.values() {
                        let steps = field(job, "steps")
                            .and_then(Yaml::as_sequence)
                            .expect("steps");
                        for step in steps {
                            let Some(uses) = field(step, "uses").and_then(Yaml::as_str) else {
                                continue;
                            };
                            let (action, reference) = uses.split_once('@').expect("action@ref");
                            if action == repository {
                                let with = field(step, "with").and_then(Yaml::as_mapping);
                                for key in with.into_iter().flatten().map(|(k, _)| k) {
                                    let key = key.as_str().unwrap();
                                    assert!(
                                        inputs.iter().any(|i| i == key),
                                        "the workflow passes `{key}`, which action.yml does not declare"
                                    );
                                }
                            } else {
                                assert!(
                                    reference.len() == 40
                                        && reference.chars().all(|c| c.is_ascii_hexdigit()),
                                    "third-party action `{uses}` is not pinned by SHA"
                                );
                            }
                        }
                    }
                }
                if let Some(repos) = field(&doc, "repos").and_then(Yaml::as_sequence) {
                    precommit += 1;
                    for repo in repos {
                        let url = field(repo, "repo").and_then(Yaml::as_str).unwrap();
                        // This repository's hooks, or the mirror's (the
                        // pre-commit-mirror/ folder published on its own).
                        let defined = if url == format!("https://github.com/{repository}") {
                            &hooks
                        } else if url == format!("https://github.com/{repository}-pre-commit") {
                            &mirror_hooks
                        } else {
                            panic!("pre-commit snippet names an unknown repository {url}")
                        };
                        let listed = field(repo, "hooks").and_then(Yaml::as_sequence);
                        for hook in listed.expect("hooks") {
                            let id = field(hook, "id").and_then(Yaml::as_str).unwrap();
                            assert!(
                                defined.iter().any(|h| h == id),
                                "hook `{id}` is not defined by {url}"
                            );
                        }
                    }
                }
            }
            "lua" => {
                neovim += 1;
                for filetype in ["terraform", "tf", "terraform-vars", "hcl", "yaml", "json"] {
                    assert!(
                        body.contains(&format!("\"{filetype}\"")),
                        "the Neovim snippet misses filetype {filetype}"
                    );
                }
                assert!(body.contains("\"mfalint\", \"lsp\""));
            }
            "toml" => {
                body.parse::<toml::Table>()
                    .unwrap_or_else(|e| panic!("{e}\n{body}"));
            }
            // That each `mfalint ...` command parses is checked where the
            // command line is (src/cli.rs, in the binary); here they are
            // counted.
            "sh" => {
                for line in body.lines() {
                    let command = line.split(" #").next().unwrap_or("").trim();
                    commands += command
                        .split("&&")
                        .map(str::trim)
                        .filter(|part| part.starts_with("mfalint"))
                        .filter(|part| !part.contains('>') && !part.contains('|'))
                        .count();
                }
            }
            _ => {}
        }
    }
    assert!(workflows >= 1, "no workflow snippet");
    assert!(precommit >= 1, "no pre-commit snippet");
    assert!(neovim >= 1, "no Neovim snippet");
    assert!(commands >= 8, "only {commands} mfalint commands checked");
}

/// docs/evaluation.md lists exactly the Terraform functions mfalint
/// evaluates, so the precision contract cannot drift from the code.
#[test]
fn the_documented_functions_are_the_implemented_ones() {
    let docs = read("docs/evaluation.md");
    let section = docs
        .split("## Functions")
        .nth(1)
        .expect("a Functions section")
        .split("\n## ")
        .next()
        .unwrap();
    let listed = section.split("; and").next().unwrap();
    let mut documented: Vec<&str> = listed.split('`').skip(1).step_by(2).collect();
    documented.sort_unstable();
    let mut implemented = mfalint::frontend::terraform::IMPLEMENTED_FUNCTIONS.to_vec();
    implemented.sort_unstable();
    assert_eq!(documented, implemented);
}
