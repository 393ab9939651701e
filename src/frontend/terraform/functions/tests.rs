//! The functions' tests: results, and unknowns in any argument.

mod results {
    use super::super::*;

    fn s(text: &str) -> Value {
        Value::String(text.into())
    }

    #[test]
    fn format_and_join_build_names() {
        assert_eq!(
            call("format", vec![s("%s-%d"), s("ops"), Value::Number(2.0)]),
            s("ops-2")
        );
        assert_eq!(
            call("join", vec![s("."), Value::List(vec![s("a"), s("b")])]),
            s("a.b")
        );
    }

    #[test]
    fn unknown_arguments_keep_their_reason() {
        let result = call(
            "lower",
            vec![Value::unknown("variable `x` has no default value")],
        );
        match result {
            Value::Unknown(u) => assert!(u.reason.contains("no default")),
            other => panic!("expected unknown, got {other:?}"),
        }
    }

    #[test]
    fn coalesce_skips_empty_values() {
        assert_eq!(call("coalesce", vec![Value::Null, s(""), s("x")]), s("x"));
    }

    #[test]
    fn replace_is_measured_before_it_is_built() {
        let line = "x".repeat(1024);
        let text = "k".repeat(2048);
        match call("replace", vec![s(&text), s("k"), s(&line)]) {
            Value::Unknown(u) => assert!(u.reason.contains("a string of 2097152 bytes"), "{u:?}"),
            other => panic!("over the limit: {other:?}"),
        }
        assert_eq!(
            call("replace", vec![s("a-b-c"), s("-"), s("--")]),
            s("a--b--c")
        );
        assert_eq!(call("replace", vec![s("ab"), s(""), s(".")]), s(".a.b."));
    }

    #[test]
    fn distinct_keeps_first_occurrences_in_order() {
        let list = |items: &[&str]| Value::List(items.iter().map(|i| s(i)).collect());
        assert_eq!(
            call("distinct", vec![list(&["b", "a", "b", "c", "a"])]),
            list(&["b", "a", "c"])
        );
        let mixed = Value::List(vec![Value::Number(1.0), s("1"), Value::Number(1.0)]);
        assert_eq!(
            call("distinct", vec![mixed]),
            Value::List(vec![Value::Number(1.0), s("1")])
        );
    }

    #[test]
    fn regex_replace_is_not_guessed() {
        assert!(matches!(
            call("replace", vec![s("abc"), s("/b/"), s("x")]),
            Value::Unknown(_)
        ));
    }
}

mod more_tests {
    use super::super::*;

    fn s(text: &str) -> Value {
        Value::String(text.into())
    }

    #[test]
    fn try_skips_errors_but_not_unknowns() {
        assert_eq!(
            call("try", vec![Value::error("no such attribute"), s("x")]),
            s("x")
        );
        assert!(matches!(
            call("try", vec![Value::unknown("var without default"), s("x")]),
            Value::Unknown(_)
        ));
        assert_eq!(call("can", vec![Value::error("bad")]), Value::Bool(false));
        assert_eq!(call("can", vec![s("ok")]), Value::Bool(true));
    }

    #[test]
    fn yamldecode_reads_yaml() {
        let v = call(
            "yamldecode",
            vec![s(
                "users:\n  - username: john\n    roles: [readonly, dev]\n  - username: jane\n",
            )],
        );
        let Value::Object(map) = v else {
            panic!("object expected: {v:?}")
        };
        let Value::List(users) = &map["users"] else {
            panic!("list expected")
        };
        assert_eq!(users.len(), 2);
        let Value::Object(john) = &users[0] else {
            panic!("object expected")
        };
        assert_eq!(john["username"], s("john"));
        assert_eq!(john["roles"], Value::List(vec![s("readonly"), s("dev")]));
        assert!(matches!(call("yamldecode", vec![s("a: !Ref b")]), Value::Unknown(u) if u.error));
        let plain = |key: &str| Value::Object([(key.to_string(), s("b"))].into_iter().collect());
        for text in ["a:\n  Ref: b\n", "a: {Condition: b}\n"] {
            let key = if text.contains("Ref") {
                "Ref"
            } else {
                "Condition"
            };
            assert_eq!(
                call("yamldecode", vec![s(text)]),
                Value::Object([("a".to_string(), plain(key))].into_iter().collect())
            );
        }
        assert!(matches!(call("yamldecode", vec![s("a: [")]), Value::Unknown(u) if u.error));
    }

    #[test]
    fn csvdecode_reads_rows_by_header() {
        let v = call(
            "csvdecode",
            vec![s(
                "name,group\r\nalice,admins\n\n\"bob, jr\",\"say \"\"hi\"\"\"\n",
            )],
        );
        let row = |name: &str, group: &str| {
            Value::Object(
                [
                    ("name".to_string(), s(name)),
                    ("group".to_string(), s(group)),
                ]
                .into_iter()
                .collect(),
            )
        };
        assert_eq!(
            v,
            Value::List(vec![row("alice", "admins"), row("bob, jr", "say \"hi\"")])
        );
        assert!(matches!(call("csvdecode", vec![s("a,b\n1\n")]), Value::Unknown(u) if u.error));
        assert!(matches!(call("csvdecode", vec![s("a\n\"x")]), Value::Unknown(u) if u.error));
        assert_eq!(call("csvdecode", vec![s("")]), Value::List(vec![]));
    }

    #[test]
    fn jsondecode_reads_json() {
        let v = call("jsondecode", vec![s(r#"{"a": [1, "b"]}"#)]);
        let Value::Object(map) = v else {
            panic!("object expected")
        };
        assert_eq!(map["a"], Value::List(vec![Value::Number(1.0), s("b")]));
    }
}

/// Unknown is never empty: whatever a function is given, an unknown input
/// makes an unknown result (never an empty list, a map or a guess), except
/// where Terraform itself looks no further (`coalesce` and `try` stop at
/// the first usable argument before the unknown).
mod unknown_properties {
    use proptest::prelude::*;

    use super::super::*;

    fn known() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            (-3i32..40).prop_map(|n| Value::Number(n as f64)),
            "[a-c,%s]{0,4}".prop_map(Value::String),
        ];
        leaf.prop_recursive(2, 12, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::List),
                prop::collection::btree_map("[a-c]{1,2}", inner, 0..3).prop_map(Value::Object),
            ]
        })
    }

    fn holds_unknown(value: &Value) -> bool {
        match value {
            Value::Unknown(u) => !u.error,
            Value::List(items) => items.iter().any(holds_unknown),
            Value::Object(map) => map.values().any(holds_unknown),
            _ => false,
        }
    }

    /// `value` with the unknown put inside it (in a list or map) or
    /// instead of it.
    fn with_unknown(value: Value, nested: bool) -> Value {
        let unknown = Value::unknown("variable `x` has no default value");
        match (value, nested) {
            (Value::List(mut items), true) => {
                items.push(unknown);
                Value::List(items)
            }
            (Value::Object(mut map), true) => {
                map.insert("u".into(), unknown);
                Value::Object(map)
            }
            _ => unknown,
        }
    }

    proptest! {
        #[test]
        fn an_unknown_argument_makes_an_unknown_result(
            function in 0..IMPLEMENTED.len(),
            args in prop::collection::vec(known(), 1..4),
            position in 0usize..4,
            nested in any::<bool>(),
        ) {
            let name = IMPLEMENTED[function];
            let position = position % args.len();
            // Terraform does not look past a usable argument before it.
            if matches!(name, "coalesce" | "try") && position > 0 {
                return Ok(());
            }
            let mut args = args;
            args[position] = with_unknown(args[position].clone(), nested);
            let result = call(name, args.clone());
            // Unknown, or (`try`, `coalesce` returning the argument
            // itself) still holding the unknown: never dropped.
            prop_assert!(
                matches!(result, Value::Unknown(ref u) if !u.error || name == "can")
                    || holds_unknown(&result),
                "{name}({args:?}) = {result:?}"
            );
        }
    }

    #[test]
    fn every_implemented_function_is_evaluated() {
        // Each name in the list is really handled: a call with suitable
        // arguments gives a known value.
        let s = |t: &str| Value::String(t.into());
        let n = |x: f64| Value::Number(x);
        let l = |items: Vec<Value>| Value::List(items);
        let m = |pairs: Vec<(&str, Value)>| {
            Value::Object(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
        };
        let samples: Vec<(&str, Vec<Value>)> = vec![
            ("abs", vec![n(-1.0)]),
            ("alltrue", vec![l(vec![Value::Bool(true)])]),
            ("anytrue", vec![l(vec![Value::Bool(false)])]),
            ("can", vec![s("x")]),
            ("ceil", vec![n(1.5)]),
            ("chunklist", vec![l(vec![s("a"), s("b")]), n(1.0)]),
            ("coalesce", vec![s(""), s("x")]),
            ("coalescelist", vec![l(vec![]), l(vec![s("x")])]),
            ("compact", vec![l(vec![s(""), s("x")])]),
            ("concat", vec![l(vec![s("a")]), l(vec![s("b")])]),
            ("contains", vec![l(vec![s("a")]), s("a")]),
            ("csvdecode", vec![s("a\n1\n")]),
            ("distinct", vec![l(vec![s("a"), s("a")])]),
            ("element", vec![l(vec![s("a")]), n(0.0)]),
            ("endswith", vec![s("abc"), s("c")]),
            ("flatten", vec![l(vec![l(vec![s("a")])])]),
            ("floor", vec![n(1.5)]),
            ("format", vec![s("%s-%d"), s("a"), n(1.0)]),
            ("formatlist", vec![s("%s!"), l(vec![s("a"), s("b")])]),
            ("index", vec![l(vec![s("a"), s("b")]), s("b")]),
            ("join", vec![s(","), l(vec![s("a"), s("b")])]),
            ("jsondecode", vec![s("[1]")]),
            ("jsonencode", vec![l(vec![s("a")])]),
            ("keys", vec![m(vec![("a", n(1.0))])]),
            ("length", vec![s("abc")]),
            ("lookup", vec![m(vec![("a", n(1.0))]), s("a")]),
            ("lower", vec![s("A")]),
            (
                "matchkeys",
                vec![l(vec![s("x")]), l(vec![s("k")]), l(vec![s("k")])],
            ),
            ("max", vec![n(1.0), n(2.0)]),
            (
                "merge",
                vec![m(vec![("a", n(1.0))]), m(vec![("b", n(2.0))])],
            ),
            ("min", vec![n(1.0), n(2.0)]),
            ("nonsensitive", vec![s("a")]),
            ("one", vec![l(vec![s("a")])]),
            ("range", vec![n(3.0)]),
            ("replace", vec![s("a-b"), s("-"), s("_")]),
            ("reverse", vec![l(vec![s("a"), s("b")])]),
            ("sensitive", vec![s("a")]),
            (
                "setintersection",
                vec![l(vec![s("a"), s("b")]), l(vec![s("b")])],
            ),
            (
                "setsubtract",
                vec![l(vec![s("a"), s("b")]), l(vec![s("b")])],
            ),
            ("setunion", vec![l(vec![s("b")]), l(vec![s("a")])]),
            ("slice", vec![l(vec![s("a"), s("b")]), n(0.0), n(1.0)]),
            ("sort", vec![l(vec![s("b"), s("a")])]),
            ("split", vec![s(","), s("a,b")]),
            ("startswith", vec![s("abc"), s("a")]),
            ("strcontains", vec![s("abc"), s("b")]),
            ("substr", vec![s("abc"), n(0.0), n(1.0)]),
            ("sum", vec![l(vec![n(1.0), n(2.0)])]),
            ("title", vec![s("a b")]),
            ("tobool", vec![s("true")]),
            ("tolist", vec![l(vec![s("a")])]),
            ("tomap", vec![m(vec![("a", n(1.0))])]),
            ("tonumber", vec![s("1")]),
            ("toset", vec![l(vec![s("b"), s("a")])]),
            ("tostring", vec![n(1.0)]),
            ("transpose", vec![m(vec![("a", l(vec![s("x")]))])]),
            ("trim", vec![s("-a-"), s("-")]),
            ("trimprefix", vec![s("ab"), s("a")]),
            ("trimspace", vec![s(" a ")]),
            ("trimsuffix", vec![s("ab"), s("b")]),
            ("try", vec![s("a")]),
            ("upper", vec![s("a")]),
            ("values", vec![m(vec![("a", n(1.0))])]),
            ("yamldecode", vec![s("a: 1")]),
            ("zipmap", vec![l(vec![s("a")]), l(vec![n(1.0)])]),
        ];
        let sampled: Vec<&str> = samples.iter().map(|(name, _)| *name).collect();
        assert_eq!(
            sampled, IMPLEMENTED,
            "one sample per implemented function, in order"
        );
        for (name, args) in samples {
            let result = call(name, args.clone());
            assert!(
                !matches!(result, Value::Unknown(_)),
                "{name}({args:?}) = {result:?}"
            );
        }
        assert_eq!(
            call(
                "setunion",
                vec![l(vec![s("b"), s("a")]), l(vec![s("a"), s("c")])]
            ),
            l(vec![s("a"), s("b"), s("c")])
        );
        assert_eq!(
            call(
                "formatlist",
                vec![s("%s-%s"), l(vec![s("a"), s("b")]), s("x")]
            ),
            l(vec![s("a-x"), s("b-x")])
        );
        assert_eq!(
            call("range", vec![n(1.0), n(7.0), n(3.0)]),
            l(vec![n(1.0), n(4.0)])
        );
        assert!(matches!(call("range", vec![n(5000.0)]), Value::Unknown(u) if u.error));
    }
}
