//! Terraform front-end: `.tf` files, parsed with hcl-edit (which keeps byte
//! spans), grouped into modules (one folder = one module), lowered into the
//! IAM model.

mod eval;
mod functions;
mod lower;
mod module;
mod value;

use std::path::Path;

use crate::diagnostic::InputError;
use crate::model::{Model, ScopeId};
use crate::source::{FileId, SourceFile, SourceMap};

pub use module::TfFile;

/// Whether this front-end reads the file.
pub fn claims(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "tf")
}

/// Parses one `.tf` file.
pub fn parse(id: FileId, file: &SourceFile) -> Result<TfFile, InputError> {
    match hcl_edit::parser::parse_body(&file.text) {
        Ok(body) => Ok(TfFile { file: id, body }),
        Err(err) => {
            let location = err.location();
            let start = file
                .lines
                .offset_of(&file.text, location.line(), location.column());
            let end = file.text[start..]
                .chars()
                .next()
                .map_or(start, |c| start + c.len_utf8());
            Err(InputError::at(
                file.display.clone(),
                id,
                start..end,
                format!("HCL syntax error: {}", err.message()),
            ))
        }
    }
}

/// Builds the model of one root module from the parsed files of one folder.
pub fn lower(scope: ScopeId, files: &[TfFile], sources: &SourceMap) -> Model {
    let index = module::ModuleIndex::new(files);
    lower::lower_module(scope, &index, &std::collections::BTreeMap::new(), sources)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AttachmentTarget, Link, PolicyDocument, PolicyOwner};

    fn lower_text(text: &str) -> Model {
        let sources = SourceMap::new(vec![SourceFile::new("m/main.tf".into(), text.into())]);
        let parsed = parse(FileId(0), sources.get(FileId(0))).expect("valid HCL");
        lower(ScopeId(0), &[parsed], &sources)
    }

    fn address(link: &Link) -> &str {
        match link {
            Link::Address { address, .. } => address,
            other => panic!("expected an address link, got {other:?}"),
        }
    }

    #[test]
    fn groups_memberships_policies_and_attachments_enter_the_model() {
        let model = lower_text(
            r#"
            resource "aws_iam_user" "a" { name = "alice" }
            resource "aws_iam_group" "admins" { name = "admins" }
            resource "aws_iam_user_group_membership" "a" {
              user   = aws_iam_user.a.name
              groups = [aws_iam_group.admins.name, "auditors"]
            }
            resource "aws_iam_policy" "mfa" {
              name   = "force-mfa"
              policy = jsonencode({ Version = "2012-10-17", Statement = [] })
            }
            resource "aws_iam_group_policy_attachment" "mfa" {
              group      = aws_iam_group.admins.name
              policy_arn = aws_iam_policy.mfa.arn
            }
            resource "aws_iam_user_policy" "inline" {
              user   = "alice"
              policy = data.aws_iam_policy_document.x.json
            }
            "#,
        );
        assert_eq!(model.users.len(), 1);
        assert_eq!(model.groups[0].name.known(), Some("admins"));
        let groups: Vec<&Link> = model.group_memberships.iter().map(|m| &m.group).collect();
        assert_eq!(address(groups[0]), "aws_iam_group.admins");
        assert!(matches!(groups[1], Link::Name { name, .. } if name == "auditors"));
        assert_eq!(
            address(&model.group_memberships[0].users[0]),
            "aws_iam_user.a"
        );

        let managed = model
            .policies
            .iter()
            .find(|p| matches!(p.owner, PolicyOwner::Managed))
            .expect("managed policy");
        match &managed.document {
            PolicyDocument::Json { text, .. } => {
                assert_eq!(text, r#"{"Statement":[],"Version":"2012-10-17"}"#)
            }
            other => panic!("expected JSON, got {other:?}"),
        }
        let inline = model
            .policies
            .iter()
            .find(|p| matches!(p.owner, PolicyOwner::User(_)))
            .expect("inline policy");
        assert!(matches!(inline.document, PolicyDocument::Unresolved(_)));

        let attachment = &model.policy_attachments[0];
        assert_eq!(address(&attachment.policy), "aws_iam_policy.mfa");
        assert!(
            matches!(&attachment.targets[0], AttachmentTarget::Group(l) if address(l) == "aws_iam_group.admins")
        );
    }

    #[test]
    fn a_missing_argument_is_unresolved_not_dropped() {
        let model = lower_text(r#"resource "aws_iam_user_login_profile" "x" {}"#);
        match &model.login_profiles[0].user {
            Link::Unresolved(u) => assert!(u.reason.contains("`user` argument is missing")),
            other => panic!("expected unresolved, got {other:?}"),
        }
    }

    #[test]
    fn parse_errors_carry_their_position() {
        let file = SourceFile::new("bad.tf".into(), "a = {\n  b = = 1\n}\n".into());
        let err = parse(FileId(0), &file).expect_err("invalid HCL");
        let span = err.span.expect("positioned");
        let pos = file.position(span.start);
        assert_eq!((pos.line, pos.column), (2, 7));
        assert!(err.message.starts_with("HCL syntax error"));
    }
}
