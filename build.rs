//! Records the git commit the binary is built from, for `--version`.

use std::process::Command;

/// The trimmed output of a git command, if git is there and it succeeds.
fn git(args: &[&str]) -> Option<String> {
    Command::new("git")
        .args(args)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

fn main() {
    // Only mfalint's own repository says which commit this is: built from a
    // crates.io package or a source distribution unpacked inside some other
    // repository, that repository's HEAD is not ours.
    let manifest = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let ours = git(&["rev-parse", "--show-toplevel"]).is_some_and(|top| {
        std::fs::canonicalize(top).ok() == std::fs::canonicalize(&manifest).ok()
    });
    let commit = ours
        .then(|| git(&["rev-parse", "--short=12", "HEAD"]))
        .flatten();
    let version = match commit {
        Some(commit) => format!("{} (commit {commit})", env!("CARGO_PKG_VERSION")),
        None => env!("CARGO_PKG_VERSION").to_string(),
    };
    println!("cargo:rustc-env=MFALINT_VERSION={version}");
    println!("cargo:rerun-if-changed=build.rs");
    // Rebuilt when the commit changes. Git is asked where its files are:
    // in a worktree `.git` is a file, and a watched path that does not
    // exist makes cargo rerun this script, and rebuild the crate, on every
    // build (each fuzz run rebuilt it).
    if let Some(git_dir) = git(&["rev-parse", "--git-dir"]) {
        println!("cargo:rerun-if-changed={git_dir}/HEAD");
    }
    if let Some(common_dir) = git(&["rev-parse", "--git-common-dir"]) {
        println!("cargo:rerun-if-changed={common_dir}/refs/heads");
    }
}
