//! MFA010-MFA013: what the AWS account's IAM credential report says, alone
//! and compared with the scanned code.

pub mod declared_mfa_not_active;
pub mod not_in_code;

use super::RuleContext;
use crate::finding::{Finding, Related};
use crate::inventory::record::{Access, Record, Status};
use crate::model::{ReportFlag, ReportedUser};

/// MFA010 `aws-root-account-without-mfa`: the root row has no active MFA
/// while it has a password or an active access key.
pub fn root_without_mfa(ctx: &RuleContext<'_>, findings: &mut Vec<Finding>) {
    for row in ctx.links.model.reported_users.iter().filter(|r| r.is_root) {
        let has_password = row.password_enabled != ReportFlag::False;
        if row.mfa_active != ReportFlag::False || !(has_password || row.active_access_key) {
            if has_password {
                ctx.record(|| passing_record(ctx, row));
            }
            continue;
        }
        let credentials = match (has_password, row.active_access_key) {
            (true, true) => "a password and an active access key",
            (true, false) => "a password",
            _ => "an active access key",
        };
        findings.push(row_finding(
            ctx,
            row,
            format!(
                "the credential report says the root account (`{}`) has {credentials} and no active MFA device",
                row.arn
            ),
            "mfa_active=false for the root account",
            "sign in as root and assign an MFA device (a FIDO security key or hardware TOTP token is best); delete root access keys",
        ));
    }
}

/// MFA011 `aws-console-user-without-mfa-in-account`.
pub fn console_user_without_mfa(ctx: &RuleContext<'_>, findings: &mut Vec<Finding>) {
    for row in console_rows(ctx) {
        if row.mfa_active != ReportFlag::False {
            ctx.record(|| passing_record(ctx, row));
            continue;
        }
        findings.push(row_finding(
            ctx,
            row,
            format!(
                "the credential report says IAM user `{}` has a console password and no active MFA device",
                row.name
            ),
            "mfa_active=false, with a console password",
            &format!(
                "assign an MFA device to `{}` (IAM > Users > Security credentials, or `aws iam enable-mfa-device`), or remove its password (`aws iam delete-login-profile --user-name {}`)",
                row.name, row.name
            ),
        ));
    }
}

/// Non-root rows with `password_enabled=true`.
fn console_rows<'m>(ctx: &RuleContext<'m>) -> impl Iterator<Item = &'m ReportedUser> {
    ctx.links
        .model
        .reported_users
        .iter()
        .filter(|r| !r.is_root && r.password_enabled == ReportFlag::True)
}

/// A console row whose MFA is active (a device in the account), or
/// whose `mfa_active` cell is neither true nor false.
fn passing_record(ctx: &RuleContext<'_>, row: &ReportedUser) -> Record {
    let (status, detail) = match row.mfa_active {
        ReportFlag::True => (
            Status::Device,
            "the credential report says an MFA device is active".to_string(),
        ),
        _ => (
            Status::Unknown,
            "the credential report's `mfa_active` cell is neither true nor false".to_string(),
        ),
    };
    Record {
        rule: ctx.id,
        identity: row.name.clone(),
        address: row.origin.address.clone(),
        span: row.origin.span,
        access: Access::Password,
        status,
        detail,
        evidence: vec![Related {
            span: row.mfa_active_span,
            message: format!("the report's `mfa_active` cell for `{}`", row.name),
        }],
        finding: None,
    }
}

fn row_finding(
    ctx: &RuleContext<'_>,
    row: &ReportedUser,
    message: String,
    label: &str,
    help: &str,
) -> Finding {
    let finding = row_finding_of(ctx, row, message, label, help);
    ctx.record(|| Record {
        rule: ctx.id,
        identity: row.name.clone(),
        address: row.origin.address.clone(),
        span: row.origin.span,
        access: Access::Password,
        status: Status::None,
        detail: "the credential report says no MFA device is active".into(),
        evidence: finding.related.clone(),
        finding: Some(finding.identity.clone()),
    });
    finding
}

fn row_finding_of(
    ctx: &RuleContext<'_>,
    row: &ReportedUser,
    message: String,
    label: &str,
    help: &str,
) -> Finding {
    Finding {
        rule: ctx.id,
        severity: ctx.meta.severity,
        message,
        primary: row.mfa_active_span,
        label: label.into(),
        related: vec![Related {
            span: row.origin.span,
            message: format!("the report's row for `{}`", row.name),
        }],
        address: Some(row.name.clone()),
        subject: Some(row.name.clone()),
        help: help.into(),
        identity: format!("{}|{}", ctx.meta.id, row.arn),
        suppression: None,
        scope: Some(row.origin.scope),
    }
}
