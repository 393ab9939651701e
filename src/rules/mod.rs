//! The rule registry: one entry per rule, pairing its metadata file in
//! `rules/` with its check function. Everything that lists rules (SARIF,
//! `mfalint rules`, `mfalint explain`) walks this table, so they cannot drift.

use std::sync::OnceLock;

use crate::finding::Finding;
use crate::resolve::Links;

mod console_user_without_mfa;
pub mod evidence;
mod meta;

pub use meta::{Reference, RuleMeta, Severity};

/// What a rule's check function sees: the linked model and its own metadata.
pub struct RuleContext<'a> {
    pub links: &'a Links<'a>,
    pub meta: &'static RuleMeta,
}

type Check = fn(&RuleContext<'_>, &mut Vec<Finding>);

struct RuleSpec {
    /// The rule's metadata file, as written in `rules/`.
    file: &'static str,
    toml: &'static str,
    check: Check,
}

const REGISTRY: &[RuleSpec] = &[RuleSpec {
    file: "MFA001.toml",
    toml: include_str!("../../rules/MFA001.toml"),
    check: console_user_without_mfa::check,
}];

/// A registered rule.
pub struct Rule {
    pub meta: RuleMeta,
    check: Check,
}

/// All rules, in registry order (sorted by id).
pub fn all() -> &'static [Rule] {
    static RULES: OnceLock<Vec<Rule>> = OnceLock::new();
    RULES.get_or_init(|| {
        REGISTRY
            .iter()
            .map(|spec| Rule {
                // The metadata is compiled in and checked by a unit test, so a
                // failure here is a build defect, not a user input error.
                meta: RuleMeta::parse(spec.toml)
                    .unwrap_or_else(|e| panic!("rules/{} is invalid: {e}", spec.file)),
                check: spec.check,
            })
            .collect()
    })
}

/// Finds a rule by id (`MFA001`) or name (`aws-iam-console-user-without-mfa`),
/// case-insensitively.
pub fn find(key: &str) -> Option<&'static Rule> {
    all()
        .iter()
        .find(|r| r.meta.id.eq_ignore_ascii_case(key) || r.meta.name.eq_ignore_ascii_case(key))
}

/// Runs every rule over the linked model.
pub fn run_all(links: &Links<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    for rule in all() {
        let ctx = RuleContext {
            links,
            meta: &rule.meta,
        };
        (rule.check)(&ctx, &mut findings);
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_metadata_file_parses_and_matches_its_file_name() {
        for spec in REGISTRY {
            let meta = RuleMeta::parse(spec.toml).expect(spec.file);
            assert_eq!(format!("{}.toml", meta.id), spec.file);
            assert!(meta.tags.iter().any(|t| t == "security"));
            assert!(meta.security_severity.parse::<f64>().is_ok());
        }
    }

    #[test]
    fn every_file_in_rules_dir_is_registered() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/rules");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .expect("rules/ exists")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".toml"))
            .collect();
        on_disk.sort();
        let registered: Vec<&str> = REGISTRY.iter().map(|s| s.file).collect();
        assert_eq!(on_disk, registered);
    }

    #[test]
    fn rules_are_found_by_id_or_name() {
        assert_eq!(find("mfa001").map(|r| r.meta.id.as_str()), Some("MFA001"));
        assert!(find("aws-iam-console-user-without-mfa").is_some());
        assert!(find("MFA999").is_none());
    }
}
