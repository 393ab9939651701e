//! Deterministic synthetic Terraform + CloudFormation trees (no
//! randomness): modules of ten files. Every third module manages people
//! (users with `for_each`, login profiles, MFA devices for some, a group
//! with a force-MFA policy document, a `jsonencode` policy, roles, a
//! CloudFormation template with a console user); the others are ordinary
//! infrastructure (networks, instances, buckets, DNS, queues, a
//! CloudFormation bucket), as in a real monorepo where IAM lives in a few
//! places. About a third of the files are in modules with IAM; one user in
//! ten identity modules lacks MFA, so the scan has findings to report.
//! Files start with a comment block, as real ones do: about 500 bytes a
//! file, 10,000 files about 5 MB.

use std::path::Path;

/// Files per module.
pub const FILES_PER_MODULE: usize = 10;

/// The comment block real repositories put at the top of files (ownership,
/// review rules); it brings files to about 500 bytes, as in the issue's
/// sizing (10,000 files, about 5 MB).
const HEADER: &str = "# Owned by the platform team. Changes need a review from an owner listed in\n# CODEOWNERS and a green plan in CI. Keep resources grouped by purpose, name\n# them after the service, and tag everything with the service and its owner\n# so that cost reports and incident tooling can find them.\n\n";

/// Writes `files` files (rounded to whole modules) under `dir`.
pub fn generate(dir: &Path, files: usize) {
    let _ = std::fs::remove_dir_all(dir);
    for m in 0..files.div_ceil(FILES_PER_MODULE) {
        let module = dir.join(format!("svc{:05}", m));
        std::fs::create_dir_all(&module).expect("create module dir");
        for (name, text) in module_files(m) {
            // `#` starts a comment in HCL and YAML alike.
            let text = format!("{HEADER}{text}");
            std::fs::write(module.join(name), text).expect("write");
        }
    }
}

fn module_files(m: usize) -> Vec<(&'static str, String)> {
    if m.is_multiple_of(3) {
        identity_module(m)
    } else {
        infrastructure_module(m)
    }
}

fn identity_module(m: usize) -> Vec<(&'static str, String)> {
    let people: Vec<String> = (0..3)
        .map(|p| format!("    \"u{m}x{p}\" = {{ mfa = {} }}", p != 1))
        .collect();
    vec![
        (
            "versions.tf",
            "terraform {\n  required_version = \">= 1.5\"\n  required_providers {\n    aws = {\n      source  = \"hashicorp/aws\"\n      version = \"~> 5.0\"\n    }\n  }\n}\n".into(),
        ),
        (
            "variables.tf",
            format!(
                "variable \"service\" {{\n  type    = string\n  default = \"svc{m}\"\n}}\n\nvariable \"people\" {{\n  default = {{\n{}\n  }}\n}}\n\nvariable \"cidr\" {{\n  default = \"10.{}.0.0/16\"\n}}\n",
                people.join("\n"),
                m % 250
            ),
        ),
        (
            "iam_users.tf",
            r#"resource "aws_iam_user" "people" {
  for_each = var.people
  name     = "${var.service}-${each.key}"
}

resource "aws_iam_user_login_profile" "people" {
  for_each = aws_iam_user.people
  user     = each.value.name
}

resource "aws_iam_virtual_mfa_device" "people" {
  for_each                = { for k, p in var.people : k => p if p.mfa }
  virtual_mfa_device_name = aws_iam_user.people[each.key].name
}
"#
            .into(),
        ),
        (
            "iam_groups.tf",
            r#"resource "aws_iam_group" "console" {
  name = "${var.service}-console"
}

resource "aws_iam_group_membership" "console" {
  name  = "${var.service}-members"
  group = aws_iam_group.console.name
  users = [for u in aws_iam_user.people : u.name]
}

data "aws_iam_policy_document" "force_mfa" {
  statement {
    effect      = "Deny"
    not_actions = ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "sts:GetSessionToken"]
    resources   = ["*"]
    condition {
      test     = "BoolIfExists"
      variable = "aws:MultiFactorAuthPresent"
      values   = ["false"]
    }
  }
}
"#
            .into(),
        ),
        (
            "iam_policies.tf",
            r#"resource "aws_iam_policy" "read" {
  name = "${var.service}-read"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["s3:GetObject"], Resource = "*" }]
  })
}

resource "aws_iam_group_policy" "force_mfa" {
  group  = aws_iam_group.console.name
  policy = data.aws_iam_policy_document.force_mfa.json
}
"#
            .into(),
        ),
        (
            "iam_roles.tf",
            r#"resource "aws_iam_role" "deploy" {
  name = "${var.service}-deploy"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy_attachment" "deploy" {
  role       = aws_iam_role.deploy.name
  policy_arn = aws_iam_policy.read.arn
}
"#
            .into(),
        ),
        (
            "iam_contractor.tf",
            if m.is_multiple_of(30) {
                // Outside the group: no MFA evidence, a finding.
                "resource \"aws_iam_user\" \"contractor\" {\n  name = \"${var.service}-contractor\"\n}\n\nresource \"aws_iam_user_login_profile\" \"contractor\" {\n  user = aws_iam_user.contractor.name\n}\n".into()
            } else {
                "resource \"aws_iam_user\" \"robot\" {\n  name = \"${var.service}-robot\"\n}\n\nresource \"aws_iam_access_key\" \"robot\" {\n  user = aws_iam_user.robot.name\n}\n".into()
            },
        ),
        (
            "iam_audit.tf",
            "resource \"aws_iam_account_password_policy\" \"strict\" {\n  minimum_password_length = 14\n  require_symbols         = true\n}\n".into(),
        ),
        (
            "outputs.tf",
            "locals {\n  tags = { service = var.service, owner = \"identity\" }\n}\n\noutput \"group\" {\n  value = aws_iam_group.console.arn\n}\n".into(),
        ),
        (
            "stack.yaml",
            format!(
                "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  User:\n    Type: AWS::IAM::User\n    Properties:\n      UserName: cfn{m}\n      LoginProfile:\n        Password: \"{{{{resolve:secretsmanager:x}}}}\"\n  Device:\n    Type: AWS::IAM::VirtualMFADevice\n    Properties:\n      Users: [!Ref User]\n"
            ),
        ),
    ]
}

fn infrastructure_module(m: usize) -> Vec<(&'static str, String)> {
    vec![
        (
            "versions.tf",
            "terraform {\n  required_version = \">= 1.5\"\n  required_providers {\n    aws = {\n      source  = \"hashicorp/aws\"\n      version = \"~> 5.0\"\n    }\n  }\n}\n".into(),
        ),
        (
            "variables.tf",
            format!(
                "variable \"service\" {{\n  type    = string\n  default = \"svc{m}\"\n}}\n\nvariable \"cidr\" {{\n  default = \"10.{}.0.0/16\"\n}}\n",
                m % 250
            ),
        ),
        (
            "network.tf",
            r#"resource "aws_vpc" "main" {
  cidr_block           = var.cidr
  enable_dns_hostnames = true
  tags                 = local.tags
}

resource "aws_subnet" "private" {
  count      = 2
  vpc_id     = aws_vpc.main.id
  cidr_block = cidrsubnet(var.cidr, 8, count.index)
}

resource "aws_security_group" "app" {
  vpc_id = aws_vpc.main.id
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [var.cidr]
  }
}
"#
            .into(),
        ),
        (
            "compute.tf",
            r#"resource "aws_instance" "app" {
  ami                    = "ami-0123456789abcdef0"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.private[0].id
  vpc_security_group_ids = [aws_security_group.app.id]
  user_data              = <<-EOT
    #!/bin/sh
    echo "starting ${var.service}"
  EOT
  tags = local.tags
}
"#
            .into(),
        ),
        (
            "storage.tf",
            r#"resource "aws_s3_bucket" "data" {
  bucket = "${var.service}-data"
  tags   = local.tags
}

resource "aws_s3_bucket_versioning" "data" {
  bucket = aws_s3_bucket.data.id
  versioning_configuration {
    status = "Enabled"
  }
}
"#
            .into(),
        ),
        (
            "dns.tf",
            r#"resource "aws_route53_record" "app" {
  zone_id = "Z0123456789"
  name    = "${var.service}.example.com"
  type    = "A"
  ttl     = 300
  records = [aws_instance.app.private_ip]
}
"#
            .into(),
        ),
        (
            "queue.tf",
            "resource \"aws_sqs_queue\" \"jobs\" {\n  name                      = \"${var.service}-jobs\"\n  message_retention_seconds = 86400\n  tags                      = local.tags\n}\n".into(),
        ),
        (
            "logs.tf",
            "resource \"aws_cloudwatch_log_group\" \"app\" {\n  name              = \"/app/${var.service}\"\n  retention_in_days = 30\n}\n".into(),
        ),
        (
            "outputs.tf",
            "locals {\n  tags = { service = var.service, owner = \"platform\" }\n}\n\noutput \"bucket\" {\n  value = aws_s3_bucket.data.arn\n}\n\noutput \"instance\" {\n  value = aws_instance.app.id\n}\n".into(),
        ),
        (
            "stack.yaml",
            format!(
                "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  Logs:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Sub \"logs-{m}-${{AWS::AccountId}}\"\n      VersioningConfiguration:\n        Status: Enabled\n"
            ),
        ),
    ]
}
