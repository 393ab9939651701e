//! `--changed`: what a change reaches. A commit can give someone console
//! access without MFA from a file that holds no finding: a user added to a
//! `for_each` map in `variables.tf`, a new `terraform.tfvars`, a deleted
//! `mfa.tf`, a membership removed from `groups.tf`. So the whole tree is
//! scanned as usual, and then every finding of every scope (root module
//! tree, template, report) that the change reaches is reported: a scope is
//! reached when a changed path (added, modified, deleted, either side of a
//! rename) is one of the files it read or tried to read, or sits directly
//! in one of the folders it read, or when the settings changed. Findings in
//! scopes the change does not reach are left out, so old findings in an
//! untouched folder do not block a commit.
//!
//! The changed paths come from git, which mfalint runs itself (`git diff`
//! of the index, or against the merge base of a reference): pre-commit
//! passes no file name for a deletion.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::diagnostic::InputError;
use crate::finding::Finding;
use crate::model::ScopeId;
use crate::source::{SourceMap, absolute, real};

/// The paths a change touched, absolute and with links resolved where
/// they exist.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangeSet {
    pub paths: BTreeSet<PathBuf>,
    /// The settings file the scan uses (`--config`), absolute; any
    /// `.mfalint.toml` counts too.
    pub settings: Option<PathBuf>,
    /// No change to compare with (nothing staged: `pre-commit run
    /// --all-files`, pre-commit.ci): everything is reported.
    pub everything: bool,
    /// What the commit records where the work tree differs from it: files
    /// to leave out (untracked, or deleted in the index but still on disk)
    /// and texts to read instead of the disk (the index's version of files
    /// changed but not staged).
    pub index: IndexView,
}

/// The index's view of the work tree, for a staged change.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IndexView {
    pub hidden: BTreeSet<PathBuf>,
    pub texts: std::collections::BTreeMap<PathBuf, String>,
}

impl ChangeSet {
    /// A change set of these paths (relative ones are taken from `base`).
    pub fn new(base: &Path, paths: impl IntoIterator<Item = PathBuf>) -> Self {
        ChangeSet {
            paths: paths
                .into_iter()
                .map(|p| real(&absolute(base, &p)))
                .collect(),
            settings: None,
            everything: false,
            index: IndexView::default(),
        }
    }

    /// What a commit records: the staged change, and the index's view of
    /// the work tree (a hook may run with untracked or unstaged files on
    /// disk). Run by pre-commit between two refs (`pre-commit run
    /// --from-ref A --to-ref B`, the pre-push stage), the change between
    /// them; with nothing staged, everything.
    pub fn staged(dir: &Path) -> Result<Self, String> {
        let refs = (
            std::env::var("PRE_COMMIT_FROM_REF").ok(),
            std::env::var("PRE_COMMIT_TO_REF").ok(),
        );
        if let (Some(from), Some(to)) = refs
            && !from.is_empty()
            && !to.is_empty()
            && !from.starts_with('-')
            && !to.starts_with('-')
        {
            let range = format!("{from}...{to}");
            return Self::from_git(dir, &["diff", &range]);
        }
        let mut change = Self::from_git(dir, &["diff", "--cached"])?;
        if change.paths.is_empty() {
            change.everything = true;
            return Ok(change);
        }
        let top = toplevel(dir)?;
        let list = |args: &[&str]| -> Result<Vec<PathBuf>, String> {
            Ok(git(&top, args)?
                .split('\0')
                .filter(|p| !p.is_empty())
                .map(|p| real(&top.join(p)))
                .collect())
        };
        // Untracked files are not in the commit.
        for path in list(&["ls-files", "--others", "--exclude-standard", "-z"])? {
            change.index.hidden.insert(path);
        }
        // Files whose work-tree text is not the staged one: the index's
        // text, or nothing when the index has deleted them.
        for path in list(&["diff", "--name-only", "-z", "--no-renames", "--no-relative"])? {
            let relative = path
                .strip_prefix(&top)
                .unwrap_or(&path)
                .to_string_lossy()
                .into_owned();
            match git(&top, &["show", &format!(":{relative}")]) {
                Ok(text) => {
                    change.index.texts.insert(path, text);
                }
                Err(_) => {
                    change.index.hidden.insert(path);
                }
            }
        }
        for path in list(&[
            "diff",
            "--cached",
            "--name-only",
            "-z",
            "--diff-filter=D",
            "--no-relative",
        ])? {
            change.index.hidden.insert(path);
        }
        Ok(change)
    }

    /// Changes since the merge base of `base` and HEAD, with the working
    /// tree's (what a pull request changes, checked out in CI).
    pub fn since(dir: &Path, base: &str) -> Result<Self, String> {
        if base.starts_with('-') {
            return Err(format!("`--base {base}`: not a git reference"));
        }
        Self::from_git(dir, &["diff", "--merge-base", base])
    }

    fn from_git(dir: &Path, args: &[&str]) -> Result<Self, String> {
        let top = toplevel(dir)?;
        // Renames as a deletion and an addition: both sides count. Paths
        // from the top level, whatever the user's `diff.relative`.
        let mut full: Vec<&str> = args.to_vec();
        full.extend([
            "--name-only",
            "-z",
            "--no-renames",
            "--no-ext-diff",
            "--no-relative",
            "--",
        ]);
        let listed = git(&top, &full)?;
        Ok(Self::new(
            &top,
            listed
                .split('\0')
                .filter(|p| !p.is_empty())
                .map(PathBuf::from),
        ))
    }

    fn settings_changed(&self) -> bool {
        self.everything
            || self.paths.iter().any(|p| {
                p.file_name().is_some_and(|n| n == crate::config::FILE_NAME)
                    || self.settings.as_ref() == Some(p)
            })
    }

    /// Keeps the findings, input errors and input warnings the change
    /// reaches.
    /// `importing` are the scopes of templates with `Fn::ImportValue`: any
    /// changed template may add, move or remove what they import.
    pub fn retain_reached(
        &self,
        scope_inputs: &[(ScopeId, BTreeSet<PathBuf>)],
        importing: &[ScopeId],
        sources: &SourceMap,
        findings: &mut Vec<Finding>,
        errors: &mut Vec<InputError>,
        warnings: &mut Vec<InputError>,
    ) {
        let cwd = std::env::current_dir().unwrap_or_default();
        let everything = self.settings_changed();
        // A changed file reaches the folder it is in; a changed folder (a
        // submodule) and an ignore file reach everything under them.
        let folders: HashSet<PathBuf> = self
            .paths
            .iter()
            .filter_map(|p| p.parent().map(Path::to_path_buf))
            .collect();
        let trees: HashSet<&Path> = self
            .paths
            .iter()
            .map(|p| {
                let ignore = p
                    .file_name()
                    .is_some_and(|n| n == ".gitignore" || n == ".ignore");
                match (ignore, p.parent()) {
                    (true, Some(dir)) => dir,
                    _ => p.as_path(),
                }
            })
            .collect();
        let reaches = |path: &Path| {
            self.paths.contains(path)
                || folders.contains(path)
                || path.ancestors().any(|a| trees.contains(a))
        };
        let template_changed = self.paths.iter().any(|p| {
            p.extension()
                .is_some_and(|e| ["json", "yaml", "yml", "template"].iter().any(|x| e == *x))
        });
        let mut reached: HashSet<ScopeId> = HashSet::new();
        if template_changed {
            reached.extend(importing.iter().copied());
        }
        // The folders and files of the scopes reached: an input error
        // there leaves a reached scope incomplete.
        let mut reached_inputs: HashSet<PathBuf> = HashSet::new();
        for (scope, inputs) in scope_inputs {
            let inputs: Vec<PathBuf> = inputs.iter().map(|p| real(&absolute(&cwd, p))).collect();
            if everything || reached.contains(scope) || inputs.iter().any(|p| reaches(p)) {
                reached.insert(*scope);
                reached_inputs.extend(inputs);
            }
        }
        let file_of = |id| real(&absolute(&cwd, &sources.get(id).path));
        findings.retain(|f| match f.scope {
            Some(scope) => reached.contains(&scope),
            // About the settings or an exception comment: reached when its
            // file or folder changed.
            None => {
                let file = file_of(f.primary.file);
                everything || reaches(&file)
            }
        });
        let reached_error = |e: &InputError| {
            let file = match e.span {
                Some(span) => file_of(span.file),
                None => real(&absolute(&cwd, Path::new(&e.path))),
            };
            everything
                || reaches(&file)
                || reached_inputs.contains(&file)
                || file.parent().is_some_and(|d| reached_inputs.contains(d))
        };
        errors.retain(reached_error);
        warnings.retain(reached_error);
    }
}

/// The work tree's top level, with links resolved.
fn toplevel(dir: &Path) -> Result<PathBuf, String> {
    let top = git(dir, &["rev-parse", "--show-toplevel"])?;
    Ok(real(Path::new(top.trim_end_matches(['\n', '\r']))))
}

/// The root of the git work tree holding `dir`, if there is one.
pub fn git_toplevel(dir: &Path) -> Option<PathBuf> {
    toplevel(dir).ok()
}

/// Runs git in `dir` and returns its standard output.
fn git(dir: &Path, args: &[&str]) -> Result<String, String> {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .map_err(|e| format!("--changed needs git, which could not be run: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "`git {}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    String::from_utf8(output.stdout).map_err(|_| "git printed a path that is not UTF-8".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_settings_file_reaches_everything() {
        let set = ChangeSet::new(Path::new("/r"), [PathBuf::from("infra/.mfalint.toml")]);
        assert!(set.settings_changed());
        let mut set = ChangeSet::new(Path::new("/r"), [PathBuf::from("infra/main.tf")]);
        assert!(!set.settings_changed());
        set.settings = Some(PathBuf::from("/r/infra/main.tf"));
        assert!(set.settings_changed());
    }
}
