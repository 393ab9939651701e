//! The rule registry: one entry per rule, pairing its metadata file in
//! `rules/` with its check function. Everything that lists rules (SARIF,
//! `mfalint rules`, `mfalint explain`) walks this table, so they cannot drift.

use std::cell::RefCell;
use std::sync::OnceLock;

use crate::finding::Finding;
use crate::inventory::record::Record;
use crate::model::{Reads, Schema};
use crate::resolve::Links;

mod account;
mod console_user_mfa_not_enforced;
mod console_user_without_mfa;
pub mod evidence;
pub(crate) mod id;
pub mod meta;
mod services;
mod unassigned_mfa_device;

pub use console_user_without_mfa::passing as explain_passing_users;
pub use id::RuleId;
pub use meta::{Reference, RuleMeta, Severity};

/// What a rule's check function sees: the linked model and its own
/// declaration.
pub struct RuleContext<'a> {
    pub links: &'a Links<'a>,
    /// MFA evidence, indexed once for all rules.
    pub evidence: &'a evidence::EvidenceIndex<'a, 'a>,
    pub id: RuleId,
    pub meta: &'static RuleMeta,
    /// What the rule declared it reads; reading more is a bug that debug
    /// builds (the tests) catch.
    pub reads: &'static Reads,
    /// Where conclusions about identities go when an inventory is asked
    /// for (`mfalint inventory`); `None` for a plain check. A rule judges
    /// on several threads, so a context is shared; its records are pushed
    /// from one, in order.
    pub inventory: Option<&'a std::sync::Mutex<Vec<Record>>>,
}

impl RuleContext<'_> {
    /// Records what the rule concluded about one identity, when an
    /// inventory is being made (`make` runs only then).
    pub fn record(&self, make: impl FnOnce() -> Record) {
        if let Some(inventory) = self.inventory {
            inventory
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(make());
        }
    }
}

type Check = fn(&RuleContext<'_>, &mut Vec<Finding>);

struct RuleSpec {
    id: RuleId,
    /// The rule's metadata file, as written in `rules/`.
    file: &'static str,
    toml: &'static str,
    check: Check,
    reads: Reads,
}

/// The registry, expanded from the one list of rules in [`id`].
macro_rules! define_registry {
    ($($variant:ident $id:literal => $check:path, reads $reads:expr;)*) => {
        const REGISTRY: &[RuleSpec] = &[
            $(RuleSpec {
                id: RuleId::$variant,
                file: concat!($id, ".toml"),
                toml: include_str!(concat!("../../rules/", $id, ".toml")),
                check: $check,
                reads: $reads,
            }),*
        ];
    };
}

id::for_each_rule!(define_registry);

impl RuleId {
    /// The rule's metadata.
    pub fn meta(self) -> &'static RuleMeta {
        &all()[self as usize].meta
    }
}

/// What all rules read together: the front-ends keep what is in it.
pub fn schema() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(|| Schema::of(REGISTRY.iter().map(|spec| &spec.reads)))
}

/// MFA900-MFA902 are about exception comments, not the IAM model: they are
/// reported when exceptions are applied (`crate::suppress`).
fn reported_by_exceptions(_: &RuleContext<'_>, _: &mut Vec<Finding>) {}

/// Which rules run: the defaults, plus `--enable`, minus `--disable`.
#[derive(Debug, Clone, Default)]
pub struct RuleSelection {
    pub enable: Vec<String>,
    pub disable: Vec<String>,
}

impl RuleSelection {
    /// Checks that every named rule exists.
    pub fn validate(&self) -> Result<(), String> {
        for key in self.enable.iter().chain(&self.disable) {
            if find(key).is_none() {
                let known: Vec<&str> = all().iter().map(|r| r.meta.id.as_str()).collect();
                return Err(format!(
                    "unknown rule {key:?} (known: {})",
                    known.join(", ")
                ));
            }
        }
        Ok(())
    }

    pub fn is_enabled(&self, meta: &RuleMeta) -> bool {
        let named = |keys: &[String]| {
            keys.iter()
                .any(|k| find(k).is_some_and(|r| r.meta.id == meta.id))
        };
        if named(&self.disable) {
            return false;
        }
        meta.enabled_by_default || named(&self.enable)
    }
}

/// A registered rule.
pub struct Rule {
    pub id: RuleId,
    pub meta: RuleMeta,
    check: Check,
    reads: &'static Reads,
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
                id: spec.id,
                check: spec.check,
                reads: &spec.reads,
            })
            .collect()
    })
}

/// Whether external evidence for `service` (as rules' metadata name
/// services, compared case-insensitively) is expected to excuse findings:
/// a rule checks the service in code, and reports what it finds there.
/// Otherwise (GitHub, Google Workspace) evidence stands on its own.
pub fn evidence_excuses_findings(service: &str) -> bool {
    all().iter().any(|r| {
        !r.meta.evidence_stands_alone
            && r.meta
                .service
                .as_deref()
                .is_some_and(|s| s.eq_ignore_ascii_case(service))
    })
}

/// Finds a rule by id (`MFA001`) or name (`aws-iam-console-user-without-mfa`),
/// case-insensitively.
pub fn find(key: &str) -> Option<&'static Rule> {
    all()
        .iter()
        .find(|r| r.meta.id.eq_ignore_ascii_case(key) || r.meta.name.eq_ignore_ascii_case(key))
}

/// Runs every selected rule over the linked model; with `inventory`, the
/// rules also record what they concluded about every identity.
pub fn run_all(
    links: &Links<'_>,
    selection: &RuleSelection,
    inventory: Option<&RefCell<Vec<Record>>>,
) -> Vec<Finding> {
    use rayon::prelude::*;
    let evidence = evidence::EvidenceIndex::new(links);
    let recording = inventory.is_some();
    // Each rule on a task of its own (MFA001 takes about half the time),
    // with its own findings and records, joined in rule order.
    let outcomes: Vec<(Vec<Finding>, Vec<Record>)> = all()
        .par_iter()
        .with_max_len(1)
        .filter(|r| selection.is_enabled(&r.meta))
        .map(|rule| {
            let records = std::sync::Mutex::new(Vec::new());
            let ctx = RuleContext {
                links,
                evidence: &evidence,
                id: rule.id,
                meta: &rule.meta,
                reads: rule.reads,
                inventory: recording.then_some(&records),
            };
            let mut findings = Vec::new();
            (rule.check)(&ctx, &mut findings);
            (
                findings,
                records.into_inner().unwrap_or_else(|e| e.into_inner()),
            )
        })
        .collect();
    let mut findings = Vec::new();
    for (found, records) in outcomes {
        findings.extend(found.into_iter().map(Finding::shortened));
        if let Some(inventory) = inventory {
            inventory.borrow_mut().extend(records);
        }
    }
    findings
}

/// Secondary locations every finding about an entity shows: the module
/// calls that create it, and its entry in a plan. (Findings are made here,
/// in the rules: the model knows nothing of them.)
pub(crate) fn origin_context(
    origin: &crate::model::Origin,
    what: &str,
) -> Vec<crate::finding::Related> {
    let mut related: Vec<crate::finding::Related> = origin
        .via
        .iter()
        .map(|(call, span)| crate::finding::Related {
            span: *span,
            message: format!("{what} is created through `{call}`"),
        })
        .collect();
    if let Some(span) = origin.planned_at {
        related.push(crate::finding::Related {
            span,
            message: format!("{what} is planned as `{}`", origin.address),
        });
    }
    related
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_metadata_file_parses_and_matches_its_file_name() {
        for spec in REGISTRY {
            let meta = RuleMeta::parse(spec.toml).expect(spec.file);
            assert_eq!(format!("{}.toml", meta.id), spec.file);
            assert_eq!(meta.id, spec.id.as_str());
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
    fn rule_ids_index_the_registry() {
        for (i, id) in RuleId::ALL.iter().enumerate() {
            assert_eq!(*id as usize, i);
            assert_eq!(id.meta().id, id.as_str());
        }
    }

    #[test]
    fn rules_are_found_by_id_or_name() {
        assert_eq!(find("mfa001").map(|r| r.meta.id.as_str()), Some("MFA001"));
        assert!(find("aws-iam-console-user-without-mfa").is_some());
        assert!(find("MFA999").is_none());
    }
}
