//! Lowers the resources of other services (GitLab, Okta, Azure AD, ...)
//! into [`ServiceResource`]s: every argument evaluated, every nested block
//! kept, so that rules read the provider's settings without HCL.

use hcl_edit::expr::Expression;
use hcl_edit::structure;

use super::lower::Lowerer;
use super::module::ResourceDecl;
use super::value::Value;
use crate::model::{Argument, Assertion, Body, Model, Origin, ServiceResource, Setting};

/// Nested blocks deeper than this are not kept (no provider schema of the
/// services read here goes beyond four).
const MAX_BLOCK_DEPTH: usize = 8;

impl Lowerer<'_> {
    pub(super) fn lower_service_resource(
        &self,
        decl: &ResourceDecl<'_>,
        origin: Origin,
        model: &mut Model,
    ) {
        // The merged declaration's arguments and blocks (override files).
        let body = self.body_of(decl, decl.attributes(), decl.blocks(), 0);
        let assertions = self.assertions(decl);
        model.service_resources.push(ServiceResource {
            origin,
            resource_type: decl.kind.to_string(),
            body,
            assertions,
        });
    }

    /// What the module's `check` blocks, and the declaration's own
    /// `lifecycle { postcondition }`s, assert about its attributes.
    fn assertions(&self, decl: &ResourceDecl<'_>) -> Vec<Assertion> {
        use hcl_edit::Span as _;
        let mut out = Vec::new();
        // As references name it within the module: `data.x.y`, `x.y`.
        let reference = decl.address();
        for block in decl.blocks() {
            if block.ident.as_str() != "lifecycle" {
                continue;
            }
            for condition in block
                .body
                .blocks()
                .filter(|b| b.ident.as_str() == "postcondition")
                .filter_map(|b| b.body.get_attribute("condition"))
            {
                let span = self.span_of(decl, &condition.value);
                let text = self.sources.get(span.file).slice(span);
                for (attribute, expected) in asserted(text, "self") {
                    out.push(Assertion {
                        attribute,
                        expected,
                        span,
                        by: "postcondition".into(),
                    });
                }
            }
        }
        for check in &self.eval.index().checks {
            let name = check.block.labels.first().map_or("", |l| l.as_str());
            for condition in check
                .block
                .body
                .blocks()
                .filter(|b| b.ident.as_str() == "assert")
                .filter_map(|b| b.body.get_attribute("condition"))
            {
                let span = check.span(condition.value.span().unwrap_or(0..0));
                let text = self.sources.get(span.file).slice(span);
                for (attribute, expected) in asserted(text, &reference) {
                    out.push(Assertion {
                        attribute,
                        expected,
                        span,
                        by: format!("check \"{name}\""),
                    });
                }
            }
        }
        out
    }

    fn body(&self, decl: &ResourceDecl<'_>, hcl: &structure::Body, depth: usize) -> Body {
        let attributes = hcl
            .attributes()
            .map(|a| (a.key.as_str(), &a.value))
            .collect();
        self.body_of(decl, attributes, hcl.blocks().collect(), depth)
    }

    fn body_of(
        &self,
        decl: &ResourceDecl<'_>,
        attributes: Vec<(&str, &Expression)>,
        blocks: Vec<&structure::Block>,
        depth: usize,
    ) -> Body {
        let mut body = Body::default();
        for (key, value) in attributes {
            let setting = self.setting(decl, value);
            body.arguments.insert(
                key.to_string(),
                Argument {
                    value: setting,
                    span: self.span_of(decl, value),
                },
            );
        }
        if depth >= MAX_BLOCK_DEPTH {
            return body;
        }
        for block in blocks {
            match block.ident.as_str() {
                "dynamic" => {
                    if let Some(label) = block.labels.first() {
                        body.dynamic_blocks.push(label.as_str().to_string());
                    }
                }
                // Terraform's own meta blocks say nothing about the service.
                "lifecycle" | "provisioner" | "connection" | "timeouts" => {}
                kind => body
                    .blocks
                    .push((kind.to_string(), self.body(decl, &block.body, depth + 1))),
            }
        }
        body
    }

    fn setting(&self, decl: &ResourceDecl<'_>, expr: &Expression) -> Setting {
        let value = self.eval.materialize(self.eval.eval(expr));
        self.to_setting(decl, expr, value)
    }

    fn to_setting(&self, decl: &ResourceDecl<'_>, expr: &Expression, value: Value) -> Setting {
        match value {
            Value::Null => Setting::Null,
            Value::Bool(b) => Setting::Bool(b),
            Value::Number(n) => Setting::Number(n),
            Value::String(s) => Setting::String(s),
            Value::List(items) => Setting::List(
                items
                    .into_iter()
                    .map(|v| self.to_setting(decl, expr, self.eval.materialize(v)))
                    .collect(),
            ),
            Value::Object(map) => Setting::Map(
                map.into_iter()
                    .map(|(k, v)| (k, self.to_setting(decl, expr, self.eval.materialize(v))))
                    .collect(),
            ),
            Value::Ref(r) => Setting::Unresolved(self.unresolved(
                decl,
                expr,
                format!("`{}` is only known once Terraform applies it", r.text()),
                Some(r.text().into()),
            )),
            Value::Unknown(u) => {
                Setting::Unresolved(self.unresolved(decl, expr, u.reason.to_string(), u.symbol))
            }
        }
    }
}

/// The attributes of `reference` a condition names, and what it asserts
/// of each: `r.a` and `r.a == true` that it holds, `!r.a` and
/// `r.a == false` that it does not (parentheses aside); a condition that
/// is more than that (`r.login != "" && !r.a`) asserts something mfalint
/// does not read about every attribute it names (`None`).
fn asserted(condition: &str, reference: &str) -> Vec<(String, Option<bool>)> {
    let text: String = condition.chars().filter(|c| !c.is_whitespace()).collect();
    // In `.tf.json`, an expression is a string template: `"${...}"`.
    let text = match text
        .strip_prefix("\"${")
        .and_then(|t| t.strip_suffix("}\""))
    {
        Some(inner) if !inner.contains("${") => inner.to_string(),
        _ => text,
    };
    let needle = format!("{reference}.");
    let mut attributes: Vec<String> = Vec::new();
    for (at, _) in text.match_indices(&needle) {
        // A longer name ending the same way (`xdata.a.b`) is another one.
        if text[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.')
        {
            continue;
        }
        let attribute: String = text[at + needle.len()..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
            .collect();
        if !attribute.is_empty() && !attributes.contains(&attribute) {
            attributes.push(attribute);
        }
    }
    attributes
        .into_iter()
        .map(|attribute| {
            let traversal = format!("{reference}.{attribute}");
            let holds = [
                traversal.clone(),
                format!("{traversal}==true"),
                format!("true=={traversal}"),
                format!("{traversal}!=false"),
            ];
            let fails = [
                format!("!{traversal}"),
                format!("{traversal}==false"),
                format!("false=={traversal}"),
                format!("{traversal}!=true"),
            ];
            let plain = unparenthesized(&text);
            let expected = if holds.iter().any(|h| h == plain) {
                Some(true)
            } else if fails.iter().any(|f| f == plain)
                || plain
                    .strip_prefix('!')
                    .is_some_and(|inner| holds.iter().any(|h| h == unparenthesized(inner)))
            {
                Some(false)
            } else {
                None
            };
            (attribute, expected)
        })
        .collect()
}

/// Text without the parentheses that wrap all of it.
fn unparenthesized(mut text: &str) -> &str {
    while let Some(inner) = text.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
        // `(a)&&(b)` is not wrapped whole.
        let mut depth = 0i32;
        let balanced = inner.chars().all(|c| {
            depth += match c {
                '(' => 1,
                ')' => -1,
                _ => 0,
            };
            depth >= 0
        });
        if !balanced {
            break;
        }
        text = inner;
    }
    text
}

#[cfg(test)]
mod tests {
    use super::asserted;

    #[test]
    fn conditions_are_read_in_their_plain_forms() {
        let r = "data.github_organization.org";
        let attr = "two_factor_requirement_enabled".to_string();
        let one = |text: &str, reference: &str| asserted(text, reference);
        for holds in [
            "data.github_organization.org.two_factor_requirement_enabled",
            "data.github_organization.org.two_factor_requirement_enabled == true",
            "true == data.github_organization.org.two_factor_requirement_enabled",
            "(data.github_organization.org.two_factor_requirement_enabled)",
            "\"${data.github_organization.org.two_factor_requirement_enabled}\"",
        ] {
            assert_eq!(one(holds, r), [(attr.clone(), Some(true))], "{holds}");
        }
        for fails in [
            "!data.github_organization.org.two_factor_requirement_enabled",
            "!(data.github_organization.org.two_factor_requirement_enabled)",
            "data.github_organization.org.two_factor_requirement_enabled == false",
        ] {
            assert_eq!(one(fails, r), [(attr.clone(), Some(false))], "{fails}");
        }
        // More than the attribute: not read, for every attribute named.
        assert_eq!(
            one(
                "data.github_organization.org.two_factor_requirement_enabled || var.skip",
                r
            ),
            [(attr.clone(), None)]
        );
        assert_eq!(
            one(
                "data.github_organization.org.login != \"\" && !data.github_organization.org.two_factor_requirement_enabled",
                r
            ),
            [("login".to_string(), None), (attr.clone(), None)]
        );
        assert_eq!(
            one(
                "self.name == \"b\" && !self.two_factor_requirement_enabled",
                "self"
            ),
            [("name".to_string(), None), (attr.clone(), None)]
        );
        assert_eq!(
            one("(a.b) && (data.github_organization.org.x)", r),
            [("x".to_string(), None)]
        );
        assert_eq!(
            one("self.two_factor_requirement_enabled", "self"),
            [(attr, Some(true))]
        );
        assert!(one("data.github_organization.other.x", r).is_empty());
        assert!(one("xdata.github_organization.org.a", r).is_empty());
    }
}
