//! Source files and spans.
//!
//! Every entity in the model points back at the bytes it came from. Spans are
//! byte ranges plus a file id; line and column are computed only when a
//! reporter renders them, so the model stays cheap to build and compare.

use std::ops::Range;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

/// Index of a file in the [`SourceMap`] of one scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub u32);

/// A byte range inside one source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, range: Range<usize>) -> Self {
        Span {
            file,
            start: clamp_u32(range.start),
            end: clamp_u32(range.end.max(range.start)),
        }
    }

    pub fn range(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

fn clamp_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// One input file, read once and shared by every stage of the pipeline.
#[derive(Debug)]
pub struct SourceFile {
    /// Path as given or discovered (used for reading and for module grouping).
    pub path: PathBuf,
    /// Path shown to users: relative to the working directory when possible.
    pub display: String,
    pub text: Arc<str>,
    pub lines: LineIndex,
}

impl SourceFile {
    pub fn new(path: PathBuf, text: impl Into<Arc<str>>) -> Self {
        let text = text.into();
        let display = display_path(&path);
        let lines = LineIndex::default();
        SourceFile {
            path,
            display,
            text,
            lines,
        }
    }

    /// The text a span covers, or "" when the span is out of range.
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.range()).unwrap_or("")
    }

    /// 1-based line and column of a byte offset (see [`Position`]).
    pub fn position(&self, offset: u32) -> Position {
        self.lines.position(&self.text, offset as usize)
    }
}

/// A rendered position. Columns come in two units because consumers differ:
/// editors and humans count characters, SARIF (by default) counts UTF-16 code units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column in Unicode scalar values.
    pub column: usize,
    /// 1-based column in UTF-16 code units.
    pub column_utf16: usize,
}

/// Start offsets of every line of a file, computed the first time a
/// position is asked for: most files of a large tree never have a finding
/// or an error, and the index of every line of every file was a tenth of
/// the memory of a 50,000-file scan.
#[derive(Debug, Default)]
pub struct LineIndex {
    starts: std::sync::OnceLock<Vec<u32>>,
    /// Character and UTF-16 counts from the start of the text every
    /// [`CHECKPOINT_BYTES`], built the first time a column is asked for
    /// far into a line: a minified 2 MB template is one line, and counting
    /// from its start for each of thousands of positions took minutes.
    checkpoints: std::sync::OnceLock<Vec<Checkpoint>>,
}

/// Columns closer than this to their line's start are counted directly.
const CHECKPOINT_BYTES: usize = 1024;

#[derive(Debug, Clone, Copy)]
struct Checkpoint {
    /// A character boundary.
    byte: usize,
    /// Characters before `byte`.
    chars: usize,
    /// UTF-16 code units before `byte`.
    utf16: usize,
}

/// The byte offset of the `n`th character from `start` (the text's length
/// past its end).
fn nth_char_from(text: &str, start: usize, n: usize) -> usize {
    let rest = &text[start..];
    start + rest.char_indices().nth(n).map_or(rest.len(), |(i, _)| i)
}

fn utf16_len(text: &str) -> usize {
    text.chars().map(char::len_utf16).sum()
}

impl LineIndex {
    /// Where each line starts. A line ends at `\n`, `\r\n` or a lone `\r`,
    /// for every format, as editors and the Language Server Protocol count
    /// lines (and YAML does).
    fn starts(&self, text: &str) -> &[u32] {
        self.starts.get_or_init(|| {
            let bytes = text.as_bytes();
            std::iter::once(0)
                .chain(
                    memchr::memchr2_iter(b'\n', b'\r', bytes)
                        .filter(|&i| bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n'))
                        .map(|i| clamp_u32(i + 1)),
                )
                .collect()
        })
    }

    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = floor_char_boundary(text, offset);
        let (line, line_start, _) = self.line_at(text, offset);
        let (column, column_utf16) = if offset - line_start <= 2 * CHECKPOINT_BYTES {
            let prefix = &text[line_start..offset];
            (prefix.chars().count(), utf16_len(prefix))
        } else {
            let (start_chars, start_utf16) = self.counts_before(text, line_start);
            let (chars, utf16) = self.counts_before(text, offset);
            (chars - start_chars, utf16 - start_utf16)
        };
        Position {
            line: line + 1,
            column: column + 1,
            column_utf16: column_utf16 + 1,
        }
    }

    /// The 0-based number, start and end (before its line break) of the
    /// line holding `offset`.
    pub fn line_at(&self, text: &str, offset: usize) -> (usize, usize, usize) {
        let offset = floor_char_boundary(text, offset);
        let starts = self.starts(text);
        let line = match starts.binary_search(&clamp_u32(offset)) {
            Ok(exact) => exact,
            Err(next) => next - 1,
        };
        let start = (starts[line] as usize).min(text.len());
        let end = starts
            .get(line + 1)
            .map_or(text.len(), |&next| (next as usize).saturating_sub(1))
            .max(start);
        (line, start, end)
    }

    /// Byte offset of a 1-based line and 0-based character column (how
    /// YAML parsers place things), clamped to the text. A column past the
    /// line's end goes on into the next lines.
    pub fn offset_of_char_column(&self, text: &str, line: usize, column: usize) -> usize {
        let start = self
            .starts(text)
            .get(line.saturating_sub(1))
            .map_or(text.len(), |&s| (s as usize).min(text.len()));
        if column <= 2 * CHECKPOINT_BYTES {
            return nth_char_from(text, start, column);
        }
        let (chars, _) = self.counts_before(text, start);
        self.byte_of_char(text, chars + column)
    }

    fn checkpoints(&self, text: &str) -> &[Checkpoint] {
        self.checkpoints.get_or_init(|| {
            let mut last = Checkpoint {
                byte: 0,
                chars: 0,
                utf16: 0,
            };
            let mut all = vec![last];
            let mut next = CHECKPOINT_BYTES;
            while next < text.len() {
                let byte = floor_char_boundary(text, next);
                let piece = &text[last.byte..byte];
                last = Checkpoint {
                    byte,
                    chars: last.chars + piece.chars().count(),
                    utf16: last.utf16 + utf16_len(piece),
                };
                all.push(last);
                next += CHECKPOINT_BYTES;
            }
            all
        })
    }

    /// Characters and UTF-16 units before a character boundary.
    fn counts_before(&self, text: &str, byte: usize) -> (usize, usize) {
        let checkpoints = self.checkpoints(text);
        let at = checkpoints[checkpoints.partition_point(|c| c.byte <= byte) - 1];
        let piece = &text[at.byte..byte];
        (
            at.chars + piece.chars().count(),
            at.utf16 + utf16_len(piece),
        )
    }

    /// The byte offset of the character with this index (the text's
    /// length past its end).
    fn byte_of_char(&self, text: &str, index: usize) -> usize {
        let checkpoints = self.checkpoints(text);
        let at = checkpoints[checkpoints.partition_point(|c| c.chars <= index) - 1];
        nth_char_from(text, at.byte, index - at.chars)
    }

    /// Byte offset of a 1-based line and 1-based byte column as serde_json
    /// reports them (its lines end at `\n` only), clamped to the text.
    pub fn offset_of(&self, text: &str, line: usize, byte_column: usize) -> usize {
        let start = match line.saturating_sub(1) {
            0 => 0,
            n => memchr::memchr_iter(b'\n', text.as_bytes())
                .nth(n - 1)
                .map_or(text.len(), |i| i + 1),
        };
        floor_char_boundary(text, start + byte_column.saturating_sub(1))
    }
}

/// How a format writes comments, which decides where exception comments
/// can be: each front-end says it of its files
/// (`crate::frontend::Frontend::comments`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommentSyntax {
    /// No comments (JSON, CSV).
    None,
    /// `#` at the start of a line or after a space, outside quotes, to
    /// the end of the line (YAML).
    Hash,
    /// `#` or `//` to the end of the line, or `/*`, outside strings (HCL).
    HashAndSlashes,
}

impl CommentSyntax {
    /// What starts a comment that runs to the end of the line, for
    /// writing one.
    pub fn line_comment(self) -> Option<&'static str> {
        match self {
            CommentSyntax::None => None,
            CommentSyntax::Hash | CommentSyntax::HashAndSlashes => Some("#"),
        }
    }
}

/// The lines of a text with their byte offsets, by the one rule every
/// format follows ([`LineIndex`]): a line ends at `\n`, `\r\n` or a lone
/// `\r`, which the line does not include.
pub fn lines_with_offsets(text: &str) -> Vec<(usize, &str)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
        if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            continue;
        }
        let end = if bytes[i] == b'\n' && i > start && bytes[i - 1] == b'\r' {
            i - 1
        } else {
            i
        };
        out.push((start, &text[start..end]));
        start = i + 1;
    }
    out.push((start, &text[start..]));
    out
}

/// `base/relative`, with `.` and `..` resolved without touching the disk
/// (so a module source or nested-stack URL outside the scanned folders
/// simply matches none of them).
pub fn join_lexically(base: &Path, relative: &str) -> PathBuf {
    let mut parts: Vec<std::path::Component<'_>> = base.components().collect();
    for part in Path::new(relative).components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => match parts.last() {
                Some(std::path::Component::Normal(_)) => {
                    parts.pop();
                }
                _ => parts.push(std::path::Component::ParentDir),
            },
            other => parts.push(other),
        }
    }
    parts.iter().collect()
}

/// `offset` clamped to the text and moved back to a character boundary.
pub fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Path as users should see it: relative to the current directory when the file
/// is below it, `/`-separated, without a leading `./`.
pub fn display_path(path: &Path) -> String {
    let relative = working_dir()
        .and_then(|cwd| crate::paths::strip_prefix(path, cwd))
        .unwrap_or(path);
    let mut text = slashed(relative.to_string_lossy().into_owned());
    if text.starts_with("./") {
        text.drain(..2);
    }
    if text.is_empty() { ".".into() } else { text }
}

/// A path's text with `/` between its parts. Only on Windows is a
/// backslash a separator; elsewhere it is part of a name (`a\\b.tf` is one
/// file) and is kept, or a name would be shown as a path that is not it.
pub fn slashed(text: String) -> String {
    if cfg!(windows) {
        text.replace('\\', "/")
    } else {
        text
    }
}

/// The working directory, asked once: every file's path is shown relative
/// to it, and asking the system for it per file was a measurable cost on
/// large trees. mfalint never changes its working directory.
fn working_dir() -> Option<&'static Path> {
    static CWD: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    CWD.get_or_init(|| std::env::current_dir().ok()).as_deref()
}

/// All files of one scan, indexed by [`FileId`].
#[derive(Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn new(files: Vec<SourceFile>) -> Self {
        SourceMap { files }
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
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

/// `path` with links resolved in its longest existing ancestor (a deleted
/// file's folder may still exist), the rest appended: the same file named
/// through a link and through its real path compares equal.
pub fn real(path: &Path) -> PathBuf {
    let mut missing = Vec::new();
    let mut existing = path;
    loop {
        if let Ok(resolved) = existing.canonicalize() {
            let mut out = resolved;
            for part in missing.iter().rev() {
                out.push(part);
            }
            return out;
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                missing.push(name.to_os_string());
                existing = parent;
            }
            _ => return path.to_path_buf(),
        }
    }
}

/// Why [`read_bounded`] read nothing.
#[derive(Debug)]
pub enum Unreadable {
    /// Missing, not permitted, or a read that failed.
    Io(std::io::Error),
    /// A folder, FIFO, socket or device: never read.
    NotAFile,
    /// Over the size limit (by its size, or by growing while read).
    TooBig { size: u64, limit: u64 },
}

impl std::fmt::Display for Unreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unreadable::Io(e) => write!(f, "{e}"),
            Unreadable::NotAFile => f.write_str("not a regular file"),
            Unreadable::TooBig { size, limit } => {
                write!(f, "{size} bytes, over the {limit}-byte limit")
            }
        }
    }
}

/// Reads a regular file of at most `limit` bytes: every file mfalint
/// reads goes through here (scanned files, `--var-file`, settings,
/// baselines, the downloaded-modules manifest, `file()`). The file is
/// opened without blocking (a FIFO, or a file swapped for one after
/// discovery, cannot hang the scan), checked on the open handle (a device
/// such as `/dev/zero`, even through a link, is refused), and read no
/// further than the limit even if it grows meanwhile.
pub fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, Unreadable> {
    use std::io::Read;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        const O_NONBLOCK: i32 = 0o4000;
        options.custom_flags(O_NONBLOCK);
    }
    let file = options.open(path).map_err(Unreadable::Io)?;
    let meta = file.metadata().map_err(Unreadable::Io)?;
    if !meta.is_file() {
        return Err(Unreadable::NotAFile);
    }
    if meta.len() > limit {
        return Err(Unreadable::TooBig {
            size: meta.len(),
            limit,
        });
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(Unreadable::Io)?;
    if bytes.len() as u64 > limit {
        return Err(Unreadable::TooBig {
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

/// A settings file's or a baseline's text, read as [`read_bounded`] reads
/// (`what` names it in the error: "cannot read baseline x.json: not a
/// regular file").
pub fn read_text_bounded(path: &Path, limit: u64, what: &str) -> Result<String, String> {
    let bytes = read_bounded(path, limit)
        .map_err(|why| format!("cannot read {what} {}: {why}", path.display()))?;
    String::from_utf8(bytes)
        .map_err(|_| format!("cannot read {what} {}: not UTF-8 text", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_join_lexically() {
        assert_eq!(
            join_lexically(Path::new("a/b"), "../c"),
            PathBuf::from("a/c")
        );
        assert_eq!(
            join_lexically(Path::new("a"), "./m/x"),
            PathBuf::from("a/m/x")
        );
        assert_eq!(join_lexically(Path::new(""), "../x"), PathBuf::from("../x"));
    }

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
    fn positions_count_lines_and_columns_from_one() {
        let text = "ab\ncé\n\nx";
        let index = LineIndex::default();
        assert_eq!(index.position(text, 0).line, 1);
        assert_eq!(index.position(text, 1).column, 2);
        let after_accent = text.find('\n').unwrap() + 1 + "cé".len();
        let pos = index.position(text, after_accent);
        assert_eq!((pos.line, pos.column, pos.column_utf16), (2, 3, 3));
        assert_eq!(index.position(text, text.len()).line, 4);
    }

    /// Far into a long line, columns come from the checkpoints; they must
    /// be what counting from the line's start gives, in both units, and
    /// YAML's (line, character column) must map back to the same bytes.
    #[test]
    fn columns_far_into_long_lines_match_counting_from_the_line_start() {
        let line: String = (0..20_000)
            .map(|i| match i % 7 {
                0 => "é",
                1 => "😀",
                2 => "\"",
                _ => "x",
            })
            .collect();
        let text = format!("first\n{line}\n{line}\nlast");
        let index = LineIndex::default();
        let second = text.find('\n').unwrap() + 1;
        let third = second + line.len() + 1;
        for (start, number) in [(second, 2), (third, 3)] {
            for offset in (start..start + line.len()).step_by(997) {
                let offset = floor_char_boundary(&text, offset);
                let prefix = &text[start..offset];
                let pos = index.position(&text, offset);
                let chars = prefix.chars().count();
                assert_eq!(
                    (pos.line, pos.column, pos.column_utf16),
                    (number, chars + 1, prefix.encode_utf16().count() + 1),
                    "offset {offset}"
                );
                assert_eq!(index.offset_of_char_column(&text, number, chars), offset);
            }
        }
        let end = index.offset_of_char_column(&text, 4, 1_000_000);
        assert_eq!(end, text.len(), "past the end is clamped");
    }

    #[test]
    fn astral_characters_take_two_utf16_units() {
        let text = "😀x";
        let pos = LineIndex::default().position(text, "😀".len());
        assert_eq!((pos.column, pos.column_utf16), (2, 3));
    }

    #[test]
    fn offsets_inside_a_character_snap_back() {
        let text = "é";
        assert_eq!(LineIndex::default().position(text, 1).column, 1);
    }

    #[test]
    fn a_file_that_vanished_after_discovery_is_a_diagnostic() {
        let dir = tempfile::tempdir().expect("temp dir");
        let gone = dir.path().join("gone.tf");
        let err = read_bounded(&gone, 1024).expect_err("missing");
        assert!(matches!(err, Unreadable::Io(_)), "{err}");
    }

    /// A file swapped for a FIFO between discovery and reading must not
    /// block the scan: it is opened without blocking and refused.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let dir = tempfile::tempdir().expect("temp dir");
        let fifo = dir.path().join("swapped.tf");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo runs");
        assert!(made.success());
        let err = read_bounded(&fifo, 1024).expect_err("a FIFO");
        assert!(matches!(err, Unreadable::NotAFile), "{err}");
    }

    /// Root reads through any permission bits, so "unreadable" is made
    /// the way root meets it: the file was replaced by a folder.
    #[test]
    fn a_file_replaced_by_a_folder_is_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let swapped = dir.path().join("swapped.tf");
        std::fs::create_dir(&swapped).expect("mkdir");
        let err = read_bounded(&swapped, 1024).expect_err("a folder");
        assert!(matches!(err, Unreadable::NotAFile), "{err}");
    }

    #[test]
    fn a_file_that_grows_past_the_limit_is_not_read_whole() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("big.tf");
        std::fs::write(&path, vec![b'#'; 2048]).expect("write");
        let err = read_bounded(&path, 1024).expect_err("too big");
        assert!(
            err.to_string().contains("over the 1024-byte limit"),
            "{err}"
        );
        assert_eq!(read_bounded(&path, 4096).expect("fits").len(), 2048);
    }
}
