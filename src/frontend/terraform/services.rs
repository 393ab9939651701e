//! Lowers the resources of other services (GitLab, Okta, Azure AD, ...)
//! into [`ServiceResource`]s: every argument evaluated, every nested block
//! kept, so that rules read the provider's settings without HCL.

use hcl_edit::expr::Expression;
use hcl_edit::structure;

use super::lower::Lowerer;
use super::module::ResourceDecl;
use super::value::Value;
use crate::model::{Argument, Body, Model, Origin, ServiceResource, Setting};

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
        model.service_resources.push(ServiceResource {
            origin,
            resource_type: decl.kind.to_string(),
            body,
        });
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
