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
use std::path::{Component, Path, PathBuf};
use std::process::Command;

use crate::diagnostic::InputError;
use crate::finding::Finding;
use crate::model::ScopeId;
use crate::source::SourceMap;

/// The paths a change touched, absolute and lexically normalised.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangeSet {
    pub paths: BTreeSet<PathBuf>,
    /// The settings file the scan uses (`--config`), absolute; any
    /// `.mfalint.toml` counts too.
    pub settings: Option<PathBuf>,
}

impl ChangeSet {
    /// A change set of these paths (relative ones are taken from `base`).
    pub fn new(base: &Path, paths: impl IntoIterator<Item = PathBuf>) -> Self {
        ChangeSet {
            paths: paths.into_iter().map(|p| absolute(base, &p)).collect(),
            settings: None,
        }
    }

    /// Staged changes (`git diff --cached`): what a commit records.
    pub fn staged(dir: &Path) -> Result<Self, String> {
        Self::from_git(dir, &["diff", "--cached"])
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
        let top = git(dir, &["rev-parse", "--show-toplevel"])?;
        let top = PathBuf::from(top.trim_end_matches(['\n', '\r']));
        // Renames as a deletion and an addition: both sides count.
        let mut full: Vec<&str> = args.to_vec();
        full.extend(["--name-only", "-z", "--no-renames", "--no-ext-diff", "--"]);
        let listed = git(dir, &full)?;
        Ok(Self::new(
            &top,
            listed
                .split('\0')
                .filter(|p| !p.is_empty())
                .map(PathBuf::from),
        ))
    }

    fn settings_changed(&self) -> bool {
        self.paths.iter().any(|p| {
            p.file_name().is_some_and(|n| n == crate::config::FILE_NAME)
                || self.settings.as_ref() == Some(p)
        })
    }

    /// Keeps the findings and input errors the change reaches.
    pub fn retain_reached(
        &self,
        scope_inputs: &[(ScopeId, BTreeSet<PathBuf>)],
        sources: &SourceMap,
        findings: &mut Vec<Finding>,
        errors: &mut Vec<InputError>,
    ) {
        let cwd = std::env::current_dir().unwrap_or_default();
        let everything = self.settings_changed();
        let folders: HashSet<PathBuf> = self
            .paths
            .iter()
            .filter_map(|p| p.parent().map(Path::to_path_buf))
            .collect();
        let reaches = |path: &Path| self.paths.contains(path) || folders.contains(path);
        let mut reached: HashSet<ScopeId> = HashSet::new();
        // The folders and files of the scopes reached: an input error
        // there leaves a reached scope incomplete.
        let mut reached_inputs: HashSet<PathBuf> = HashSet::new();
        for (scope, inputs) in scope_inputs {
            let inputs: Vec<PathBuf> = inputs.iter().map(|p| absolute(&cwd, p)).collect();
            if everything || inputs.iter().any(|p| reaches(p)) {
                reached.insert(*scope);
                reached_inputs.extend(inputs);
            }
        }
        let file_of = |id| absolute(&cwd, &sources.get(id).path);
        findings.retain(|f| match f.scope {
            Some(scope) => reached.contains(&scope),
            // About the settings or an exception comment: reached when its
            // file or folder changed.
            None => {
                let file = file_of(f.primary.file);
                everything || reaches(&file)
            }
        });
        errors.retain(|e| {
            let file = match e.span {
                Some(span) => file_of(span.file),
                None => absolute(&cwd, Path::new(&e.path)),
            };
            everything
                || reaches(&file)
                || reached_inputs.contains(&file)
                || file.parent().is_some_and(|d| reached_inputs.contains(d))
        });
    }
}

/// The root of the git work tree holding `dir`, if there is one.
pub fn git_toplevel(dir: &Path) -> Option<PathBuf> {
    let top = git(dir, &["rev-parse", "--show-toplevel"]).ok()?;
    let top = top.trim_end_matches(['\n', '\r']);
    (!top.is_empty()).then(|| PathBuf::from(top))
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

/// `path` made absolute from `base`, with `.` and `..` resolved lexically
/// (a deleted file cannot be canonicalised).
pub fn absolute(base: &Path, path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        base.join(path)
    };
    let mut out = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_absolute_and_normalised() {
        let base = Path::new("/repo/sub");
        assert_eq!(
            absolute(base, Path::new("./a/../b/x.tf")),
            PathBuf::from("/repo/sub/b/x.tf")
        );
        assert_eq!(absolute(base, Path::new("")), PathBuf::from("/repo/sub"));
        assert_eq!(absolute(base, Path::new("/etc/x")), PathBuf::from("/etc/x"));
    }

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
