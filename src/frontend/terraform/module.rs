//! One Terraform module: the `.tf` files of one folder, indexed by what
//! expressions can refer to (variables, locals, resources).

use std::collections::{BTreeMap, HashMap, HashSet};

use hcl_edit::expr::Expression;
use hcl_edit::structure::{Block, Body};

use crate::source::FileId;

/// A parsed `.tf` file.
#[derive(Debug)]
pub struct TfFile {
    pub file: FileId,
    pub body: Body,
}

/// A `resource` block and the file it lives in.
#[derive(Debug, Clone, Copy)]
pub struct ResourceDecl<'a> {
    pub file: FileId,
    pub resource_type: &'a str,
    pub name: &'a str,
    pub block: &'a Block,
}

impl<'a> ResourceDecl<'a> {
    pub fn address(&self) -> String {
        format!("{}.{}", self.resource_type, self.name)
    }

    pub fn attribute(&self, key: &str) -> Option<&'a Expression> {
        self.block.body.get_attribute(key).map(|a| &a.value)
    }
}

/// The names an expression in this module can refer to.
#[derive(Debug, Default)]
pub struct ModuleIndex<'a> {
    /// `variable "x"`: its `default`, if it has one.
    pub variables: HashMap<&'a str, Option<&'a Expression>>,
    pub locals: HashMap<&'a str, &'a Expression>,
    /// Keyed by address (`type.name`); ordered so iteration is deterministic.
    /// Terraform rejects duplicate addresses, but folders of test fixtures
    /// hold them, so every declaration is kept, in file order.
    pub resources: BTreeMap<String, Vec<ResourceDecl<'a>>>,
    resource_types: HashSet<&'a str>,
}

impl<'a> ModuleIndex<'a> {
    pub fn new(files: &'a [TfFile]) -> Self {
        let mut index = ModuleIndex::default();
        for tf in files {
            for block in tf.body.blocks() {
                index.add_block(tf.file, block);
            }
        }
        index
    }

    fn add_block(&mut self, file: FileId, block: &'a Block) {
        let labels: Vec<&str> = block.labels.iter().map(|l| l.as_str()).collect();
        match (block.ident.as_str(), labels.as_slice()) {
            ("variable", [name]) => {
                let default = block.body.get_attribute("default").map(|a| &a.value);
                self.variables.entry(name).or_insert(default);
            }
            ("locals", []) => {
                for attr in block.body.attributes() {
                    self.locals.entry(attr.key.as_str()).or_insert(&attr.value);
                }
            }
            ("resource", [resource_type, name]) => {
                self.resource_types.insert(resource_type);
                self.resources
                    .entry(format!("{resource_type}.{name}"))
                    .or_default()
                    .push(ResourceDecl {
                        file,
                        resource_type,
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
}
