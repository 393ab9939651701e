//! Lowers the IAM resources of one CloudFormation template into the model:
//! users, login profiles, devices, groups, policies and nested stacks, with
//! the values of their properties from [`evaluate`] (intrinsic functions
//! and conditions, resolved where the template fixes them).

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

mod evaluate;

pub use evaluate::{TextBudget, format_number};
use evaluate::{Truth, Value};

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

/// A template's model, its problems and the nested stacks it names.
pub type Lowered = (Model, Vec<InputError>, Vec<NestedStack>);

pub fn lower_template(
    scope: ScopeId,
    template: &Template,
    sources: &SourceMap,
    schema: &crate::model::Schema,
    call: Option<&StackCall>,
    exports: &Exports,
    budget: &TextBudget,
) -> Lowered {
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
        // A resource a Serverless variable stands for, not in the file.
        if let Kind::Intrinsic(name, _) = &resource.kind
            && name == super::intrinsics::UNKNOWN
        {
            let why = match lowerer.value(resource) {
                Value::Unknown { reason, .. } => reason,
                _ => String::new(),
            };
            lowerer.errors.push(
                InputError::at(
                    lowerer.display.to_string(),
                    lowerer.file,
                    key.span.clone(),
                    format!(
                        "not read: resource `{}` is not in the file ({why}); if it is a user, it is not checked",
                        key.name
                    ),
                )
                .of_kind(crate::diagnostic::InputErrorKind::Reference),
            );
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
        // Other services' resources a rule reads (a Cognito user pool):
        // their properties as written, intrinsics evaluated.
        if schema.keeps(resource_type) {
            let origin = lowerer.origin(key.name.clone(), key.span.clone());
            let body = lowerer.service_body(properties);
            model.service_resources.push(crate::model::ServiceResource {
                assertions: Vec::new(),
                origin,
                resource_type: resource_type.to_string(),
                body,
            });
        }
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
        self.errors.push(
            InputError::at(self.display.to_string(), self.file, span, message)
                .of_kind(crate::diagnostic::InputErrorKind::Invalid),
        );
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
                // `Properties` that are not known (a Serverless variable
                // read at deploy time, an `Fn::If`): a password may be set.
                if let Kind::Intrinsic(..) = &properties.kind {
                    let why = match self.value(properties) {
                        Value::Unknown { reason, .. } => reason,
                        _ => "not a mapping".into(),
                    };
                    let mut origin =
                        self.origin(format!("{id}.Properties"), properties.span.clone());
                    origin.condition = Some(format!(
                        "only when its `Properties`, which are not known statically ({why}), set one"
                    ));
                    model
                        .login_profiles
                        .push(LoginProfile { origin, user: me() });
                }
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

    /// A resource's properties as a service resource's body: each
    /// property an argument, mappings and lists kept, intrinsics
    /// evaluated (unknown when they cannot be).
    fn service_body(&mut self, properties: &Node) -> crate::model::Body {
        let mut body = crate::model::Body::default();
        if let Kind::Map(entries) = &properties.kind {
            for (key, value) in entries {
                let setting = self.setting(value, 0);
                body.arguments.insert(
                    key.name.clone(),
                    crate::model::Argument {
                        value: setting,
                        span: self.span(value.span.clone()),
                    },
                );
            }
        }
        body
    }

    fn setting(&mut self, node: &Node, depth: usize) -> crate::model::Setting {
        use crate::model::Setting;
        match &node.kind {
            Kind::Null => Setting::Null,
            Kind::Bool(b) => Setting::Bool(*b),
            Kind::Number(n) => Setting::Number(*n),
            Kind::String(s) => Setting::String(s.clone()),
            // Deeper than any property a rule reads: not copied.
            _ if depth > 16 => {
                Setting::Unresolved(self.unresolved(node, "nested too deep".into(), None))
            }
            Kind::List(items) => {
                Setting::List(items.iter().map(|i| self.setting(i, depth + 1)).collect())
            }
            Kind::Map(entries) => Setting::Map(
                entries
                    .iter()
                    .map(|(k, v)| (k.name.clone(), self.setting(v, depth + 1)))
                    .collect(),
            ),
            Kind::Tagged(_, inner) => self.setting(inner, depth),
            Kind::Intrinsic(..) => match self.value(node) {
                Value::String(s) => Setting::String(s),
                Value::Unknown { reason, symbol } => {
                    Setting::Unresolved(self.unresolved(node, reason, symbol))
                }
                // `!Ref User`: known once deployed; its symbol names the
                // resource (`Ref User`), so that a rule can tie it to it.
                Value::Resource(id) => Setting::Unresolved(self.unresolved(
                    node,
                    format!(
                        "`{id}` is a resource of the template, known once the stack is deployed"
                    ),
                    Some(format!("Ref {}", self.qualified(&id))),
                )),
                _ => Setting::Unresolved(self.unresolved(
                    node,
                    "a reference to a resource, known once the stack is deployed".into(),
                    None,
                )),
            },
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
}

fn missing(span: Span, property: &str) -> Link {
    Link::Unresolved(Unresolved {
        expression: property.to_string(),
        reason: format!("the `{property}` property is missing"),
        span,
        symbol: None,
    })
}
