//! The shape of the code, checked: source files import each other without
//! circles (so each layer can be read, tested and replaced on its own), and
//! no front-end imports another (what two share lives below them, in
//! `syntax/` or `source.rs`). The graph is read from the sources: every
//! `crate::` and `super::` path outside comments and tests is an edge to
//! the file of the longest module prefix it names, except a file's uses of
//! the module it was split out of (its ancestors).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Circles not yet broken, each with what breaks it. A new circle fails
/// the test; so does a listed one that is gone (take it off the list).
const KNOWN_CIRCLES: &[(&[&str], &str)] = &[];

fn src() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `src/`, relative, with `/` separators.
fn files() -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![src()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let relative = path
                    .strip_prefix(src())
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(relative, std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    out
}

/// The module path of a file: `frontend/terraform/mod.rs` is
/// `frontend::terraform`, `lib.rs` the crate.
fn module_of(file: &str) -> Vec<String> {
    let mut parts: Vec<String> = file
        .trim_end_matches(".rs")
        .split('/')
        .map(str::to_string)
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// The code of a file without its tests and comment lines.
fn code(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or("");
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The module paths a file names: `crate::a::b`, `super::a`, and each
/// first name of a `use crate::{a, b::c}` group; absolute.
fn named_paths(file: &str, text: &str) -> Vec<Vec<String>> {
    let here = module_of(file);
    // `super` in `a/b.rs` is `a`; in `a/b/mod.rs` it is `a` as well.
    let parent =
        |levels: usize| -> Vec<String> { here[..here.len().saturating_sub(levels)].to_vec() };
    let mut out = Vec::new();
    let bytes: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < bytes.len() {
        let rest: String = bytes[i..bytes.len().min(i + 8)].iter().collect();
        let starts_word = i == 0 || !is_ident(bytes[i - 1]);
        let (base, mut at) = if starts_word && rest.starts_with("crate::") {
            (Vec::new(), i + "crate::".len())
        } else if starts_word && rest.starts_with("super::") {
            let mut levels = 0;
            let mut at = i;
            while bytes[at..]
                .iter()
                .collect::<String>()
                .starts_with("super::")
            {
                levels += 1;
                at += "super::".len();
            }
            (parent(levels), at)
        } else {
            i += 1;
            continue;
        };
        if bytes.get(at) == Some(&'{') {
            // A group: each first name.
            let end = bytes[at..]
                .iter()
                .position(|&c| c == '}')
                .map_or(bytes.len(), |p| at + p);
            let group: String = bytes[at + 1..end].iter().collect();
            for item in group.split(',') {
                let name: String = item.trim().chars().take_while(|&c| is_ident(c)).collect();
                if !name.is_empty() && name != "self" {
                    let mut path = base.clone();
                    path.push(name);
                    out.push(path);
                }
            }
            i = end;
            continue;
        }
        let mut path = base;
        loop {
            let name: String = bytes[at..].iter().take_while(|&&c| is_ident(c)).collect();
            if name.is_empty() {
                break;
            }
            at += name.len();
            path.push(name);
            if bytes[at..].iter().take(2).collect::<String>() == "::" {
                at += 2;
            } else {
                break;
            }
        }
        out.push(path);
        i = at.max(i + 1);
    }
    out
}

/// File -> the files it imports.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let files = files();
    let by_module: BTreeMap<Vec<String>, String> = files
        .keys()
        .filter(|f| f.as_str() != "main.rs")
        .map(|f| (module_of(f), f.clone()))
        .collect();
    let mut edges = BTreeMap::new();
    for (file, text) in &files {
        if file == "main.rs" {
            continue;
        }
        let mut targets = BTreeSet::new();
        let mine = module_of(file);
        for path in named_paths(file, &code(text)) {
            let target = (0..=path.len())
                .rev()
                .find_map(|n| by_module.get(&path[..n]))
                .filter(|t| *t != file && !path.is_empty());
            // A file split out of a module (`eval/references.rs` of
            // `eval.rs`) is part of it: its uses of its ancestors are not
            // imports between units.
            if let Some(target) = target
                && !mine.starts_with(&module_of(target))
            {
                targets.insert(target.clone());
            }
        }
        edges.insert(file.clone(), targets);
    }
    edges
}

/// The circles: strongly connected sets of more than one file.
fn circles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<BTreeSet<String>> {
    // Reachability by search from each file; small graph.
    let reach = |from: &String| -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.clone()];
        while let Some(f) = stack.pop() {
            for next in edges.get(&f).into_iter().flatten() {
                if seen.insert(next.clone()) {
                    stack.push(next.clone());
                }
            }
        }
        seen
    };
    let reachable: BTreeMap<&String, BTreeSet<String>> =
        edges.keys().map(|f| (f, reach(f))).collect();
    let mut out: Vec<BTreeSet<String>> = Vec::new();
    for file in edges.keys() {
        let circle: BTreeSet<String> = reachable[file]
            .iter()
            .filter(|other| reachable[*other].contains(file))
            .cloned()
            .collect();
        if circle.len() > 1 && !out.contains(&circle) {
            out.push(circle);
        }
    }
    out
}

#[test]
fn no_import_circles_between_source_files() {
    let edges = graph();
    assert!(edges.len() > 50, "the sources were read: {}", edges.len());
    let found = circles(&edges);
    let known: Vec<BTreeSet<String>> = KNOWN_CIRCLES
        .iter()
        .map(|(files, _)| files.iter().map(|f| f.to_string()).collect())
        .collect();
    for circle in &found {
        assert!(
            known.contains(circle),
            "an import circle: {circle:?}\n{}",
            circle
                .iter()
                .map(|f| format!(
                    "  {f} -> {:?}",
                    edges[f].intersection(circle).collect::<Vec<_>>()
                ))
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
    for circle in &known {
        assert!(
            found.contains(circle),
            "{circle:?} is no longer a circle: take it off KNOWN_CIRCLES"
        );
    }
}

#[test]
fn no_front_end_imports_another() {
    let edges = graph();
    let front_end = |file: &str| -> Option<String> {
        let rest = file.strip_prefix("frontend/")?;
        let name = rest.split('/').next()?.trim_end_matches(".rs");
        (name != "mod").then(|| name.to_string())
    };
    let mut problems = Vec::new();
    for (file, targets) in &edges {
        let Some(mine) = front_end(file) else {
            continue;
        };
        for target in targets {
            if let Some(theirs) = front_end(target)
                && theirs != mine
            {
                problems.push(format!("{file} imports {target}"));
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(
        edges
            .keys()
            .any(|f| Path::new(f).starts_with("frontend/terraform")),
        "the front-ends were read"
    );
}

/// The reader itself: a known edge is found, through `super::`, a group
/// and a plain path.
#[test]
fn the_graph_sees_the_imports_the_code_makes() {
    let edges = graph();
    assert!(edges["frontend/cloudformation/lower.rs"].contains("syntax/mod.rs"));
    assert!(edges["frontend/terraform/tree.rs"].contains("frontend/terraform/eval.rs"));
    assert!(
        !edges["frontend/terraform/eval/references.rs"].contains("frontend/terraform/eval.rs"),
        "a file's uses of the module it was split out of are not imports"
    );
    assert!(
        edges["frontend/terraform/eval/references.rs"].contains("frontend/terraform/instance.rs")
    );
    assert!(edges["scan.rs"].contains("report/mod.rs"));
    assert!(
        !edges["report/mod.rs"].contains("scan.rs"),
        "reporters render a Report, not a scan"
    );
    assert!(!edges["finding.rs"].contains("rules/mod.rs"));
}
