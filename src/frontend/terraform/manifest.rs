//! Modules that `terraform init` downloaded: Terraform records each module
//! call of a root module in `.terraform/modules/modules.json` (`Key` is the
//! call path, `module.a.module.b` written `a.b`; `Dir` the folder, relative
//! to the root module). mfalint reads downloaded modules only through that
//! manifest, never by walking `.terraform/` (which also holds provider
//! binaries and whole upstream repositories, examples included), and never
//! outside `.terraform/modules` of the root module.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostic::InputError;
use crate::source::join_lexically;
use crate::source::{FileId, SourceFile};
use crate::syntax::{Kind, Node, parse_json};

/// The manifest's place, relative to a root module folder.
pub const MANIFEST: &str = ".terraform/modules/modules.json";

/// A parsed manifest.
#[derive(Debug)]
pub struct ModuleManifest {
    pub file: FileId,
    /// The root module folder the manifest belongs to.
    pub root: PathBuf,
    /// Call path (`a.b`) -> module folder, for entries inside
    /// `.terraform/modules`.
    pub dirs: BTreeMap<String, PathBuf>,
}

/// Whether a path is a module manifest.
pub fn is_manifest(path: &Path) -> bool {
    // Asked of every file found: most lack the name's bytes altogether.
    mentions(path, b"modules.json") && path.ends_with(MANIFEST)
}

/// Whether a path's bytes hold `part` (a component equal to it does).
fn mentions(path: &Path, part: &[u8]) -> bool {
    let bytes = path.as_os_str().as_encoded_bytes();
    // Where its first byte is (few places in a path): a `memmem` searcher
    // built per call cost more than the search.
    part.first().is_some_and(|&first| {
        memchr::memchr_iter(first, bytes).any(|i| bytes[i..].starts_with(part))
    })
}

/// Whether a path lies inside a `.terraform` folder (downloaded code).
pub fn is_downloaded(path: &Path) -> bool {
    terraform_folder_at(path).is_some()
}

/// For a path inside `<root>/.terraform/`, `<root>`: the root module that
/// downloaded it.
pub fn downloaded_root(path: &Path) -> Option<PathBuf> {
    let at = terraform_folder_at(path)?;
    Some(path.components().take(at).collect())
}

/// Which component of the path is a `.terraform` folder; found without
/// building a path, as discovery asks it of every file.
fn terraform_folder_at(path: &Path) -> Option<usize> {
    if !mentions(path, b".terraform") {
        return None;
    }
    path.components()
        .position(|c| c.as_os_str() == ".terraform")
}

/// The root folder of a manifest path.
fn root_of(manifest: &Path) -> PathBuf {
    manifest
        .ancestors()
        .nth(3)
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

pub fn parse(
    id: FileId,
    file: &SourceFile,
    max_nesting: usize,
) -> Result<ModuleManifest, InputError> {
    // What is not a manifest's shape; a JSON error says so itself.
    let error = |span: std::ops::Range<usize>, message: String| {
        InputError::at(file.display.clone(), id, span, message)
            .of_kind(crate::diagnostic::InputErrorKind::Invalid)
    };
    let root = parse_json(file, max_nesting).map_err(|e| {
        let kind = e.kind();
        error(e.span, e.message).of_kind(kind)
    })?;
    let Some(Kind::List(modules)) = root.get("Modules").map(|m| &m.kind) else {
        return Err(error(
            root.span.clone(),
            "a Terraform module manifest has a `Modules` list; run `terraform init` again".into(),
        ));
    };
    let root_dir = root_of(&file.path);
    let downloads = root_dir.join(".terraform").join("modules");
    let mut dirs = BTreeMap::new();
    for module in modules {
        let (Some(key), Some(dir)) = (
            module.get("Key").and_then(Node::as_str),
            module.get("Dir").and_then(Node::as_str),
        ) else {
            continue;
        };
        let dir = join_lexically(&root_dir, dir);
        // Local modules of the root are read where they are; only entries
        // inside `.terraform/modules` are downloads.
        if !key.is_empty() && dir.starts_with(&downloads) && dir != downloads {
            dirs.insert(key.to_string(), dir);
        }
    }
    Ok(ModuleManifest {
        file: id,
        root: root_dir,
        dirs,
    })
}

/// The files to read for the downloaded modules of a root module folder:
/// its manifest and the configuration files of each module folder the
/// manifest lists (one level, as a module is one folder). A folder that
/// resolves, through links, outside `.terraform/modules` is not read.
pub fn downloaded_files(root: &Path, is_config: impl Fn(&Path) -> bool) -> Vec<PathBuf> {
    let manifest = root.join(MANIFEST);
    // Bounded and without blocking: a manifest that is a FIFO, or a link
    // to /dev/zero, must not hang discovery or fill memory.
    let limit = crate::frontend::Limits::default().max_file_bytes;
    let Ok(text) = crate::source::read_text_bounded(&manifest, limit, "manifest") else {
        return Vec::new();
    };
    let source = SourceFile::new(manifest.clone(), text);
    let nesting = crate::frontend::Limits::default().max_nesting;
    let Ok(parsed) = parse(FileId(0), &source, nesting) else {
        // Read again with the other files, where the error is reported.
        return vec![manifest];
    };
    let Ok(downloads) = root.join(".terraform").join("modules").canonicalize() else {
        return vec![manifest];
    };
    let mut files = vec![manifest];
    for dir in parsed.dirs.values() {
        let inside = dir
            .canonicalize()
            .is_ok_and(|real| real.starts_with(&downloads));
        let Ok(entries) = std::fs::read_dir(dir)
            .map_err(|_| ())
            .and_then(|e| if inside { Ok(e) } else { Err(()) })
        else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if entry.file_type().is_ok_and(|t| t.is_file()) && is_config(&path) {
                files.push(path);
            }
        }
    }
    files.sort();
    files.dedup();
    files
}
