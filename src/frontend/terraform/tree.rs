//! A root module and the local modules it calls, evaluated as Terraform
//! does: each module call is one (or, with `count`/`for_each`, several)
//! module instances, fed the arguments its caller evaluates, and its outputs
//! flow back to the caller.
//!
//! Evaluators are built on demand for a module instance; only values are
//! memoised (inputs per instance, outputs per instance and name, instances
//! per declaration), so no evaluator ever refers to another. The tree also
//! holds the bounds on the work its evaluation may take ([`Budget`]).

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use hcl_edit::structure::Block;

use super::budget::Budget;
use super::eval::{Evaluator, Modules};
use super::instance::{
    CallSite, Inputs, InstanceContext, Instances, ModuleInstance, Named, NotFollowed,
};
use super::module::{Decl, ModuleIndex};
use super::value::{InstanceKey, Value, qualify};
use crate::source::{Span, join_lexically};

/// Module calls nested deeper than this are not followed (a diagnostic
/// says so): a guard against runaway recursion.
pub const MAX_MODULE_DEPTH: usize = 16;

/// Arguments of a `module` block that are not input variables.
const META_ARGUMENTS: &[&str] = &[
    "source",
    "version",
    "count",
    "for_each",
    "providers",
    "depends_on",
];

/// A root module and everything it calls.
pub struct Tree<'a> {
    modules: &'a BTreeMap<PathBuf, ModuleIndex<'a>>,
    /// Downloaded modules of the root (manifest key -> folder).
    downloads: Option<&'a BTreeMap<String, PathBuf>>,
    /// Canonical folders that file functions may read from.
    readable_roots: &'a [PathBuf],
    root: Rc<ModuleInstance>,
    root_inputs: BTreeMap<String, Value>,
    inputs_memo: RefCell<HashMap<String, Rc<Inputs>>>,
    /// Locals and variable defaults by module address and `local.x`/`var.x`:
    /// evaluated once for every evaluator of that module instance.
    named_memo: RefCell<HashMap<(String, String), Named>>,
    outputs_memo: RefCell<HashMap<(String, String), Rc<Value>>>,
    instances: RefCell<HashMap<String, Rc<ModuleInstance>>>,
    /// Instances whose inputs or outputs are being computed (cycle guard).
    active: RefCell<Vec<String>>,
    /// The instances each declaration makes in each module instance, by
    /// module address and declaration (a folder may declare one address
    /// twice, with different `count`): computed once, so their cost is
    /// counted once and every child of a call sees the same keys.
    instances_memo: RefCell<HashMap<(String, *const Block), Rc<Instances>>>,
    /// Bounds on the work this tree may take.
    pub budget: Budget,
    /// Whether calls left out for [`NotFollowed::TooMany`] were reported
    /// (once per tree: there may be thousands).
    too_many_reported: std::cell::Cell<bool>,
    /// The module folders the tree reads (also those a call names but that
    /// are missing) and the files its file functions read or tried to.
    inputs: RefCell<std::collections::BTreeSet<PathBuf>>,
}

impl<'a> Tree<'a> {
    pub fn new(
        modules: &'a BTreeMap<PathBuf, ModuleIndex<'a>>,
        root_dir: PathBuf,
        root_inputs: BTreeMap<String, Value>,
        downloads: Option<&'a BTreeMap<String, PathBuf>>,
        readable_roots: &'a [PathBuf],
    ) -> Self {
        let root = Rc::new(ModuleInstance {
            address: String::new(),
            dir: root_dir,
            parent: None,
            call: None,
            depth: 0,
        });
        let instances = RefCell::new(HashMap::from([(String::new(), root.clone())]));
        let inputs = RefCell::new(std::collections::BTreeSet::from([root.dir.clone()]));
        Tree {
            inputs,
            modules,
            downloads,
            readable_roots,
            root,
            root_inputs,
            inputs_memo: RefCell::new(HashMap::new()),
            named_memo: RefCell::new(HashMap::new()),
            outputs_memo: RefCell::new(HashMap::new()),
            instances,
            active: RefCell::new(Vec::new()),
            instances_memo: RefCell::new(HashMap::new()),
            budget: Budget::default(),
            too_many_reported: std::cell::Cell::new(false),
        }
    }

    /// True the first time it is asked: whether to report calls left out
    /// because the tree has too many instances.
    pub fn report_too_many(&self) -> bool {
        !self.too_many_reported.replace(true)
    }

    pub fn root(&self) -> Rc<ModuleInstance> {
        self.root.clone()
    }

    /// The values the caller passes to an instance's input variables.
    fn inputs_of(&'a self, instance: &Rc<ModuleInstance>) -> Rc<Inputs> {
        if let Some(known) = self.inputs_memo.borrow().get(&instance.address) {
            return known.clone();
        }
        let (Some(parent), Some(call)) = (&instance.parent, &instance.call) else {
            let inputs: Inputs = self
                .root_inputs
                .iter()
                .map(|(k, v)| (k.clone(), Rc::new(v.clone())))
                .collect();
            let inputs = Rc::new(inputs);
            self.inputs_memo
                .borrow_mut()
                .insert(String::new(), inputs.clone());
            return inputs;
        };
        if !self.enter(&instance.address) {
            return Rc::new(BTreeMap::new());
        }
        let caller = self.evaluator(parent.clone());
        let decl = self.index(parent).calls.get(call.name.as_str()).copied();
        let mut inputs = BTreeMap::new();
        if let Some(decl) = decl {
            let instances = caller.instances(&decl);
            let context = InstanceContext::of(&instances, call.key.as_ref());
            caller.with_instance(context, || match decl.unit {
                // A Terragrunt unit passes its `inputs`.
                Some(unit) => {
                    for (key, input) in &unit.inputs {
                        let value = match input {
                            super::module::UnitInput::Expr(expr) => caller.eval_shared(expr),
                            super::module::UnitInput::Unknown(reason) => {
                                Rc::new(Value::unknown(reason.clone()))
                            }
                        };
                        inputs.insert(key.clone(), value);
                    }
                    if let Some(reason) = &unit.opaque {
                        for name in self.index(instance).variables.keys() {
                            inputs
                                .entry(name.to_string())
                                .or_insert_with(|| Rc::new(Value::unknown(reason.clone())));
                        }
                    }
                }
                None => {
                    for (key, value) in decl.attributes() {
                        if !META_ARGUMENTS.contains(&key) {
                            inputs.insert(key.to_string(), caller.eval_shared(value));
                        }
                    }
                }
            });
        }
        self.leave();
        let inputs = Rc::new(inputs);
        self.inputs_memo
            .borrow_mut()
            .insert(instance.address.clone(), inputs.clone());
        inputs
    }

    /// The folders and files the tree's result depends on.
    pub fn inputs(&self) -> std::collections::BTreeSet<PathBuf> {
        self.inputs.borrow().clone()
    }

    fn enter(&self, marker: &str) -> bool {
        let mut active = self.active.borrow_mut();
        if active.iter().any(|a| a == marker) {
            return false;
        }
        active.push(marker.to_string());
        true
    }

    fn leave(&self) {
        self.active.borrow_mut().pop();
    }

    /// The instance keys of a module call, as its caller evaluates them.
    pub fn call_keys(instances: &Instances) -> Option<Vec<Option<InstanceKey>>> {
        match instances {
            Instances::Single => Some(vec![None]),
            Instances::Count(n) => Some((0..*n).map(|i| Some(InstanceKey::Index(i))).collect()),
            Instances::ForEach(map) => Some(
                map.keys()
                    .map(|k| Some(InstanceKey::Key(k.clone())))
                    .collect(),
            ),
            Instances::Unknown { .. } => None,
        }
    }
}

/// What the evaluator asks of the tree, answered here.
impl<'a> Modules<'a> for Tree<'a> {
    fn budget(&self) -> &Budget {
        &self.budget
    }

    /// Notes a folder or file the tree's result depends on.
    fn note_input(&self, path: PathBuf) {
        self.inputs.borrow_mut().insert(path);
    }

    fn root_dir(&self) -> &Path {
        &self.root.dir
    }

    fn readable_roots(&self) -> &'a [PathBuf] {
        self.readable_roots
    }

    fn index(&self, instance: &ModuleInstance) -> &'a ModuleIndex<'a> {
        &self.modules[&instance.dir]
    }

    fn instance(&self, address: &str) -> Option<Rc<ModuleInstance>> {
        self.instances.borrow().get(address).cloned()
    }

    /// An evaluator for one module instance.
    fn evaluator(&'a self, instance: Rc<ModuleInstance>) -> Evaluator<'a> {
        let inputs = self.inputs_of(&instance);
        Evaluator::new(self, instance, inputs)
    }

    /// The value of an output of a module instance, evaluated once and
    /// shared: a reader copies only what it selects from it.
    fn output(&'a self, instance: &Rc<ModuleInstance>, name: &str) -> Rc<Value> {
        let key = (instance.address.clone(), name.to_string());
        if let Some(known) = self.outputs_memo.borrow().get(&key) {
            return known.clone();
        }
        let Some(expr) = self.index(instance).outputs.get(name).copied() else {
            return Rc::new(Value::error(format!(
                "module `{}` has no output `{name}`",
                instance.address
            )));
        };
        let marker = format!("{}#{name}", instance.address);
        if !self.enter(&marker) {
            return Rc::new(Value::error(format!(
                "output `{name}` of `{}` refers to itself",
                instance.address
            )));
        }
        let value = Rc::new(self.evaluator(instance.clone()).eval(expr));
        self.leave();
        self.outputs_memo.borrow_mut().insert(key, value.clone());
        value
    }

    /// The instance a call creates (for one instance key), or why the call
    /// is not followed.
    fn child(
        &self,
        parent: &Rc<ModuleInstance>,
        call: &Decl<'_>,
        key: Option<InstanceKey>,
        span: Span,
    ) -> Result<Rc<ModuleInstance>, NotFollowed> {
        let source = ModuleIndex::call_source(call)
            .ok_or_else(|| NotFollowed::Remote("a non-literal source".into()))?;
        let dir = if super::module::is_local_source(source) {
            join_lexically(&parent.dir, source)
        } else {
            // A registry or VCS source: followed only where `terraform
            // init` downloaded it (the manifest knows the folder).
            let key = parent.call_path(call.name);
            match self.downloads.and_then(|d| d.get(&key)) {
                Some(dir) if self.modules.contains_key(dir) => dir.clone(),
                _ => return Err(NotFollowed::Remote(source.to_string())),
            }
        };
        self.note_input(dir.clone());
        if !self.modules.contains_key(&dir) {
            return Err(NotFollowed::Missing(source.to_string()));
        }
        let mut ancestor = Some(parent.as_ref());
        while let Some(a) = ancestor {
            if a.dir == dir {
                return Err(NotFollowed::Recursion(format!(
                    "module `{}` calls `{source}`, which is already being evaluated: a module cannot call itself",
                    call.name
                )));
            }
            ancestor = a.parent.as_deref();
        }
        if parent.depth + 1 > MAX_MODULE_DEPTH {
            return Err(NotFollowed::Recursion(format!(
                "module calls nest deeper than {MAX_MODULE_DEPTH} levels"
            )));
        }
        let mut local = format!("module.{}", call.name);
        if let Some(k) = &key {
            local.push_str(&k.render());
        }
        let address = qualify(&parent.address, &local);
        if let Some(existing) = self.instance(&address) {
            return Ok(existing);
        }
        // Calls with `count`/`for_each` took their instances already; a
        // plain call takes one here, or ten calls of ten calls of ... would
        // make millions of instances from a few files.
        if key.is_none() && !self.budget.take_instances(1) {
            return Err(NotFollowed::TooMany);
        }
        let instance = Rc::new(ModuleInstance {
            address: address.clone(),
            dir,
            parent: Some(parent.clone()),
            call: Some(CallSite {
                name: call.name.to_string(),
                key,
                span,
            }),
            depth: parent.depth + 1,
        });
        self.instances
            .borrow_mut()
            .insert(address, instance.clone());
        Ok(instance)
    }

    fn memoised_value(&self, address: &str, key: &str) -> Option<Named> {
        self.named_memo
            .borrow()
            .get(&(address.to_string(), key.to_string()))
            .cloned()
    }

    fn is_memoised(&self, address: &str, key: &str) -> bool {
        self.named_memo
            .borrow()
            .contains_key(&(address.to_string(), key.to_string()))
    }

    fn memoise_value(&self, address: &str, key: &str, named: Named) {
        self.named_memo
            .borrow_mut()
            .insert((address.to_string(), key.to_string()), named);
    }

    /// The memoised instances of `decl` in the module instance at `address`.
    fn memoised_instances(
        &self,
        address: &str,
        decl: &Decl<'_>,
        compute: &dyn Fn() -> Instances,
    ) -> Rc<Instances> {
        let key = (address.to_string(), decl.block as *const Block);
        if let Some(known) = self.instances_memo.borrow().get(&key) {
            return known.clone();
        }
        let instances = Rc::new(compute());
        self.instances_memo
            .borrow_mut()
            .insert(key, instances.clone());
        instances
    }
}
