//! One Terraform module: the `.tf` files of one folder, indexed by what
//! expressions can refer to (variables, locals, resources, module calls,
//! outputs).

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
}

/// A block that declares something addressable (`resource`, `module`),
/// with the file it lives in.
#[derive(Debug, Clone, Copy)]
pub struct Decl<'a> {
    pub file: FileId,
    /// Set for `.tf.json` files (see [`TfFile::spans`]).
    pub spans: Option<&'a SpanMap>,
    /// The resource type, or `"module"` for a module call.
    pub kind: &'a str,
    pub name: &'a str,
    pub block: &'a Block,
}

/// A `resource` block.
pub type ResourceDecl<'a> = Decl<'a>;

impl<'a> Decl<'a> {
    /// The address within its module: `aws_iam_user.a`, `module.users`.
    pub fn address(&self) -> String {
        format!("{}.{}", self.kind, self.name)
    }

    pub fn attribute(&self, key: &str) -> Option<&'a Expression> {
        self.block.body.get_attribute(key).map(|a| &a.value)
    }

    /// The source span of a range of the parsed text.
    pub fn span(&self, range: Range<usize>) -> Span {
        match self.spans {
            Some(map) => Span::new(self.file, map.map(range)),
            None => Span::new(self.file, range),
        }
    }
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
    /// Keyed by address (`type.name`); ordered so iteration is deterministic.
    /// Terraform rejects duplicate addresses, but folders of test fixtures
    /// hold them, so every declaration is kept, in file order.
    pub resources: BTreeMap<String, Vec<ResourceDecl<'a>>>,
    /// `module "name"` blocks, by name.
    pub calls: BTreeMap<&'a str, Decl<'a>>,
    /// `data "type" "name"` blocks, by `type.name`.
    pub data: BTreeMap<String, Decl<'a>>,
    resource_types: HashSet<&'a str>,
}

impl<'a> ModuleIndex<'a> {
    pub fn new(files: &'a [TfFile]) -> Self {
        let mut index = ModuleIndex::default();
        for tf in files {
            for block in tf.body.blocks() {
                index.add_block(tf, block);
            }
        }
        index
    }

    fn add_block(&mut self, tf: &'a TfFile, block: &'a Block) {
        let (file, spans) = (tf.file, tf.spans.as_ref());
        let labels: Vec<&str> = block.labels.iter().map(|l| l.as_str()).collect();
        match (block.ident.as_str(), labels.as_slice()) {
            ("variable", [name]) => {
                let default = block.body.get_attribute("default").map(|a| &a.value);
                let is_string = match block.body.get_attribute("type").map(|a| &a.value) {
                    None => true,
                    Some(Expression::Variable(v)) => v.as_str() == "string",
                    Some(_) => false,
                };
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
                });
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
        literal_source(&call.block.body)
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
