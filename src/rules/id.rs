//! Every rule, declared once: its typed id, its metadata file
//! (`rules/<ID>.toml`), its check function and what it reads of other
//! services' resources. This file holds the list and the [`RuleId`] enum
//! expanded from it; `rules/mod.rs` expands the same list into the
//! registry, so the two cannot disagree. The list lives in a leaf file
//! so that a finding can carry a `RuleId` without the finding module
//! importing the rules that make findings (the paths in the list are
//! resolved where the registry is expanded, in `rules/mod.rs`).
//!
//! To add a rule: its metadata file, its module, its fixtures, and one
//! line here.

/// Calls `$then!` with the list of rules:
/// `Variant "ID" => check function, reads what it reads;`.
macro_rules! for_each_rule {
    ($then:ident) => {
        $then! {
            Mfa001 "MFA001" => console_user_without_mfa::check, reads Reads::NOTHING;
            Mfa002 "MFA002" => unassigned_mfa_device::check, reads Reads::NOTHING;
            Mfa003 "MFA003" => console_user_mfa_not_enforced::check, reads Reads::NOTHING;
            Mfa004 "MFA004" => services::bypass::check, reads services::bypass::READS;
            Mfa010 "MFA010" => account::root_without_mfa, reads Reads::NOTHING;
            Mfa011 "MFA011" => account::console_user_without_mfa, reads Reads::NOTHING;
            Mfa012 "MFA012" => account::declared_mfa_not_active::check, reads Reads::NOTHING;
            Mfa013 "MFA013" => account::not_in_code::check, reads Reads::NOTHING;
            Mfa020 "MFA020" => services::gitlab::check, reads services::gitlab::READS;
            Mfa021 "MFA021" => services::okta::check, reads services::okta::READS;
            Mfa022 "MFA022" => services::azuread::check, reads services::azuread::READS;
            Mfa023 "MFA023" => services::mongodbatlas::check, reads services::mongodbatlas::READS;
            Mfa024 "MFA024" => services::alicloud::check, reads services::alicloud::READS;
            Mfa025 "MFA025" => services::ibm::check, reads services::ibm::READS;
            Mfa026 "MFA026" => services::alicloud::login_profiles, reads services::alicloud::LOGIN_READS;
            Mfa027 "MFA027" => services::cloudflare::check, reads services::cloudflare::READS;
            Mfa029 "MFA029" => services::tfe::check, reads services::tfe::READS;
            Mfa030 "MFA030" => services::snowflake::check, reads services::snowflake::READS;
            Mfa031 "MFA031" => services::auth0::check, reads services::auth0::READS;
            Mfa032 "MFA032" => services::cognito::check, reads services::cognito::READS;
            Mfa033 "MFA033" => services::github::check, reads services::github::READS;
            Mfa900 "MFA900" => reported_by_exceptions, reads Reads::NOTHING;
            Mfa901 "MFA901" => reported_by_exceptions, reads Reads::NOTHING;
            Mfa902 "MFA902" => reported_by_exceptions, reads Reads::NOTHING;
        }
    };
}

pub(crate) use for_each_rule;

macro_rules! define_ids {
    ($($variant:ident $id:literal => $check:path, reads $reads:expr;)*) => {
        /// A rule's id, typed: a finding carries this, and its metadata
        /// is looked up (`RuleId::meta`), never copied.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum RuleId {
            $($variant),*
        }

        impl RuleId {
            /// Every rule, in registry order (sorted by id).
            pub const ALL: &'static [RuleId] = &[$(RuleId::$variant),*];

            /// The id as users write it (`MFA001`).
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(RuleId::$variant => $id),*
                }
            }
        }
    };
}

for_each_rule!(define_ids);

impl std::fmt::Display for RuleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
