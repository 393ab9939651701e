//! Decides from bytes alone which files need a full parse. Most files of a
//! real repository hold nothing mfalint checks (buckets, networks,
//! clusters), and parsing, not reading, is the cost of a scan: one
//! Aho-Corasick pass over each file's bytes costs far less than parsing it.
//!
//! The choice never changes findings (a test compares with and without):
//! a Terraform folder is parsed whole as soon as one of its files mentions
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

use crate::frontend::{Format, terraform};

/// What a file's bytes say about it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Relevance {
    /// Mentions a resource type, a template type or a comment some rule
    /// reads.
    pub mentions_checked: bool,
    /// Has a `module "..."` block (Terraform).
    pub calls_module: bool,
}

/// Words of what the front-ends read themselves, beside the resource
/// types the rules declare they read ([`crate::rules::schema`]): AWS IAM
/// resources and templates, nested stacks, the `enable-mfa-device`
/// command MFA evidence reads, and exception comments (an unused one is a
/// finding).
const FRONTEND_WORDS: &[&str] = &[
    "aws_iam_",
    "enable-mfa-device",
    "mfalint",
    "AWS::IAM::",
    "AWS::CloudFormation::Stack",
];

/// Every word that makes a file worth parsing.
fn words() -> Vec<&'static str> {
    let mut words = FRONTEND_WORDS.to_vec();
    words.extend(crate::rules::schema().resource_types());
    words
}

fn checked_words() -> &'static AhoCorasick {
    static WORDS: OnceLock<AhoCorasick> = OnceLock::new();
    WORDS.get_or_init(|| AhoCorasick::new(words()).expect("valid patterns"))
}

pub fn relevance(text: &str) -> Relevance {
    Relevance {
        mentions_checked: checked_words().is_match(text),
        calls_module: calls_module(text),
    }
}

/// `module "name"` or `"module":` (JSON syntax) anywhere; a false positive
/// costs a parse, never a finding.
fn calls_module(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memmem::find_iter(bytes, b"module").any(|at| {
        let rest = &bytes[at + "module".len()..];
        let before = at.checked_sub(1).map(|i| bytes[i]);
        let word_start =
            !before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.');
        let next = rest.iter().find(|b| !b.is_ascii_whitespace());
        word_start && matches!(next, Some(b'"') | Some(b'{'))
            || before == Some(b'"') && rest.first() == Some(&b'"')
    })
}

/// One read file, as the selection sees it.
pub struct Candidate<'a> {
    pub path: &'a Path,
    pub format: Option<Format>,
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
    /// For a folder inside `<root>/.terraform/`, the id of `<root>` when
    /// scanned.
    downloaded_root: Vec<Option<usize>>,
}

impl Folders {
    pub fn new(files: &[Candidate<'_>]) -> Self {
        let mut by_path: HashMap<PathBuf, usize> = HashMap::new();
        let mut paths = Vec::new();
        let of_file = files
            .iter()
            .map(|f| {
                let folder = folder_of(f.path);
                if let Some(&id) = by_path.get(folder) {
                    return id;
                }
                paths.push(folder.to_path_buf());
                by_path.insert(folder.to_path_buf(), paths.len() - 1);
                paths.len() - 1
            })
            .collect();
        let downloaded_root = paths
            .iter()
            .map(|p| terraform::downloaded_root(p).and_then(|root| by_path.get(&root).copied()))
            .collect();
        Folders {
            of_file,
            paths,
            by_path,
            downloaded_root,
        }
    }

    pub fn id(&self, folder: &Path) -> Option<usize> {
        self.by_path.get(folder).copied()
    }
}

/// Which files to parse first: relevant templates, plans and reports, and
/// every file of a Terraform folder that has a relevant or calling file.
/// Modules these folders call are added after parsing (see
/// [`folders_to_add`]).
pub fn initial_selection(files: &[Candidate<'_>], folders: &Folders) -> Vec<bool> {
    let mut relevant = vec![false; folders.paths.len()];
    for (i, file) in files.iter().enumerate() {
        if file.format == Some(Format::Terraform)
            && (file.relevance.mentions_checked || file.relevance.calls_module)
        {
            relevant[folders.of_file[i]] = true;
        }
    }
    files
        .iter()
        .enumerate()
        .map(|(i, file)| match file.format {
            Some(Format::Terraform) => {
                terraform::is_manifest(file.path) || relevant[folders.of_file[i]]
            }
            Some(Format::CloudFormation) => file.relevance.mentions_checked,
            Some(Format::CredentialReport) => true,
            None => false,
        })
        .collect()
}

/// Folders that parsed module calls reach (`called`, by id) but that are
/// not parsed yet, and folders under `.terraform/` whose root is parsed
/// (reached through its manifest).
pub fn folders_to_add(called: &[usize], parsed: &[bool], folders: &Folders) -> Vec<usize> {
    let mut add: Vec<usize> = called.iter().copied().filter(|&f| !parsed[f]).collect();
    for (folder, root) in folders.downloaded_root.iter().enumerate() {
        if !parsed[folder] && root.is_some_and(|r| parsed[r]) {
            add.push(folder);
        }
    }
    add.sort_unstable();
    add.dedup();
    add
}

pub fn folder_of(path: &Path) -> &Path {
    path.parent().unwrap_or(Path::new(""))
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
        assert!(!calls_module("bucket = \"${path.module}/x\""));
        assert!(!calls_module("submodule = 1"));
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
            let text = format!("resource \"{kind}\" \"a\" {{}}");
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
        ];
        let candidates: Vec<Candidate<'_>> = files
            .iter()
            .map(|(path, text)| Candidate {
                path,
                format: crate::frontend::format_of(path),
                relevance: relevance(text),
            })
            .collect();
        let folders = Folders::new(&candidates);
        assert_eq!(
            initial_selection(&candidates, &folders),
            [true, true, true, false, false, true]
        );
    }

    #[test]
    fn downloaded_folders_follow_their_root() {
        assert_eq!(
            terraform::downloaded_root(Path::new("x/.terraform/modules/a")),
            Some(PathBuf::from("x"))
        );
        assert_eq!(terraform::downloaded_root(Path::new("x/modules/a")), None);
    }
}
