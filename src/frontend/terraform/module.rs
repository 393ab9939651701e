//! One Terraform module: the `.tf` files of one folder, indexed by what
//! expressions can refer to (variables, locals, resources, module calls,
//! outputs), with its override files merged in as Terraform merges them
//! (<https://developer.hashicorp.com/terraform/language/files/override>):
//! after every other file, in lexicographic order of their names, each
//! top-level block into the block of the same type and labels; an
//! argument replaces the argument, nested blocks of a type replace all the
//! nested blocks of that type, and a local value replaces the local of its
//! name. A merged declaration keeps where each of its parts is written, so
//! that a finding points at the file whose text decides.

use std::collections::{BTreeMap, HashMap, HashSet};

use hcl_edit::expr::Expression;
use hcl_edit::structure::{Block, Body};

use std::ops::Range;

use super::json_syntax::SpanMap;
use crate::source::{FileId, Span};

/// A parsed `.tf` (or `.tf.json`) file.
#[derive(Debug)]
pub struct TfFile {
    pub file: FileId,
    pub body: Body,
    /// For `.tf.json`: the body was parsed from rewritten HCL, whose
    /// positions this maps back to the JSON.
    pub spans: Option<SpanMap>,
    /// For a Terragrunt unit (`terragrunt.hcl` with a `terraform` block):
    /// what it passes to its module.
    pub unit: Option<Unit>,
    /// How much of the file parsing kept.
    pub kept: Kept,
}

/// How much of a file parsing kept ([`crate::frontend::Keeping`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kept {
    /// The whole tree.
    Whole,
    /// Only the file's `module` blocks ([`TfFile::keep_only_calls`]): its
    /// model is built from the file parsed again.
    CallsOnly,
    /// Nothing: the file holds no `module` block and is first parsed when
    /// its model is built.
    Deferred,
}

impl TfFile {
    /// A file that parsing left for later ([`Kept::Deferred`]).
    pub fn deferred(file: FileId) -> Self {
        TfFile {
            file,
            body: Body::new(),
            spans: None,
            unit: None,
            kept: Kept::Deferred,
        }
    }

    /// Whether the model is built from the file parsed (again) later.
    pub fn partial(&self) -> bool {
        self.kept != Kept::Whole
    }
}

impl TfFile {
    /// Keeps of the file only its `module` blocks: what a scan needs to
    /// know before the model is built (the folders the file calls, and so
    /// which folders are root modules). The model is built from the file
    /// parsed again, whole ([`crate::frontend::Keeping::CallsOnly`]).
    pub fn keep_only_calls(&mut self) {
        use hcl_edit::structure::Structure;
        let body = std::mem::take(&mut self.body);
        let mut calls = Body::new();
        for structure in body {
            if let Structure::Block(block) = structure
                && block.ident.as_str() == "module"
            {
                calls.push(block);
            }
        }
        self.body = calls;
        self.spans = None;
        self.kept = Kept::CallsOnly;
    }
}

/// What a Terragrunt unit passes to the module its `terraform { source }`
/// names, as the inputs of a call (`module.terragrunt`): its own `inputs`
/// and those of the files it includes, merged shallowly (its own win).
#[derive(Debug, Default)]
pub struct Unit {
    pub inputs: Vec<(String, UnitInput)>,
    /// Why the unit's inputs are not all known (`inputs = merge(...)`):
    /// then every module variable not given a value is unknown, never
    /// its default.
    pub opaque: Option<String>,
}

#[derive(Debug)]
pub enum UnitInput {
    /// Evaluated in the unit's context (its `locals`, its dependencies'
    /// `mock_outputs`).
    Expr(Expression),
    /// Not evaluated, and why (an included file's input that reads that
    /// file's own locals).
    Unknown(String),
}

/// The name of the call a Terragrunt unit makes to its module.
pub const UNIT_CALL: &str = "terragrunt";

/// Override blocks merged into one declaration at most; more are reported
/// and not merged (a real configuration has one or two).
pub const MAX_OVERRIDES: usize = 4;

/// A block and the file it is written in.
#[derive(Debug, Clone, Copy)]
pub struct Part<'a> {
    pub file: FileId,
    /// Set for `.tf.json` files (see [`TfFile::spans`]).
    pub spans: Option<&'a SpanMap>,
    pub block: &'a Block,
}

impl Part<'_> {
    /// The source span of a range of this part's parsed text.
    pub fn span(&self, range: Range<usize>) -> Span {
        match self.spans {
            Some(map) => Span::new(self.file, map.map(range)),
            None => Span::new(self.file, range),
        }
    }
}

/// A block that declares something addressable (`resource`, `module`),
/// with the file it lives in and the override blocks merged into it.
#[derive(Debug, Clone, Copy)]
pub struct Decl<'a> {
    pub file: FileId,
    /// Set for `.tf.json` files (see [`TfFile::spans`]).
    pub spans: Option<&'a SpanMap>,
    /// The resource type, or `"module"` for a module call.
    pub kind: &'a str,
    pub name: &'a str,
    pub block: &'a Block,
    /// Override blocks, in the order Terraform merges them.
    pub overrides: [Option<Part<'a>>; MAX_OVERRIDES],
    /// For the call a Terragrunt unit makes: its inputs.
    pub unit: Option<&'a Unit>,
}

/// A `resource` block.
pub type ResourceDecl<'a> = Decl<'a>;

impl<'a> Decl<'a> {
    /// The address within its module: `aws_iam_user.a`, `module.users`.
    pub fn address(&self) -> String {
        format!("{}.{}", self.kind, self.name)
    }

    fn base(&self) -> Part<'a> {
        Part {
            file: self.file,
            spans: self.spans,
            block: self.block,
        }
    }

    /// The override parts, last merged first.
    fn overrides_last_first(&self) -> impl Iterator<Item = Part<'a>> + '_ {
        self.overrides.iter().rev().flatten().copied()
    }

    /// An argument, as the last override that sets it writes it.
    pub fn attribute(&self, key: &str) -> Option<&'a Expression> {
        self.overrides_last_first()
            .chain(std::iter::once(self.base()))
            .find_map(|p| p.block.body.get_attribute(key))
            .map(|a| &a.value)
    }

    /// Every argument after merging: the base block's, in order, each as
    /// the last override writes it, then those only overrides add.
    pub fn attributes(&self) -> Vec<(&'a str, &'a Expression)> {
        let mut out: Vec<(&'a str, &'a Expression)> = Vec::new();
        let mut at: HashMap<&'a str, usize> = HashMap::new();
        for part in std::iter::once(self.base()).chain(self.overrides.iter().flatten().copied()) {
            for attr in part.block.body.attributes() {
                let key = attr.key.as_str();
                match at.get(key) {
                    Some(&i) => out[i].1 = &attr.value,
                    None => {
                        at.insert(key, out.len());
                        out.push((key, &attr.value));
                    }
                }
            }
        }
        out
    }

    /// The nested blocks after merging: those of a type some override
    /// writes come from the last such override, all of them.
    pub fn blocks(&self) -> Vec<&'a Block> {
        let mut by_type: Vec<(&'a str, Vec<&'a Block>)> = Vec::new();
        for part in std::iter::once(self.base()).chain(self.overrides.iter().flatten().copied()) {
            let mut written: Vec<(&'a str, Vec<&'a Block>)> = Vec::new();
            for block in part.block.body.blocks() {
                // A `dynamic "statement"` block is of type `statement`, as
                // Terraform merges it (`module_merge_body.go`).
                let kind = match (block.ident.as_str(), block.labels.first()) {
                    ("dynamic", Some(label)) => label.as_str(),
                    (kind, _) => kind,
                };
                match written.iter_mut().find(|(k, _)| *k == kind) {
                    Some((_, blocks)) => blocks.push(block),
                    None => written.push((kind, vec![block])),
                }
            }
            for (kind, blocks) in written {
                match by_type.iter_mut().find(|(k, _)| *k == kind) {
                    Some(slot) => slot.1 = blocks,
                    None => by_type.push((kind, blocks)),
                }
            }
        }
        by_type.into_iter().flat_map(|(_, blocks)| blocks).collect()
    }

    /// The block as merged, for what reads it whole and needs no
    /// positions (a policy document rendered to JSON): the block itself
    /// when nothing overrides it.
    pub fn merged_block(&self) -> std::borrow::Cow<'a, Block> {
        if self.overrides.iter().all(Option::is_none) {
            return std::borrow::Cow::Borrowed(self.block);
        }
        let mut block = Block::new(self.block.ident.clone());
        block.labels = self.block.labels.clone();
        let mut body = Body::new();
        for (key, value) in self.attributes() {
            body.push(hcl_edit::structure::Attribute::new(
                hcl_edit::Ident::new(key),
                value.clone(),
            ));
        }
        for nested in self.blocks() {
            body.push(nested.clone());
        }
        block.body = body;
        std::borrow::Cow::Owned(block)
    }

    /// The source span of a range of the base block's parsed text (its
    /// header, say).
    pub fn span(&self, range: Range<usize>) -> Span {
        self.base().span(range)
    }

    /// The source span of an expression of this declaration, in the file
    /// it is written in: an override's, when it comes from one.
    pub fn span_of(&self, expr: &Expression) -> Span {
        use hcl_edit::Span as _;
        let range = expr.span().or_else(|| self.block.span()).unwrap_or(0..0);
        let part = self
            .overrides_last_first()
            .find(|p| contains(p.block, expr, &range))
            .unwrap_or_else(|| self.base());
        part.span(range)
    }
}

/// Whether an expression is part of a block (the very same node, not an
/// equal one). Only the top-level structure whose text holds the
/// expression's range is searched (a binary search: structures are in
/// text order), so that a block of many arguments costs a lookup, not a
/// walk.
fn contains(block: &Block, target: &Expression, range: &Range<usize>) -> bool {
    use hcl_edit::Span as _;
    let body = &block.body;
    let (mut low, mut high) = (0, body.len());
    while low < high {
        let mid = (low + high) / 2;
        match body.get(mid).and_then(|s| s.span()) {
            Some(span) if span.end <= range.start => low = mid + 1,
            Some(span) if span.start > range.start => high = mid,
            Some(_) => return contains_in(body.get(mid), target),
            // A structure without a position (none is parsed so): search
            // them all.
            None => return body.iter().any(|s| contains_in(Some(s), target)),
        }
    }
    false
}

fn contains_in(structure: Option<&hcl_edit::structure::Structure>, target: &Expression) -> bool {
    struct Finder<'t> {
        target: &'t Expression,
        found: bool,
    }
    impl hcl_edit::visit::Visit for Finder<'_> {
        fn visit_expr(&mut self, node: &Expression) {
            if self.found || std::ptr::eq(node, self.target) {
                self.found = true;
                return;
            }
            hcl_edit::visit::visit_expr(self, node);
        }
    }
    let mut finder = Finder {
        target,
        found: false,
    };
    if let Some(structure) = structure {
        hcl_edit::visit::Visit::visit_structure(&mut finder, structure);
    }
    finder.found
}

/// A `variable` block: its default and whether its type is a plain string
/// (which decides how `--var NAME=VALUE` is read).
#[derive(Debug, Clone, Copy)]
pub struct VariableDecl<'a> {
    pub default: Option<&'a Expression>,
    pub is_string: bool,
}

/// The names an expression in this module can refer to.
#[derive(Debug, Default)]
pub struct ModuleIndex<'a> {
    pub variables: HashMap<&'a str, VariableDecl<'a>>,
    pub locals: HashMap<&'a str, &'a Expression>,
    pub outputs: HashMap<&'a str, &'a Expression>,
    /// Every `output` block's name (an override may name one without a
    /// `value` yet).
    declared_outputs: HashSet<&'a str>,
    /// Keyed by address (`type.name`); ordered so iteration is deterministic.
    /// Terraform rejects duplicate addresses, but folders of test fixtures
    /// hold them, so every declaration is kept, in file order.
    pub resources: BTreeMap<String, Vec<ResourceDecl<'a>>>,
    /// `module "name"` blocks, by name.
    pub calls: BTreeMap<&'a str, Decl<'a>>,
    /// `data "type" "name"` blocks, by `type.name` (those scoped to a
    /// `check` block too: their addresses are the module's).
    pub data: BTreeMap<String, Decl<'a>>,
    /// `check` blocks, whose `assert`s state what must hold.
    pub checks: Vec<Part<'a>>,
    resource_types: HashSet<&'a str>,
    /// Override blocks that could not be merged: the part, and why.
    pub override_problems: Vec<(Part<'a>, String)>,
}

/// Whether a file is an override file: `override.tf`, `*_override.tf`
/// and their `.tf.json`, `.tofu` and `.tofu.json` forms.
pub fn is_override_name(path: &std::path::Path) -> bool {
    let Some(name) = crate::paths::file_name_str(path) else {
        return false;
    };
    // As written: Terraform and OpenTofu compare names case-sensitively
    // (`Users_Override.tf` is an ordinary file).
    let stem = [".tf.json", ".tofu.json", ".tf", ".tofu"]
        .iter()
        .find_map(|ext| name.strip_suffix(ext));
    stem.is_some_and(|s| s == "override" || s.ends_with("_override"))
}

fn is_string_type(block: &Block) -> bool {
    match block.body.get_attribute("type").map(|a| &a.value) {
        None => true,
        Some(Expression::Variable(v)) => v.as_str() == "string",
        Some(_) => false,
    }
}

impl<'a> ModuleIndex<'a> {
    /// Indexes a module's files, then merges its override files into
    /// what they declare, in the order given (Terraform's: by name).
    pub fn new(files: impl IntoIterator<Item = &'a TfFile>, overrides: &'a [TfFile]) -> Self {
        let mut index = ModuleIndex::default();
        for tf in files {
            for block in tf.body.blocks() {
                index.add_block(tf, block);
            }
        }
        for tf in overrides {
            for block in tf.body.blocks() {
                index.override_block(tf, block);
            }
        }
        index
    }

    /// Merges one top-level block of an override file.
    fn override_block(&mut self, tf: &'a TfFile, block: &'a Block) {
        let part = Part {
            file: tf.file,
            spans: tf.spans.as_ref(),
            block,
        };
        let labels: Vec<&str> = block.labels.iter().map(|l| l.as_str()).collect();
        let header = || {
            let labels: String = labels.iter().map(|l| format!(" \"{l}\"")).collect();
            format!("{}{labels}", block.ident.as_str())
        };
        let decls: Vec<&mut Decl<'a>> = match (block.ident.as_str(), labels.as_slice()) {
            ("resource", [resource_type, name]) => self
                .resources
                .get_mut(&format!("{resource_type}.{name}"))
                .map(|d| d.iter_mut().collect())
                .unwrap_or_default(),
            ("data", [data_type, name]) => self
                .data
                .get_mut(&format!("{data_type}.{name}"))
                .into_iter()
                .collect(),
            ("module", [name]) => self.calls.get_mut(name).into_iter().collect(),
            ("locals", []) => {
                for attr in block.body.attributes() {
                    match self.locals.get_mut(attr.key.as_str()) {
                        Some(value) => *value = &attr.value,
                        None => self.override_problems.push((
                            part,
                            format!(
                                "this override file sets local value `{}`, which no other file of the module declares (Terraform rejects it); not merged",
                                attr.key.as_str()
                            ),
                        )),
                    }
                }
                return;
            }
            ("variable", [name]) => {
                match self.variables.get_mut(name) {
                    Some(variable) => {
                        if let Some(default) = block.body.get_attribute("default") {
                            variable.default = Some(&default.value);
                        }
                        if block.body.get_attribute("type").is_some() {
                            variable.is_string = is_string_type(block);
                        }
                    }
                    None => self.override_problems.push((
                        part,
                        format!("this override file overrides `{}`, which no other file of the module declares (Terraform rejects it); not merged", header()),
                    )),
                }
                return;
            }
            ("output", [name]) => {
                match self.outputs.get_mut(name) {
                    Some(output) => {
                        if let Some(value) = block.body.get_attribute("value") {
                            *output = &value.value;
                        }
                    }
                    None if self.declared_outputs.contains(name) => {
                        if let Some(value) = block.body.get_attribute("value") {
                            self.outputs.insert(name, &value.value);
                        }
                    }
                    None => self.override_problems.push((
                        part,
                        format!("this override file overrides `{}`, which no other file of the module declares (Terraform rejects it); not merged", header()),
                    )),
                }
                return;
            }
            // Settings mfalint does not read (`terraform`, `provider`...).
            _ => return,
        };
        if decls.is_empty() {
            self.override_problems.push((
                part,
                format!("this override file overrides `{}`, which no other file of the module declares (Terraform rejects it); not merged", header()),
            ));
            return;
        }
        let mut full = false;
        for decl in decls {
            match decl.overrides.iter_mut().find(|slot| slot.is_none()) {
                Some(slot) => *slot = Some(part),
                // The latest overrides win: the oldest is let go.
                None => {
                    full = true;
                    decl.overrides.rotate_left(1);
                    decl.overrides[MAX_OVERRIDES - 1] = Some(part);
                }
            }
        }
        if full {
            self.override_problems.push((
                part,
                format!(
                    "`{}` is overridden more than {MAX_OVERRIDES} times: the oldest override is not merged (what only it sets is read from the block it overrides)",
                    header()
                ),
            ));
        }
    }

    fn add_block(&mut self, tf: &'a TfFile, block: &'a Block) {
        let (file, spans) = (tf.file, tf.spans.as_ref());
        let labels: Vec<&str> = block.labels.iter().map(|l| l.as_str()).collect();
        if let Some(unit) = &tf.unit {
            match (block.ident.as_str(), labels.as_slice()) {
                // The unit calls its module.
                ("terraform", []) => {
                    self.calls.insert(
                        UNIT_CALL,
                        Decl {
                            file,
                            spans,
                            kind: "module",
                            name: UNIT_CALL,
                            block,
                            overrides: [None; MAX_OVERRIDES],
                            unit: Some(unit),
                        },
                    );
                    return;
                }
                // `dependency.x.outputs.y`: a reference to a resource of
                // type `dependency`, whose `outputs` are its `mock_outputs`.
                ("dependency", [name]) => {
                    self.resource_types.insert("dependency");
                    self.resources
                        .entry(format!("dependency.{name}"))
                        .or_default()
                        .push(Decl {
                            file,
                            spans,
                            kind: "dependency",
                            name,
                            block,
                            overrides: [None; MAX_OVERRIDES],
                            unit: None,
                        });
                    return;
                }
                _ => {}
            }
        }
        match (block.ident.as_str(), labels.as_slice()) {
            ("variable", [name]) => {
                let default = block.body.get_attribute("default").map(|a| &a.value);
                let is_string = is_string_type(block);
                self.variables
                    .entry(name)
                    .or_insert(VariableDecl { default, is_string });
            }
            ("locals", []) => {
                for attr in block.body.attributes() {
                    self.locals.entry(attr.key.as_str()).or_insert(&attr.value);
                }
            }
            ("output", [name]) => {
                self.declared_outputs.insert(name);
                if let Some(value) = block.body.get_attribute("value") {
                    self.outputs.entry(name).or_insert(&value.value);
                }
            }
            ("module", [name]) => {
                self.calls.entry(name).or_insert(Decl {
                    file,
                    spans,
                    kind: "module",
                    name,
                    block,
                    overrides: [None; MAX_OVERRIDES],
                    unit: None,
                });
            }
            ("check", [_]) => {
                self.checks.push(Part { file, spans, block });
                for nested in block.body.blocks() {
                    let labels: Vec<&str> = nested.labels.iter().map(|l| l.as_str()).collect();
                    if let ("data", [data_type, name]) = (nested.ident.as_str(), labels.as_slice())
                    {
                        self.data
                            .entry(format!("{data_type}.{name}"))
                            .or_insert(Decl {
                                file,
                                spans,
                                kind: data_type,
                                name,
                                block: nested,
                                overrides: [None; MAX_OVERRIDES],
                                unit: None,
                            });
                    }
                }
            }
            ("data", [data_type, name]) => {
                self.data
                    .entry(format!("{data_type}.{name}"))
                    .or_insert(Decl {
                        file,
                        spans,
                        kind: data_type,
                        name,
                        block,
                        overrides: [None; MAX_OVERRIDES],
                        unit: None,
                    });
            }
            ("resource", [resource_type, name]) => {
                self.resource_types.insert(resource_type);
                self.resources
                    .entry(format!("{resource_type}.{name}"))
                    .or_default()
                    .push(Decl {
                        file,
                        spans,
                        kind: resource_type,
                        name,
                        block,
                        overrides: [None; MAX_OVERRIDES],
                        unit: None,
                    });
            }
            _ => {}
        }
    }

    /// The first declaration of a resource.
    pub fn resource(&self, resource_type: &str, name: &str) -> Option<&ResourceDecl<'a>> {
        self.resources
            .get(&format!("{resource_type}.{name}"))
            .and_then(|decls| decls.first())
    }

    /// Whether any resource of this type is declared (decides whether `x.y`
    /// is a resource reference).
    pub fn has_resource_type(&self, resource_type: &str) -> bool {
        self.resource_types.contains(resource_type)
    }

    /// The literal `source` of a module call.
    pub fn call_source(call: &Decl<'a>) -> Option<&'a str> {
        match call.attribute("source")? {
            Expression::String(s) => Some(s.value().as_str()),
            _ => None,
        }
    }
}

/// The literal `source` of a `module` block's body.
pub fn literal_source(body: &Body) -> Option<&str> {
    match &body.get_attribute("source")?.value {
        Expression::String(s) => Some(s.value().as_str()),
        _ => None,
    }
}

/// Whether a module source is a local path, which Terraform reads where it
/// is (`./x`, `../x`) rather than installing it.
pub fn is_local_source(source: &str) -> bool {
    source.starts_with("./") || source.starts_with("../")
}
