//! Runtime of generated property tests (`--with proptest`): proptest strategies built by walking
//! the schema table, so every generated type and request gets values its schema accepts without
//! per-type code; the round trip of such values through their types; and a runner that serves a
//! router once and sends it one generated request per case.
//!
//! Values are drawn to satisfy each constraint (bounds, multiples, lengths, patterns, formats,
//! item counts, required members, tags), and the whole value is then validated against its
//! schema, so a strategy never yields a value the schema refuses (what drawing cannot aim at, such
//! as a pattern with lookaround, is rejected and drawn again). Recursion and deep nesting end in
//! the schema's smallest synthesized value.
//!
//! This file is copied verbatim into generated crates (as `runtime::strategy`). It may only use
//! std, `::proptest`, `::serde`, `::serde_json`, `::base64`, `::axum`, `::tokio` and the sibling
//! runtime modules.

use ::proptest::collection::vec;
use ::proptest::strategy::{BoxedStrategy, Just, Strategy, Union};
use ::proptest::test_runner::{Config, RngSeed, TestCaseError, TestError, TestRunner};
use ::serde_json::{Map, Value};

use super::schema::{
    allowed_values, integer_bounds, integer_value, number_value, Additional, Checks, IntKind, Node, NodeId, Schema,
    StringFormat, Struct,
};

/// Where a value is sent. Parameters get text every HTTP place carries unchanged (no spaces or
/// control characters a header would trim or refuse, nothing empty, `.` or `..` a path cannot
/// hold); parameters and form bodies (urlencoded, multipart) get no empty list or object at their
/// top, which those encodings cannot spell (it would go missing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Body,
    Form,
    Parameter,
}

/// Below this depth a node draws only its smallest synthesized value.
const MAX_DEPTH: usize = 6;
/// Nodes one strategy may draw freely; the rest draw their synthesized value (keeps strategies of
/// large specs small).
const NODE_BUDGET: u32 = 400;
/// Items or characters drawn beyond the minimum, at most.
const EXTRA_ITEMS: u64 = 4;
const EXTRA_CHARS: u64 = 24;
/// The cases a property runs when `PROPTEST_CASES` does not say.
const DEFAULT_CASES: u32 = 32;
/// The seed used when `PROPTEST_RNG_SEED` does not give one: the same cases on every run.
const DEFAULT_SEED: u64 = 0x5bec_0a11;

/// JSON values the schema `node` accepts.
pub fn values(schema: &'static Schema, node: NodeId, place: Place) -> BoxedStrategy<Value> {
    let mut draw = Draw { schema, place, budget: NODE_BUDGET, stack: Vec::new() };
    draw.node(node, 0).prop_filter("a value its schema accepts", move |value| schema.validate(node, value).is_empty()).boxed()
}

/// Values of `T` read from JSON the schema `node` accepts. A value `T` cannot read is drawn again;
/// [`round_trip`] is the property that says whether there are any.
pub fn typed<T>(schema: &'static Schema, node: NodeId, place: Place) -> BoxedStrategy<T>
where
    T: ::serde::de::DeserializeOwned + ::std::fmt::Debug + 'static,
{
    values(schema, node, place)
        .prop_filter_map("a value its type reads", |value| ::serde_json::from_value(value).ok())
        .boxed()
}

/// A value accepted by the schema `node` deserializes into `T` and serializes back to the same
/// data (what `T` models of it: members an open struct does not name are not kept).
pub fn round_trip<T>(schema: &Schema, node: NodeId, value: &Value) -> Result<(), String>
where
    T: ::serde::Serialize + ::serde::de::DeserializeOwned,
{
    let typed: T = ::serde_json::from_value(value.clone())
        .map_err(|e| format!("a value the schema accepts does not deserialize: {e}"))?;
    let back = ::serde_json::to_value(&typed).map_err(|e| format!("the value does not serialize back: {e}"))?;
    let kept = modeled(schema, node, value, 0);
    let mut pointer = String::new();
    super::schema::same(&kept, &back, &mut pointer)
        .map_err(|what| format!("the value changes in a round trip at `{pointer}`: {what}; it came back as {back}"))?;
    if let Some(violation) = schema.validate(node, &back).into_iter().next() {
        return Err(format!("the value comes back as one its schema refuses: `{}` {}", violation.pointer, violation.reason));
    }
    Ok(())
}

/// Runs `property` on values of `strategy`: `PROPTEST_CASES` cases (default 32), from
/// `PROPTEST_RNG_SEED` (default a fixed seed, so every run draws the same cases), shrinking a
/// failure to a small input. The message names the spec location of what is tested.
#[track_caller]
pub fn check<S, F>(location: &str, strategy: S, property: F)
where
    S: Strategy,
    F: Fn(S::Value) -> Result<(), String>,
{
    let mut runner = TestRunner::new(config());
    let result = runner.run(&strategy, |value| property(value).map_err(TestCaseError::fail));
    if let Err(problem) = described(location, result) {
        panic!("{problem}");
    }
}

/// Serves `router` on a loopback port once, then runs `property` on values of the strategy
/// `strategy` makes, as [`check`] does, with the server's base URL. Runs on a thread with a large
/// stack, as the contract checks do.
pub fn check_served<S, F, Fut>(location: &str, router: ::axum::Router, strategy: fn() -> S, property: F)
where
    S: Strategy + 'static,
    F: Fn(String, S::Value) -> Fut + Send + 'static,
    Fut: ::std::future::Future<Output = Result<(), String>>,
{
    let place = location.to_owned();
    let run = move || -> Result<(), String> {
        let runtime = ::tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("cannot start a tokio runtime: {e}"))?;
        let listener = runtime
            .block_on(::tokio::net::TcpListener::bind(("127.0.0.1", 0)))
            .map_err(|e| format!("cannot listen on a loopback port: {e}"))?;
        let address = listener.local_addr().map_err(|e| format!("cannot read the loopback address: {e}"))?;
        // A current-thread runtime runs the server while `block_on` drives each request.
        let server = runtime.spawn(async move { ::axum::serve(listener, router).await });
        let base = format!("http://{address}");
        let mut runner = TestRunner::new(config());
        let result = runner.run(&strategy(), |value| {
            runtime.block_on(property(base.clone(), value)).map_err(TestCaseError::fail)
        });
        server.abort();
        described(&place, result)
    };
    let outcome = ::std::thread::Builder::new().name("property-checks".into()).stack_size(64 << 20).spawn(run);
    match outcome.map(|thread| thread.join()) {
        Ok(Ok(Ok(()))) => {}
        Ok(Ok(Err(problem))) => panic!("{problem}"),
        Ok(Err(panic)) => ::std::panic::resume_unwind(panic),
        Err(e) => panic!("{location}: cannot start the property checks' thread: {e}"),
    }
}

fn config() -> Config {
    let mut config = Config::default();
    if ::std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = DEFAULT_CASES;
    }
    if config.rng_seed == RngSeed::Random {
        config.rng_seed = RngSeed::Fixed(DEFAULT_SEED);
    }
    // Failures are reported with their shrunk input; nothing is written into the user's tree.
    config.failure_persistence = None;
    config
}

/// A failed run in words: the location, the reason and the shrunk input.
fn described<V: ::std::fmt::Debug>(location: &str, result: Result<(), TestError<V>>) -> Result<(), String> {
    match result {
        Ok(()) => Ok(()),
        Err(TestError::Fail(reason, value)) => Err(format!("{location}: {reason}\nminimal failing input: {value:#?}")),
        Err(TestError::Abort(reason)) => Err(format!("{location}: no property test could run: {reason}")),
    }
}

/// What a generated type keeps of `value` (accepted by `node`): members an open struct does not
/// name are dropped, an untagged union keeps what its first accepting variant does.
pub fn modeled(schema: &Schema, node: NodeId, value: &Value, depth: usize) -> Value {
    if depth > 64 {
        return value.clone();
    }
    match (schema.node(node), value) {
        (Node::Nullable(_), Value::Null) => Value::Null,
        (Node::Nullable(inner) | Node::Checked(inner, _), v) => modeled(schema, *inner, v, depth + 1),
        (Node::List(item), Value::Array(items)) => {
            Value::Array(items.iter().map(|v| modeled(schema, *item, v, depth + 1)).collect())
        }
        (Node::Tuple(nodes), Value::Array(items)) => Value::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, v)| match nodes.get(i) {
                    Some(n) => modeled(schema, *n, v, depth + 1),
                    None => v.clone(),
                })
                .collect(),
        ),
        (Node::Map(item), Value::Object(members)) => Value::Object(
            members.iter().map(|(k, v)| (k.clone(), modeled(schema, *item, v, depth + 1))).collect(),
        ),
        (Node::Struct(structure), Value::Object(members)) => {
            let kept = members.iter().filter_map(|(k, v)| {
                let member = match structure.fields.iter().find(|f| f.name == k.as_str()) {
                    Some(_) if v.is_null() => Value::Null,
                    Some(field) => modeled(schema, field.node, v, depth + 1),
                    None => match structure.additional {
                        Additional::Ignore => return None,
                        Additional::Deny => v.clone(),
                        Additional::Map(node) => modeled(schema, node, v, depth + 1),
                    },
                };
                Some((k.clone(), member))
            });
            Value::Object(kept.collect())
        }
        (Node::Union(union), v) => {
            let tagged = union.discriminator.and_then(|(property, mapping)| {
                let tag = v.get(property)?.as_str()?;
                mapping.iter().find(|(known, _)| *known == tag).map(|(_, target)| *target)
            });
            let first = || union.variants.iter().copied().find(|variant| schema.validate(*variant, v).is_empty());
            match tagged.or_else(first) {
                Some(variant) => modeled(schema, variant, v, depth + 1),
                None => v.clone(),
            }
        }
        (_, v) => v.clone(),
    }
}

/// Builds the strategy of one node tree.
struct Draw {
    schema: &'static Schema,
    place: Place,
    /// Nodes left to draw freely.
    budget: u32,
    /// The nodes being built: meeting one again is recursion.
    stack: Vec<NodeId>,
}

impl Draw {
    fn node(&mut self, id: NodeId, depth: usize) -> BoxedStrategy<Value> {
        if depth > MAX_DEPTH || self.budget == 0 || self.stack.contains(&id) {
            return Just(self.schema.synthesize(id)).boxed();
        }
        self.budget -= 1;
        self.stack.push(id);
        let strategy = self.fresh(id, depth);
        self.stack.pop();
        strategy
    }

    fn fresh(&mut self, id: NodeId, depth: usize) -> BoxedStrategy<Value> {
        if let Node::Nullable(inner) = self.schema.node(id) {
            // The same depth: what is the top of a parameter stays the top.
            let inner = self.node(*inner, depth);
            return Union::new_weighted(vec![(1, Just(Value::Null).boxed()), (4, inner)]).boxed();
        }
        let (base, checks) = self.schema.resolve(id);
        if let Some(allowed) = checks.iter().find_map(|c| c.allowed.and_then(allowed_values)) {
            return one_of_values(allowed, || self.schema.synthesize(id));
        }
        match base {
            Node::Any => any_json(),
            Node::Bool => ::proptest::bool::ANY.prop_map(Value::Bool).boxed(),
            Node::Integer(kind) => integers(*kind, &checks),
            Node::Number => numbers(&checks),
            Node::String(format) => self.string(id, *format, &checks),
            Node::Enum(names) => {
                one_of_values(names.iter().map(|n| Value::String((*n).to_owned())).collect(), || Value::Null)
            }
            Node::List(item) => self.list(*item, &checks, depth),
            Node::Tuple(items) => {
                let items: Vec<BoxedStrategy<Value>> = items.iter().map(|item| self.node(*item, depth + 1)).collect();
                items.prop_map(Value::Array).boxed()
            }
            Node::Map(item) => {
                let value = self.node(*item, depth + 1);
                self.members(value, &checks)
            }
            Node::Object => self.members(any_scalar(), &checks),
            Node::Struct(structure) => self.structure(structure, depth),
            Node::Union(union) => {
                let mut branches: Vec<BoxedStrategy<Value>> = Vec::new();
                match union.discriminator {
                    Some((property, mapping)) => {
                        for (tag, target) in mapping {
                            let (property, tag) = (property.to_owned(), Value::String((*tag).to_owned()));
                            branches.push(
                                self.node(*target, depth + 1)
                                    .prop_map(move |mut value| {
                                        if let Value::Object(members) = &mut value {
                                            members.insert(property.clone(), tag.clone());
                                        }
                                        value
                                    })
                                    .boxed(),
                            );
                        }
                    }
                    None => branches.extend(union.variants.iter().map(|variant| self.node(*variant, depth + 1))),
                }
                if branches.is_empty() {
                    return Just(self.schema.synthesize(id)).boxed();
                }
                Union::new(branches).boxed()
            }
            // `resolve` looks through these.
            Node::Nullable(_) | Node::Checked(..) => Just(self.schema.synthesize(id)).boxed(),
        }
    }

    /// Required members always, optional ones or not (a recursive optional one never).
    fn structure(&mut self, structure: &Struct, depth: usize) -> BoxedStrategy<Value> {
        let mut members: Vec<BoxedStrategy<Option<(String, Value)>>> = Vec::new();
        for field in structure.fields {
            if !field.required && self.stack.contains(&field.node) {
                continue;
            }
            let value = self.node(field.node, depth + 1);
            let value = if field.nullable {
                Union::new_weighted(vec![(1, Just(Value::Null).boxed()), (4, value)]).boxed()
            } else {
                value
            };
            let name = field.name.to_owned();
            let member = value.prop_map(move |value| (name.clone(), value));
            members.push(if field.required {
                member.prop_map(Some).boxed()
            } else {
                ::proptest::option::of(member).boxed()
            });
        }
        let object =
            members.prop_map(|members| Value::Object(members.into_iter().flatten().collect::<Map<String, Value>>()));
        // As with lists: an object without members has no spelling in most parameter styles.
        if self.place == Place::Parameter && depth == 0 && !structure.fields.is_empty() {
            return object.prop_filter("a parameter object with members", |v| v.as_object().is_some_and(|m| !m.is_empty())).boxed();
        }
        object.boxed()
    }

    /// An object of members drawn from `value` under names of a few letters, as many as
    /// `minProperties`/`maxProperties` allow.
    fn members(&self, value: BoxedStrategy<Value>, checks: &[&Checks]) -> BoxedStrategy<Value> {
        let min = checks.iter().filter_map(|c| c.min_properties).max().unwrap_or(0);
        let max = checks.iter().filter_map(|c| c.max_properties).min().unwrap_or(u64::MAX).min(min + EXTRA_ITEMS);
        if max < min {
            return Just(Value::Object(Map::new())).boxed();
        }
        let key = vec(lowercase(), 1..=6).prop_map(|chars| chars.into_iter().collect::<String>());
        ::proptest::collection::btree_map(key, value, min as usize..=max as usize)
            .prop_map(|members| Value::Object(members.into_iter().collect()))
            .boxed()
    }

    fn list(&mut self, item: NodeId, checks: &[&Checks], depth: usize) -> BoxedStrategy<Value> {
        let min = checks.iter().filter_map(|c| c.min_items).max().unwrap_or(0);
        // An empty list has no spelling in most parameter styles (a required one would go missing).
        let top = match self.place {
            Place::Body => false,
            Place::Form => depth <= 1,
            Place::Parameter => depth == 0,
        };
        let min = if top { min.max(1) } else { min };
        let max = checks.iter().filter_map(|c| c.max_items).min().unwrap_or(u64::MAX).min(min + EXTRA_ITEMS);
        if max < min || min > 4_096 {
            return Just(Value::Array(Vec::new())).boxed();
        }
        let unique = checks.iter().any(|c| c.unique_items);
        let item = self.node(item, depth + 1);
        vec(item, min as usize..=max as usize)
            .prop_map(move |mut items| {
                if unique {
                    let mut seen: Vec<Value> = Vec::new();
                    items.retain(|item| {
                        let fresh = !seen.contains(item);
                        seen.push(item.clone());
                        fresh
                    });
                }
                Value::Array(items)
            })
            .boxed()
    }

    fn string(&self, id: NodeId, format: StringFormat, checks: &[&Checks]) -> BoxedStrategy<Value> {
        let min = checks.iter().filter_map(|c| c.min_length).max().unwrap_or(0);
        let max = checks.iter().filter_map(|c| c.max_length).min();
        let pattern = checks.iter().find_map(|c| c.pattern).and_then(|index| self.schema.patterns.get(index as usize));
        let synthesized = Just(self.schema.synthesize(id)).boxed();
        let place = self.place;
        let fits = move |s: &String| {
            let length = s.chars().count() as u64;
            length >= min
                && max.is_none_or(|max| length <= max)
                && (place != Place::Parameter
                    || (!s.is_empty() && s != "." && s != ".." && s.chars().all(|c| c.is_ascii_graphic())))
        };
        let text: BoxedStrategy<String> = if let Some(pattern) = pattern {
            let mut branches: Vec<(u32, BoxedStrategy<String>)> = Vec::new();
            if let Some(generated) = pattern.generator.and_then(|g| ::proptest::string::string_regex(g).ok()) {
                branches.push((4, generated.boxed()));
            }
            if let Some(sample) = pattern.sample {
                branches.push((1, Just(sample.to_owned()).boxed()));
            }
            if branches.is_empty() {
                return synthesized;
            }
            // A pattern's strings rarely meet lengths by chance: the synthesized value (made to fit
            // both) is a branch too.
            let drawn = Union::new_weighted(branches).prop_filter("a string of the allowed length", fits);
            let fallback = synthesized.prop_filter_map("a string", |v| v.as_str().map(str::to_owned));
            return Union::new_weighted(vec![(4, drawn.boxed()), (1, fallback.boxed())]).prop_map(Value::String).boxed();
        } else {
            match format {
                StringFormat::Plain | StringFormat::Binary => {
                    let floor = if place == Place::Parameter { min.max(1) } else { min };
                    let top = max.unwrap_or(u64::MAX).min(floor + EXTRA_CHARS);
                    if top < floor || floor > 65_536 {
                        return synthesized;
                    }
                    let chars = match place {
                        Place::Body | Place::Form => {
                            Union::new_weighted(vec![(8, readable()), (1, ::proptest::char::any().boxed())]).boxed()
                        }
                        Place::Parameter => unreserved(),
                    };
                    vec(chars, floor as usize..=top as usize).prop_map(|chars| chars.into_iter().collect()).boxed()
                }
                StringFormat::Date => date().boxed(),
                StringFormat::DateTime => (date(), 0u32..24, 0u32..60, 0u32..60, ::proptest::option::of(0u32..1000))
                    .prop_map(|(date, h, m, s, millis)| match millis {
                        Some(ms) => format!("{date}T{h:02}:{m:02}:{s:02}.{ms:03}Z"),
                        None => format!("{date}T{h:02}:{m:02}:{s:02}Z"),
                    })
                    .boxed(),
                StringFormat::Uuid => ::proptest::num::u128::ANY
                    .prop_map(|n| {
                        let hex = format!("{n:032x}");
                        format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
                    })
                    .boxed(),
                StringFormat::Base64 => vec(::proptest::num::u8::ANY, 0..24)
                    .prop_map(|bytes| ::base64::Engine::encode(&::base64::engine::general_purpose::STANDARD, bytes))
                    .boxed(),
            }
        };
        text.prop_filter("a string of the allowed length", fits).prop_map(Value::String).boxed()
    }
}

fn one_of_values(values: Vec<Value>, empty: impl FnOnce() -> Value) -> BoxedStrategy<Value> {
    if values.is_empty() {
        return Just(empty()).boxed();
    }
    ::proptest::sample::select(values).boxed()
}

fn integers(kind: IntKind, checks: &[&Checks]) -> BoxedStrategy<Value> {
    let (low, high) = integer_bounds(kind, checks);
    if low > high {
        return Just(Value::Null).boxed();
    }
    let multiple = checks.iter().find_map(|c| c.multiple_of).filter(|m| *m >= 1.0 && m.fract() == 0.0 && *m < 9.0e18);
    if let Some(m) = multiple.map(|m| m as i128) {
        let (first, last) = (ceil_div(low, m), high.div_euclid(m));
        if first > last {
            return Just(Value::Null).boxed();
        }
        return near_zero(first, last).prop_map(move |k| integer_value(k.saturating_mul(m))).boxed();
    }
    near_zero(low, high).prop_map(integer_value).boxed()
}

/// Integers of `low..=high`: the bounds themselves, small numbers, and any of the range.
fn near_zero(low: i128, high: i128) -> BoxedStrategy<i128> {
    let small = (low.max(-100))..=(high.min(100));
    let mut branches = vec![(1, Just(low).boxed()), (1, Just(high).boxed()), (3, (low..=high).boxed())];
    if small.start() <= small.end() {
        branches.push((3, small.boxed()));
    }
    Union::new_weighted(branches).boxed()
}

fn ceil_div(a: i128, m: i128) -> i128 {
    let q = a.div_euclid(m);
    if q.saturating_mul(m) == a { q } else { q.saturating_add(1) }
}

/// Numbers inside the bounds (within 10^6 of zero or of the one bound given, so `float` fields
/// keep them), on a `multipleOf` grid when there is one.
fn numbers(checks: &[&Checks]) -> BoxedStrategy<Value> {
    let finite = |b: &(f64, bool)| b.0.is_finite();
    let minimum = checks.iter().filter_map(|c| c.minimum).filter(finite).map(|(b, _)| b).reduce(f64::max);
    let maximum = checks.iter().filter_map(|c| c.maximum).filter(finite).map(|(b, _)| b).reduce(f64::min);
    let low = minimum.unwrap_or_else(|| maximum.map_or(-1.0e6, |high| high.min(1.0e6) - 2.0e6));
    let high = maximum.unwrap_or_else(|| low.max(-1.0e6) + 2.0e6);
    if low > high {
        return Just(Value::Null).boxed();
    }
    if let Some(m) = checks.iter().find_map(|c| c.multiple_of).filter(|m| *m > 0.0 && m.is_finite()) {
        let (first, last) = ((low / m).ceil(), (high / m).floor());
        if first > last || !first.is_finite() || !last.is_finite() {
            return Just(Value::Null).boxed();
        }
        // A fine grid over a wide range: the million steps nearest zero (or the first bound).
        let (mut first, mut last) = (first.max(-9.0e15), last.min(9.0e15));
        if last - first > 2.0e6 {
            first = first.max(-1.0e6).min(last - 2.0e6);
            last = first + 2.0e6;
        }
        return ((first as i64)..=(last as i64)).prop_map(move |k| number_value(k as f64 * m)).boxed();
    }
    let any = (low..=high).prop_map(number_value);
    let (whole_low, whole_high) = (low.ceil(), high.floor());
    if whole_low <= whole_high && whole_low.abs() < 9.0e15 && whole_high.abs() < 9.0e15 {
        let whole = ((whole_low as i64)..=(whole_high as i64)).prop_map(|n| number_value(n as f64));
        Union::new_weighted(vec![(1, whole.boxed()), (2, any.boxed())]).boxed()
    } else {
        any.boxed()
    }
}

fn date() -> impl Strategy<Value = String> {
    (1900u32..2100, 1u32..=12, 1u32..=28).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}"))
}

fn lowercase() -> BoxedStrategy<char> {
    ::proptest::char::range('a', 'z').boxed()
}

/// Characters data is mostly made of.
fn readable() -> BoxedStrategy<char> {
    ::proptest::sample::select(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,-_'\"/:@éü€".chars().collect::<Vec<char>>(),
    )
    .boxed()
}

/// RFC 3986's unreserved characters but `.`: what every parameter place carries as is (`.` is the
/// label style's separator, which RFC 6570 leaves unencoded).
fn unreserved() -> BoxedStrategy<char> {
    ::proptest::sample::select(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_~".chars().collect::<Vec<char>>(),
    )
    .boxed()
}

fn any_scalar() -> BoxedStrategy<Value> {
    Union::new(vec![
        ::proptest::bool::ANY.prop_map(Value::Bool).boxed(),
        (-1_000i64..1_000).prop_map(Value::from).boxed(),
        vec(lowercase(), 0..8).prop_map(|chars| Value::String(chars.into_iter().collect())).boxed(),
    ])
    .boxed()
}

/// Free-form data: an object of a few scalars, or a scalar.
fn any_json() -> BoxedStrategy<Value> {
    let key = vec(lowercase(), 1..=6).prop_map(|chars| chars.into_iter().collect::<String>());
    let object = ::proptest::collection::btree_map(key, any_scalar(), 0..=3)
        .prop_map(|members| Value::Object(members.into_iter().collect()));
    Union::new_weighted(vec![(3, object.boxed()), (1, any_scalar())]).boxed()
}
