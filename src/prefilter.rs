//! Decides from bytes alone which files need a full parse. Most files of a
//! real repository hold nothing mfalint checks (buckets, networks,
//! clusters), and parsing, not reading, is the cost of a scan: one
//! Aho-Corasick pass over each file's bytes costs far less than parsing it.
//!
//! The choice never changes findings (a test compares with and without).
//! Each front-end says how its files are chosen ([`Selection`]): a
//! Terraform folder is parsed whole as soon as one of its files mentions
//! something checked or calls a module (its variables and locals feed the
//! links, and its calls decide how the modules it calls are evaluated);
//! the folders its module calls reach are then parsed too, whatever they
//! hold. A CloudFormation file is parsed when it mentions IAM or a nested
//! stack. What is not parsed cannot hold anything a rule reads, so its
//! syntax errors are not reported either.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use aho_corasick::AhoCorasick;

use crate::frontend::{self, Claims, FRONTENDS, Selection};

/// What a file's bytes say about it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Relevance {
    /// Mentions a resource type, a template type or a comment some rule
    /// reads.
    pub mentions_checked: bool,
    /// Has a `module "..."` block (Terraform).
    pub calls_module: bool,
}

/// Exception comments, and the `mfalint` key of a template's `Metadata`:
/// an exception that excuses nothing is a finding, so a file with one is
/// parsed.
const EXCEPTION_WORD: &str = "mfalint";

/// Every word that makes a file worth parsing: what the front-ends read
/// themselves ([`frontend::Frontend::words`]), the resource types the
/// rules declare they read ([`crate::rules::schema`]), and exceptions.
fn words() -> Vec<&'static str> {
    let mut words: Vec<&'static str> = frontend::words().collect();
    // A kept data source (`data.github_organization`) is written
    // `data "github_organization"`: its bare type is the word.
    words.extend(
        crate::rules::schema()
            .resource_types()
            .map(|t| t.strip_prefix("data.").unwrap_or(t)),
    );
    words.push(EXCEPTION_WORD);
    words
}

/// A search for any of the words. The SIMD "packed" searcher (Teddy) is
/// eight times faster than the automaton `AhoCorasick::new` builds for
/// these words (1.1 against 9 ms over the 5.2 MB of the 10,000-file
/// benchmark tree, one thread), which does not pick it by itself for as
/// many words; the automaton stays for a CPU without the instructions.
enum Words {
    Packed(aho_corasick::packed::Searcher),
    Automaton(AhoCorasick),
}

impl Words {
    fn new(words: &[&str]) -> Self {
        match aho_corasick::packed::Searcher::new(words.iter()) {
            Some(searcher) => Words::Packed(searcher),
            None => Words::automaton(words),
        }
    }

    fn automaton(words: &[&str]) -> Self {
        Words::Automaton(AhoCorasick::new(words).expect("valid patterns"))
    }

    fn in_text(&self, text: &str) -> bool {
        match self {
            Words::Packed(searcher) => searcher.find(text).is_some(),
            Words::Automaton(automaton) => automaton.is_match(text),
        }
    }
}

fn checked_words() -> &'static Words {
    static WORDS: OnceLock<Words> = OnceLock::new();
    WORDS.get_or_init(|| Words::new(&words()))
}

pub fn relevance(text: &str) -> Relevance {
    Relevance {
        mentions_checked: checked_words().in_text(text),
        calls_module: calls_module(text),
    }
}

/// `module "name"`, `module name {` (a label may be an identifier) or
/// `"module":` (JSON syntax) anywhere; a false positive costs a parse,
/// never a finding.
fn calls_module(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memmem::find_iter(bytes, b"module").any(|at| {
        let rest = &bytes[at + "module".len()..];
        let before = at.checked_sub(1).map(|i| bytes[i]);
        let word_start =
            !before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.');
        let after_spaces = |text: &[u8]| {
            let spaces = text.iter().take_while(|b| b.is_ascii_whitespace()).count();
            (spaces, text.get(spaces).copied())
        };
        let (spaces, next) = after_spaces(rest);
        let identifier_label =
            spaces > 0 && next.is_some_and(|b| b.is_ascii_alphabetic() || b == b'_') && {
                let label = rest[spaces..]
                    .iter()
                    .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'))
                    .count();
                after_spaces(&rest[spaces + label..]).1 == Some(b'{')
            };
        word_start && (matches!(next, Some(b'"') | Some(b'{')) || identifier_label)
            || before == Some(b'"') && rest.first() == Some(&b'"')
    })
}

/// One read file, as the selection sees it.
pub struct Candidate<'a> {
    pub path: &'a Path,
    pub claims: Claims,
    pub relevance: Relevance,
}

/// The files of a scan grouped by folder (ids, not paths, so that the
/// selection does no path comparisons per file).
pub struct Folders {
    /// The folder id of each file.
    pub of_file: Vec<usize>,
    /// Folder paths by id.
    pub paths: Vec<PathBuf>,
    by_path: HashMap<PathBuf, usize>,
    /// The folder whose parsing parses this one, when scanned (for a
    /// module Terraform downloaded under `<root>/.terraform/`: `<root>`).
    follows: Vec<Option<usize>>,
}

impl Folders {
    pub fn new(files: &[Candidate<'_>]) -> Self {
        let mut by_path: HashMap<PathBuf, usize> = HashMap::new();
        let mut paths: Vec<PathBuf> = Vec::new();
        let mut last: Option<usize> = None;
        let of_file = files
            .iter()
            .map(|f| {
                let folder = crate::paths::folder(f.path);
                // Sorted files put a folder's files side by side: the
                // previous file's folder, compared by bytes, spares
                // hashing the path component by component.
                if let Some(id) = last.filter(|&id| paths[id].as_os_str() == folder.as_os_str()) {
                    return id;
                }
                if let Some(&id) = by_path.get(folder) {
                    last = Some(id);
                    return id;
                }
                paths.push(folder.to_path_buf());
                by_path.insert(folder.to_path_buf(), paths.len() - 1);
                last = Some(paths.len() - 1);
                paths.len() - 1
            })
            .collect();
        let follows = paths
            .iter()
            .map(|p| {
                let leader = FRONTENDS.iter().find_map(|f| f.follows_folder(p))?;
                by_path.get(&leader).copied()
            })
            .collect();
        Folders {
            of_file,
            paths,
            by_path,
            follows,
        }
    }

    pub fn id(&self, folder: &Path) -> Option<usize> {
        self.by_path.get(folder).copied()
    }
}

/// Which files to parse first, as each claiming front-end selects them
/// ([`Selection`]): relevant files, files always read, and every file of a
/// folder read whole that has a relevant or calling file. Folders these
/// files reach are added after parsing (see [`folders_to_add`]).
pub fn initial_selection(files: &[Candidate<'_>], folders: &Folders) -> Vec<bool> {
    use rayon::prelude::*;
    // Per file in parallel (names are looked at), per folder after.
    let makes_relevant: Vec<bool> = files
        .par_iter()
        .map(|file| {
            (file.relevance.mentions_checked || file.relevance.calls_module)
                && file.claims.reads_folders(file.path)
        })
        .collect();
    let mut relevant = vec![false; folders.paths.len()];
    for (i, &makes) in makes_relevant.iter().enumerate() {
        if makes {
            relevant[folders.of_file[i]] = true;
        }
    }
    files
        .par_iter()
        .enumerate()
        .map(|(i, file)| {
            file.claims.iter().any(|f| match f.selection(file.path) {
                Selection::Always => true,
                Selection::File => file.relevance.mentions_checked,
                Selection::Folder => relevant[folders.of_file[i]],
            })
        })
        .collect()
}

/// Folders that parsed files reach (`called`, by id: module calls) but
/// that are not parsed yet, and folders that follow a parsed folder
/// (under `.terraform/`, reached through its root's manifest).
pub fn folders_to_add(called: &[usize], parsed: &[bool], folders: &Folders) -> Vec<usize> {
    let mut add: Vec<usize> = called.iter().copied().filter(|&f| !parsed[f]).collect();
    for (folder, leader) in folders.follows.iter().enumerate() {
        if !parsed[folder] && leader.is_some_and(|r| parsed[r]) {
            add.push(folder);
        }
    }
    add.sort_unstable();
    add.dedup();
    add
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_calls_are_recognised_in_both_syntaxes() {
        assert!(calls_module(
            "module \"users\" {\n  source = \"./users\"\n}"
        ));
        assert!(calls_module("{\"module\": {\"users\": {}}}"));
        assert!(calls_module("module users {\n  source = \"./users\"\n}"));
        assert!(calls_module("module users-2\n{"));
        assert!(!calls_module("# This module creates the users.\nlocals {}"));
        assert!(!calls_module("modules = {}"));
        assert!(!calls_module("bucket = \"${path.module}/x\""));
        assert!(!calls_module("submodule = 1"));
    }

    /// Both searchers agree, wherever the word is (the packed one
    /// searches short texts another way than long ones).
    #[test]
    fn the_packed_search_finds_what_the_automaton_finds() {
        let words = words();
        let packed = Words::new(&words);
        if !matches!(packed, Words::Packed(_)) {
            eprintln!("no packed searcher on this CPU (no SSSE3): nothing to compare");
            return;
        }
        let automaton = Words::automaton(&words);
        let filler = "resource \"aws_s3_bucket\" \"b\" { bucket = \"x\" }\n";
        for word in words
            .iter()
            .copied()
            .chain(["aws_iam", "AWS::IAM:", "mfalin", ""])
        {
            for before in [0, 1, 7, 15, 16, 31, 64, 200] {
                for after in [0, 1, 15, 64] {
                    let text = format!(
                        "{}{word}{}",
                        &filler.repeat(before / filler.len() + 1)[..before],
                        &filler.repeat(after / filler.len() + 1)[..after]
                    );
                    assert_eq!(
                        packed.in_text(&text),
                        automaton.in_text(&text),
                        "{word:?} at {before} in {} bytes",
                        text.len()
                    );
                }
            }
        }
    }

    #[test]
    fn checked_words_make_a_file_relevant() {
        assert!(relevance("resource \"aws_iam_user\" \"a\" {}").mentions_checked);
        assert!(relevance("Type: AWS::IAM::User").mentions_checked);
        assert!(!relevance("resource \"aws_s3_bucket\" \"a\" {}").mentions_checked);
    }

    #[test]
    fn every_resource_type_a_rule_reads_makes_a_file_relevant() {
        for kind in crate::rules::schema().resource_types() {
            let text = match kind.strip_prefix("data.") {
                Some(data) => format!("data \"{data}\" \"a\" {{}}"),
                None => format!("resource \"{kind}\" \"a\" {{}}"),
            };
            assert!(relevance(&text).mentions_checked, "{kind}");
        }
        assert!(!relevance("resource \"gitlab_project\" \"a\" {}").mentions_checked);
    }

    #[test]
    fn a_relevant_file_selects_its_whole_folder() {
        let files = [
            (
                Path::new("a/users.tf"),
                "resource \"aws_iam_user\" \"x\" {}",
            ),
            (Path::new("a/variables.tf"), "variable \"x\" {}"),
            (Path::new("a/terraform.tfvars"), "x = 1"),
            (
                Path::new("b/buckets.tf"),
                "resource \"aws_s3_bucket\" \"x\" {}",
            ),
            (
                Path::new("b/t.yaml"),
                "Resources: {B: {Type: AWS::S3::Bucket}}",
            ),
            (
                Path::new("c/t.yaml"),
                "Resources: {U: {Type: AWS::IAM::User}}",
            ),
            (
                Path::new("d/users.tofu"),
                "resource \"aws_iam_user\" \"x\" {}",
            ),
            (Path::new("d/variables.tofu.json"), "{\"variable\": {}}"),
        ];
        let candidates: Vec<Candidate<'_>> = files
            .iter()
            .map(|(path, text)| Candidate {
                path,
                claims: crate::frontend::claims_of(path),
                relevance: relevance(text),
            })
            .collect();
        let folders = Folders::new(&candidates);
        assert_eq!(
            initial_selection(&candidates, &folders),
            [true, true, true, false, false, true, true, true]
        );
    }

    #[test]
    fn downloaded_folders_follow_their_root() {
        let files = [
            Path::new("x/main.tf"),
            Path::new("x/.terraform/modules/a/main.tf"),
            Path::new("y/modules/a/main.tf"),
        ];
        let candidates: Vec<Candidate<'_>> = files
            .iter()
            .map(|path| Candidate {
                path,
                claims: crate::frontend::claims_of(path),
                relevance: Relevance::default(),
            })
            .collect();
        let folders = Folders::new(&candidates);
        let id = |p: &str| folders.id(Path::new(p)).expect("a folder");
        assert_eq!(folders.follows[id("x/.terraform/modules/a")], Some(id("x")));
        assert_eq!(folders.follows[id("y/modules/a")], None);
        let mut parsed = vec![false; folders.paths.len()];
        parsed[id("x")] = true;
        assert_eq!(
            folders_to_add(&[], &parsed, &folders),
            [id("x/.terraform/modules/a")]
        );
    }
}
