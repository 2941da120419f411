//! RabbitMQ exchange routing as pure functions: does a binding take a message?
//!
//! Each function answers for one binding; an exchange routes a message to
//! every queue with at least one matching binding. The rules follow
//! RabbitMQ's server source (`rabbitmq/rabbitmq-server`, `deps/rabbit`), not
//! the AMQP 0-9-1 specification, where the two differ or the specification is
//! silent:
//!
//! - topic: `rabbit_db_topic_exchange.erl` (how keys split into words) and the
//!   topic table in `test/routing_SUITE.erl`;
//! - headers: `rabbit_exchange_type_headers.erl`.

/// RabbitMQ direct exchange: the binding key and the routing key are equal,
/// byte for byte. There are no wildcards, no case folding and no trimming; an
/// empty binding key takes only messages with an empty routing key.
pub fn direct_matches(binding_key: &str, routing_key: &str) -> bool {
    binding_key == routing_key
}

/// RabbitMQ fanout exchange: every binding takes every message; the routing
/// key and the binding key are ignored.
pub const fn fanout_matches(_routing_key: &str) -> bool {
    true
}

/// RabbitMQ topic exchange: does binding `pattern` match `routing_key`?
///
/// Both strings are split into words at every `.`. In the pattern, a word
/// that is exactly `*` matches exactly one word and a word that is exactly `#`
/// matches zero or more words; any other word, including one that merely
/// contains `*` or `#`, matches only an identical word.
///
/// Empty words follow RabbitMQ's `split_topic_key`: the empty string has no
/// words at all, while any non-empty string has one more word than it has
/// dots, so `"a..c"` is three words (`a`, an empty word, `c`) and `"a."` is
/// two (`a`, an empty word). Hence `*` matches an empty word (`a.*.c` matches
/// `a..c`) but not the empty key, and only `#`-only patterns and the empty
/// pattern match the empty key: RabbitMQ's `routing_SUITE` routes `""` to the
/// bindings `#`, `#.#`, `#.#.#` and `""`, and to no other binding of its table.
///
/// Runs in O(pattern words × key words) time and O(key words) space, with no
/// recursion, so patterns such as `#.#.#.#.#.#.#.#.x` cannot blow up.
/// RabbitMQ caps both keys at 255 bytes (an AMQP short string); this function
/// does not enforce that cap.
pub fn topic_matches(pattern: &str, routing_key: &str) -> bool {
    let key = topic_words(routing_key);
    // reached[j]: the pattern words seen so far can match exactly the first j
    // key words. Before any pattern word, only the empty prefix is matched.
    let mut reached = vec![false; key.len() + 1];
    if let Some(first) = reached.first_mut() {
        *first = true;
    }
    for word in topic_words(pattern) {
        if word == "#" {
            // RabbitMQ topic exchange: `#` matches zero or more words, so any
            // prefix reached before it can be extended by any number of words.
            let mut seen = false;
            for r in &mut reached {
                seen |= *r;
                *r = seen;
            }
        } else {
            // RabbitMQ topic exchange: `*` matches exactly one word, any other
            // pattern word exactly one identical word. Either way the matched
            // prefix grows by one key word.
            let advanced = reached.iter().zip(&key).map(|(&r, &k)| r && (word == "*" || word == k));
            reached = std::iter::once(false).chain(advanced).collect();
        }
        if !reached.contains(&true) {
            return false;
        }
    }
    reached.last().copied().unwrap_or(false)
}

/// Splits a topic routing or binding key into words as RabbitMQ's
/// `split_topic_key` does: the empty key is zero words, otherwise every `.`
/// separates two words, either of which may be empty.
fn topic_words(key: &str) -> Vec<&str> {
    if key.is_empty() { Vec::new() } else { key.split('.').collect() }
}

/// A header value, or a headers-exchange binding argument value.
///
/// AMQP field tables carry many numeric widths; RabbitMQ compares values with
/// Erlang's exact equality, under which an integer equals the same integer
/// whatever its wire width, so one `Int` stands for all of them. Values of
/// different variants are never equal: the header `"1"` does not match the
/// argument `1`, nor does `true` match `1`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderValue {
    String(String),
    Int(i64),
    Bool(bool),
    /// AMQP's `void` field: no value. As a binding argument it asks only that
    /// a header of that name be present, whatever its value; the AMQP
    /// specification leaves this unsaid, and RabbitMQ's headers exchange
    /// reads a valueless pattern field as a presence test.
    Void,
}

pub use crate::scenario::amqp::XMatch;

impl From<&crate::scenario::HeaderArg> for HeaderValue {
    /// The value the routing functions compare, for a header or binding
    /// argument as the scenario writes it.
    fn from(arg: &crate::scenario::HeaderArg) -> HeaderValue {
        use crate::scenario::HeaderArg;
        match arg {
            HeaderArg::String(s) => HeaderValue::String(s.clone()),
            HeaderArg::Int(i) => HeaderValue::Int(*i),
            HeaderArg::Bool(b) => HeaderValue::Bool(*b),
            HeaderArg::Void => HeaderValue::Void,
        }
    }
}

/// RabbitMQ headers exchange: does a binding with arguments `binding_args` and
/// mode `x_match` take a message carrying `headers`?
///
/// The rules of `rabbit_exchange_type_headers`:
/// - An argument matches when the message has a header of the same name and
///   an equal value; a [`HeaderValue::Void`] argument matches when the header
///   is present at all.
/// - The `x-match` argument itself is never compared; the mode comes from
///   `x_match`.
/// - `All` and `Any` skip every argument whose name starts with `x-`;
///   `AllWithX` and `AnyWithX` compare those too.
/// - `All`/`AllWithX` need every remaining argument to match, so a binding
///   with no remaining arguments matches every message. `Any`/`AnyWithX`
///   need at least one, so such a binding matches no message.
/// - Message headers that no argument names are irrelevant.
///
/// Header names in an AMQP table are unique; should `headers` repeat a name,
/// the first occurrence is the one compared.
pub fn headers_match(
    binding_args: &[(String, HeaderValue)],
    x_match: XMatch,
    headers: &[(String, HeaderValue)],
) -> bool {
    let with_x = matches!(x_match, XMatch::AllWithX | XMatch::AnyWithX);
    let mut counted = binding_args.iter().filter(|(name, _)| name != "x-match" && (with_x || !name.starts_with("x-")));
    let arg_matches = |(name, wanted): &(String, HeaderValue)| {
        let found = headers.iter().find(|(header, _)| header == name).map(|(_, value)| value);
        match (wanted, found) {
            (HeaderValue::Void, found) => found.is_some(),
            (wanted, Some(value)) => wanted == value,
            (_, None) => false,
        }
    };
    match x_match {
        XMatch::All | XMatch::AllWithX => counted.all(arg_matches),
        XMatch::Any | XMatch::AnyWithX => counted.any(arg_matches),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(entries: &[(&str, HeaderValue)]) -> Vec<(String, HeaderValue)> {
        entries.iter().map(|(name, value)| (name.to_string(), value.clone())).collect()
    }

    fn s(value: &str) -> HeaderValue {
        HeaderValue::String(value.to_string())
    }

    /// A direct binding takes exactly its own key, with no wildcards.
    #[test]
    fn direct_needs_the_exact_key() {
        assert!(direct_matches("orders.eu", "orders.eu"));
        assert!(direct_matches("", ""));
        assert!(!direct_matches("orders.eu", "Orders.eu"));
        assert!(!direct_matches("orders.*", "orders.eu"));
        assert!(!direct_matches("orders", "orders "));
    }

    /// A fanout binding takes every message.
    #[test]
    fn fanout_takes_everything() {
        assert!(fanout_matches(""));
        assert!(fanout_matches("anything.at.all"));
    }

    /// `a.*.c`: `*` stands for exactly one word.
    #[test]
    fn star_matches_exactly_one_word() {
        assert!(topic_matches("a.*.c", "a.b.c"));
        assert!(!topic_matches("a.*.c", "a.c"));
        assert!(!topic_matches("a.*.c", "a.b.b.c"));
    }

    /// `#.c`: a leading `#` absorbs any number of words, including none.
    #[test]
    fn leading_hash_matches_any_prefix() {
        assert!(topic_matches("#.c", "c"));
        assert!(topic_matches("#.c", "a.c"));
        assert!(topic_matches("#.c", "a.b.c"));
        assert!(!topic_matches("#.c", "c.a"));
    }

    /// `a.#`: a trailing `#` absorbs any number of words, including none.
    #[test]
    fn trailing_hash_matches_any_suffix() {
        assert!(topic_matches("a.#", "a"));
        assert!(topic_matches("a.#", "a.b"));
        assert!(topic_matches("a.#", "a.b.c"));
        assert!(!topic_matches("a.#", "b.a"));
    }

    /// `#` alone matches every routing key, the empty one included.
    #[test]
    fn lone_hash_matches_everything() {
        for key in ["", "a", "a.b.c", ".", "a..b"] {
            assert!(topic_matches("#", key), "{key:?}");
        }
    }

    /// `*` alone matches one-word keys only, and the empty key has no words.
    #[test]
    fn lone_star_matches_one_word_keys() {
        assert!(topic_matches("*", "oneword"));
        assert!(!topic_matches("*", ""));
        assert!(!topic_matches("*", "a.b"));
        assert!(!topic_matches("*", "."));
    }

    /// `a.#.c` matches `a.c`, `a.b.c` and `a.b.b.c`, and nothing else.
    #[test]
    fn inner_hash_matches_zero_or_more_middle_words() {
        assert!(topic_matches("a.#.c", "a.c"));
        assert!(topic_matches("a.#.c", "a.b.c"));
        assert!(topic_matches("a.#.c", "a.b.b.c"));
        assert!(!topic_matches("a.#.c", "a.b"));
        assert!(!topic_matches("a.#.c", "a.b.c.d"));
    }

    /// `a..c` has an empty middle word: `*` matches it, and so does an empty pattern word.
    #[test]
    fn empty_words_are_words() {
        assert!(topic_matches("a.*.c", "a..c"));
        assert!(topic_matches("a..c", "a..c"));
        assert!(!topic_matches("a..c", "a.c"));
        assert!(!topic_matches("a.c", "a..c"));
    }

    /// A trailing or leading dot adds an empty word at that end.
    #[test]
    fn edge_dots_add_empty_words() {
        assert!(topic_matches("a.*", "a."));
        assert!(topic_matches("a.#", "a."));
        assert!(!topic_matches("a", "a."));
        assert!(topic_matches("*.a", ".a"));
        assert!(topic_matches("*.*", "."));
    }

    /// The empty key is zero words: only `#`-only patterns and the empty pattern match it.
    #[test]
    fn empty_key_has_no_words() {
        assert!(topic_matches("", ""));
        assert!(topic_matches("#.#", ""));
        assert!(!topic_matches("", "a"));
        assert!(!topic_matches("a", ""));
        assert!(!topic_matches("#.*", ""));
    }

    /// A pattern with more literal words than the key cannot match it.
    #[test]
    fn pattern_longer_than_key_fails() {
        assert!(!topic_matches("a.b.c", "a.b"));
        assert!(!topic_matches("*.*.*", "a.b"));
    }

    /// A pattern with fewer words than the key, and no `#`, cannot match it.
    #[test]
    fn pattern_shorter_than_key_fails() {
        assert!(!topic_matches("a.b", "a.b.c"));
        assert!(!topic_matches("*", "a.b"));
    }

    /// `*` and `#` are wildcards only as whole words; inside a word they are literal.
    #[test]
    fn wildcards_only_as_whole_words() {
        assert!(!topic_matches("a*", "ab"));
        assert!(topic_matches("a*", "a*"));
        assert!(!topic_matches("#b", "ab"));
        assert!(!topic_matches("*b.c", "ab.c"));
    }

    /// The topic table of RabbitMQ's `routing_SUITE` routes every key to the same bindings.
    #[test]
    fn reproduces_rabbitmq_routing_suite_topic_table() {
        let bindings = [
            ("a.b.c", "t1"),
            ("a.*.c", "t2"),
            ("a.#.b", "t3"),
            ("a.b.b.c", "t4"),
            ("#", "t5"),
            ("#.#", "t6"),
            ("#.b", "t7"),
            ("*.*", "t8"),
            ("a.*", "t9"),
            ("*.b.c", "t10"),
            ("a.#", "t11"),
            ("a.#.#", "t12"),
            ("b.b.c", "t13"),
            ("a.b.b", "t14"),
            ("a.b", "t15"),
            ("b.c", "t16"),
            ("", "t17"),
            ("*.*.*", "t18"),
            ("vodka.martini", "t19"),
            ("a.b.c", "t20"),
            ("*.#", "t21"),
            ("#.*.#", "t22"),
            ("*.#.#", "t23"),
            ("#.#.#", "t24"),
            ("*", "t25"),
            ("#.b.#", "t26"),
            ("args-test", "t27"),
        ];
        let expected: [(&str, &[&str]); 12] = [
            ("a.b.c", &["t1", "t2", "t5", "t6", "t10", "t11", "t12", "t18", "t20", "t21", "t22", "t23", "t24", "t26"]),
            ("a.b", &["t3", "t5", "t6", "t7", "t8", "t9", "t11", "t12", "t15", "t21", "t22", "t23", "t24", "t26"]),
            ("a.b.b", &["t3", "t5", "t6", "t7", "t11", "t12", "t14", "t18", "t21", "t22", "t23", "t24", "t26"]),
            ("", &["t5", "t6", "t17", "t24"]),
            ("b.c.c", &["t5", "t6", "t18", "t21", "t22", "t23", "t24", "t26"]),
            ("a.a.a.a.a", &["t5", "t6", "t11", "t12", "t21", "t22", "t23", "t24"]),
            ("vodka.gin", &["t5", "t6", "t8", "t21", "t22", "t23", "t24"]),
            ("vodka.martini", &["t5", "t6", "t8", "t19", "t21", "t22", "t23", "t24"]),
            ("b.b.c", &["t5", "t6", "t10", "t13", "t18", "t21", "t22", "t23", "t24", "t26"]),
            ("nothing.here.at.all", &["t5", "t6", "t21", "t22", "t23", "t24"]),
            ("oneword", &["t5", "t6", "t21", "t22", "t23", "t24", "t25"]),
            ("args-test", &["t5", "t6", "t21", "t22", "t23", "t24", "t25", "t27"]),
        ];
        for (key, queues) in expected {
            let routed: Vec<&str> =
                bindings.iter().filter(|(pattern, _)| topic_matches(pattern, key)).map(|&(_, queue)| queue).collect();
            assert_eq!(routed, queues, "routing key {key:?}");
        }
    }

    /// Many `#` words against a long key finish at once instead of backtracking exponentially.
    #[test]
    fn pathological_hash_pattern_runs_fast() {
        let pattern = format!("{}x", "#.".repeat(40));
        let miss = vec!["a"; 200].join(".");
        let hit = format!("{miss}.x");
        assert!(!topic_matches(&pattern, &miss));
        assert!(topic_matches(&pattern, &hit));
        assert!(!topic_matches(&format!("{}#.y", "#.*.".repeat(40)), &hit));
    }

    /// `all` needs every argument to match; one wrong value fails the binding.
    #[test]
    fn all_needs_every_argument() {
        let args = table(&[("format", s("pdf")), ("region", s("eu"))]);
        let both = table(&[("region", s("eu")), ("format", s("pdf")), ("size", HeaderValue::Int(3))]);
        let one = table(&[("format", s("pdf")), ("region", s("us"))]);
        assert!(headers_match(&args, XMatch::All, &both));
        assert!(!headers_match(&args, XMatch::All, &one));
    }

    /// `any` needs one argument to match.
    #[test]
    fn any_needs_one_argument() {
        let args = table(&[("format", s("pdf")), ("region", s("eu"))]);
        let one = table(&[("format", s("pdf")), ("region", s("us"))]);
        let none = table(&[("format", s("zip"))]);
        assert!(headers_match(&args, XMatch::Any, &one));
        assert!(!headers_match(&args, XMatch::Any, &none));
    }

    /// A missing header fails `all` and contributes nothing to `any`.
    #[test]
    fn missing_header_does_not_match() {
        let args = table(&[("format", s("pdf")), ("region", s("eu"))]);
        let only_format = table(&[("format", s("pdf"))]);
        assert!(!headers_match(&args, XMatch::All, &only_format));
        assert!(headers_match(&args, XMatch::Any, &only_format));
        assert!(!headers_match(&args, XMatch::Any, &[]));
    }

    /// Equal-looking values of different types do not match.
    #[test]
    fn type_mismatch_does_not_match() {
        let int_arg = table(&[("n", HeaderValue::Int(1))]);
        assert!(!headers_match(&int_arg, XMatch::All, &table(&[("n", s("1"))])));
        assert!(!headers_match(&int_arg, XMatch::All, &table(&[("n", HeaderValue::Bool(true))])));
        assert!(headers_match(&int_arg, XMatch::All, &table(&[("n", HeaderValue::Int(1))])));
    }

    /// A binding with no arguments takes every message under `all` and none under `any`.
    #[test]
    fn empty_binding_matches_all_but_not_any() {
        let headers = table(&[("format", s("pdf"))]);
        for h in [&headers[..], &[]] {
            assert!(headers_match(&[], XMatch::All, h));
            assert!(headers_match(&[], XMatch::AllWithX, h));
            assert!(!headers_match(&[], XMatch::Any, h));
            assert!(!headers_match(&[], XMatch::AnyWithX, h));
        }
    }

    /// Plain `all` and `any` skip `x-` arguments, so those arguments never filter.
    #[test]
    fn x_arguments_are_ignored_by_all_and_any() {
        let args = table(&[("x-tenant", s("a")), ("format", s("pdf"))]);
        let other_tenant = table(&[("x-tenant", s("b")), ("format", s("pdf"))]);
        assert!(headers_match(&args, XMatch::All, &other_tenant));

        let only_x = table(&[("x-tenant", s("a"))]);
        let same_tenant = table(&[("x-tenant", s("a"))]);
        assert!(headers_match(&only_x, XMatch::All, &[]));
        assert!(!headers_match(&only_x, XMatch::Any, &same_tenant));
    }

    /// `all-with-x` and `any-with-x` compare `x-` arguments like any other.
    #[test]
    fn x_arguments_count_with_x() {
        let args = table(&[("x-tenant", s("a")), ("format", s("pdf"))]);
        let other_tenant = table(&[("x-tenant", s("b")), ("format", s("pdf"))]);
        let same_tenant = table(&[("x-tenant", s("a")), ("format", s("zip"))]);
        assert!(!headers_match(&args, XMatch::AllWithX, &other_tenant));
        assert!(headers_match(&args, XMatch::AnyWithX, &same_tenant));
        assert!(!headers_match(&table(&[("x-tenant", s("a"))]), XMatch::AnyWithX, &other_tenant));
    }

    /// The `x-match` argument is never compared against a header, even with `-with-x`.
    #[test]
    fn x_match_argument_is_never_compared() {
        let args = table(&[("x-match", s("all-with-x")), ("format", s("pdf"))]);
        let headers = table(&[("format", s("pdf"))]);
        assert!(headers_match(&args, XMatch::AllWithX, &headers));
        assert!(!headers_match(&table(&[("x-match", s("any-with-x"))]), XMatch::AnyWithX, &headers));
    }

    /// A `void` argument asks only that the header be present.
    #[test]
    fn void_argument_matches_presence() {
        let args = table(&[("trace", HeaderValue::Void)]);
        assert!(headers_match(&args, XMatch::All, &table(&[("trace", HeaderValue::Bool(false))])));
        assert!(!headers_match(&args, XMatch::All, &table(&[("other", HeaderValue::Void)])));
    }

    /// `x-match` values parse as RabbitMQ accepts them, and round-trip.
    #[test]
    fn x_match_values_parse_and_round_trip() {
        for mode in [XMatch::All, XMatch::Any, XMatch::AllWithX, XMatch::AnyWithX] {
            assert_eq!(XMatch::parse(mode.as_str()), Some(mode));
        }
        assert_eq!(XMatch::parse("ALL"), None);
        assert_eq!(XMatch::parse("some"), None);
        assert_eq!(XMatch::default(), XMatch::All);
    }
}
