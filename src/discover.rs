//! File discovery: walks the given paths in parallel and returns the files a
//! front-end reads, sorted, so every later stage sees the same order
//! whatever the thread count.
//!
//! Folders are walked with the `ignore` crate (as ripgrep does): `.gitignore`
//! and hidden files are respected, symbolic links are not followed (so a
//! link loop cannot trap the walk), and `.terraform/`, `.git/` and
//! `node_modules/` are always skipped.
//!
//! A file named on the command line is scanned even if ignored, and the other
//! files of its folder are read as context (a Terraform module spans its
//! folder), while findings are reported only where they touch named files.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use globset::{Glob, GlobSet, GlobSetBuilder};
use ignore::{WalkBuilder, WalkState};

use crate::diagnostic::InputError;
use crate::frontend;
use crate::source::display_path;

/// Folders never worth scanning: tool caches and vendored code.
const ALWAYS_SKIPPED: &[&str] = &[".terraform", ".git", "node_modules"];

#[derive(Debug, Clone, Default)]
pub struct DiscoverOptions {
    pub paths: Vec<PathBuf>,
    /// Globs matched against paths relative to the walked folder, and
    /// against file and folder names.
    pub exclude: Vec<String>,
    /// Read `.gitignore`, `.ignore` and git excludes (default on).
    pub respect_ignore_files: bool,
    pub threads: usize,
}

#[derive(Debug, Default)]
pub struct Discovery {
    /// Every file to read, sorted and unique.
    pub files: Vec<PathBuf>,
    /// When files were named explicitly: only findings touching these are
    /// reported (`None` means report everything).
    pub report_only: Option<BTreeSet<PathBuf>>,
    pub errors: Vec<InputError>,
}

/// Compiles `--exclude` globs, or says which one is invalid.
pub fn exclude_set(patterns: &[String]) -> Result<GlobSet, String> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        let glob =
            Glob::new(pattern).map_err(|e| format!("invalid --exclude glob {pattern:?}: {e}"))?;
        builder.add(glob);
    }
    builder.build().map_err(|e| e.to_string())
}

/// Every file to scan under `options.paths`. `cancelled`, when set,
/// stops the walk early (the result is then incomplete).
pub fn discover(
    options: &DiscoverOptions,
    excludes: &GlobSet,
    cancelled: Option<&AtomicBool>,
) -> Discovery {
    let mut discovery = Discovery::default();
    let mut files = Vec::new();
    let mut named_files = BTreeSet::new();
    let mut all_named = true;
    for path in &options.paths {
        let path = normalize(path);
        match std::fs::metadata(&path) {
            Ok(meta) if meta.is_dir() => {
                all_named = false;
                walk(
                    &path,
                    options,
                    excludes,
                    cancelled,
                    &mut files,
                    &mut discovery.errors,
                );
            }
            Ok(meta) if meta.is_file() => {
                if !frontend::is_read(&path) {
                    discovery.errors.push(InputError::file(
                        display_path(&path),
                        "no front-end reads this kind of file (expected a .tf file)",
                    ));
                    continue;
                }
                add_folder_context(&path, excludes, &mut files);
                files.push(path.clone());
                named_files.insert(path);
            }
            Ok(_) => discovery.errors.push(InputError::file(
                display_path(&path),
                "not a regular file or folder; skipped",
            )),
            Err(err) => discovery
                .errors
                .push(InputError::file(display_path(&path), err.to_string())),
        }
    }
    let extra = frontend::extra_files(&files);
    files.extend(extra);
    discovery.files = sorted_unique(files);
    if all_named && !named_files.is_empty() {
        discovery.report_only = Some(named_files);
    }
    discovery
}

/// Sorts paths in `Path` order (component by component, as a `BTreeSet` of
/// paths would) and drops repeats. `Path` comparison parses both paths'
/// components on every call, which made sorting a third of discovery on
/// 10,000 files; here each path's order key is built once.
pub(crate) fn sorted_unique(paths: Vec<PathBuf>) -> Vec<PathBuf> {
    use rayon::prelude::*;
    // In parallel: the walk's end is otherwise one thread's work.
    let mut keyed: Vec<(Vec<u8>, PathBuf)> =
        paths.into_par_iter().map(|p| (order_key(&p), p)).collect();
    // Stable, so that of two spellings of one path (an editor's unsaved
    // buffer is not normalised) the first given is kept.
    keyed.par_sort_by(|a, b| a.0.cmp(&b.0));
    keyed.dedup_by(|a, b| a.0 == b.0);
    keyed.into_iter().map(|(_, path)| path).collect()
}

/// Bytes that compare as the path's components do: each component is a
/// tag in `Component`'s variant order followed by its bytes, and components
/// are separated by 0, which no file name contains, so a path sorts before
/// the paths it is a prefix of.
fn order_key(path: &Path) -> Vec<u8> {
    let mut key = Vec::with_capacity(path.as_os_str().len() + 8);
    for (i, component) in path.components().enumerate() {
        if i > 0 {
            key.push(0);
        }
        let (tag, bytes) = match component {
            Component::Prefix(p) => (1, p.as_os_str().as_encoded_bytes()),
            Component::RootDir => (2, &[][..]),
            Component::CurDir => (3, &[][..]),
            Component::ParentDir => (4, &[][..]),
            Component::Normal(name) => (5, name.as_encoded_bytes()),
        };
        key.push(tag);
        key.extend_from_slice(bytes);
    }
    key
}

/// The sibling files that share a module with an explicitly named file.
fn add_folder_context(file: &Path, excludes: &GlobSet, files: &mut Vec<PathBuf>) {
    let dir = match file.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    for entry in entries.flatten() {
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        let name = entry.file_name();
        let sibling = normalize(&file.with_file_name(&name));
        if is_file
            && !name.to_string_lossy().starts_with('.')
            && frontend::is_read(&sibling)
            && !excludes.is_match(Path::new(&name))
        {
            files.push(sibling);
        }
    }
}

fn walk(
    root: &Path,
    options: &DiscoverOptions,
    excludes: &GlobSet,
    cancelled: Option<&AtomicBool>,
    files: &mut Vec<PathBuf>,
    errors: &mut Vec<InputError>,
) {
    let found = Mutex::new(Vec::new());
    let problems = Mutex::new(Vec::new());
    let mut builder = WalkBuilder::new(root);
    builder
        .standard_filters(options.respect_ignore_files)
        .hidden(true)
        .require_git(false)
        .follow_links(false)
        .threads(options.threads.max(1));
    let root_owned = root.to_path_buf();
    let excludes_owned = excludes.clone();
    builder.filter_entry(move |entry| {
        let name = entry.file_name().to_string_lossy();
        if entry.depth() > 0
            && entry.file_type().is_some_and(|t| t.is_dir())
            && ALWAYS_SKIPPED.contains(&name.as_ref())
        {
            return false;
        }
        if entry.depth() == 0 || excludes_owned.is_empty() {
            return true;
        }
        let relative = entry
            .path()
            .strip_prefix(&root_owned)
            .unwrap_or(entry.path());
        !(excludes_owned.is_match(relative) || excludes_owned.is_match(name.as_ref()))
    });
    builder.build_parallel().run(|| {
        Box::new(|result| {
            if cancelled.is_some_and(|c| c.load(Ordering::Relaxed)) {
                return WalkState::Quit;
            }
            match result {
                Ok(entry) => {
                    let is_file = entry.file_type().is_some_and(|t| t.is_file());
                    if is_file && frontend::is_read(entry.path()) {
                        found
                            .lock()
                            .expect("walk lock")
                            .push(normalize(entry.path()));
                    }
                }
                Err(err) => problems.lock().expect("walk lock").push(err),
            }
            WalkState::Continue
        })
    });
    files.extend(found.into_inner().expect("walk lock"));
    let mut problems = problems.into_inner().expect("walk lock");
    problems.sort_by_key(|e| e.to_string());
    for problem in problems {
        let path = error_path(&problem).map_or_else(|| display_path(root), |p| display_path(&p));
        errors.push(InputError::file(path, problem.to_string()));
    }
}

fn error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        _ => None,
    }
}

/// Drops `.` components so the same file always has the same path.
pub fn normalize(path: &Path) -> PathBuf {
    // Most paths have none: they are copied as they are.
    let bytes = path.as_os_str().as_encoded_bytes();
    let as_is = !(bytes.is_empty()
        || bytes == b"."
        || bytes.starts_with(b"./")
        || bytes.ends_with(b"/.")
        || bytes.ends_with(b"/")
        || bytes.windows(2).any(|w| w == b"//")
        || bytes.windows(3).any(|w| w == b"/./")
        || cfg!(windows));
    if as_is {
        return path.to_path_buf();
    }
    rebuilt_without_dots(path)
}

/// [`normalize`] component by component.
fn rebuilt_without_dots(path: &Path) -> PathBuf {
    let normalized: PathBuf = path
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect();
    if normalized.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        normalized
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_sorted_as_path_orders_them() {
        let names = [
            "a/x.tf",
            "a-b/x.tf",
            "a.b",
            "a",
            "a/b/c.tf",
            "ab",
            "/abs/x.tf",
            "/a",
            "../x.tf",
            "../../y.tf",
            "./z.tf",
            "a/\u{1}/x.tf",
            "a/x.tf",
            "b",
            "a/b",
            "a/b/c.tf",
            "é/x",
            "e/x",
            "a/B",
            "a/b.tf",
            "a/b-c/d",
            "a/b/d",
        ];
        let paths: Vec<PathBuf> = names.iter().map(PathBuf::from).collect();
        let expected: Vec<PathBuf> = paths
            .iter()
            .cloned()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        assert_eq!(sorted_unique(paths.clone()), expected);
        let reversed: Vec<PathBuf> = paths.into_iter().rev().collect();
        assert_eq!(sorted_unique(reversed), expected);
    }

    #[test]
    fn normalize_drops_current_dir_components() {
        assert_eq!(normalize(Path::new("./a/./b.tf")), PathBuf::from("a/b.tf"));
        assert_eq!(normalize(Path::new(".")), PathBuf::from("."));
        // The paths it copies as they are are those it would rebuild
        // unchanged (compared as bytes: `Path` equality ignores `.`).
        for text in [
            "a/b.tf", "/a/b.tf", "a//b.tf", "a/b/", "a/./b", "./a", "a/.", ".", "..", "../a",
            "a/../b", ".a/b", "a/.b", "a/b./c", "/", "//a", "a.", "",
        ] {
            assert_eq!(
                normalize(Path::new(text)).as_os_str(),
                rebuilt_without_dots(Path::new(text)).as_os_str(),
                "{text:?}"
            );
        }
    }
}
