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
/// `r.a == false` that it does not (parentheses, whitespace and comments
/// aside; `r` may carry an instance key, `r[0]`, `r["k"]`); a condition
/// that is more than that (`r.login != "" && !r.a`, a splat `r[*].a`)
/// asserts something mfalint does not read about every attribute it names
/// (`None`).
fn asserted(condition: &str, reference: &str) -> Vec<(String, Option<bool>)> {
    let code = without_comments(condition);
    // One space for each run of whitespace: words stay apart.
    let spaced = code.split_whitespace().collect::<Vec<_>>().join(" ");
    // In `.tf.json`, an expression is a string template: `"${...}"`.
    let spaced = match spaced
        .strip_prefix("\"${")
        .and_then(|t| t.strip_suffix("}\""))
    {
        Some(inner) if !inner.contains("${") => inner.trim().to_string(),
        _ => spaced,
    };
    let dense = |t: &str| t.chars().filter(|c| *c != ' ').collect::<String>();
    let plain = dense(&spaced);
    let plain = unparenthesized(&plain);
    let mut found: Vec<(String, Option<bool>)> = Vec::new();
    for (at, _) in spaced.match_indices(reference) {
        // A longer name ending the same way (`xdata.a.b`) is another one.
        if spaced[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.')
        {
            continue;
        }
        let mut rest = &spaced[at + reference.len()..];
        // An instance key: `[0]`, `["k"]`, or a splat `[*]`.
        let mut splat = false;
        if let Some(key) = rest.strip_prefix('[') {
            let Some(end) = key.find(']') else { continue };
            splat = key[..end].trim() == "*";
            rest = &key[end + 1..];
        }
        let Some(rest) = rest.strip_prefix('.') else {
            continue;
        };
        let attribute: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
            .collect();
        if attribute.is_empty() || found.iter().any(|(a, _)| *a == attribute) {
            continue;
        }
        let end = spaced.len() - rest.len() + attribute.len();
        let traversal = dense(&spaced[at..end]);
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
        let expected = if splat {
            None
        } else if holds.iter().any(|h| h == plain) {
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
        found.push((attribute, expected));
    }
    found
}

/// An expression's text without its comments (`#` and `//` to the end of
/// the line, `/* */`), string literals kept whole.
fn without_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match c {
                '\\' => {
                    if let Some(next) = chars.next() {
                        out.push(next);
                    }
                }
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '#' => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
                out.push(' ');
            }
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
                out.push(' ');
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = ' ';
                for c in chars.by_ref() {
                    if last == '*' && c == '/' {
                        break;
                    }
                    last = c;
                }
                out.push(' ');
            }
            c => out.push(c),
        }
    }
    out
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
            [(attr.clone(), Some(true))]
        );
        // Comments and line breaks are not part of the condition.
        assert_eq!(
            one(
                "!(\n  # deliberately off.\n  data.github_organization.org.two_factor_requirement_enabled\n)",
                r
            ),
            [(attr.clone(), Some(false))]
        );
        assert_eq!(
            one(
                "data.github_organization.org.two_factor_requirement_enabled # must hold",
                r
            ),
            [(attr.clone(), Some(true))]
        );
        // Instances of a data source with count or for_each.
        assert_eq!(
            one(
                "!data.github_organization.org[0].two_factor_requirement_enabled",
                r
            ),
            [(attr.clone(), Some(false))]
        );
        assert_eq!(
            one(
                "data.github_organization.org[\"a\"].two_factor_requirement_enabled == false",
                r
            ),
            [(attr.clone(), Some(false))]
        );
        assert_eq!(
            one(
                "alltrue(data.github_organization.org[*].two_factor_requirement_enabled)",
                r
            ),
            [(attr.clone(), None)]
        );
        assert!(one("data.github_organization.other.x", r).is_empty());
        assert!(one("xdata.github_organization.org.a", r).is_empty());
    }
}
