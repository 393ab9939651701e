//! A path's file name, its folder and its place under another folder,
//! read from its bytes.
//!
//! `Path::file_name` and `Path::parent` parse the path's components on
//! every call, and discovery, the pre-filter and each front-end ask them of
//! every file several times (does Terraform claim it, which kind of file,
//! which folder): 6.5% of the samples of a 50,000-file scan were spent in
//! `std::path`'s component parsing. For the paths discovery produces (no
//! `.` component, no empty one, no `/` at the end) the answer is a slice of
//! the bytes; any other path is answered by `std::path` itself, so that the
//! answers are the same for every path (the tests compare them on every
//! path built from a set of tricky parts).

use std::ffi::OsStr;
use std::path::Path;

/// The last component when it is an ordinary name, and where the `/`
/// before it is (if any).
#[cfg(unix)]
fn plain_last(bytes: &[u8]) -> Option<(Option<usize>, &[u8])> {
    let slash = memchr::memrchr(b'/', bytes);
    let name = &bytes[slash.map_or(0, |i| i + 1)..];
    if name.is_empty() || name == b"." || name == b".." {
        return None;
    }
    Some((slash, name))
}

/// [`Path::file_name`].
pub fn file_name(path: &Path) -> Option<&OsStr> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        if let Some((_, name)) = plain_last(path.as_os_str().as_encoded_bytes()) {
            return Some(OsStr::from_bytes(name));
        }
    }
    path.file_name()
}

/// [`Path::file_name`] as text, when it is UTF-8.
pub fn file_name_str(path: &Path) -> Option<&str> {
    file_name(path).and_then(OsStr::to_str)
}

/// [`Path::parent`].
pub fn parent(path: &Path) -> Option<&Path> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let bytes = path.as_os_str().as_encoded_bytes();
        if let Some((Some(slash), _)) = plain_last(bytes) {
            let folder = &bytes[..slash];
            let last = &folder[memchr::memrchr(b'/', folder).map_or(0, |i| i + 1)..];
            // `std` drops a `.` or an empty component before the name
            // (`a/./b`, `a//b`) and answers `/` for `/b`: left to it.
            if !last.is_empty() && last != b"." {
                return Some(Path::new(OsStr::from_bytes(folder)));
            }
        }
    }
    path.parent()
}

/// The folder a file is in: its parent, `""` for a bare name or none.
pub fn folder(path: &Path) -> &Path {
    parent(path).unwrap_or(Path::new(""))
}

/// [`Path::strip_prefix`].
pub fn strip_prefix<'a>(path: &'a Path, base: &Path) -> Option<&'a Path> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let bytes = path.as_os_str().as_encoded_bytes();
        let prefix = base.as_os_str().as_encoded_bytes();
        // Two plain paths (no empty or `.` component, no `/` at the end)
        // share components exactly where they share bytes up to a `/`.
        if is_plain(bytes) && is_plain(prefix) && prefix != b"/" {
            return match bytes.strip_prefix(prefix) {
                Some([]) => Some(Path::new("")),
                Some([b'/', rest @ ..]) => Some(Path::new(OsStr::from_bytes(rest))),
                _ => None,
            };
        }
    }
    path.strip_prefix(base).ok()
}

/// No empty or `.` component, no `/` at the end, not empty: such a
/// path's components are its bytes split at each `/` (after a leading `/`,
/// the root).
#[cfg(unix)]
pub(crate) fn is_plain(bytes: &[u8]) -> bool {
    !(bytes.is_empty() || bytes == b"." || bytes.starts_with(b"./"))
        && after_each_slash(bytes, |rest| {
            !matches!(rest, [] | [b'/', ..] | [b'.'] | [b'.', b'/', ..])
        })
}

/// Whether what follows each `/` of a path passes `test` (asked of every
/// file found: the `/`s are found by `memchr`, not byte by byte).
#[cfg(unix)]
pub(crate) fn after_each_slash(bytes: &[u8], test: impl Fn(&[u8]) -> bool) -> bool {
    memchr::memchr_iter(b'/', bytes).all(|i| test(&bytes[i + 1..]))
}

/// Whether a file's name ends with `ending`, in any case (compared as
/// bytes: asked of every file found, several times).
pub fn name_ends_with_ignore_case(path: &Path, ending: &str) -> bool {
    let name = file_name(path).map_or(&[][..], OsStr::as_encoded_bytes);
    name.len() >= ending.len()
        && name[name.len() - ending.len()..].eq_ignore_ascii_case(ending.as_bytes())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Every path of up to four parts from a set of tricky ones, with and
    /// without a leading `/`.
    pub(crate) fn tricky_paths() -> Vec<String> {
        let parts = ["a", "b.tf", ".", "..", "", "...", ".terraform", "x y", "é"];
        let mut paths: Vec<String> = vec![String::new()];
        let mut level: Vec<String> = vec![String::new()];
        for _ in 0..4 {
            let mut next = Vec::new();
            for prefix in &level {
                for part in parts {
                    let path = if prefix.is_empty() {
                        part.to_string()
                    } else {
                        format!("{prefix}/{part}")
                    };
                    next.push(path);
                }
            }
            paths.extend(next.iter().cloned());
            level = next;
        }
        let absolute: Vec<String> = paths.iter().map(|p| format!("/{p}")).collect();
        paths.extend(absolute);
        paths
    }

    #[test]
    fn answers_as_std_path_does() {
        let paths = tricky_paths();
        assert!(paths.len() > 10_000);
        for text in &paths {
            let path = Path::new(text);
            assert_eq!(file_name(path), path.file_name(), "file_name of {text:?}");
            assert_eq!(
                parent(path).map(|p| p.as_os_str()),
                path.parent().map(|p| p.as_os_str()),
                "parent of {text:?}"
            );
        }
    }

    #[test]
    fn prefixes_strip_as_std_path_strips_them() {
        let paths = tricky_paths();
        let bases: Vec<&str> = paths
            .iter()
            .map(String::as_str)
            .filter(|p| p.len() < 6)
            .chain(["/", "/a/b.tf/...", "a/b.tf/..", "/a/a/a/a", "/a/./b.tf"])
            .collect();
        assert!(bases.len() > 100, "{}", bases.len());
        for base in &bases {
            for text in &paths {
                let path = Path::new(text);
                assert_eq!(
                    strip_prefix(path, Path::new(base)).map(Path::as_os_str),
                    path.strip_prefix(base).ok().map(Path::as_os_str),
                    "{text:?} without {base:?}"
                );
            }
        }
    }

    #[cfg(unix)]
    #[test]
    fn plain_paths_are_those_without_empty_or_dot_parts() {
        for text in tricky_paths().iter().chain(&["a//b".into(), "/./".into()]) {
            let bytes = text.as_bytes();
            let parts: Vec<&[u8]> = bytes.split(|&b| b == b'/').collect();
            // A leading `/` leaves an empty first part: the root.
            let names = if bytes.starts_with(b"/") {
                &parts[1..]
            } else {
                &parts[..]
            };
            let expected = names.iter().all(|p| !p.is_empty() && *p != b".");
            assert_eq!(is_plain(bytes), expected, "{text:?}");
        }
    }

    #[test]
    fn endings_compare_in_any_case() {
        assert!(name_ends_with_ignore_case(
            Path::new("a/Main.TF.JSON"),
            ".tf.json"
        ));
        assert!(!name_ends_with_ignore_case(
            Path::new("a.tf.json/b"),
            ".tf.json"
        ));
        assert!(!name_ends_with_ignore_case(Path::new("json"), ".json"));
    }
}
