//! Lowers the IAM resources of one CloudFormation template into the model,
//! resolving `Ref`, `Fn::GetAtt`, `Fn::Sub` and `Fn::Join` where the template
//! fixes their value (parameter defaults, literal names).

use std::collections::BTreeMap;
use std::ops::Range;

use super::Template;
use crate::diagnostic::InputError;
use crate::model::{
    AttachmentTarget, Group, GroupMembership, Link, LoginProfile, Model, Name, Origin, Policy,
    PolicyAttachment, PolicyDocument, PolicyOwner, ScopeId, Unresolved, User, VirtualMfaDevice,
};
use crate::source::{FileId, SourceMap, Span};
use crate::syntax::{Kind, Node};

/// A statically evaluated template value.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    String(String),
    /// `Ref` or `Fn::GetAtt` of a resource of this template.
    Resource(String),
    List(Vec<Value>),
    /// `Ref AWS::NoValue`: the property (or list element) is left out.
    Absent,
    /// `Fn::ImportValue` of another scanned template's export: a resource
    /// or a name in that template's scope.
    Imported {
        scope: ScopeId,
        target: Box<Value>,
    },
    Unknown {
        reason: String,
        symbol: Option<String>,
    },
}

/// What a condition evaluates to.
#[derive(Debug, Clone, PartialEq)]
enum Truth {
    True,
    False,
    /// Cannot be decided from the template and its parameters' defaults.
    Unknown(String),
}

struct Lowerer<'t> {
    scope: ScopeId,
    file: FileId,
    text: &'t str,
    display: &'t str,
    parameters: BTreeMap<&'t str, Option<&'t Node>>,
    /// Logical id -> resource type.
    resources: BTreeMap<&'t str, &'t str>,
    errors: Vec<InputError>,
    /// How a parent stack calls this template, when it is nested.
    call: Option<&'t StackCall>,
    /// Nested stacks this template creates (local `TemplateURL`s).
    nested: Vec<NestedStack>,
    /// The `Condition` of the resource being lowered, in words.
    condition: Option<String>,
    /// Set while a parameter's `Default` is evaluated: CloudFormation takes
    /// defaults literally, so a reference there (even to the parameter
    /// itself) is not followed.
    in_default: bool,
    /// The top template of a nested stack's chain of parents.
    root: Option<String>,
    /// The template's `Conditions`.
    conditions: BTreeMap<&'t str, &'t Node>,
    /// Conditions evaluated so far, and those being evaluated (a condition
    /// that refers to itself is unknown, not a loop).
    truths: BTreeMap<String, Truth>,
    evaluating: Vec<String>,
    /// Set while lowering a resource whose `Condition` cannot be decided:
    /// it is taken to exist for findings, but what it holds is no MFA
    /// evidence (the reason says why).
    undecided: Option<String>,
    /// The exports of the scanned templates, for `Fn::ImportValue`.
    exports: &'t Exports,
    /// The templates whose exports this one imports (a change there
    /// reaches this scope).
    imported_from: std::collections::BTreeSet<std::path::PathBuf>,
    /// Whether the template imports anything, resolved or not.
    imports: bool,
    /// Text all templates' evaluation may still produce.
    budget: &'t TextBudget,
}

/// The longest string evaluation builds (`Fn::Join`, `Fn::Sub`) or takes
/// (a parameter's value), as in Terraform: a name or an ARN is at most a
/// few hundred bytes, and a longer string is unknown. A 440 KB template
/// joining 10,000 copies of a 300 KB default built a 3 GB user name.
pub const MAX_STRING_BYTES: usize = 1 << 20;

/// The text evaluation may produce across all the templates of a scan,
/// every copy counted: 16 MiB, where the whole shared corpus produces
/// 7 KB (2026-12-01). Past it, values are unknown and say why: 10,000
/// users named by a reference to one 1 MiB default would otherwise hold
/// 10 GB.
pub const MAX_TEXT_BYTES: usize = 16 << 20;

/// What is left of [`MAX_TEXT_BYTES`], shared by the templates of a scan.
#[derive(Debug)]
pub struct TextBudget(std::cell::Cell<usize>);

impl Default for TextBudget {
    fn default() -> Self {
        TextBudget(std::cell::Cell::new(MAX_TEXT_BYTES))
    }
}

impl TextBudget {
    /// Takes `bytes`; false (and nothing left) when there are not enough.
    fn spend(&self, bytes: usize) -> bool {
        let left = self.0.get();
        self.0.set(left.saturating_sub(bytes));
        left >= bytes
    }
}

/// Why a string is unknown when it is longer than [`MAX_STRING_BYTES`]
/// (`bytes` of it, or more when it was not built to the end).
fn too_long(bytes: Option<usize>) -> Value {
    let size = match bytes {
        Some(n) => format!("of {n} bytes"),
        None => format!("of more than {MAX_STRING_BYTES} bytes"),
    };
    unknown(&format!(
        "a string {size}, longer than the {MAX_STRING_BYTES} bytes mfalint evaluates"
    ))
}

/// What the scanned templates export (`Outputs: X: Export: Name`), by name:
/// the exporting scope and value, or why the name cannot be used.
#[derive(Debug, Default)]
pub struct Exports(BTreeMap<String, Result<(ScopeId, Value, std::path::PathBuf), String>>);

impl Exports {
    /// Adds a template's exports; a name exported twice is ambiguous.
    pub fn add(
        &mut self,
        scope: ScopeId,
        template: &Template,
        sources: &SourceMap,
        budget: &TextBudget,
    ) {
        let exports = Exports::default();
        let mut lowerer = Lowerer::new(scope, template, sources, None, &exports, budget);
        let source = sources.get(template.file);
        let Some(Kind::Map(outputs)) = template.root.get("Outputs").map(|o| &o.kind) else {
            return;
        };
        for (_, output) in outputs {
            let Some(name_node) = output.get("Export").and_then(|e| e.get("Name")) else {
                continue;
            };
            // A name known only at deployment (`${AWS::StackName}-x`)
            // cannot be matched with an import.
            let Value::String(name) = lowerer.value(name_node) else {
                continue;
            };
            let value = match output.get("Value").map(|v| lowerer.value(v)) {
                Some(value @ (Value::Resource(_) | Value::String(_))) => {
                    Ok((scope, value, source.path.clone()))
                }
                Some(Value::Unknown { reason, .. }) => Err(format!(
                    "`{name}` is exported by `{}`, with a value that is not known statically ({reason})",
                    source.display
                )),
                _ => Err(format!(
                    "`{name}` is exported by `{}`, with a value that is not a name",
                    source.display
                )),
            };
            let entry = self.0.entry(name.clone());
            match entry {
                std::collections::btree_map::Entry::Vacant(v) => {
                    v.insert(value);
                }
                std::collections::btree_map::Entry::Occupied(mut o) => {
                    *o.get_mut() = Err(format!(
                        "`{name}` is exported by more than one scanned template, `{}` among them",
                        source.display
                    ));
                }
            }
        }
    }
}

/// A parent's `AWS::CloudFormation::Stack` resource pointing at a local
/// template: the child is lowered with the parameters the parent passes.
#[derive(Debug, Clone)]
pub struct StackCall {
    /// Address prefix of the child's entities (`Parent.Stack.`).
    pub prefix: String,
    /// Parameter values given by the parent: known strings, or why not.
    pub parameters: BTreeMap<String, Result<String, String>>,
    /// Stack resources from the root template down, for related locations.
    pub via: Vec<(String, Span)>,
}

/// A nested stack found while lowering a template.
#[derive(Debug, Clone)]
pub struct NestedStack {
    /// The `TemplateURL` as written (a path relative to the parent).
    pub template_url: String,
    /// Where the `TemplateURL` is written.
    pub url_span: Span,
    pub call: StackCall,
}

pub fn lower_template(
    scope: ScopeId,
    template: &Template,
    sources: &SourceMap,
    call: Option<&StackCall>,
    exports: &Exports,
    budget: &TextBudget,
) -> (Model, Vec<InputError>, Vec<NestedStack>) {
    let mut lowerer = Lowerer::new(scope, template, sources, call, exports, budget);
    let mut model = Model::default();
    let Some(Kind::Map(resources)) = template.root.get("Resources").map(|r| &r.kind) else {
        return (model, lowerer.errors, lowerer.nested);
    };
    for (key, resource) in resources {
        if key.name.starts_with("Fn::ForEach::") {
            // AWS::LanguageExtensions loops are not expanded
            // (docs/evaluation.md: known gaps).
            continue;
        }
        let Some(resource_type) = resource.get("Type").and_then(Node::as_str) else {
            lowerer.error(
                key.span.clone(),
                format!("resource `{}` has no `Type`", key.name),
            );
            continue;
        };
        let empty = Node {
            span: resource.span.clone(),
            kind: Kind::Map(Vec::new()),
        };
        let properties = resource.get("Properties").unwrap_or(&empty);
        lowerer.condition = None;
        lowerer.undecided = None;
        if let Some(name) = resource.get("Condition").and_then(Node::as_str) {
            match lowerer.condition_named(name) {
                // Not created with the parameters' defaults.
                Truth::False => continue,
                Truth::True => {}
                Truth::Unknown(why) => {
                    lowerer.condition = Some(format!(
                        "only when the condition `{name}` holds, which cannot be decided ({why})"
                    ));
                    lowerer.undecided = Some(format!(
                        "`{}` exists only when the condition `{name}` holds, which cannot be decided ({why})",
                        key.name
                    ));
                }
            }
        }
        lowerer.exceptions(&key.name, resource, &mut model);
        lowerer.lower_resource(
            &key.name,
            key.span.clone(),
            resource_type,
            properties,
            &mut model,
        );
    }
    if lowerer.imports {
        model.importing.push(scope);
    }
    if !lowerer.imported_from.is_empty() {
        model
            .scope_inputs
            .push((scope, std::mem::take(&mut lowerer.imported_from)));
    }
    (model, lowerer.errors, lowerer.nested)
}

impl<'t> Lowerer<'t> {
    fn new(
        scope: ScopeId,
        template: &'t Template,
        sources: &'t SourceMap,
        call: Option<&'t StackCall>,
        exports: &'t Exports,
        budget: &'t TextBudget,
    ) -> Self {
        let source = sources.get(template.file);
        let mut lowerer = Lowerer {
            scope,
            file: template.file,
            text: &source.text,
            display: &source.display,
            parameters: BTreeMap::new(),
            resources: BTreeMap::new(),
            errors: Vec::new(),
            call,
            nested: Vec::new(),
            condition: None,
            in_default: false,
            // A nested stack's entities are told apart by the template at the
            // top of the chain of stacks that creates them.
            root: call
                .and_then(|c| c.via.first())
                .map(|(_, span)| sources.get(span.file).display.clone()),
            conditions: BTreeMap::new(),
            truths: BTreeMap::new(),
            evaluating: Vec::new(),
            undecided: None,
            exports,
            imported_from: Default::default(),
            imports: false,
            budget,
        };
        if let Some(Kind::Map(resources)) = template.root.get("Resources").map(|r| &r.kind) {
            for (key, resource) in resources {
                if let Some(t) = resource.get("Type").and_then(Node::as_str) {
                    lowerer.resources.insert(&key.name, t);
                }
            }
        }
        if let Some(Kind::Map(conditions)) = template.root.get("Conditions").map(|c| &c.kind) {
            for (key, condition) in conditions {
                lowerer.conditions.insert(&key.name, condition);
            }
        }
        if let Some(Kind::Map(params)) = template.root.get("Parameters").map(|p| &p.kind) {
            for (key, param) in params {
                lowerer.parameters.insert(&key.name, param.get("Default"));
            }
        }
        lowerer
    }

    fn error(&mut self, span: Range<usize>, message: String) {
        self.errors.push(InputError::at(
            self.display.to_string(),
            self.file,
            span,
            message,
        ));
    }

    fn span(&self, range: Range<usize>) -> Span {
        Span::new(self.file, range)
    }

    /// An address inside this template instance (prefixed when nested).
    fn qualified(&self, address: &str) -> String {
        match self.call {
            Some(call) => format!("{}{address}", call.prefix),
            None => address.to_string(),
        }
    }

    fn origin(&self, address: String, span: Range<usize>) -> Origin {
        Origin {
            scope: self.scope,
            address: self.qualified(&address),
            span: self.span(span),
            repeated_by: None,
            via: self.call.map(|c| c.via.clone()).unwrap_or_default(),
            condition: self.condition.clone(),
            planned_at: None,
            root: self.root.clone(),
            root_shown: self.root.is_some(),
        }
    }

    /// `Metadata: {mfalint: {ignore: [{rule, reason, until}]}}` on a
    /// resource: exceptions for templates in JSON, which has no comments.
    fn exceptions(&self, id: &str, resource: &Node, model: &mut Model) {
        let Some(ignore) = resource
            .get("Metadata")
            .and_then(|m| m.get("mfalint"))
            .and_then(|m| m.get("ignore"))
        else {
            return;
        };
        let entries: Vec<&Node> = match &ignore.kind {
            Kind::List(items) => items.iter().collect(),
            _ => vec![ignore],
        };
        for entry in entries {
            let text = |key: &str| entry.get(key).and_then(Node::as_str).map(str::to_string);
            let rules = match entry.get("rules").map(|r| &r.kind) {
                Some(Kind::List(items)) => items
                    .iter()
                    .filter_map(|i| i.as_str().map(str::to_string))
                    .collect(),
                _ => text("rule").into_iter().collect(),
            };
            model.exceptions.push(crate::model::RecordedException {
                address: self.qualified(id),
                rules,
                reason: text("reason"),
                until: text("until"),
                span: self.span(entry.span.clone()),
            });
        }
    }

    fn lower_resource(
        &mut self,
        id: &str,
        key_span: Range<usize>,
        resource_type: &str,
        properties: &Node,
        model: &mut Model,
    ) {
        let origin = self.origin(id.to_string(), key_span.clone());
        let qualified_id = self.qualified(id);
        let me = || Link::Address {
            address: qualified_id.clone(),
            span: Span::new(origin.span.file, key_span.clone()),
        };
        match resource_type {
            "AWS::IAM::User" => {
                // A user that may not exist is taken to exist, with what
                // it holds: its own policies exist exactly when it does.
                let undecided = self.undecided.take();
                model.users.push(User {
                    name: self.name(properties, "UserName", &key_span),
                    origin: origin.clone(),
                });
                if let Some((key, profile)) = properties.entry("LoginProfile") {
                    let mut origin = self.origin(format!("{id}.LoginProfile"), key.span.clone());
                    match self.presence(profile) {
                        Truth::False => {}
                        Truth::True => model
                            .login_profiles
                            .push(LoginProfile { origin, user: me() }),
                        Truth::Unknown(why) => {
                            // Taken to exist: a password may be set.
                            origin.condition = Some(format!(
                                "only when a condition holds, which cannot be decided ({why})"
                            ));
                            model
                                .login_profiles
                                .push(LoginProfile { origin, user: me() });
                        }
                    }
                }
                for group in self.links(properties, "Groups") {
                    model.group_memberships.push(GroupMembership {
                        origin: origin.clone(),
                        group,
                        users: vec![me()],
                    });
                }
                self.inline_policies(id, properties, PolicyOwner::User(me()), model);
                self.managed_policy_arns(&origin, properties, AttachmentTarget::User(me()), model);
                self.undecided = undecided;
            }
            "AWS::IAM::VirtualMFADevice" => model.mfa_devices.push(VirtualMfaDevice {
                users: match self.undecided_link(&key_span) {
                    Some(link) => vec![link],
                    None => self.links(properties, "Users"),
                },
                origin,
            }),
            "AWS::IAM::Group" => {
                model.groups.push(Group {
                    name: self.name(properties, "GroupName", &key_span),
                    origin: origin.clone(),
                });
                self.inline_policies(id, properties, PolicyOwner::Group(me()), model);
                self.managed_policy_arns(&origin, properties, AttachmentTarget::Group(me()), model);
            }
            "AWS::IAM::UserToGroupAddition" => {
                let group = match (self.undecided_link(&key_span), properties.get("GroupName")) {
                    (Some(link), _) => link,
                    (None, Some(node)) => self.link(node),
                    (None, None) => missing(self.span(key_span.clone()), "GroupName"),
                };
                model.group_memberships.push(GroupMembership {
                    users: self.links(properties, "Users"),
                    group,
                    origin,
                });
            }
            "AWS::IAM::Policy" | "AWS::IAM::ManagedPolicy" => {
                let name_key = if resource_type == "AWS::IAM::Policy" {
                    "PolicyName"
                } else {
                    "ManagedPolicyName"
                };
                model.policies.push(Policy {
                    name: self.name(properties, name_key, &key_span),
                    owner: PolicyOwner::Managed,
                    document: self.document(properties, &key_span),
                    origin: origin.clone(),
                });
                let mut targets = Vec::new();
                targets.extend(
                    self.links(properties, "Users")
                        .into_iter()
                        .map(AttachmentTarget::User),
                );
                targets.extend(
                    self.links(properties, "Groups")
                        .into_iter()
                        .map(AttachmentTarget::Group),
                );
                targets.extend(
                    self.links(properties, "Roles")
                        .into_iter()
                        .map(AttachmentTarget::Role),
                );
                model.policy_attachments.push(PolicyAttachment {
                    policy: me(),
                    targets,
                    origin,
                });
            }
            "AWS::CloudFormation::Stack" => self.nested_stack(id, &key_span, properties),
            _ => {}
        }
    }

    /// Records a nested stack whose `TemplateURL` is a local path.
    fn nested_stack(&mut self, id: &str, key_span: &Range<usize>, properties: &Node) {
        let Some(url_node) = properties.get("TemplateURL") else {
            return;
        };
        let Some(url) = url_node.as_str() else {
            return;
        };
        if url.contains("://") || url.starts_with('/') {
            return; // S3 or HTTP: not scanned, never fetched.
        }
        let mut parameters = BTreeMap::new();
        if let Some(Kind::Map(entries)) = properties.get("Parameters").map(|p| &p.kind) {
            for (key, node) in entries {
                let value = match self.value(node) {
                    Value::String(s) => Ok(s),
                    Value::Unknown { reason, .. } => Err(format!(
                        "parameter `{}` passed by stack `{id}`: {reason}",
                        key.name
                    )),
                    Value::Resource(r) => Err(format!(
                        "parameter `{}` refers to `{r}` of the parent template",
                        key.name
                    )),
                    Value::List(_) => Err(format!("parameter `{}` is a list", key.name)),
                    // Left out: the child's default applies.
                    Value::Absent => continue,
                    Value::Imported { .. } => Err(format!(
                        "parameter `{}` is imported from another template",
                        key.name
                    )),
                };
                parameters.insert(key.name.clone(), value);
            }
        }
        let mut via = self.call.map(|c| c.via.clone()).unwrap_or_default();
        via.push((self.qualified(id), self.span(key_span.clone())));
        self.nested.push(NestedStack {
            template_url: url.to_string(),
            url_span: self.span(url_node.span.clone()),
            call: StackCall {
                prefix: format!("{}.", self.qualified(id)),
                parameters,
                via,
            },
        });
    }

    /// The `Policies` property: inline policies of a user or group.
    fn inline_policies(
        &mut self,
        id: &str,
        properties: &Node,
        owner: PolicyOwner,
        model: &mut Model,
    ) {
        let Some(Kind::List(items)) = properties.get("Policies").map(|p| &p.kind) else {
            return;
        };
        for (i, item) in items.iter().enumerate() {
            model.policies.push(Policy {
                origin: self.origin(format!("{id}.Policies[{i}]"), item.span.clone()),
                name: self.name(item, "PolicyName", &item.span),
                owner: owner.clone(),
                document: self.document(item, &item.span),
            });
        }
    }

    fn managed_policy_arns(
        &mut self,
        origin: &Origin,
        properties: &Node,
        target: AttachmentTarget,
        model: &mut Model,
    ) {
        for policy in self.links(properties, "ManagedPolicyArns") {
            model.policy_attachments.push(PolicyAttachment {
                origin: origin.clone(),
                policy,
                targets: vec![target.clone()],
            });
        }
    }

    fn document(&mut self, properties: &Node, owner_span: &Range<usize>) -> PolicyDocument {
        if let Some(why) = &self.undecided {
            return PolicyDocument::Unresolved(Unresolved {
                expression: "Condition".into(),
                reason: why.clone(),
                span: self.span(owner_span.clone()),
                symbol: None,
            });
        }
        match properties.get("PolicyDocument") {
            Some(node) => {
                let span = self.span(node.span.clone());
                match &node.kind {
                    Kind::String(text) => PolicyDocument::Json {
                        text: text.clone(),
                        span,
                    },
                    _ => PolicyDocument::Json {
                        text: node.to_json().to_string(),
                        span,
                    },
                }
            }
            None => PolicyDocument::Unresolved(Unresolved {
                expression: "PolicyDocument".into(),
                reason: "the `PolicyDocument` property is missing".into(),
                span: self.span(owner_span.clone()),
                symbol: None,
            }),
        }
    }

    fn name(&mut self, properties: &Node, key: &str, owner_span: &Range<usize>) -> Name {
        let Some(node) = properties.get(key) else {
            return Name::Unresolved(Unresolved {
                expression: String::new(),
                reason: format!("no `{key}`: CloudFormation generates its name"),
                span: self.span(owner_span.clone()),
                symbol: None,
            });
        };
        match self.value(node) {
            Value::String(s) => Name::Known(s),
            Value::Unknown { reason, symbol } => {
                Name::Unresolved(self.unresolved(node, reason, symbol))
            }
            Value::Absent => Name::Unresolved(Unresolved {
                expression: String::new(),
                reason: format!("no `{key}`: CloudFormation generates its name"),
                span: self.span(owner_span.clone()),
                symbol: None,
            }),
            other => {
                Name::Unresolved(self.unresolved(node, format!("{other:?} is not a name"), None))
            }
        }
    }

    fn links(&mut self, properties: &Node, key: &str) -> Vec<Link> {
        let Some(node) = properties.get(key) else {
            return Vec::new();
        };
        match &node.kind {
            Kind::List(items) => items
                .iter()
                .filter_map(|item| match self.value(item) {
                    Value::Absent => None,
                    value => Some(self.link_of(item, value)),
                })
                .collect(),
            _ => match self.value(node) {
                Value::List(values) => values.into_iter().map(|v| self.link_of(node, v)).collect(),
                Value::Absent => Vec::new(),
                other => vec![self.link_of(node, other)],
            },
        }
    }

    fn link(&mut self, node: &Node) -> Link {
        let value = self.value(node);
        self.link_of(node, value)
    }

    fn link_of(&mut self, node: &Node, value: Value) -> Link {
        let span = self.span(node.span.clone());
        match value {
            Value::Resource(address) => Link::Address {
                address: self.qualified(&address),
                span,
            },
            // An empty name designates nothing CloudFormation would create.
            Value::String(name) if name.trim().is_empty() => Link::Unresolved(self.unresolved(
                node,
                "an empty name designates no resource".into(),
                None,
            )),
            Value::String(name) => Link::Name { name, span },
            Value::Unknown { reason, symbol } => {
                Link::Unresolved(self.unresolved(node, reason, symbol))
            }
            Value::List(_) => {
                Link::Unresolved(self.unresolved(node, "a list is not a name".into(), None))
            }
            Value::Absent => {
                Link::Unresolved(self.unresolved(node, "`AWS::NoValue` names nothing".into(), None))
            }
            // Resolved in the exporting template's scope.
            Value::Imported { scope, target } => {
                let target = match *target {
                    Value::Resource(address) => Link::Address { address, span },
                    Value::String(name) => Link::Name { name, span },
                    other => self.link_of(node, other),
                };
                Link::Imported {
                    scope,
                    target: Box::new(target),
                }
            }
        }
    }

    /// For evidence held by a resource whose `Condition` cannot be
    /// decided: a link that says so, instead of the links it declares.
    fn undecided_link(&self, key_span: &Range<usize>) -> Option<Link> {
        let why = self.undecided.clone()?;
        Some(Link::Unresolved(Unresolved {
            expression: "Condition".into(),
            reason: why,
            span: self.span(key_span.clone()),
            symbol: None,
        }))
    }

    /// A condition of `Conditions` by name, evaluated once.
    fn condition_named(&mut self, name: &str) -> Truth {
        if let Some(known) = self.truths.get(name) {
            return known.clone();
        }
        if self.evaluating.iter().any(|n| n == name) {
            return Truth::Unknown(format!("the condition `{name}` refers to itself"));
        }
        let Some(node) = self.conditions.get(name).copied() else {
            return Truth::Unknown(format!("the condition `{name}` is not declared"));
        };
        self.evaluating.push(name.to_string());
        let truth = self.truth(node);
        self.evaluating.pop();
        self.truths.insert(name.to_string(), truth.clone());
        truth
    }

    /// Evaluates a condition: `Fn::Equals`, `Fn::And`, `Fn::Or`, `Fn::Not`
    /// and `Condition`, with parameters' defaults (or what a parent stack
    /// passes).
    fn truth(&mut self, node: &Node) -> Truth {
        let Kind::Intrinsic(name, arg) = &node.kind else {
            return match &node.kind {
                Kind::Bool(true) => Truth::True,
                Kind::Bool(false) => Truth::False,
                _ => Truth::Unknown("not a condition".into()),
            };
        };
        let items: &[Node] = match &arg.kind {
            Kind::List(items) => items,
            _ => std::slice::from_ref(&**arg),
        };
        match name.as_str() {
            "Condition" => match arg.as_str() {
                Some(name) => self.condition_named(name),
                None => Truth::Unknown("`Condition` takes a condition's name".into()),
            },
            "Fn::Equals" => {
                let [a, b] = items else {
                    return Truth::Unknown("`Fn::Equals` takes two values".into());
                };
                match (self.value(a), self.value(b)) {
                    (Value::Unknown { reason, .. }, _) | (_, Value::Unknown { reason, .. }) => {
                        Truth::Unknown(reason)
                    }
                    (x, y) => {
                        if x == y {
                            Truth::True
                        } else {
                            Truth::False
                        }
                    }
                }
            }
            "Fn::And" | "Fn::Or" => {
                let (decisive, other) = if name == "Fn::And" {
                    (Truth::False, Truth::True)
                } else {
                    (Truth::True, Truth::False)
                };
                let mut unknown = None;
                for item in items {
                    match self.truth(item) {
                        t if t == decisive => return decisive,
                        Truth::Unknown(why) => unknown = unknown.or(Some(why)),
                        _ => {}
                    }
                }
                unknown.map_or(other, Truth::Unknown)
            }
            "Fn::Not" => match items {
                [only] => match self.truth(only) {
                    Truth::True => Truth::False,
                    Truth::False => Truth::True,
                    unknown => unknown,
                },
                _ => Truth::Unknown("`Fn::Not` takes one condition".into()),
            },
            other => Truth::Unknown(format!("`{other}` is not a condition function")),
        }
    }

    /// Whether a property is present: an `Fn::If` may leave it out with
    /// `Ref AWS::NoValue`.
    fn presence(&mut self, node: &Node) -> Truth {
        match &node.kind {
            Kind::Intrinsic(name, arg) if name == "Fn::If" => {
                let Kind::List(items) = &arg.kind else {
                    return Truth::Unknown("malformed `Fn::If`".into());
                };
                let [condition, yes, no] = items.as_slice() else {
                    return Truth::Unknown("malformed `Fn::If`".into());
                };
                let Some(name) = condition.as_str() else {
                    return Truth::Unknown("malformed `Fn::If`".into());
                };
                match self.condition_named(name) {
                    Truth::True => self.presence(yes),
                    Truth::False => self.presence(no),
                    Truth::Unknown(why) => match (self.presence(yes), self.presence(no)) {
                        (Truth::False, Truth::False) => Truth::False,
                        (Truth::True, Truth::True) => Truth::True,
                        _ => Truth::Unknown(format!("the condition `{name}`: {why}")),
                    },
                }
            }
            Kind::Intrinsic(name, arg) if name == "Ref" && arg.as_str() == Some("AWS::NoValue") => {
                Truth::False
            }
            _ => Truth::True,
        }
    }

    fn unresolved(&self, node: &Node, reason: String, symbol: Option<String>) -> Unresolved {
        let expression = self.text.get(node.span.clone()).unwrap_or("").trim();
        Unresolved {
            expression: crate::finding::clipped(expression.lines().next().unwrap_or("")),
            reason,
            span: self.span(node.span.clone()),
            symbol,
        }
    }

    /// Evaluates what the template fixes: literals, `Ref` to parameters
    /// with defaults and to resources, `Fn::GetAtt`, `Fn::Sub`, `Fn::Join`.
    /// A string longer than [`MAX_STRING_BYTES`], or past the scan's
    /// [`TextBudget`], is unknown.
    fn value(&mut self, node: &Node) -> Value {
        let exhausted = || {
            unknown(&format!(
                "evaluation stopped: the templates produce more than {MAX_TEXT_BYTES} bytes of text \
                 (mfalint's bound against inputs built to exhaust it)"
            ))
        };
        if self.budget.0.get() == 0 {
            return exhausted();
        }
        let value = self.value_unbounded(node);
        match &value {
            Value::String(s) if s.len() > MAX_STRING_BYTES => too_long(Some(s.len())),
            Value::String(s) if !self.budget.spend(s.len()) => exhausted(),
            _ => value,
        }
    }

    fn value_unbounded(&mut self, node: &Node) -> Value {
        match &node.kind {
            // Not copied when too long: a reference to it may be repeated.
            Kind::String(s) if s.len() > MAX_STRING_BYTES => too_long(Some(s.len())),
            Kind::String(s) => Value::String(s.clone()),
            Kind::Number(n) => Value::String(format_number(*n)),
            Kind::Bool(b) => Value::String(b.to_string()),
            Kind::Null => unknown("the value is null"),
            Kind::Map(_) => unknown("a mapping is not a name"),
            // A tag other than an intrinsic's keeps only its value
            // ([`super::intrinsics::resolve`] leaves none behind).
            Kind::Tagged(_, inner) => self.value_unbounded(inner),
            // `Ref AWS::NoValue` in a list leaves the element out. A list
            // of more text than one string may hold stops there.
            Kind::List(items) => {
                let mut values = Vec::with_capacity(items.len());
                let mut bytes = 0;
                for item in items {
                    let value = self.value(item);
                    if let Value::String(s) = &value {
                        bytes += s.len();
                        if bytes > MAX_STRING_BYTES {
                            return unknown(&format!(
                                "a list of more than {MAX_STRING_BYTES} bytes of text, longer than mfalint evaluates"
                            ));
                        }
                    }
                    if value != Value::Absent {
                        values.push(value);
                    }
                }
                Value::List(values)
            }
            Kind::Intrinsic(name, arg) => self.intrinsic(node, name, arg),
        }
    }

    fn intrinsic(&mut self, node: &Node, name: &str, arg: &Node) -> Value {
        match name {
            "Ref" => match arg.as_str() {
                Some("AWS::NoValue") => Value::Absent,
                Some(target) => self.reference(target),
                None => {
                    self.error(
                        node.span.clone(),
                        "`Ref` takes the logical id of a parameter or resource".into(),
                    );
                    unknown("malformed `Ref`")
                }
            },
            "Fn::GetAtt" => {
                let parts: Option<(String, String)> = match &arg.kind {
                    Kind::String(s) => s
                        .split_once('.')
                        .map(|(a, b)| (a.to_string(), b.to_string())),
                    Kind::List(items) if items.len() == 2 => items[0]
                        .as_str()
                        .zip(items[1].as_str())
                        .map(|(a, b)| (a.to_string(), b.to_string())),
                    _ => None,
                };
                match parts {
                    Some((resource, _)) if self.resources.contains_key(resource.as_str()) => {
                        Value::Resource(resource)
                    }
                    Some((resource, attr)) => unknown(&format!(
                        "`{resource}.{attr}` is not a resource of this template"
                    )),
                    None => {
                        self.error(
                            node.span.clone(),
                            "`Fn::GetAtt` takes `Resource.Attribute` or [Resource, Attribute]"
                                .into(),
                        );
                        unknown("malformed `Fn::GetAtt`")
                    }
                }
            }
            "Fn::Sub" => self.sub(node, arg),
            "Fn::ImportValue" => {
                self.imports = true;
                let name = match self.value(arg) {
                    Value::String(name) => name,
                    Value::Unknown { reason, .. } => {
                        return unknown(&format!(
                            "the name `Fn::ImportValue` imports is not known statically ({reason})"
                        ));
                    }
                    _ => return unknown("`Fn::ImportValue` takes an export's name"),
                };
                match self.exports.0.get(&name) {
                    Some(Ok((scope, value, _))) if *scope == self.scope => value.clone(),
                    Some(Ok((scope, value, path))) => {
                        self.imported_from.insert(path.clone());
                        Value::Imported {
                            scope: *scope,
                            target: Box::new(value.clone()),
                        }
                    }
                    Some(Err(why)) => unknown(why),
                    None => unknown(&format!(
                        "`{name}` is imported (`Fn::ImportValue`), and no scanned template exports it"
                    )),
                }
            }
            "Fn::If" => {
                let parts = match &arg.kind {
                    Kind::List(items) => items.as_slice(),
                    _ => &[],
                };
                let [condition, yes, no] = parts else {
                    self.error(
                        node.span.clone(),
                        "`Fn::If` takes [condition, value if true, value if false]".into(),
                    );
                    return unknown("malformed `Fn::If`");
                };
                let Some(name) = condition.as_str() else {
                    return unknown("malformed `Fn::If`");
                };
                match self.condition_named(name) {
                    Truth::True => self.value(yes),
                    Truth::False => self.value(no),
                    Truth::Unknown(why) => {
                        let (a, b) = (self.value(yes), self.value(no));
                        if a == b {
                            a
                        } else {
                            unknown(&format!(
                                "it depends on the condition `{name}`, which cannot be decided ({why})"
                            ))
                        }
                    }
                }
            }
            "Fn::Join" => match &arg.kind {
                Kind::List(items) if items.len() == 2 => {
                    let separator = match self.value(&items[0]) {
                        Value::String(s) => s,
                        _ => return unknown("the separator of `Fn::Join` is not known"),
                    };
                    let mut parts = Vec::new();
                    match self.value(&items[1]) {
                        Value::List(values) => {
                            for v in values {
                                match v {
                                    Value::String(s) => parts.push(s),
                                    Value::Unknown { reason, .. } => return unknown(&reason),
                                    _ => {
                                        return unknown("an element of `Fn::Join` is not a string");
                                    }
                                }
                            }
                        }
                        Value::Unknown { reason, .. } => return unknown(&reason),
                        _ => return unknown("`Fn::Join` takes a list"),
                    }
                    let length = parts.iter().map(String::len).sum::<usize>()
                        + separator.len() * parts.len().saturating_sub(1);
                    if length > MAX_STRING_BYTES {
                        return too_long(Some(length));
                    }
                    Value::String(parts.join(&separator))
                }
                _ => {
                    self.error(
                        node.span.clone(),
                        "`Fn::Join` takes [separator, [values]]".into(),
                    );
                    unknown("malformed `Fn::Join`")
                }
            },
            other => unknown(&format!(
                "`{other}` is only known when the stack is deployed"
            )),
        }
    }

    fn reference(&mut self, target: &str) -> Value {
        if self.resources.contains_key(target) {
            return Value::Resource(target.to_string());
        }
        if let Some(given) = self.call.and_then(|c| c.parameters.get(target)) {
            return match given {
                Ok(value) => Value::String(value.clone()),
                Err(reason) => Value::Unknown {
                    reason: reason.clone(),
                    symbol: None,
                },
            };
        }
        if let Some(default) = self.parameters.get(target).copied() {
            if self.in_default {
                return Value::Unknown {
                    reason: format!(
                        "a parameter's `Default` is taken literally; its reference to `{target}` is not followed"
                    ),
                    symbol: Some(format!("Ref {target}")),
                };
            }
            return match default {
                Some(node) => {
                    self.in_default = true;
                    let value = self.value(node);
                    self.in_default = false;
                    value
                }
                None => Value::Unknown {
                    reason: format!("parameter `{target}` has no `Default`"),
                    symbol: Some(format!("Ref {target}")),
                },
            };
        }
        if target.starts_with("AWS::") {
            return unknown(&format!(
                "pseudo parameter `{target}` is only known when the stack is deployed"
            ));
        }
        unknown(&format!(
            "`{target}` is neither a parameter nor a resource of this template"
        ))
    }

    /// `Fn::Sub`: `${Name}` and `${Resource.Attr}` replaced where known.
    fn sub(&mut self, node: &Node, arg: &Node) -> Value {
        let (template, vars) = match &arg.kind {
            Kind::String(s) => (s.as_str(), None),
            Kind::List(items) if items.len() == 2 && items[0].as_str().is_some() => {
                (items[0].as_str().unwrap_or(""), Some(&items[1]))
            }
            _ => {
                self.error(
                    node.span.clone(),
                    "`Fn::Sub` takes a string or [string, {variables}]".into(),
                );
                return unknown("malformed `Fn::Sub`");
            }
        };
        let mut out = String::new();
        let mut rest = template;
        let mut only_reference = None;
        while let Some(start) = rest.find("${") {
            if out.len() > MAX_STRING_BYTES {
                return too_long(None);
            }
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            if let Some(literal) = after.strip_prefix('!') {
                out.push_str("${");
                rest = literal;
                continue;
            }
            let Some(end) = after.find('}') else {
                return unknown("`Fn::Sub` has an unterminated `${`");
            };
            let variable = &after[..end];
            let value = match vars.and_then(|v| v.get(variable)) {
                Some(node) => self.value(node),
                None => match variable.split_once('.') {
                    Some((resource, _)) if self.resources.contains_key(resource) => {
                        Value::Resource(resource.to_string())
                    }
                    _ => self.reference(variable),
                },
            };
            match value {
                Value::String(s) if out.len() + s.len() > MAX_STRING_BYTES => {
                    return too_long(None);
                }
                Value::String(s) => out.push_str(&s),
                Value::Resource(r) => {
                    if start == 0 && after[end + 1..].is_empty() && out.is_empty() {
                        only_reference = Some(r);
                    } else {
                        return unknown(&format!(
                            "`${{{variable}}}` is only known when the stack is deployed"
                        ));
                    }
                }
                Value::Unknown { reason, .. } => return unknown(&reason),
                Value::List(_) => return unknown("a list cannot be substituted"),
                Value::Absent => return unknown("`AWS::NoValue` cannot be substituted"),
                Value::Imported { .. } => {
                    return unknown("an imported value is only known when the stack is deployed");
                }
            }
            rest = &after[end + 1..];
        }
        if let Some(r) = only_reference {
            return Value::Resource(r);
        }
        out.push_str(rest);
        Value::String(out)
    }
}

fn unknown(reason: &str) -> Value {
    Value::Unknown {
        reason: reason.to_string(),
        symbol: None,
    }
}

fn missing(span: Span, property: &str) -> Link {
    Link::Unresolved(Unresolved {
        expression: property.to_string(),
        reason: format!("the `{property}` property is missing"),
        span,
        symbol: None,
    })
}

fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}
