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
/// 10,000 files; here the usual paths are compared as bytes, and any other
/// by an order key built once per path.
pub(crate) fn sorted_unique(paths: Vec<PathBuf>) -> Vec<PathBuf> {
    use rayon::prelude::*;
    #[cfg(unix)]
    if paths
        .par_iter()
        .all(|p| is_forward(p.as_os_str().as_encoded_bytes()))
    {
        // The usual case, every path plain and without `..`: compared as
        // bytes, with no key to build. Equal paths are equal bytes. The
        // bytes all paths begin with (the walked folder's) are skipped.
        fn bytes(p: &Path) -> &[u8] {
            p.as_os_str().as_encoded_bytes()
        }
        let mut paths = paths;
        let first = paths.first().map_or(&[][..], |p| bytes(p));
        let common = paths
            .par_iter()
            .map(|p| {
                first
                    .iter()
                    .zip(bytes(p))
                    .take_while(|(a, b)| a == b)
                    .count()
            })
            .min()
            .unwrap_or(0);
        paths.par_sort_unstable_by(|a, b| forward_cmp(&bytes(a)[common..], &bytes(b)[common..]));
        paths.dedup_by(|a, b| a.as_os_str() == b.as_os_str());
        return paths;
    }
    // In parallel: the walk's end is otherwise one thread's work.
    let mut keyed: Vec<(Vec<u8>, PathBuf)> =
        paths.into_par_iter().map(|p| (order_key(&p), p)).collect();
    // Stable, so that of two spellings of one path (an editor's unsaved
    // buffer is not normalised) the first given is kept.
    keyed.par_sort_by(|a, b| a.0.cmp(&b.0));
    keyed.dedup_by(|a, b| a.0 == b.0);
    keyed.into_iter().map(|(_, path)| path).collect()
}

/// A plain path (`crate::paths::is_plain`) without a `..` component: its
/// components are its bytes between `/`s, all of them names.
#[cfg(unix)]
fn is_forward(bytes: &[u8]) -> bool {
    crate::paths::is_plain(bytes)
        && !(bytes == b".." || bytes.starts_with(b"../"))
        && crate::paths::after_each_slash(bytes, |rest| {
            !matches!(rest, [b'.', b'.'] | [b'.', b'.', b'/', ..])
        })
}

/// Two forward paths ([`is_forward`]) in `Path` order: their bytes, with
/// `/` below every other byte. Component by component, names compare as
/// bytes, a name before the longer names it begins (the shorter one's `/`
/// or end against the longer one's next byte), and a root before a name.
#[cfg(unix)]
fn forward_cmp(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    let n = a.len().min(b.len());
    let mut i = 0;
    // Paths of one scan share long beginnings: eight bytes at a time.
    while i + 8 <= n && a[i..i + 8] == b[i..i + 8] {
        i += 8;
    }
    while i < n && a[i] == b[i] {
        i += 1;
    }
    if i == n {
        return a.len().cmp(&b.len());
    }
    let rank = |byte: u8| if byte == b'/' { 0 } else { u16::from(byte) + 1 };
    rank(a[i]).cmp(&rank(b[i]))
}

/// Bytes that compare as the path's components do: each component is a
/// tag in `Component`'s variant order followed by its bytes, and components
/// are separated by 0, which no file name contains, so a path sorts before
/// the paths it is a prefix of.
fn order_key(path: &Path) -> Vec<u8> {
    #[cfg(unix)]
    {
        let bytes = path.as_os_str().as_encoded_bytes();
        if crate::paths::is_plain(bytes) {
            return plain_order_key(bytes);
        }
    }
    components_order_key(path)
}

/// [`order_key`] of a plain path (`crate::paths::is_plain`), from its
/// bytes: when some path has a `..` (a scan of `../infra`) every file is
/// keyed, and `Path::components` made keying a fifth of the walk's end.
#[cfg(unix)]
fn plain_order_key(bytes: &[u8]) -> Vec<u8> {
    let mut key = Vec::with_capacity(bytes.len() + 8);
    let mut parts = bytes.split(|&b| b == b'/');
    if bytes.starts_with(b"/") {
        parts.next(); // the empty text before the root
        key.push(2);
    }
    for part in parts {
        if !key.is_empty() {
            key.push(0);
        }
        key.push(if part == b".." { 4 } else { 5 });
        if part != b".." {
            key.extend_from_slice(part);
        }
    }
    key
}

/// [`order_key`] of any path.
fn components_order_key(path: &Path) -> Vec<u8> {
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
        let mut mine = Found {
            files: Vec::new(),
            into: &found,
        };
        let problems = &problems;
        Box::new(move |result| {
            if cancelled.is_some_and(|c| c.load(Ordering::Relaxed)) {
                return WalkState::Quit;
            }
            match result {
                Ok(entry) => {
                    let is_file = entry.file_type().is_some_and(|t| t.is_file());
                    if is_file && frontend::is_read(entry.path()) {
                        mine.files.push(normalize(entry.path()));
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

/// One walking thread's files, added to the walk's list when the thread
/// is done (its visitor is dropped): a lock taken per file kept the
/// threads waiting on each other.
struct Found<'a> {
    files: Vec<PathBuf>,
    into: &'a Mutex<Vec<PathBuf>>,
}

impl Drop for Found<'_> {
    fn drop(&mut self) {
        let mut all = self
            .into
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        all.append(&mut self.files);
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
    #[cfg(unix)]
    if crate::paths::is_plain(path.as_os_str().as_encoded_bytes()) {
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

    /// The paths once each, as a `BTreeSet` of paths orders them.
    fn in_path_order(paths: &[PathBuf]) -> Vec<PathBuf> {
        paths
            .iter()
            .cloned()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect()
    }

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
        let expected = in_path_order(&paths);
        assert_eq!(sorted_unique(paths.clone()), expected);
        let reversed: Vec<PathBuf> = paths.into_iter().rev().collect();
        assert_eq!(sorted_unique(reversed), expected);
    }

    #[cfg(unix)]
    #[test]
    fn forward_paths_are_sorted_as_path_orders_them() {
        let mut forward: Vec<PathBuf> = crate::paths::tests::tricky_paths()
            .into_iter()
            .filter(|p| is_forward(p.as_bytes()))
            .map(PathBuf::from)
            .chain(["a-b/x", "a/x", "a.b", "a b", "/a", "/a/b", "z"].map(PathBuf::from))
            .collect();
        assert!(forward.len() > 1000, "{}", forward.len());
        assert!(
            forward
                .iter()
                .all(|p| is_forward(p.as_os_str().as_encoded_bytes()))
        );
        // Repeats, in an order far from sorted.
        forward.extend(forward.clone());
        forward.reverse();
        forward.rotate_left(777);
        let expected = in_path_order(&forward);
        assert_eq!(sorted_unique(forward), expected);
    }

    #[cfg(unix)]
    #[test]
    fn plain_paths_are_keyed_as_their_components_are() {
        let mut plain = 0;
        for text in crate::paths::tests::tricky_paths() {
            let bytes = text.as_bytes();
            if crate::paths::is_plain(bytes) {
                plain += 1;
                assert_eq!(
                    plain_order_key(bytes),
                    components_order_key(Path::new(&text)),
                    "{text:?}"
                );
            }
        }
        assert!(plain > 1000, "{plain}");
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
        ]
        .into_iter()
        .map(String::from)
        .chain(crate::paths::tests::tricky_paths())
        {
            assert_eq!(
                normalize(Path::new(&text)).as_os_str(),
                rebuilt_without_dots(Path::new(&text)).as_os_str(),
                "{text:?}"
            );
        }
    }
}
