//! Bounds on the work one tree of modules may take, whatever its
//! expressions say. Terraform evaluates what its users write; a scanner of
//! untrusted pull requests cannot: locals that each repeat the previous
//! one ten times, nested `for` expressions that multiply a list, module
//! calls with `count` inside module calls with `count` would each take
//! hours and gigabytes. Past a bound, values become unknowns that say why,
//! and rules treat them as any unknown: on the safe side, with the reason
//! in the message.

use std::cell::Cell;

use super::value::Value;

/// Evaluation steps one tree may take: one per expression evaluated, plus
/// the size of what each produced (one per value in it, one per KiB of
/// text). The real Terraform of the corpus takes at most about 10,000 per
/// tree (9,343, measured 2026-11-23); a tree built to exhaust the scanner
/// stops here in about a second.
pub const MAX_STEPS: u64 = 5_000_000;

/// Resource and module instances one tree may expand, across all its
/// modules: those of `count` and `for_each`, and one per plain module call.
pub const MAX_INSTANCES: usize = 50_000;

/// The longest string evaluation builds (templates, functions). IAM
/// policies are at most 10 KiB; a longer string is unknown.
pub const MAX_STRING_BYTES: usize = 1 << 20;

/// The bytes evaluation may produce for one tree: every value an
/// expression yields is counted at its size (text, keys, reasons, and a
/// little for each value; see [`cost`]) less what its subexpressions
/// already produced and it moved in, so that copies count and nothing is
/// counted twice ([`Budget::produced`]). The whole shared corpus
/// (thousands of root modules) produces under 2 MB in all (2026-12-01); a
/// 1.7 KB file copying a 1 MB reason 10,000 times took over 8 GB before,
/// and 2,500 copies of a 1 MB string 2.7 GB within the step bound. Per
/// tree, as the other bounds are, so that findings never depend on the
/// order in which parallel trees run: at most one tree per scanning
/// thread holds what it produced at a time.
pub const MAX_TREE_BYTES: u64 = 8 << 20;

/// What is left of one tree's bounds, its bytes included.
pub struct Budget {
    steps_left: Cell<u64>,
    /// The bytes of the values the subexpressions of the expression being
    /// evaluated returned (see [`Budget::produced`]).
    below: Cell<u64>,
    instances_left: Cell<usize>,
    /// Bytes it may still produce; see [`MAX_TREE_BYTES`]. Each tree has
    /// its own: a bound shared by trees that run in parallel would make
    /// which one reaches it depend on the schedule, and findings on the
    /// thread count.
    bytes_left: Cell<u64>,
    /// Set once a value was refused for want of bytes.
    bytes_spent_past: Cell<bool>,
    /// Where a value the model reads first came out unknown because a
    /// bound was reached, for one positioned diagnostic per tree.
    /// (And whether it was the bound on bytes, else on steps.)
    stopped_at: Cell<Option<(crate::source::Span, bool)>>,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            steps_left: Cell::new(MAX_STEPS),
            below: Cell::new(0),
            instances_left: Cell::new(MAX_INSTANCES),
            bytes_left: Cell::new(MAX_TREE_BYTES),
            bytes_spent_past: Cell::new(false),
            stopped_at: Cell::new(None),
        }
    }
}

impl Budget {
    /// Charges a copy of `value` (a whole module instance's outputs): its
    /// steps and all its bytes. `None` when it is within both bounds, else
    /// the unknown to put in its place. The expression being evaluated
    /// counts the copy as produced below it (see [`Budget::produced`]).
    pub fn charge(&self, value: &Value) -> Option<Value> {
        let (steps, bytes) = cost(value);
        self.below.set(self.below.get().saturating_add(bytes));
        if !self.spend(steps) {
            return Some(out_of_steps());
        }
        if !self.spend_bytes(bytes) {
            return Some(out_of_bytes());
        }
        None
    }

    /// Starts the evaluation of an expression: what the enclosing one has
    /// counted below it so far, for [`Budget::produced`].
    pub fn enter(&self) -> u64 {
        self.below.replace(0)
    }

    /// Charges what evaluating an expression produced: its steps (by the
    /// value's size), and the bytes of `value` that its subexpressions did
    /// not already produce: a value built by moving theirs in (a list of
    /// `for` results, `flatten`, `concat` of two references) is charged
    /// once, where its parts were made, while a copy (a reference to a
    /// local, `replace`, a repeated body) is charged in full, as it costs
    /// memory in full. `entered` is what [`Budget::enter`] returned.
    /// `None` when within the bounds, else the unknown to put in its place.
    pub fn produced(&self, entered: u64, value: &Value) -> Option<Value> {
        let (steps, bytes) = cost(value);
        let below = self.below.get();
        self.below.set(entered.saturating_add(bytes));
        if !self.spend(steps) {
            return Some(out_of_steps());
        }
        if !self.spend_bytes(bytes.saturating_sub(below)) {
            return Some(out_of_bytes());
        }
        None
    }

    /// Notes that the model read a value left unknown by a bound, at
    /// `span`, when `reason` says so; the first one is kept.
    pub fn note_stopped(&self, span: crate::source::Span, reason: &str) {
        if self.stopped_at.get().is_some() {
            return;
        }
        if reason.starts_with(STEPS_STOPPED) || reason.starts_with(BYTES_STOPPED) {
            self.stopped_at
                .set(Some((span, reason.starts_with(BYTES_STOPPED))));
        }
    }

    /// Where the model first read a value left unknown by a bound, and
    /// the bound's reason.
    pub fn stopped_at(&self) -> Option<(crate::source::Span, String)> {
        let (span, bytes) = self.stopped_at.get()?;
        let reason = if bytes {
            out_of_bytes()
        } else {
            out_of_steps()
        };
        match reason {
            Value::Unknown(u) => Some((span, u.reason.to_string())),
            _ => None,
        }
    }

    /// Whether the tree has produced all the bytes it may.
    pub fn bytes_exhausted(&self) -> bool {
        self.bytes_spent_past.get()
    }

    /// Takes `bytes`; false (and nothing left, from then on) when there
    /// are not enough.
    fn spend_bytes(&self, bytes: u64) -> bool {
        let left = self.bytes_left.get();
        if bytes > left {
            self.bytes_left.set(0);
            self.bytes_spent_past.set(true);
            return false;
        }
        self.bytes_left.set(left - bytes);
        true
    }

    /// Takes `steps`; false (and nothing left) when there are not enough.
    pub fn spend(&self, steps: u64) -> bool {
        let left = self.steps_left.get();
        self.steps_left.set(left.saturating_sub(steps));
        left >= steps
    }

    /// Takes `count` instances; false (nothing taken) when there are not
    /// enough.
    pub fn take_instances(&self, count: usize) -> bool {
        let left = self.instances_left.get();
        if count > left {
            return false;
        }
        self.instances_left.set(left - count);
        true
    }

    /// Steps taken so far.
    #[cfg(test)]
    pub fn spent(&self) -> u64 {
        MAX_STEPS - self.steps_left.get()
    }
}

/// What producing a value costs: steps (one per value in it, and one per
/// KiB of text: strings and object keys) and bytes (its text, keys and
/// reasons, and [`VALUE_BYTES`] for each value in it: the steps already
/// bound how many values a tree makes, the bytes bound what they hold).
pub fn cost(value: &Value) -> (u64, u64) {
    let node = VALUE_BYTES;
    match value {
        Value::String(s) => (1 + (s.len() / 1024) as u64, node + s.len() as u64),
        Value::List(items) => items
            .iter()
            .map(cost)
            .fold((1, node), |(s, b), (s2, b2)| (s + s2, b + b2)),
        Value::Object(map) => map.iter().fold((1, node), |(s, b), (k, v)| {
            let (s2, b2) = cost(v);
            (
                s + (k.len() / 1024) as u64 + s2,
                b + k.len() as u64 + node + b2,
            )
        }),
        Value::Unknown(u) => (
            1,
            node + u.reason.len() as u64 + u.symbol.as_ref().map_or(0, |s| s.len() as u64),
        ),
        Value::Ref(r) => (
            1,
            node + (r.module.len()
                + r.resource_type.len()
                + r.name.len()
                + r.attribute.iter().map(String::len).sum::<usize>()) as u64,
        ),
        _ => (1, node),
    }
}

/// What one value is charged besides its text.
const VALUE_BYTES: u64 = 8;

/// What every expression evaluates to once the tree's bytes are spent.
pub fn out_of_bytes() -> Value {
    Value::unknown(format!(
        "{BYTES_STOPPED} {MAX_TREE_BYTES} bytes (mfalint's bound against inputs built to exhaust it)"
    ))
}

/// How the reasons of [`out_of_bytes`] and [`out_of_steps`] start.
const BYTES_STOPPED: &str =
    "evaluation stopped: the Terraform evaluation of this root module produces more than";
const STEPS_STOPPED: &str = "evaluation stopped: this configuration takes more than";

/// What every expression evaluates to once the steps are spent.
pub fn out_of_steps() -> Value {
    Value::unknown(exhausted())
}

/// Why: the reason [`out_of_steps`] gives.
pub fn exhausted() -> String {
    format!(
        "{STEPS_STOPPED} {MAX_STEPS} evaluation steps \
         (mfalint's bound against inputs built to exhaust it)"
    )
}

/// A string over [`MAX_STRING_BYTES`].
pub fn too_long(bytes: usize) -> Value {
    Value::unknown(format!(
        "a string of {bytes} bytes, longer than the {MAX_STRING_BYTES} bytes mfalint evaluates"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spending_past_the_bound_fails_and_leaves_nothing() {
        let budget = Budget::default();
        assert!(budget.spend(MAX_STEPS - 1));
        assert!(!budget.spend(2));
        assert!(!budget.spend(1), "nothing is left after a failed spend");
        assert_eq!(budget.spent(), MAX_STEPS);
    }

    #[test]
    fn instances_are_taken_only_when_all_fit() {
        let budget = Budget::default();
        assert!(budget.take_instances(MAX_INSTANCES - 10));
        assert!(!budget.take_instances(11));
        assert!(budget.take_instances(10), "a refused request takes nothing");
    }

    #[test]
    fn cost_counts_values_and_kibibytes_of_text_in_steps_and_every_byte() {
        let v = VALUE_BYTES;
        let text = Value::String("x".repeat(4096));
        assert_eq!(cost(&text), (5, v + 4096));
        let list = Value::List(vec![Value::Null, text.clone()]);
        assert_eq!(cost(&list), (1 + 1 + 5, v + v + v + 4096));
        let object = Value::Object([("k".repeat(2048), text)].into_iter().collect());
        assert_eq!(cost(&object), (1 + 2 + 5, v + 2048 + v + v + 4096));
        let unknown = Value::unknown("r".repeat(1000));
        assert_eq!(
            cost(&unknown),
            (1, v + 1000),
            "a reason is charged by its size"
        );
    }

    #[test]
    fn a_trees_bytes_run_out_and_stay_spent_and_another_tree_has_its_own() {
        let (a, b) = (Budget::default(), Budget::default());
        let big = Value::String("x".repeat(1 << 20));
        for _ in 0..(MAX_TREE_BYTES >> 20) - 1 {
            assert_eq!(a.charge(&big), None);
        }
        assert!(!a.bytes_exhausted());
        assert!(
            a.charge(&big).is_some(),
            "the bound, with the values' overhead"
        );
        assert!(a.bytes_exhausted());
        assert!(a.charge(&Value::Null).is_some(), "and it stays spent");
        assert_eq!(b.charge(&big), None, "each tree has its own");
    }

    #[test]
    fn a_value_moved_up_is_charged_once_and_a_copy_in_full() {
        let budget = Budget::default();
        let part = Value::String("x".repeat(1000));
        let (_, part_bytes) = cost(&part);
        // `[a, b]`: two parts made below, moved into the list.
        let outer = budget.enter();
        for _ in 0..2 {
            let inner = budget.enter();
            assert_eq!(budget.produced(inner, &part), None);
        }
        let list = Value::List(vec![part.clone(), part.clone()]);
        assert_eq!(budget.produced(outer, &list), None);
        let spent = MAX_TREE_BYTES - budget.bytes_left.get();
        assert_eq!(
            spent,
            2 * part_bytes + VALUE_BYTES,
            "the list's own node only"
        );
        // A reference copies: charged in full, with nothing below.
        let copy = budget.enter();
        assert_eq!(budget.produced(copy, &list), None);
        assert_eq!(
            MAX_TREE_BYTES - budget.bytes_left.get(),
            spent + cost(&list).1
        );
    }
}
