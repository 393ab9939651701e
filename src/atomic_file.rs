//! Writing a file so that readers never see half of it: a temporary file
//! in the same folder, renamed over the target (atomic on one filesystem).
//! An interrupted run leaves the old file, never a truncated one.
//!
//! Only regular files are replaced that way. A device, pipe or socket
//! (`-o /dev/null`, `-o /dev/stdout`, a FIFO) is written in place: renaming
//! over it would swap the device for a plain file, and a root user would
//! lose `/dev/null` for the whole machine. A symbolic link is followed, so
//! the link stays and the file it names gets the new bytes.

use std::path::{Path, PathBuf};

pub fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let target = resolved(path);
    if let Ok(metadata) = std::fs::metadata(&target)
        && !metadata.is_file()
    {
        return std::fs::write(&target, bytes);
    }
    let dir = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    std::fs::write(&temporary, bytes)?;
    std::fs::rename(&temporary, &target).inspect_err(|_| {
        let _ = std::fs::remove_file(&temporary);
    })
}

/// The path a write lands on: a symbolic link's target, else the path.
fn resolved(path: &Path) -> PathBuf {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    match std::fs::canonicalize(path) {
        Ok(real) if is_link => real,
        _ => path.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    fn names_in(dir: &std::path::Path) -> Vec<String> {
        let mut names: Vec<_> = std::fs::read_dir(dir)
            .expect("list")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn replaces_the_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().expect("temp dir");
        let target = dir.path().join("out.sarif");
        std::fs::write(&target, "old").expect("write");
        super::write(&target, b"new").expect("atomic write");
        assert_eq!(std::fs::read_to_string(&target).expect("read"), "new");
        assert_eq!(names_in(dir.path()), ["out.sarif"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_stays_a_link_and_its_file_gets_the_bytes() {
        let dir = tempfile::tempdir().expect("temp dir");
        let real = dir.path().join("real.sarif");
        let link = dir.path().join("link.sarif");
        std::fs::write(&real, "old").expect("write");
        std::os::unix::fs::symlink(&real, &link).expect("symlink");
        super::write(&link, b"new").expect("write through link");
        let kind = std::fs::symlink_metadata(&link).expect("stat").file_type();
        assert!(kind.is_symlink(), "the link was replaced by a file");
        assert_eq!(std::fs::read_to_string(&real).expect("read"), "new");
        assert_eq!(names_in(dir.path()), ["link.sarif", "real.sarif"]);
    }

    /// A FIFO stands for any non-regular target (`/dev/null` included,
    /// which a failing test must not destroy): it is written in place.
    #[cfg(unix)]
    #[test]
    fn a_pipe_is_written_in_place_not_replaced() {
        use std::io::Read;
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().expect("temp dir");
        let fifo = dir.path().join("pipe");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("run mkfifo");
        assert!(made.success(), "mkfifo failed");
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || {
                let mut text = String::new();
                std::fs::File::open(fifo)
                    .expect("open pipe")
                    .read_to_string(&mut text)
                    .expect("read pipe");
                text
            })
        };
        super::write(&fifo, b"through the pipe").expect("write to pipe");
        // Checked before joining: had the pipe been replaced, the reader
        // would wait forever for a writer.
        let kind = std::fs::symlink_metadata(&fifo).expect("stat").file_type();
        assert!(kind.is_fifo(), "the pipe was replaced by a file");
        assert_eq!(reader.join().expect("reader"), "through the pipe");
        assert_eq!(names_in(dir.path()), ["pipe"]);
    }
}
