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

/// What is left of one tree's bounds.
pub struct Budget {
    steps_left: Cell<u64>,
    instances_left: Cell<usize>,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            steps_left: Cell::new(MAX_STEPS),
            instances_left: Cell::new(MAX_INSTANCES),
        }
    }
}

impl Budget {
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

/// The cost of having produced `value`: one step per value in it, and one
/// per KiB of text (strings and object keys).
pub fn weight(value: &Value) -> u64 {
    match value {
        Value::String(s) => 1 + (s.len() / 1024) as u64,
        Value::List(items) => 1 + items.iter().map(weight).sum::<u64>(),
        Value::Object(map) => {
            1 + map
                .iter()
                .map(|(k, v)| (k.len() / 1024) as u64 + weight(v))
                .sum::<u64>()
        }
        _ => 1,
    }
}

/// What every expression evaluates to once the steps are spent.
pub fn out_of_steps() -> Value {
    Value::unknown(exhausted())
}

/// Why: the reason [`out_of_steps`] gives.
pub fn exhausted() -> String {
    format!(
        "evaluation stopped: this configuration takes more than {MAX_STEPS} evaluation steps \
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
    fn weight_counts_values_and_kibibytes_of_text() {
        let text = Value::String("x".repeat(4096));
        assert_eq!(weight(&text), 5);
        let list = Value::List(vec![Value::Null, text.clone()]);
        assert_eq!(weight(&list), 1 + 1 + 5);
        let object = Value::Object([("k".repeat(2048), text)].into_iter().collect());
        assert_eq!(weight(&object), 1 + 2 + 5);
    }
}
