//! Lowers the IAM resources of a Terraform module tree into the model: the
//! root module, then every module instance it calls, each resource instance
//! with its full address (`module.a.aws_iam_user.this["bob"]`).

use std::rc::Rc;

use hcl_edit::Span as _;
use hcl_edit::expr::Expression;

use super::eval::{Evaluator, Modules, call_span};
use super::instance::{InstanceContext, Instances, ModuleInstance, NotFollowed};
use super::module::ResourceDecl;
use super::tree::Tree;
use super::value::{InstanceKey, Value};
use crate::diagnostic::{InputError, InputErrorKind};
use crate::model::{
    Link, MfaActivation, Model, Name, Origin, PolicyDocument, Schema, ScopeId, Unresolved,
};
use crate::source::{SourceMap, Span};

use super::aws::{self, USER};

/// The `command` of every `provisioner "local-exec"` of a resource.
fn local_exec_commands<'d>(decl: &ResourceDecl<'d>) -> impl Iterator<Item = &'d Expression> {
    decl.blocks()
        .into_iter()
        .filter(|b| {
            b.ident.as_str() == "provisioner"
                && b.labels.first().is_some_and(|l| l.as_str() == "local-exec")
        })
        .filter_map(|b| b.body.get_attribute("command").map(|a| &a.value))
}

/// The value of `--user-name X` (or `--user-name=X`) in a shell command.
fn user_name_argument(command: &str) -> Option<String> {
    let mut words = command.split_whitespace();
    while let Some(word) = words.next() {
        if let Some(value) = word.strip_prefix("--user-name=") {
            return Some(value.trim_matches(['"', '\'']).to_string());
        }
        if word == "--user-name" {
            return words
                .next()
                .map(|v| v.trim_matches(['"', '\'']).to_string());
        }
    }
    None
}

/// Builds the model of a root module and every local module it calls.
pub fn lower_tree<'a>(
    scope: ScopeId,
    tree: &'a Tree<'a>,
    sources: &SourceMap,
    schema: &Schema,
    model: &mut Model,
    errors: &mut Vec<InputError>,
) {
    lower_instance_tree(scope, tree, tree.root(), sources, schema, model, errors);
    // Loud, not silent: once per tree, where the model first read a value
    // a bound left unknown (the findings it affects say so too).
    if let Some((span, reason)) = tree.budget.stopped_at() {
        errors.push(InputError {
            path: sources.get(span.file).display.clone(),
            span: Some(span),
            message: format!(
                "{reason}; reached here: the values evaluated from here on are unknown, and the findings they affect say so"
            ),
            kind: InputErrorKind::Limit,
        });
    }
}

fn lower_instance_tree<'a>(
    scope: ScopeId,
    tree: &'a Tree<'a>,
    instance: Rc<ModuleInstance>,
    sources: &SourceMap,
    schema: &Schema,
    model: &mut Model,
    errors: &mut Vec<InputError>,
) {
    let lowerer = Lowerer {
        scope,
        via: instance.callers(),
        eval: tree.evaluator(instance.clone()),
        sources,
        schema,
        root_is_scanned: std::cell::OnceCell::new(),
    };
    let index = lowerer.eval.index();
    for decl in index.resources.values().flatten() {
        lowerer.lower_resource(decl, model);
    }
    // Data sources the rules read (`data.github_organization`), once each:
    // what they describe exists outside the configuration.
    for decl in index.data.values() {
        if let Some(kind) = schema.kept_data_source(decl.kind) {
            let decl = crate::frontend::terraform::module::Decl { kind, ..*decl };
            let origin = lowerer.origin(&decl, None, None);
            lowerer.lower_service_resource(&decl, origin, model);
        }
    }
    for call in index.calls.values() {
        let instances = lowerer.eval.instances(call);
        let keys = Tree::call_keys(&instances).unwrap_or_else(|| {
            // Unknown `count`/`for_each`: the module's resources still
            // exist, as one instance standing for all of them.
            vec![Some(InstanceKey::Unknown(
                if matches!(*instances, Instances::Unknown { meta: "count", .. }) {
                    "count.index"
                } else {
                    "each.key"
                }
                .into(),
            ))]
        });
        for (nth, key) in keys.into_iter().enumerate() {
            let context = InstanceContext::of(&instances, key.as_ref());
            let span = call_span(call);
            match tree.child(&instance, call, key.clone(), span) {
                Ok(child) => lowerer.eval.with_instance(context, || {
                    lower_instance_tree(scope, tree, child, sources, schema, model, errors)
                }),
                // Well-known public modules that were not downloaded are
                // modelled from their documented inputs.
                Err(NotFollowed::Remote(source)) => lowerer.eval.with_instance(context, || {
                    let arguments = HclArguments {
                        lowerer: &lowerer,
                        decl: call,
                    };
                    let origin = lowerer.origin(call, key.as_ref(), None);
                    super::known_modules::lower(&source, &arguments, origin, model)
                }),
                Err(NotFollowed::Recursion(reason)) => errors.push(InputError {
                    path: sources.get(call.file).display.clone(),
                    span: Some(span),
                    message: reason,
                    kind: InputErrorKind::Reference,
                }),
                // Loud, not silent: the users of the calls left out are not
                // checked. Once per tree, at the first call left out.
                Err(why @ NotFollowed::TooMany) => {
                    if tree.report_too_many() {
                        errors.push(InputError {
                            path: sources.get(call.file).display.clone(),
                            span: Some(span),
                            message: format!(
                                "{}; from module `{}` on, calls are not followed",
                                super::instance::describe(&why),
                                call.name
                            ),
                            kind: InputErrorKind::Limit,
                        });
                    }
                }
                // A local source whose folder is not scanned: what it
                // creates is not checked, which is said, once per call.
                Err(NotFollowed::Missing(source)) => {
                    if nth == 0 {
                        model.warnings.push(InputError {
                            path: sources.get(call.file).display.clone(),
                            span: Some(span),
                            message: format!(
                                "module `{}` is not followed: its source `{source}` is not a folder of the scan (missing, excluded or outside the scanned paths), so what it creates is not checked",
                                call.name
                            ),
                            kind: InputErrorKind::Reference,
                        });
                    }
                }
            }
        }
    }
}

pub(super) struct Lowerer<'a> {
    scope: ScopeId,
    /// Module calls leading to this module instance, outermost first.
    via: Vec<(String, Span)>,
    pub(super) eval: Evaluator<'a>,
    pub(super) sources: &'a SourceMap,
    /// What the rules read: which service resources to keep.
    schema: &'a Schema,
    /// Whether the tree's root is a folder the scan was asked for (then
    /// messages need not name it); computed on first use.
    root_is_scanned: std::cell::OnceCell<bool>,
}

impl Lowerer<'_> {
    /// Lowers every instance of a resource (none for `count = 0`).
    fn lower_resource(&self, decl: &ResourceDecl<'_>, model: &mut Model) {
        if !decl.kind.starts_with("aws_iam_")
            && !self.schema.keeps(decl.kind)
            && local_exec_commands(decl).next().is_none()
        {
            return;
        }
        let instances = self.eval.instances(decl);
        match &*instances {
            Instances::Single => self.lower_instance(decl, self.origin(decl, None, None), model),
            Instances::Count(n) => {
                for i in 0..*n {
                    self.lower_keyed(decl, &instances, InstanceKey::Index(i), model);
                }
            }
            Instances::ForEach(map) => {
                for key in map.keys() {
                    self.lower_keyed(decl, &instances, InstanceKey::Key(key.clone()), model);
                }
            }
            Instances::Unknown { meta, reason, .. } => {
                let expr = decl
                    .attribute(meta)
                    .expect("meta-argument of an unknown instance set");
                let symbol = self.instances_symbol(decl, meta, expr);
                let repeated = self.unresolved(
                    decl,
                    expr,
                    format!("{reason}, so its instances are not expanded"),
                    Some(symbol.into()),
                );
                let origin = self.origin(decl, None, Some(repeated));
                let context = InstanceContext::of(&instances, None);
                self.eval
                    .with_instance(context, || self.lower_instance(decl, origin, model));
            }
        }
    }

    fn lower_keyed(
        &self,
        decl: &ResourceDecl<'_>,
        instances: &Instances,
        key: InstanceKey,
        model: &mut Model,
    ) {
        let context = InstanceContext::of(instances, Some(&key));
        let origin = self.origin(decl, Some(&key), None);
        self.eval
            .with_instance(context, || self.lower_instance(decl, origin, model));
    }

    fn lower_instance(&self, decl: &ResourceDecl<'_>, origin: Origin, model: &mut Model) {
        if self.schema.keeps(decl.kind) {
            return self.lower_service_resource(decl, origin, model);
        }
        for command in local_exec_commands(decl) {
            if let Some(users) = self.enable_mfa_users(decl, command) {
                model.mfa_activations.push(MfaActivation {
                    origin: origin.clone(),
                    users,
                });
            }
        }
        let args = HclArguments {
            lowerer: self,
            decl,
        };
        aws::lower(decl.kind, &args, origin, model);
    }

    /// The users an `aws iam enable-mfa-device` command enables a device
    /// for, or `None` if the command does something else. The command is
    /// read, never run.
    fn enable_mfa_users(&self, decl: &ResourceDecl<'_>, command: &Expression) -> Option<Vec<Link>> {
        let span = self.span_of(decl, command);
        let source = self.sources.get(span.file).slice(span);
        if !source.contains("enable-mfa-device") {
            return None;
        }
        let (value, refs) = self.eval.eval_with_refs(command);
        let mut users: Vec<Link> = refs
            .iter()
            .filter(|r| r.resource_type == USER)
            .map(|r| Link::Address {
                address: r.instance_address(),
                span: self.span_of(decl, command),
            })
            .collect();
        users.dedup();
        if !users.is_empty() {
            return Some(users);
        }
        Some(match self.eval.materialize(value) {
            Value::String(text) => match user_name_argument(&text) {
                Some(name) => vec![Link::Name {
                    name,
                    span: self.span_of(decl, command),
                }],
                None => vec![Link::Unresolved(self.unresolved(
                    decl,
                    command,
                    "the command has no `--user-name` argument".into(),
                    None,
                ))],
            },
            other => vec![self.link(decl, command, other, USER)],
        })
    }

    /// Where an instance comes from: the block's header, and its address
    /// with the instance key.
    fn origin(
        &self,
        decl: &ResourceDecl<'_>,
        key: Option<&InstanceKey>,
        repeated_by: Option<Unresolved>,
    ) -> Origin {
        let block = decl.block;
        let header_end = block
            .labels
            .last()
            .and_then(|l| l.span())
            .or_else(|| block.ident.span())
            .map_or(0, |r| r.end);
        let start = block.span().map_or(0, |r| r.start);
        let mut address = self.eval.qualify(&decl.address());
        if let Some(key) = key {
            address.push_str(&key.render());
        }
        let mut span = decl.span(start..header_end.max(start));
        if self.is_downloaded(span) {
            // Code under `.terraform/` is nobody's to edit (nor in the
            // repository): point at the call that brings it in.
            if let Some((_, call)) = self.via.iter().rev().find(|(_, s)| !self.is_downloaded(*s)) {
                span = *call;
            }
        }
        Origin {
            scope: self.scope,
            address,
            span,
            repeated_by,
            via: self.via.clone(),
            condition: None,
            planned_at: None,
            root: (!self.via.is_empty()).then(|| {
                let root = self.eval.root_dir();
                if root.as_os_str().is_empty() {
                    ".".to_string()
                } else {
                    crate::source::display_path(root)
                }
            }),
            root_shown: !self.via.is_empty() && !self.root_is_scanned(),
        }
    }

    /// Whether the tree's root is a folder the scan was asked for.
    fn root_is_scanned(&self) -> bool {
        *self.root_is_scanned.get_or_init(|| {
            let root = self.eval.root_dir();
            let root = if root.as_os_str().is_empty() {
                std::path::Path::new(".")
            } else {
                root
            };
            root.canonicalize()
                .is_ok_and(|real| self.eval.readable_roots().contains(&real))
        })
    }

    fn is_downloaded(&self, span: Span) -> bool {
        super::manifest::is_downloaded(&self.sources.get(span.file).path)
    }

    /// Names the set of instances `count`/`for_each` creates, so that two
    /// resources with equal symbols have matching instances: the expression
    /// text, or, for `for_each = aws_iam_user.team`, the symbol of the
    /// resource iterated over.
    fn instances_symbol(&self, decl: &ResourceDecl<'_>, meta: &str, expr: &Expression) -> String {
        if let Value::Ref(r) = self.eval.eval(expr) {
            let iterated = self.eval.index().resource(&r.resource_type, &r.name);
            if let (true, None, Some(iterated)) =
                (r.attribute.is_empty(), &r.instance_key, iterated)
            {
                for inner_meta in ["for_each", "count"] {
                    if let Some(inner) = iterated.attribute(inner_meta) {
                        let span = self.span_of(iterated, inner);
                        let text = self.sources.get(span.file).slice(span);
                        return self.eval.qualify(&format!("{inner_meta}:{}", text.trim()));
                    }
                }
            }
        }
        let span = self.span_of(decl, expr);
        let text = self.sources.get(span.file).slice(span);
        self.eval.qualify(&format!("{meta}:{}", text.trim()))
    }

    fn name(&self, decl: &ResourceDecl<'_>, arg: &str) -> Name {
        let Some(expr) = decl.attribute(arg) else {
            return Name::Unresolved(self.missing(decl, arg));
        };
        match self.eval.materialize(self.eval.eval(expr)) {
            Value::String(s) => Name::Known(s),
            Value::Unknown(u) => {
                Name::Unresolved(self.unresolved(decl, expr, u.reason.to_string(), u.symbol))
            }
            other => Name::Unresolved(self.unresolved(
                decl,
                expr,
                format!("a {} is not a name", other.type_name()),
                None,
            )),
        }
    }

    fn link_arg(&self, decl: &ResourceDecl<'_>, arg: &str, target_type: &str) -> Link {
        match decl.attribute(arg) {
            Some(expr) => self.link(decl, expr, self.eval.eval(expr), target_type),
            None => Link::Unresolved(self.missing(decl, arg)),
        }
    }

    /// A list argument; a literal list keeps each element's own span.
    fn links_arg(&self, decl: &ResourceDecl<'_>, arg: &str, target_type: &str) -> Vec<Link> {
        let Some(expr) = decl.attribute(arg) else {
            return vec![Link::Unresolved(self.missing(decl, arg))];
        };
        if let Expression::Array(items) = expr {
            return items
                .iter()
                .map(|item| self.link(decl, item, self.eval.eval(item), target_type))
                .collect();
        }
        match self.eval.materialize(self.eval.eval(expr)) {
            Value::List(items) => items
                .into_iter()
                .map(|item| self.link(decl, expr, item, target_type))
                .collect(),
            value => vec![self.link(decl, expr, value, target_type)],
        }
    }

    fn link(
        &self,
        decl: &ResourceDecl<'_>,
        expr: &Expression,
        value: Value,
        target_type: &str,
    ) -> Link {
        let span = self.span_of(decl, expr);
        match value {
            Value::Ref(r) if r.resource_type == target_type => Link::Address {
                address: r.instance_address(),
                span,
            },
            Value::Ref(r) => match self.eval.materialize(Value::Ref(r.clone())) {
                Value::String(name) => Link::Name { name, span },
                _ => Link::Unresolved(self.unresolved(
                    decl,
                    expr,
                    format!("it refers to `{}`, not to an `{target_type}`", r.address()),
                    None,
                )),
            },
            // An empty name (a template's placeholder) designates nothing
            // AWS would create: two of them are not a link.
            Value::String(name) if name.trim().is_empty() => Link::Unresolved(self.unresolved(
                decl,
                expr,
                format!("an empty name designates no `{target_type}`"),
                None,
            )),
            Value::String(name) => Link::Name { name, span },
            Value::Unknown(u) => {
                Link::Unresolved(self.unresolved(decl, expr, u.reason.to_string(), u.symbol))
            }
            other => Link::Unresolved(self.unresolved(
                decl,
                expr,
                format!("a {} does not name an `{target_type}`", other.type_name()),
                None,
            )),
        }
    }

    /// The user a virtual MFA device is named for: a reference to exactly
    /// one `aws_iam_user` anywhere in its name, or else the name itself.
    fn device_user(&self, decl: &ResourceDecl<'_>, arg: &str) -> Link {
        let Some(expr) = decl.attribute(arg) else {
            return Link::Unresolved(self.missing(decl, arg));
        };
        let (value, refs) = self.eval.eval_with_refs(expr);
        // Stops at the second user: the name may come from a map of
        // thousands of users.
        let mut users = refs
            .iter()
            .filter(|r| r.resource_type == USER)
            .map(|r| r.instance_address());
        let first = users.next();
        if let Some(address) = first.filter(|first| users.all(|u| &u == first)) {
            return Link::Address {
                address,
                span: self.span_of(decl, expr),
            };
        }
        self.link(decl, expr, value, USER)
    }

    fn document(&self, decl: &ResourceDecl<'_>, arg: &str) -> PolicyDocument {
        let Some(expr) = decl.attribute(arg) else {
            return PolicyDocument::Unresolved(self.missing(decl, arg));
        };
        let span = self.span_of(decl, expr);
        match self.eval.materialize(self.eval.eval(expr)) {
            Value::String(text) => PolicyDocument::Json { text, span },
            Value::Unknown(u) => match self.partial_document(expr, 0) {
                Some(text) => PolicyDocument::Json { text, span },
                None => PolicyDocument::Unresolved(self.unresolved(
                    decl,
                    expr,
                    u.reason.to_string(),
                    u.symbol,
                )),
            },
            other => PolicyDocument::Unresolved(self.unresolved(
                decl,
                expr,
                format!("a {} is not a policy document", other.type_name()),
                None,
            )),
        }
    }

    /// `jsonencode({ Statement = [...] })` (written in place or in a local)
    /// whose statements are partly unknown: the document with each unknown
    /// statement replaced by one that says why, so that the known ones are
    /// still judged (`crate::policy::UNKNOWN_STATEMENT`). `None` when more
    /// than statements is unknown.
    fn partial_document(&self, expr: &Expression, depth: usize) -> Option<String> {
        let argument = match expr {
            Expression::FuncCall(call)
                if call.name.namespace.is_empty()
                    && call.name.name.as_str() == "jsonencode"
                    && call.args.len() == 1
                    && !call.args.expand_final() =>
            {
                call.args.iter().next()?
            }
            Expression::Traversal(t) if depth < 8 => {
                let Expression::Variable(root) = &t.expr else {
                    return None;
                };
                let [op] = t.operators.as_slice() else {
                    return None;
                };
                let hcl_edit::expr::TraversalOperator::GetAttr(name) = op.value() else {
                    return None;
                };
                if root.as_str() != "local" {
                    return None;
                }
                let local = self.eval.index().locals.get(name.as_str())?;
                return self.partial_document(local, depth + 1);
            }
            _ => return None,
        };
        let Value::Object(document) = self.eval.materialize_deep(self.eval.eval(argument)) else {
            return None;
        };
        let mut out = serde_json::Map::new();
        for (key, value) in document {
            let json = if key == "Statement" {
                let statements = match value {
                    Value::List(items) => items,
                    single @ Value::Object(_) => vec![single],
                    _ => return None,
                };
                serde_json::Value::Array(
                    statements
                        .into_iter()
                        .map(|statement| match statement.to_json() {
                            Some(text) => serde_json::from_str(&text).ok(),
                            None => unknown_statement(&statement),
                        })
                        .collect::<Option<Vec<_>>>()?,
                )
            } else {
                serde_json::from_str(&value.to_json()?).ok()?
            };
            out.insert(key, json);
        }
        Some(serde_json::Value::Object(out).to_string())
    }

    /// Where an expression of a declaration is written: in an override
    /// file when one replaced its argument.
    pub(super) fn span_of(&self, decl: &ResourceDecl<'_>, expr: &Expression) -> Span {
        decl.span_of(expr)
    }

    pub(super) fn unresolved(
        &self,
        decl: &ResourceDecl<'_>,
        expr: &Expression,
        reason: String,
        symbol: Option<std::sync::Arc<str>>,
    ) -> Unresolved {
        let span = self.span_of(decl, expr);
        self.eval.budget().note_stopped(span, &reason);
        Unresolved {
            expression: crate::finding::clipped(self.sources.get(span.file).slice(span).trim()),
            reason,
            span,
            symbol: symbol.map(|s| s.to_string()),
        }
    }

    fn missing(&self, decl: &ResourceDecl<'_>, arg: &str) -> Unresolved {
        let header = decl.block.span().map_or(0..0, |r| r.start..r.start);
        Unresolved {
            expression: arg.to_string(),
            reason: format!("the `{arg}` argument is missing"),
            span: decl.span(header),
            symbol: None,
        }
    }
}

/// A statement of `jsonencode` that holds an unknown value: its `Sid` (which
/// must be known: it names the statement) and why it is unknown.
fn unknown_statement(statement: &Value) -> Option<serde_json::Value> {
    let Value::Object(fields) = statement else {
        return None;
    };
    let mut out = serde_json::Map::new();
    match fields.get("Sid") {
        None | Some(Value::Null) => {}
        Some(Value::String(sid)) => {
            out.insert("Sid".into(), serde_json::Value::String(sid.clone()));
        }
        Some(_) => return None,
    }
    if let Some(Value::String(effect)) = fields.get("Effect") {
        out.insert("Effect".into(), serde_json::Value::String(effect.clone()));
    }
    out.insert(
        crate::policy::UNKNOWN_STATEMENT.into(),
        serde_json::Value::String(
            first_unknown(statement).unwrap_or_else(|| "not known statically".into()),
        ),
    );
    Some(serde_json::Value::Object(out))
}

/// Why the first unknown part of a value is unknown.
fn first_unknown(value: &Value) -> Option<String> {
    match value {
        Value::Unknown(u) => Some(u.reason.to_string()),
        Value::Ref(r) => Some(format!("`{}` is only known when Terraform runs", r.text())),
        Value::List(items) => items.iter().find_map(first_unknown),
        Value::Object(map) => map.values().find_map(first_unknown),
        _ => None,
    }
}

/// A resource instance's arguments as the evaluator reads them.
struct HclArguments<'l, 'a, 'd> {
    lowerer: &'l Lowerer<'a>,
    decl: &'l ResourceDecl<'d>,
}

impl aws::Arguments for HclArguments<'_, '_, '_> {
    fn is_set(&self, arg: &str) -> bool {
        self.decl.attribute(arg).is_some()
    }

    fn name(&self, arg: &str) -> Name {
        self.lowerer.name(self.decl, arg)
    }

    fn link(&self, arg: &str, target_type: &str) -> Link {
        self.lowerer.link_arg(self.decl, arg, target_type)
    }

    fn links(&self, arg: &str, target_type: &str) -> Vec<Link> {
        self.lowerer.links_arg(self.decl, arg, target_type)
    }

    fn document(&self, arg: &str) -> PolicyDocument {
        self.lowerer.document(self.decl, arg)
    }

    fn boolean(&self, arg: &str) -> Option<bool> {
        let expr = self.decl.attribute(arg)?;
        let eval = &self.lowerer.eval;
        match eval.materialize(eval.eval(expr)) {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }

    fn device_user(&self, arg: &str) -> Link {
        self.lowerer.device_user(self.decl, arg)
    }
}
