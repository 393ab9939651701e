//! IAM policy documents: does a policy enforce MFA?
//!
//! "Enforcing" is decided precisely, statement by statement, because this is
//! where other scanners fail (a policy that merely mentions
//! `aws:MultiFactorAuthPresent` passes them). A statement enforces MFA when
//! it:
//!
//! - has `"Effect": "Deny"`;
//! - applies to every resource (`"Resource": "*"`);
//! - applies to every action (`"Action": "*"`), or to every action but a
//!   `NotAction` list drawn only from [`SELF_SERVICE_ACTIONS`] (what a user
//!   needs to sign in, change a password and set up their own MFA);
//! - has a condition that holds exactly when MFA is absent and nothing else:
//!   `BoolIfExists` (or `Bool`) `aws:MultiFactorAuthPresent` = `false`, or
//!   `Null` `aws:MultiFactorAuthAge` = `true`.
//!
//! An `Allow` that requires MFA grants less without MFA but denies nothing,
//! so it never enforces MFA.
//!
//! A statement a front-end could not evaluate statically (it holds an
//! account id known only at apply time, say) is given as an object with
//! the key [`UNKNOWN_STATEMENT`] and the reason. An explicit deny holds
//! whatever other statements say, so a fully known enforcing statement
//! still enforces; a document with no enforcing statement but an unknown
//! one is undetermined, never "does not enforce".

use serde_json::Value as Json;

/// Actions a force-MFA policy may leave allowed without MFA: setting up
/// one's own MFA device, signing in and changing one's password, and the
/// read-only listings the console's MFA setup page uses. These are the
/// exemptions of AWS's documented force-MFA policies and of the widely used
/// enforce-MFA Terraform modules. Anything else (say `iam:CreateAccessKey`,
/// which mints credentials that never need MFA) breaks enforcement.
pub const SELF_SERVICE_ACTIONS: &[&str] = &[
    "iam:changepassword",
    "iam:createloginprofile",
    "iam:createvirtualmfadevice",
    "iam:deletevirtualmfadevice",
    "iam:enablemfadevice",
    "iam:getaccountpasswordpolicy",
    "iam:getaccountsummary",
    "iam:getloginprofile",
    "iam:getmfadevice",
    "iam:getuser",
    "iam:listaccesskeys",
    "iam:listaccountaliases",
    "iam:listmfadevices",
    "iam:listservicespecificcredentials",
    "iam:listsigningcertificates",
    "iam:listsshpublickeys",
    "iam:listusers",
    "iam:listvirtualmfadevices",
    "iam:resyncmfadevice",
    "sts:getsessiontoken",
];

/// The key of a statement that could not be evaluated; its value says why.
pub const UNKNOWN_STATEMENT: &str = "mfalint:unknown";

/// What a policy document says about MFA.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MfaVerdict {
    /// A statement (by `Sid` or position) denies everything without MFA.
    Enforces { statement: String },
    /// No statement enforces MFA; `near_misses` explains statements that
    /// mention MFA but fall short, so the reader sees why.
    DoesNotEnforce { near_misses: Vec<String> },
    /// The document is not valid policy JSON.
    Invalid(String),
    /// No known statement enforces MFA, and these statements (name and
    /// why) could not be evaluated: one of them might.
    Undetermined { unknown: Vec<String> },
}

/// Analyses a policy document given as JSON text.
pub fn mfa_verdict(document: &str) -> MfaVerdict {
    let json: Json = match serde_json::from_str(document) {
        Ok(json) => json,
        Err(e) => return MfaVerdict::Invalid(format!("not valid JSON: {e}")),
    };
    let statements: Vec<&Json> = match json.get("Statement") {
        Some(Json::Array(items)) => items.iter().collect(),
        Some(single @ Json::Object(_)) => vec![single],
        Some(_) => {
            return MfaVerdict::Invalid("`Statement` is neither a list nor an object".into());
        }
        None => Vec::new(),
    };
    let mut near_misses = Vec::new();
    let mut unknown = Vec::new();
    for (i, statement) in statements.iter().enumerate() {
        let name = statement
            .get("Sid")
            .and_then(Json::as_str)
            .filter(|s| !s.is_empty())
            .map_or_else(
                || format!("statement {}", i + 1),
                |s| format!("statement `{s}`"),
            );
        if let Some(why) = statement.get(UNKNOWN_STATEMENT) {
            // Only a deny can enforce; a known Allow cannot, unknown or not.
            let effect = statement.get("Effect").and_then(Json::as_str);
            if effect.is_none_or(|e| e.eq_ignore_ascii_case("deny")) {
                unknown.push(format!(
                    "{name} ({})",
                    why.as_str().unwrap_or("not known statically")
                ));
            }
            continue;
        }
        match statement_verdict(statement) {
            StatementVerdict::Enforces => return MfaVerdict::Enforces { statement: name },
            StatementVerdict::NearMiss(why) => near_misses.push(format!("{name} {why}")),
            StatementVerdict::Unrelated => {}
        }
    }
    if !unknown.is_empty() {
        return MfaVerdict::Undetermined { unknown };
    }
    MfaVerdict::DoesNotEnforce { near_misses }
}

enum StatementVerdict {
    Enforces,
    /// Mentions MFA, but does not enforce it, because...
    NearMiss(String),
    Unrelated,
}

fn statement_verdict(statement: &Json) -> StatementVerdict {
    let condition = statement.get("Condition");
    let mentions_mfa = condition.is_some_and(|c| {
        c.to_string()
            .to_ascii_lowercase()
            .contains("multifactorauth")
    });
    if !mentions_mfa {
        return StatementVerdict::Unrelated;
    }
    let effect = statement.get("Effect").and_then(Json::as_str).unwrap_or("");
    if !effect.eq_ignore_ascii_case("deny") {
        return StatementVerdict::NearMiss(
            "allows access only with MFA, but an Allow does not stop other policies from granting access without it".into(),
        );
    }
    if let Err(why) = condition_is_absence_of_mfa(condition.unwrap_or(&Json::Null)) {
        return StatementVerdict::NearMiss(why);
    }
    if !strings(statement.get("Resource")).iter().any(|r| r == "*") {
        return StatementVerdict::NearMiss(
            "denies without MFA only on some resources (`Resource` is not `*`)".into(),
        );
    }
    match (statement.get("Action"), statement.get("NotAction")) {
        (Some(actions), None) => {
            if strings(Some(actions)).iter().any(|a| a == "*") {
                StatementVerdict::Enforces
            } else {
                StatementVerdict::NearMiss(
                    "denies only some actions without MFA (`Action` is not `*`)".into(),
                )
            }
        }
        (None, Some(not_actions)) => {
            let too_broad: Vec<String> = strings(Some(not_actions))
                .into_iter()
                .filter(|a| !SELF_SERVICE_ACTIONS.contains(&a.to_ascii_lowercase().as_str()))
                .collect();
            if too_broad.is_empty() {
                StatementVerdict::Enforces
            } else {
                StatementVerdict::NearMiss(format!(
                    "leaves more than MFA self-service allowed without MFA (`NotAction` exempts {})",
                    too_broad
                        .iter()
                        .map(|a| format!("`{a}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            }
        }
        _ => {
            StatementVerdict::NearMiss("has neither exactly one of `Action` and `NotAction`".into())
        }
    }
}

/// The condition holds exactly when MFA is absent: one operator, one key.
fn condition_is_absence_of_mfa(condition: &Json) -> Result<(), String> {
    let Some(operators) = condition.as_object() else {
        return Err("has a condition that is not an object".into());
    };
    let mut checks = Vec::new();
    for (operator, keys) in operators {
        let Some(keys) = keys.as_object() else {
            return Err(format!("has a malformed `{operator}` condition"));
        };
        for (key, values) in keys {
            checks.push((
                operator.as_str(),
                key.to_ascii_lowercase(),
                strings(Some(values)),
            ));
        }
    }
    let [(operator, key, values)] = checks.as_slice() else {
        return Err("denies only when MFA is absent and another condition also holds".into());
    };
    let is_only = |wanted: &str| values.len() == 1 && values[0].eq_ignore_ascii_case(wanted);
    match (*operator, key.as_str()) {
        ("BoolIfExists" | "Bool", "aws:multifactorauthpresent") if is_only("false") => Ok(()),
        ("Null", "aws:multifactorauthage") if is_only("true") => Ok(()),
        ("BoolIfExists" | "Bool", "aws:multifactorauthpresent") => {
            Err("denies when MFA is present, not when it is absent".into())
        }
        _ => Err(format!(
            "has a `{operator}` condition on `{key}` that does not test for the absence of MFA"
        )),
    }
}

/// A JSON string or list of strings (booleans rendered as text).
fn strings(value: Option<&Json>) -> Vec<String> {
    match value {
        Some(Json::String(s)) => vec![s.clone()],
        Some(Json::Bool(b)) => vec![b.to_string()],
        Some(Json::Array(items)) => items.iter().flat_map(|i| strings(Some(i))).collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_statements_spoil_only_themselves() {
        let deny = r#"{"Sid":"D","Effect":"Deny","Action":"*","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}"#;
        let unknown_allow = r#"{"Sid":"A","Effect":"Allow","mfalint:unknown":"account id"}"#;
        let unknown_deny = r#"{"Sid":"U","Effect":"Deny","mfalint:unknown":"account id"}"#;
        let unknown = r#"{"mfalint:unknown":"dynamic statements"}"#;
        let doc = |items: &[&str]| format!(r#"{{"Statement":[{}]}}"#, items.join(","));
        assert!(matches!(
            mfa_verdict(&doc(&[unknown_allow, deny])),
            MfaVerdict::Enforces { .. }
        ));
        assert!(matches!(
            mfa_verdict(&doc(&[unknown_deny, deny])),
            MfaVerdict::Enforces { .. }
        ));
        assert_eq!(
            mfa_verdict(&doc(&[unknown_allow])),
            MfaVerdict::DoesNotEnforce {
                near_misses: vec![]
            }
        );
        assert_eq!(
            mfa_verdict(&doc(&[unknown_allow, unknown_deny, unknown])),
            MfaVerdict::Undetermined {
                unknown: vec![
                    "statement `U` (account id)".to_string(),
                    "statement 3 (dynamic statements)".to_string()
                ]
            }
        );
    }

    const FORCE_MFA: &str = r#"{
      "Version": "2012-10-17",
      "Statement": [
        {"Sid": "AllowManageOwnMFA", "Effect": "Allow", "Action": ["iam:EnableMFADevice"], "Resource": "*"},
        {"Sid": "DenyAllExceptListedIfNoMFA", "Effect": "Deny",
         "NotAction": ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:GetUser",
                       "iam:ListMFADevices", "iam:ListVirtualMFADevices", "iam:ResyncMFADevice",
                       "sts:GetSessionToken"],
         "Resource": "*",
         "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}
      ]
    }"#;

    #[test]
    fn the_standard_force_mfa_policy_enforces() {
        assert_eq!(
            mfa_verdict(FORCE_MFA),
            MfaVerdict::Enforces {
                statement: "statement `DenyAllExceptListedIfNoMFA`".into()
            }
        );
    }

    #[test]
    fn deny_everything_without_mfa_age_enforces() {
        let doc = r#"{"Statement": {"Effect": "Deny", "Action": "*", "Resource": "*",
            "Condition": {"Null": {"aws:MultiFactorAuthAge": true}}}}"#;
        assert!(matches!(mfa_verdict(doc), MfaVerdict::Enforces { .. }));
    }

    fn near_misses(doc: &str) -> Vec<String> {
        match mfa_verdict(doc) {
            MfaVerdict::DoesNotEnforce { near_misses } => near_misses,
            other => panic!("expected no enforcement, got {other:?}"),
        }
    }

    #[test]
    fn an_allow_that_requires_mfa_does_not_enforce() {
        let doc = r#"{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*",
            "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]}"#;
        assert!(near_misses(doc)[0].contains("Allow"));
    }

    #[test]
    fn exempting_access_keys_breaks_enforcement() {
        let doc = FORCE_MFA.replace(
            "\"sts:GetSessionToken\"",
            "\"sts:GetSessionToken\", \"iam:CreateAccessKey\"",
        );
        assert!(near_misses(&doc)[0].contains("`iam:CreateAccessKey`"));
    }

    #[test]
    fn partial_denies_do_not_enforce() {
        let only_s3 = r#"{"Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*",
            "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}]}"#;
        assert!(near_misses(only_s3)[0].contains("only some actions"));
        let one_bucket = r#"{"Statement": [{"Effect": "Deny", "Action": "*", "Resource": "arn:aws:s3:::b",
            "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}]}"#;
        assert!(near_misses(one_bucket)[0].contains("some resources"));
        let inverted = r#"{"Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*",
            "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]}"#;
        assert!(near_misses(inverted)[0].contains("present"));
        let extra = r#"{"Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*",
            "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"},
                          "StringEquals": {"aws:RequestedRegion": "us-east-1"}}}]}"#;
        assert!(near_misses(extra)[0].contains("another condition"));
    }

    #[test]
    fn unrelated_policies_have_no_near_misses() {
        let doc =
            r#"{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#;
        assert_eq!(near_misses(doc), Vec::<String>::new());
        assert!(matches!(mfa_verdict("{"), MfaVerdict::Invalid(_)));
    }
}
