//! The ways mfalint is installed agree with each other and with
//! Cargo.toml: the wheel (pyproject.toml) carries the binary at Cargo.toml's
//! version, the pre-commit mirror pins that version and declares the same
//! hook as this repository, and the release workflow builds an archive for
//! every platform the GitHub Action downloads one for. (The wheel itself is
//! built, installed and run by scripts/wheel-test, the mirror's hook by
//! scripts/pre-commit-test python, the download by tests/action.rs.)

use std::path::PathBuf;

use saphyr::{LoadableYamlNode, Yaml};

fn read(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn toml(name: &str) -> toml::Table {
    read(name).parse().unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn cargo_version() -> String {
    toml("Cargo.toml")["package"]["version"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn the_wheel_is_the_binary_at_cargo_tomls_version() {
    let pyproject = toml("pyproject.toml");
    assert_eq!(
        pyproject["build-system"]["build-backend"].as_str(),
        Some("maturin")
    );
    assert_eq!(
        pyproject["tool"]["maturin"]["bindings"].as_str(),
        Some("bin")
    );
    let project = pyproject["project"].as_table().unwrap();
    assert_eq!(project["name"].as_str(), Some("mfalint"));
    assert!(
        project.get("version").is_none(),
        "the version is Cargo.toml's"
    );
    assert_eq!(
        project["dynamic"].as_array().unwrap()[0].as_str(),
        Some("version")
    );
    let cargo = toml("Cargo.toml");
    assert_eq!(
        project["license"].as_str(),
        cargo["package"]["license"].as_str()
    );
}

#[test]
fn the_pre_commit_mirror_pins_this_version_and_declares_the_same_hook() {
    let version = cargo_version();
    let mirror = toml("pre-commit-mirror/pyproject.toml");
    assert_eq!(
        mirror["project"]["version"].as_str(),
        Some(version.as_str())
    );
    let dependencies = mirror["project"]["dependencies"].as_array().unwrap();
    assert_eq!(
        dependencies
            .iter()
            .map(|d| d.as_str().unwrap())
            .collect::<Vec<_>>(),
        [format!("mfalint=={version}")]
    );
    assert!(read("pre-commit-mirror/README.md").contains(&format!("rev: v{version}\n")));

    let hook = |file: &str, id: &str| -> Vec<(String, String)> {
        let text = read(file);
        let docs = Yaml::load_from_str(&text).unwrap();
        let hooks = docs[0].as_sequence().unwrap();
        let hook = hooks
            .iter()
            .find(|h| {
                h.as_mapping()
                    .unwrap()
                    .iter()
                    .any(|(k, v)| k.as_str() == Some("id") && v.as_str() == Some(id))
            })
            .unwrap_or_else(|| panic!("{file} has no hook {id}"));
        hook.as_mapping()
            .unwrap()
            .iter()
            .map(|(k, v)| {
                let value = v
                    .as_str()
                    .map(str::to_string)
                    .or_else(|| v.as_bool().map(|b| b.to_string()))
                    .unwrap();
                (k.as_str().unwrap().to_string(), value)
            })
            .collect()
    };
    let without_language = |fields: Vec<(String, String)>| -> Vec<(String, String)> {
        fields
            .into_iter()
            .filter(|(k, _)| k != "language")
            .collect()
    };
    let ours = hook(".pre-commit-hooks.yaml", "mfalint");
    let mirrors = hook("pre-commit-mirror/.pre-commit-hooks.yaml", "mfalint");
    assert!(mirrors.contains(&("language".into(), "python".into())));
    assert!(ours.contains(&("language".into(), "rust".into())));
    assert_eq!(without_language(ours.clone()), without_language(mirrors));
    // The system hook runs the same command.
    let system = hook(".pre-commit-hooks.yaml", "mfalint-system");
    assert!(system.contains(&("language".into(), "system".into())));
    let entry =
        |fields: &[(String, String)]| fields.iter().find(|(k, _)| k == "entry").cloned().unwrap();
    assert_eq!(entry(&ours), entry(&system));
}

#[test]
fn the_release_builds_an_archive_for_every_platform_the_action_downloads() {
    let install = read("scripts/action-install");
    let targets: Vec<&str> = install
        .lines()
        .filter_map(|l| l.split_once(") target=").map(|(_, t)| t))
        .map(|t| t.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(targets.len(), 5, "{targets:?}");
    let release = read(".github/workflows/release.yml");
    for target in targets {
        assert!(
            release
                .lines()
                .any(|l| l.contains(&format!("target: {target},")) && l.contains("archive: true")),
            "the release workflow archives no binary for {target}"
        );
    }
}
