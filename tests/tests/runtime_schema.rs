//! The schema runtime copied into generated crates (`spec-codegen/runtime/schema.rs`), exercised on
//! hand-built tables: validation (every violation, with pointers), coercion, shapes, parameter
//! parsing by style, form bodies and synthesis.

#[path = "../../spec-codegen/runtime/schema.rs"]
mod schema;

use schema::{
    Additional, Checks, Field, IntKind, Node, NodeId, ParamSpec, Pattern, Schema, Shape, StringFormat, Struct, Style,
    Union, Violation, parse_form, parse_query, parse_single, same,
};
use serde_json::{Value, json};

const NO: Checks = Checks::NONE;

const fn field(name: &'static str, node: NodeId, required: bool, nullable: bool) -> Field {
    Field::new(name, node, required, nullable)
}

const ANY: NodeId = 0;
const BOOL: NodeId = 1;
const I8: NodeId = 2;
const I64: NodeId = 3;
const U8: NodeId = 4;
const NUM: NodeId = 5;
const STR: NodeId = 6;
const DATETIME: NodeId = 7;
const DATE: NodeId = 8;
const UUID: NodeId = 9;
const B64: NodeId = 10;
const COLOR: NodeId = 11;
const LIST_I64: NodeId = 12;
const MAP_I64: NodeId = 13;
const TUPLE: NodeId = 14;
const NULL_I64: NodeId = 15;
const OBJECT: NodeId = 16;
const PET: NodeId = 17;
const NAME: NodeId = 18;
const LIST_STR: NodeId = 19;
const CAT: NodeId = 20;
const DOG: NodeId = 21;
const ANIMAL: NodeId = 22;
const INT_OR_STR: NodeId = 23;
const CAT_OR_DOG: NodeId = 24;
const OWNER: NodeId = 25;
const LIST_PET: NodeId = 26;
const DEEP: NodeId = 27;
const BAD_ITEM: NodeId = 28;
const CYCLE: NodeId = 29;
const BOUNDED: NodeId = 30;
const UNIQUE_STRS: NodeId = 31;
const SMALL_MAP: NodeId = 32;
const ALLOWED: NodeId = 33;
const BAD_PATTERN: NodeId = 34;
const TENTHS: NodeId = 35;
const ZIP: NodeId = 36;
const KIND_WORD: NodeId = 37;
const OPEN_RANGE: NodeId = 38;
const UNIQUE_EVENS: NodeId = 39;
const LIST_EVEN: NodeId = 40;
const EVEN: NodeId = 41;
const TWELVE: NodeId = 42;
const EMAIL: NodeId = 43;
const COUNTRY: NodeId = 44;
const ICASE: NodeId = 45;
const UNIQUE_DATES: NodeId = 46;
const LIST_DATE: NodeId = 47;
const FILTER: NodeId = 48;
const ADDRESS: NodeId = 49;
const NULL_CHECKED_LIST: NodeId = 50;
const CHECKED_LIST: NodeId = 51;
const STR_OR_MAP: NodeId = 52;
const MISSING_CHECKS: NodeId = 53;
const MISSING_PATTERN: NodeId = 54;
const STR_OR_INT: NodeId = 55;
const OPEN_STRUCT: NodeId = 56;
const TREE: NodeId = 57;
const TREE_A: NodeId = 58;
const TREE_B: NodeId = 59;
const WIDE_STRUCT: NodeId = 60;
const SMALL_OBJECT: NodeId = 61;
const UNIQUE_FLOATS: NodeId = 62;
const LIST_OPEN_RANGE: NodeId = 63;
const UNIQUE_PETS: NodeId = 64;
const PAIR_TUPLE_LIST: NodeId = 65;
const NULL_NAME_CHECKED: NodeId = 66;
const UNIQUE_COLORS: NodeId = 67;
const LIST_COLOR: NodeId = 68;
const NEG_RANGE: NodeId = 69;
const NUM_BELOW: NodeId = 70;
const LONG_NAME: NodeId = 71;
const EMPTY_UNION: NodeId = 72;
const TAGGED_ANY: NodeId = 73;
const UNIQUE_UUIDS: NodeId = 74;
const LIST_UUID: NodeId = 75;
const EMPTY_STRUCT_DENY: NodeId = 76;
const NEEDY: NodeId = 77;
const LIST_ANIMAL: NodeId = 78;
const ALLOWED_INT: NodeId = 79;
const U64: NodeId = 80;
const I16: NodeId = 81;
const I32: NodeId = 82;
const U16: NodeId = 83;
const U32: NodeId = 84;
const FIRST_UNSATISFIABLE: NodeId = 85;
const FIRST_TAG_UNSATISFIABLE: NodeId = 86;
const LOOSE_CAT: NodeId = 87;
const LOOSE_DOG: NodeId = 88;
const LOOSE_ANIMAL: NodeId = 89;
const STR_OR_LIST: NodeId = 90;

static NODES: &[Node] = &[
    /* 0 */ Node::Any,
    /* 1 */ Node::Bool,
    /* 2 */ Node::Integer(IntKind::I8),
    /* 3 */ Node::Integer(IntKind::I64),
    /* 4 */ Node::Integer(IntKind::U8),
    /* 5 */ Node::Number,
    /* 6 */ Node::String(StringFormat::Plain),
    /* 7 */ Node::String(StringFormat::DateTime),
    /* 8 */ Node::String(StringFormat::Date),
    /* 9 */ Node::String(StringFormat::Uuid),
    /* 10 */ Node::String(StringFormat::Base64),
    /* 11 */ Node::Enum(&["red", "green", "blue"]),
    /* 12 */ Node::List(I64),
    /* 13 */ Node::Map(I64),
    /* 14 */ Node::Tuple(&[STR, I64]),
    /* 15 */ Node::Nullable(I64),
    /* 16 */ Node::Object,
    /* 17 */
    Node::Struct(Struct {
        fields: &[
            field("name", NAME, true, false),
            field("age", U8, false, false),
            field("tag", STR, false, true),
            field("tags", LIST_STR, false, false),
        ],
        additional: Additional::Deny,
    }),
    /* 18 */ Node::Checked(STR, 0),
    /* 19 */ Node::List(STR),
    /* 20 */
    Node::Struct(Struct {
        fields: &[field("kind", STR, true, false), field("meows", BOOL, true, false)],
        additional: Additional::Ignore,
    }),
    /* 21 */
    Node::Struct(Struct {
        fields: &[field("kind", STR, true, false), field("barks", BOOL, true, false)],
        additional: Additional::Ignore,
    }),
    /* 22 */
    Node::Union(Union { variants: &[CAT, DOG], discriminator: Some(("kind", &[("cat", CAT), ("dog", DOG)])) }),
    /* 23 */ Node::Union(Union { variants: &[I64, STR], discriminator: None }),
    /* 24 */ Node::Union(Union { variants: &[CAT, DOG], discriminator: None }),
    /* 25 */
    Node::Struct(Struct {
        fields: &[field("id", I64, true, false), field("pets", LIST_PET, true, false)],
        additional: Additional::Map(I64),
    }),
    /* 26 */ Node::List(PET),
    /* 27 */ Node::List(DEEP),
    /* 28 */ Node::List(999),
    /* 29 */ Node::Nullable(CYCLE),
    /* 30 */ Node::Checked(I64, 1),
    /* 31 */ Node::Checked(LIST_STR, 2),
    /* 32 */ Node::Checked(MAP_I64, 3),
    /* 33 */ Node::Checked(ANY, 4),
    /* 34 */ Node::Checked(STR, 5),
    /* 35 */ Node::Checked(NUM, 6),
    /* 36 */ Node::Checked(STR, 7),
    /* 37 */ Node::Checked(STR, 8),
    /* 38 */ Node::Checked(NUM, 9),
    /* 39 */ Node::Checked(LIST_EVEN, 10),
    /* 40 */ Node::List(EVEN),
    /* 41 */ Node::Checked(I64, 11),
    /* 42 */ Node::Checked(STR, 12),
    /* 43 */ Node::Checked(STR, 13),
    /* 44 */ Node::Checked(STR, 14),
    /* 45 */ Node::Checked(STR, 15),
    /* 46 */ Node::Checked(LIST_DATE, 16),
    /* 47 */ Node::List(DATE),
    /* 48 */
    Node::Struct(Struct {
        fields: &[
            field("role", STR, false, false),
            field("limit", I64, false, false),
            field("tags", LIST_STR, false, false),
            field("address", ADDRESS, false, false),
            field("flag", BOOL, false, false),
        ],
        additional: Additional::Ignore,
    }),
    /* 49 */
    Node::Struct(Struct {
        fields: &[field("city", STR, false, false), field("zip", I64, false, false)],
        additional: Additional::Ignore,
    }),
    /* 50 */ Node::Nullable(CHECKED_LIST),
    /* 51 */ Node::Checked(LIST_I64, 17),
    /* 52 */ Node::Union(Union { variants: &[STR, MAP_I64], discriminator: None }),
    /* 53 */ Node::Checked(I64, 999),
    /* 54 */ Node::Checked(STR, 18),
    /* 55 */ Node::Union(Union { variants: &[STR, I64], discriminator: None }),
    /* 56 */
    Node::Struct(Struct { fields: &[field("a", I64, true, false)], additional: Additional::Map(BOOL) }),
    /* 57 */ Node::Union(Union { variants: &[TREE_A, TREE_B], discriminator: None }),
    /* 58 */
    Node::Struct(Struct {
        fields: &[field("child", TREE, true, true), field("a", BOOL, true, false)],
        additional: Additional::Ignore,
    }),
    /* 59 */
    Node::Struct(Struct {
        fields: &[field("child", TREE, true, true), field("b", BOOL, true, false)],
        additional: Additional::Ignore,
    }),
    /* 60 */ Node::Checked(OPEN_STRUCT, 19),
    /* 61 */ Node::Checked(OBJECT, 3),
    /* 62 */ Node::Checked(LIST_OPEN_RANGE, 20),
    /* 63 */ Node::List(OPEN_RANGE),
    /* 64 */ Node::Checked(LIST_PET, 21),
    /* 65 */ Node::List(TUPLE),
    /* 66 */ Node::Nullable(NAME),
    /* 67 */ Node::Checked(LIST_COLOR, 22),
    /* 68 */ Node::List(COLOR),
    /* 69 */ Node::Checked(I64, 23),
    /* 70 */ Node::Checked(NUM, 24),
    /* 71 */ Node::Checked(STR, 25),
    /* 72 */ Node::Union(Union { variants: &[], discriminator: None }),
    /* 73 */ Node::Union(Union { variants: &[], discriminator: Some(("type", &[("a", CAT)])) }),
    /* 74 */ Node::Checked(LIST_UUID, 16),
    /* 75 */ Node::List(UUID),
    /* 76 */ Node::Struct(Struct { fields: &[], additional: Additional::Deny }),
    /* 77 */
    Node::Struct(Struct {
        fields: &[
            field("when", DATETIME, true, false),
            field("day", DATE, true, false),
            field("id", UUID, true, false),
            field("blob", B64, true, false),
            field("color", COLOR, true, false),
            field("pair", TUPLE, true, false),
            field("maybe", NULL_I64, true, true),
            field("zip", ZIP, true, false),
            field("owner", OWNER, true, false),
            field("animal", ANIMAL, true, false),
            field("optional", TREE, false, false),
        ],
        additional: Additional::Deny,
    }),
    /* 78 */ Node::List(ANIMAL),
    /* 79 */ Node::Checked(I64, 26),
    /* 80 */ Node::Integer(IntKind::U64),
    /* 81 */ Node::Integer(IntKind::I16),
    /* 82 */ Node::Integer(IntKind::I32),
    /* 83 */ Node::Integer(IntKind::U16),
    /* 84 */ Node::Integer(IntKind::U32),
    // Unions whose first variant admits no value: synthesis takes the next that does.
    /* 85 */
    Node::Union(Union { variants: &[BAD_PATTERN, I64], discriminator: None }),
    /* 86 */
    Node::Union(Union {
        variants: &[BAD_PATTERN, CAT],
        discriminator: Some(("kind", &[("bad", BAD_PATTERN), ("cat", CAT)])),
    }),
    // A discriminator its variants do not require (GitHub's `user_view_type`).
    /* 87 */
    Node::Struct(Struct {
        fields: &[field("kind", STR, false, false), field("meows", BOOL, true, false)],
        additional: Additional::Deny,
    }),
    /* 88 */
    Node::Struct(Struct {
        fields: &[field("kind", STR, false, false), field("barks", BOOL, true, false)],
        additional: Additional::Deny,
    }),
    /* 89 */
    Node::Union(Union {
        variants: &[LOOSE_CAT, LOOSE_DOG],
        discriminator: Some(("kind", &[("cat", LOOSE_CAT), ("dog", LOOSE_DOG)])),
    }),
    // GitHub's `has`: one string, or a list.
    /* 90 */
    Node::Union(Union { variants: &[STR, LIST_I64], discriminator: None }),
];

static CHECKS: &[Checks] = &[
    /* 0 name */ Checks { min_length: Some(1), max_length: Some(10), pattern: Some(0), ..NO },
    /* 1 bounded */
    Checks { minimum: Some((0.0, true)), maximum: Some((10.0, false)), multiple_of: Some(3.0), ..NO },
    /* 2 items */ Checks { min_items: Some(2), max_items: Some(3), unique_items: true, ..NO },
    /* 3 props */ Checks { min_properties: Some(1), max_properties: Some(2), ..NO },
    /* 4 allowed */ Checks { allowed: Some(r#"[1, 2.5, "x", null, {"a": [1]}]"#), ..NO },
    /* 5 bad pattern */ Checks { pattern: Some(1), ..NO },
    /* 6 tenths */ Checks { multiple_of: Some(0.1), minimum: Some((0.0, true)), ..NO },
    /* 7 zip */ Checks { pattern: Some(2), ..NO },
    /* 8 kind word */ Checks { pattern: Some(3), ..NO },
    /* 9 open range */ Checks { minimum: Some((1.5, true)), maximum: Some((2.0, true)), ..NO },
    /* 10 five unique */ Checks { min_items: Some(5), unique_items: true, ..NO },
    /* 11 even */
    Checks { minimum: Some((10.0, false)), maximum: Some((20.0, false)), multiple_of: Some(2.0), ..NO },
    /* 12 twelve */ Checks { min_length: Some(12), max_length: Some(12), ..NO },
    /* 13 email */ Checks { pattern: Some(4), ..NO },
    /* 14 country */ Checks { pattern: Some(5), ..NO },
    /* 15 icase */ Checks { pattern: Some(6), ..NO },
    /* 16 three unique */ Checks { min_items: Some(3), unique_items: true, ..NO },
    /* 17 nothing */ NO,
    /* 18 missing pattern */ Checks { pattern: Some(999), ..NO },
    /* 19 three props */ Checks { min_properties: Some(3), ..NO },
    /* 20 three unique */ Checks { min_items: Some(3), unique_items: true, ..NO },
    /* 21 two unique */ Checks { min_items: Some(2), unique_items: true, ..NO },
    /* 22 three unique */ Checks { min_items: Some(3), unique_items: true, ..NO },
    /* 23 negative */
    Checks { minimum: Some((-7.5, false)), maximum: Some((-2.0, true)), multiple_of: Some(2.5), ..NO },
    /* 24 number below */ Checks { maximum: Some((-3.0, true)), multiple_of: Some(0.25), ..NO },
    /* 25 long name */ Checks { min_length: Some(20), pattern: Some(7), ..NO },
    /* 26 allowed ints */ Checks { allowed: Some("[4, 8]"), ..NO },
];

static PATTERNS: [Pattern; 8] = [
    Pattern::new("^[A-Za-z]+$", ""),
    Pattern::new("(", ""),
    Pattern::new("^\\d{5}$", "u"),
    Pattern::new("^(cat|dog)$", ""),
    Pattern::new("^[^@]+@[^@]+\\.[a-z]+$", ""),
    Pattern::new("^[A-Z]{2}$", ""),
    Pattern::new("^abc$", "i"),
    Pattern::new("^[a-z]+$", ""),
];

static SCHEMA: Schema = Schema { nodes: NODES, checks: CHECKS, patterns: &PATTERNS };

fn validate(node: NodeId, value: Value) -> Vec<(String, String)> {
    SCHEMA.validate(node, &value).into_iter().map(|Violation { pointer, reason }| (pointer, reason)).collect()
}

fn v(pointer: &str, reason: &str) -> (String, String) {
    (pointer.to_owned(), reason.to_owned())
}

fn ok(node: NodeId, value: Value) {
    let found = validate(node, value.clone());
    assert!(found.is_empty(), "{value} against node {node}: {found:?}");
}

fn one(node: NodeId, value: Value, pointer: &str, reason: &str) {
    assert_eq!(validate(node, value), vec![v(pointer, reason)]);
}

// ---- validation ----------------------------------------------------------------------------------

#[test]
fn table_indices_match_the_constants() {
    assert_eq!(NODES.len() as NodeId, STR_OR_LIST + 1);
    assert!(matches!(NODES[LIST_ANIMAL as usize], Node::List(ANIMAL)));
    assert!(matches!(NODES[UNIQUE_UUIDS as usize], Node::Checked(LIST_UUID, 16)));
    assert!(matches!(NODES[NEEDY as usize], Node::Struct(_)));
}

#[test]
fn scalars() {
    ok(ANY, json!({"anything": [1, null]}));
    ok(BOOL, json!(true));
    one(BOOL, json!("true"), "", "must be a boolean, got \"true\"");
    ok(NUM, json!(1.5));
    ok(NUM, json!(-3));
    one(NUM, json!(null), "", "must be a number, got null");
    ok(STR, json!(""));
    one(STR, json!(12), "", "must be a string, got 12");
    one(STR, json!([1]), "", "must be a string, got an array");
    one(STR, json!({}), "", "must be a string, got an object");
    ok(COLOR, json!("green"));
    one(COLOR, json!("pink"), "", "must be one of `red`, `green`, `blue`, got \"pink\"");
    one(COLOR, json!(1), "", "must be one of `red`, `green`, `blue`, got 1");
    ok(OBJECT, json!({"a": 1}));
    one(OBJECT, json!([]), "", "must be an object, got an array");
    ok(NULL_I64, json!(null));
    ok(NULL_I64, json!(4));
    one(NULL_I64, json!("4"), "", "must be an integer, got \"4\"");
    let long = "x".repeat(41);
    one(STR, json!(true), "", "must be a string, got true");
    one(I64, json!(long), "", "must be an integer, got a string of 41 characters");
}

#[test]
fn integers() {
    ok(I64, json!(3));
    ok(I64, json!(-3));
    ok(I64, json!(3.0));
    ok(I64, serde_json::from_str::<Value>("1e2").unwrap());
    ok(I64, json!(i64::MIN));
    ok(U64, json!(u64::MAX));
    one(I64, json!(1.5), "", "must be an integer, got 1.5");
    one(I64, json!("3"), "", "must be an integer, got \"3\"");
    ok(I8, json!(127));
    ok(I8, json!(-128));
    one(I8, json!(128), "", "must be at most 127, got 128");
    one(I8, json!(-129), "", "must be at least -128, got -129");
    one(U8, json!(-1), "", "must be at least 0, got -1");
    one(U8, json!(256.0), "", "must be at most 255, got 256.0");
    one(I64, json!(u64::MAX), "", "must be at most 9223372036854775807, got 18446744073709551615");
    let huge = serde_json::from_str::<Value>("123456789012345678901234567890").unwrap();
    // The number as serde_json keeps it: exact with `arbitrary_precision`, else as a float.
    let found = validate(U64, huge);
    assert_eq!(found.len(), 1);
    assert!(found[0].1.starts_with("must be at most 18446744073709551615, got 1"), "{found:?}");
    one(U64, json!(-1), "", "must be at least 0, got -1");
    for (node, low, high) in [
        (I16, i64::from(i16::MIN), i64::from(i16::MAX)),
        (I32, i64::from(i32::MIN), i64::from(i32::MAX)),
        (U16, 0, i64::from(u16::MAX)),
        (U32, 0, i64::from(u32::MAX)),
    ] {
        ok(node, json!(low));
        ok(node, json!(high));
        one(node, json!(low - 1), "", &format!("must be at least {low}, got {}", low - 1));
        one(node, json!(high + 1), "", &format!("must be at most {high}, got {}", high + 1));
    }
}

#[test]
fn string_formats() {
    for good in [
        "2024-01-02T03:04:05Z",
        "2024-01-02t03:04:05z",
        "2024-01-02T03:04:05.123456Z",
        "2024-01-02T03:04:05+01:00",
        "2024-01-02T23:59:60-23:59",
        "2024-02-29T00:00:00Z",
    ] {
        ok(DATETIME, json!(good));
    }
    for bad in [
        "2024-01-02",
        "2024-01-02 03:04:05Z",
        "2024-01-02T03:04:05",
        "2024-01-02T03:04Z",
        "2024-01-02T24:00:00Z",
        "2024-01-02T03:04:05.Z",
        "2024-01-02T03:04:05+0100",
        "2023-02-29T00:00:00Z",
        "2024-13-01T00:00:00Z",
        "2024-01-02T03:04:05Zjunk",
        "",
        "é",
    ] {
        one(
            DATETIME,
            json!(bad),
            "",
            &format!("must be an RFC 3339 date-time like 2024-01-02T03:04:05Z, got {}", json!(bad)),
        );
    }
    for good in ["2024-01-31", "2024-02-29", "2000-02-29", "1999-12-31"] {
        ok(DATE, json!(good));
    }
    for bad in [
        "2023-02-29",
        "1900-02-29",
        "2024-04-31",
        "2024-00-10",
        "2024-1-10",
        "2024-01-00",
        "20240101",
        "2024-01-01T00:00:00Z",
    ] {
        one(DATE, json!(bad), "", &format!("must be a date like 2024-01-02, got {}", json!(bad)));
    }
    ok(UUID, json!("123e4567-e89b-12d3-a456-426614174000"));
    ok(UUID, json!("123E4567-E89B-12D3-A456-426614174000"));
    for bad in [
        "123e4567e89b12d3a456426614174000",
        "123e4567-e89b-12d3-a456-42661417400g",
        "123e4567-e89b-12d3-a456-4266141740000",
    ] {
        one(UUID, json!(bad), "", &format!("must be a UUID, got {}", json!(bad)));
    }
    for good in ["aGVsbG8=", "aGVsbG8", "", "AAAA"] {
        ok(B64, json!(good));
    }
    for bad in ["!!!!", "aGVsbG8=="] {
        one(B64, json!(bad), "", &format!("must be base64, got {}", json!(bad)));
    }
    one(DATE, json!(20240101), "", "must be a string, got 20240101");
}

#[test]
fn collections_and_pointers() {
    ok(LIST_I64, json!([1, 2, 3]));
    assert_eq!(
        validate(LIST_I64, json!([1, "2", 3.5])),
        vec![v("/1", "must be an integer, got \"2\""), v("/2", "must be an integer, got 3.5")]
    );
    one(LIST_I64, json!({}), "", "must be an array, got an object");
    ok(MAP_I64, json!({"a": 1}));
    assert_eq!(
        validate(MAP_I64, json!({"a/b": "x", "c~d": 1, "e~/": true})),
        vec![v("/a~1b", "must be an integer, got \"x\""), v("/e~0~1", "must be an integer, got true")]
    );
    one(MAP_I64, json!([]), "", "must be an object, got an array");
    ok(TUPLE, json!(["a", 1]));
    assert_eq!(
        validate(TUPLE, json!([1, "a", 3])),
        vec![
            v("", "must have exactly 2 items, got 3"),
            v("/0", "must be a string, got 1"),
            v("/1", "must be an integer, got \"a\""),
        ]
    );
    one(TUPLE, json!(["a"]), "", "must have exactly 2 items, got 1");
}

#[test]
fn structs_report_every_violation() {
    ok(PET, json!({"name": "Rex"}));
    ok(PET, json!({"name": "Rex", "age": 3, "tag": null, "tags": ["a"]}));
    let owner = json!({
        "pets": [
            {"name": "", "age": 300, "tag": null, "color": "red"},
            {"name": "Rex", "age": null, "tag": 5, "tags": ["a", 1]},
            {"age": 1},
            "cat"
        ],
        "score": 5,
        "a/b": "high",
    });
    assert_eq!(
        validate(OWNER, owner),
        vec![
            v("/id", "is required"),
            v("/pets/0/name", "must be at least 1 character long, got 0"),
            v("/pets/0/name", "must match the pattern `^[A-Za-z]+$`, got \"\""),
            v("/pets/0/age", "must be at most 255, got 300"),
            v("/pets/0/color", "is not allowed here (additionalProperties: false)"),
            v("/pets/1/age", "must be an integer, got null"),
            v("/pets/1/tag", "must be a string, got 5"),
            v("/pets/1/tags/1", "must be a string, got 1"),
            v("/pets/2/name", "is required"),
            v("/pets/3", "must be an object, got \"cat\""),
            v("/a~1b", "must be an integer, got \"high\""),
        ]
    );
    one(OWNER, json!(null), "", "must be an object, got null");
    one(EMPTY_STRUCT_DENY, json!({"x~y": 1}), "/x~0y", "is not allowed here (additionalProperties: false)");
    ok(OPEN_STRUCT, json!({"a": 1, "b": true}));
    one(OPEN_STRUCT, json!({"a": 1, "b": 2}), "/b", "must be a boolean, got 2");
}

#[test]
fn unions_without_discriminator() {
    ok(INT_OR_STR, json!(1));
    ok(INT_OR_STR, json!("one"));
    assert_eq!(
        validate(INT_OR_STR, json!(true)),
        vec![v("", "does not match any of the 2 alternatives"), v("", "must be an integer, got true")]
    );
    ok(CAT_OR_DOG, json!({"kind": "x", "barks": true}));
    // The dog is closer (one violation against two): its violations are shown.
    assert_eq!(
        validate(CAT_OR_DOG, json!({"kind": 5, "barks": true})),
        vec![v("", "does not match any of the 2 alternatives"), v("/kind", "must be a string, got 5")]
    );
    // A tie: the first variant's.
    assert_eq!(
        validate(CAT_OR_DOG, json!({"barks": "loud"})),
        vec![v("", "does not match any of the 2 alternatives"), v("/kind", "is required"), v("/meows", "is required")]
    );
    assert_eq!(
        validate(CAT_OR_DOG, json!([])),
        vec![v("", "does not match any of the 2 alternatives"), v("", "must be an object, got an array")]
    );
    assert_eq!(
        validate(LIST_ANIMAL, json!([{"kind": "cat", "meows": true}, {"kind": "dog", "barks": 1}])),
        vec![v("/1/barks", "must be a boolean, got 1")]
    );
    // No variants: nothing to match, nothing to report.
    ok(EMPTY_UNION, json!(1));
}

#[test]
fn discriminated_unions() {
    ok(ANIMAL, json!({"kind": "cat", "meows": true}));
    ok(ANIMAL, json!({"kind": "dog", "barks": false}));
    one(ANIMAL, json!({"kind": "dog", "meows": true}), "/barks", "is required");
    // Without the discriminator, the variants are tried as `oneOf` alone: each requires it here.
    assert_eq!(
        validate(ANIMAL, json!({"meows": true})),
        vec![v("", "does not match any of the 2 alternatives"), v("/kind", "is required")]
    );
    one(TAGGED_ANY, json!({"kind": "x"}), "/type", "is required");
    ok(LOOSE_ANIMAL, json!({"meows": true}));
    ok(LOOSE_ANIMAL, json!({"barks": true}));
    ok(LOOSE_ANIMAL, json!({"kind": "dog", "barks": true}));
    one(LOOSE_ANIMAL, json!({"kind": "dog"}), "/barks", "is required");
    one(ANIMAL, json!({"kind": "cow"}), "/kind", "must be one of `cat`, `dog`, got \"cow\"");
    one(ANIMAL, json!({"kind": 1}), "/kind", "must be a string, got 1");
    assert_eq!(
        validate(ANIMAL, json!("cat")),
        vec![v("", "does not match any of the 2 alternatives"), v("", "must be an object, got \"cat\"")]
    );
    one(TAGGED_ANY, json!({"type": "a", "kind": "x"}), "/meows", "is required");
}

#[test]
fn checks_on_strings() {
    ok(NAME, json!("Rex"));
    one(NAME, json!("Rexxxxxxxxxx"), "", "must be at most 10 characters long, got 12");
    // Lengths count characters, not bytes.
    one(NAME, json!("Zoë"), "", "must match the pattern `^[A-Za-z]+$`, got \"Zoë\"");
    one(TWELVE, json!("ééééééééééé"), "", "must be at least 12 characters long, got 11");
    ok(TWELVE, json!("éééééééééééé"));
    one(NAME, json!("R2"), "", "must match the pattern `^[A-Za-z]+$`, got \"R2\"");
    ok(ZIP, json!("12345"));
    one(ZIP, json!("1234"), "", "must match the pattern `^\\d{5}$`, got \"1234\"");
    ok(ICASE, json!("ABC"));
    ok(KIND_WORD, json!("dog"));
    // Checks apply only to values of their type.
    one(NAME, json!(5), "", "must be a string, got 5");
}

#[test]
fn checks_on_numbers() {
    ok(BOUNDED, json!(3));
    ok(BOUNDED, json!(9));
    one(BOUNDED, json!(0), "", "must be greater than 0, got 0");
    assert_eq!(validate(BOUNDED, json!(12)), vec![v("", "must be at most 10, got 12")]);
    assert_eq!(
        validate(BOUNDED, json!(11)),
        vec![v("", "must be at most 10, got 11"), v("", "must be a multiple of 3, got 11")]
    );
    one(BOUNDED, json!(-3), "", "must be greater than 0, got -3");
    one(BOUNDED, json!(4), "", "must be a multiple of 3, got 4");
    ok(OPEN_RANGE, json!(1.75));
    one(OPEN_RANGE, json!(2), "", "must be less than 2, got 2");
    one(OPEN_RANGE, json!(1.5), "", "must be greater than 1.5, got 1.5");
    ok(TENTHS, json!(0.3));
    ok(TENTHS, json!(12345678.9));
    ok(TENTHS, json!(2));
    one(TENTHS, json!(0.35), "", "must be a multiple of 0.1, got 0.35");
    ok(EVEN, json!(20));
    assert_eq!(
        validate(EVEN, json!(9)),
        vec![v("", "must be at least 10, got 9"), v("", "must be a multiple of 2, got 9")]
    );
    one(EVEN, json!(8), "", "must be at least 10, got 8");
    one(NEG_RANGE, json!(0), "", "must be less than -2, got 0");
    one(NEG_RANGE, json!(-10), "", "must be at least -7.5, got -10");
    one(NEG_RANGE, json!(-6), "", "must be a multiple of 2.5, got -6");
    ok(NEG_RANGE, json!(-5));
    // Bounds do not apply to strings.
    one(OPEN_RANGE, json!("x"), "", "must be a number, got \"x\"");
}

#[test]
fn checks_on_arrays_and_objects() {
    ok(UNIQUE_STRS, json!(["a", "b"]));
    one(UNIQUE_STRS, json!(["a"]), "", "must have at least 2 items, got 1");
    one(UNIQUE_STRS, json!(["a", "b", "c", "d"]), "", "must have at most 3 items, got 4");
    one(UNIQUE_STRS, json!(["a", "b", "a"]), "", "must not contain duplicate items (items 0 and 2 are equal)");
    one(UNIQUE_EVENS, json!([10, 12, 14, 16, 10.0]), "", "must not contain duplicate items (items 0 and 4 are equal)");
    ok(UNIQUE_EVENS, json!([10, 12, 14, 16, 18]));
    ok(SMALL_MAP, json!({"a": 1}));
    one(SMALL_MAP, json!({}), "", "must have at least 1 property, got 0");
    one(SMALL_MAP, json!({"a": 1, "b": 2, "c": 3}), "", "must have at most 2 properties, got 3");
    assert_eq!(
        validate(SMALL_MAP, json!({"a": 1, "b": "x", "c": 3})),
        vec![v("/b", "must be an integer, got \"x\""), v("", "must have at most 2 properties, got 3")]
    );
    // Unique items compares JSON values: member order does not matter, numbers by value.
    let objects = json!([{"name": "A", "age": 1, "tags": ["x"]}, {"tags": ["x"], "age": 1.0, "name": "A"}]);
    one(UNIQUE_PETS, objects, "", "must not contain duplicate items (items 0 and 1 are equal)");
    ok(UNIQUE_PETS, json!([{"name": "A", "age": 1}, {"name": "A", "age": 2}]));
    ok(SMALL_OBJECT, json!({"a": null}));
    one(SMALL_OBJECT, json!({}), "", "must have at least 1 property, got 0");
    one(PAIR_TUPLE_LIST, json!([["a", 1], ["b"]]), "/1", "must have exactly 2 items, got 1");
    ok(NULL_NAME_CHECKED, json!(null));
    one(NULL_NAME_CHECKED, json!("1"), "", "must match the pattern `^[A-Za-z]+$`, got \"1\"");
}

#[test]
fn allowed_values() {
    for good in [json!(1), json!(1.0), json!(2.5), json!("x"), json!(null), json!({"a": [1.0]})] {
        ok(ALLOWED, good);
    }
    for bad in [json!(2), json!("y"), json!(true), json!({"a": [2]})] {
        let got = match &bad {
            Value::Object(_) => "an object".to_owned(),
            other => other.to_string(),
        };
        one(ALLOWED, bad, "", &format!("must be one of `1`, `2.5`, `\"x\"`, `null`, `{{\"a\":[1]}}`, got {got}"));
    }
    ok(ALLOWED_INT, json!(8));
    one(ALLOWED_INT, json!(5), "", "must be one of `4`, `8`, got 5");
}

#[test]
fn a_broken_pattern_is_reported_once() {
    let found = validate(LIST_STR, json!(["a"]));
    assert!(found.is_empty());
    let schema_list = Schema {
        nodes: &[Node::List(1), Node::Checked(2, 0), Node::String(StringFormat::Plain)],
        checks: CHECKS,
        patterns: &PATTERNS[1..],
    };
    let found = schema_list.validate(0, &json!(["a", "b", "c"]));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].pointer, "/0");
    assert_eq!(found[0].reason, "cannot be checked: the server cannot compile the pattern `(`");
    one(BAD_PATTERN, json!("a"), "", "cannot be checked: the server cannot compile the pattern `(`");
}

#[test]
fn malformed_tables_and_values_do_not_panic() {
    assert!(SCHEMA.validate(999, &json!({"a": 1})).is_empty());
    ok(BAD_ITEM, json!([1, "a", null]));
    ok(CYCLE, json!(1));
    ok(CYCLE, json!(null));
    ok(MISSING_CHECKS, json!(1));
    one(MISSING_CHECKS, json!("1"), "", "must be an integer, got \"1\"");
    ok(MISSING_PATTERN, json!("x"));
    assert_eq!(SCHEMA.shape(999), Shape::Scalar);
    assert_eq!(SCHEMA.shape(CYCLE), Shape::Scalar);
    assert_eq!(SCHEMA.synthesize(999), json!({}), "a missing node is Any: free-form data");
    let _ = SCHEMA.synthesize(CYCLE);
    let _ = SCHEMA.synthesize(BAD_ITEM);
    assert_eq!(SCHEMA.coerce(999, "12"), json!(12));
    assert_eq!(SCHEMA.coerce(CYCLE, "12"), json!("12"));
    let empty = Schema { nodes: &[], checks: &[], patterns: &[] };
    assert!(empty.validate(0, &json!([1])).is_empty());
    assert_eq!(empty.synthesize(0), json!({}));
    let spec = ParamSpec { name: "x", style: Style::Simple, explode: false, node: 5, json: false };
    assert_eq!(parse_single(&empty, &spec, "a,b"), Ok(json!("a,b")));
    // A table whose required members recurse forever.
    static LOOPING_FIELDS: [Field; 2] = [field("a", 0, true, false), field("b", 0, true, false)];
    static LOOPING_NODES: [Node; 1] =
        [Node::Struct(Struct { fields: &LOOPING_FIELDS, additional: Additional::Ignore })];
    let looping = Schema { nodes: &LOOPING_NODES, checks: &[], patterns: &[] };
    let _ = looping.synthesize(0);
    // Unions of unions of themselves.
    let unions = Schema {
        nodes: &[Node::Union(Union { variants: &[0, 0, 0], discriminator: None })],
        checks: &[],
        patterns: &[],
    };
    assert_eq!(unions.shape(0), Shape::Scalar);
    let _ = unions.validate(0, &json!(1));
    let _ = unions.coerce(0, "1");
    let _ = unions.synthesize(0);
}

fn nested_arrays(depth: usize) -> Value {
    let mut value = json!([]);
    for _ in 0..depth {
        value = Value::Array(vec![value]);
    }
    value
}

#[test]
fn deep_values_are_reported_not_walked() {
    let found = validate(DEEP, nested_arrays(1000));
    assert_eq!(found, vec![v(&"/0".repeat(65), "is nested too deeply")]);
    ok(DEEP, nested_arrays(60));
    ok(ANY, nested_arrays(1000));
    let found = validate(LIST_I64, nested_arrays(1000));
    assert_eq!(found, vec![v("/0", "must be an integer, got an array")]);
    // Unique items and allowed values on deep values.
    let _ = validate(UNIQUE_STRS, json!([nested_arrays(1000), nested_arrays(1000)]));
    let _ = validate(ALLOWED, nested_arrays(1000));
}

#[test]
fn nested_untagged_unions_stay_bounded() {
    // Each level is tried against both variants, which both walk the child first: walked naively,
    // this takes 2^depth steps.
    let mut value = json!({"child": null, "b": true});
    for _ in 0..30 {
        value = json!({"child": value, "b": true});
    }
    let started = std::time::Instant::now();
    assert!(SCHEMA.validate(TREE, &value).is_empty());
    // Broken at the bottom: the failure is explained (or declared too complex) in bounded time.
    let mut broken = json!({"child": null, "b": 1});
    for _ in 0..30 {
        broken = json!({"child": broken, "b": true});
    }
    let found = SCHEMA.validate(TREE, &broken);
    assert!(started.elapsed().as_secs() < 30, "took {:?}", started.elapsed());
    assert_eq!(
        found[0],
        Violation { pointer: String::new(), reason: "does not match any of the 2 alternatives".to_owned() }
    );
    let shallow = json!({"child": {"child": null, "a": 1}, "b": true});
    assert_eq!(
        validate(TREE, shallow),
        vec![
            v("", "does not match any of the 2 alternatives"),
            v("/child", "does not match any of the 2 alternatives"),
            v("/child/a", "must be a boolean, got 1"),
        ]
    );
    ok(TREE, json!({"child": {"child": null, "a": true}, "b": true}));
}

// ---- coercion and shapes -------------------------------------------------------------------------

#[test]
fn coercion() {
    assert_eq!(SCHEMA.coerce(I64, "12"), json!(12));
    assert_eq!(SCHEMA.coerce(I64, "-12"), json!(-12));
    assert_eq!(SCHEMA.coerce(I64, "abc"), json!("abc"));
    assert_eq!(validate(I64, SCHEMA.coerce(I64, "abc")), vec![v("", "must be an integer, got \"abc\"")]);
    assert_eq!(validate(I64, SCHEMA.coerce(I64, "1.5")), vec![v("", "must be an integer, got 1.5")]);
    assert_eq!(SCHEMA.coerce(I64, " 12"), json!(" 12"));
    assert_eq!(SCHEMA.coerce(I64, "+12"), json!("+12"));
    assert_eq!(SCHEMA.coerce(NUM, "1.5"), json!(1.5));
    assert_eq!(SCHEMA.coerce(NUM, "1e3"), serde_json::from_str::<Value>("1e3").unwrap());
    assert_eq!(SCHEMA.coerce(NUM, "NaN"), json!("NaN"));
    assert_eq!(SCHEMA.coerce(BOOL, "true"), json!(true));
    assert_eq!(SCHEMA.coerce(BOOL, "false"), json!(false));
    assert_eq!(SCHEMA.coerce(BOOL, "yes"), json!("yes"));
    assert_eq!(SCHEMA.coerce(STR, "12"), json!("12"));
    assert_eq!(SCHEMA.coerce(COLOR, "true"), json!("true"));
    assert_eq!(SCHEMA.coerce(DATE, "2024-01-01"), json!("2024-01-01"));
    assert_eq!(SCHEMA.coerce(NULL_I64, "5"), json!(5));
    assert_eq!(SCHEMA.coerce(BOUNDED, "6"), json!(6));
    assert_eq!(SCHEMA.coerce(ANY, "12"), json!(12));
    assert_eq!(SCHEMA.coerce(ANY, "1.5"), json!(1.5));
    assert_eq!(SCHEMA.coerce(ANY, "true"), json!(true));
    assert_eq!(SCHEMA.coerce(ANY, "null"), json!("null"));
    assert_eq!(SCHEMA.coerce(ANY, "007"), json!("007"));
    assert_eq!(SCHEMA.coerce(ANY, "hi"), json!("hi"));
    assert_eq!(SCHEMA.coerce(INT_OR_STR, "12"), json!(12));
    assert_eq!(SCHEMA.coerce(INT_OR_STR, "abc"), json!("abc"));
    assert_eq!(SCHEMA.coerce(STR_OR_INT, "12"), json!(12));
    assert_eq!(SCHEMA.coerce(STR_OR_INT, "true"), json!("true"));
    // Nothing fits: read as for `Any`, so validation explains.
    assert_eq!(SCHEMA.coerce(CAT_OR_DOG, "12"), json!(12));
}

#[test]
fn shapes() {
    assert_eq!(SCHEMA.shape(I64), Shape::Scalar);
    assert_eq!(SCHEMA.shape(ANY), Shape::Scalar);
    assert_eq!(SCHEMA.shape(COLOR), Shape::Scalar);
    assert_eq!(SCHEMA.shape(LIST_I64), Shape::Array);
    assert_eq!(SCHEMA.shape(TUPLE), Shape::Array);
    assert_eq!(SCHEMA.shape(NULL_CHECKED_LIST), Shape::Array);
    assert_eq!(SCHEMA.shape(UNIQUE_STRS), Shape::Array);
    assert_eq!(SCHEMA.shape(MAP_I64), Shape::Object);
    assert_eq!(SCHEMA.shape(OBJECT), Shape::Object);
    assert_eq!(SCHEMA.shape(PET), Shape::Object);
    assert_eq!(SCHEMA.shape(SMALL_MAP), Shape::Object);
    assert_eq!(SCHEMA.shape(STR_OR_MAP), Shape::Object);
    assert_eq!(SCHEMA.shape(INT_OR_STR), Shape::Scalar);
    assert_eq!(SCHEMA.shape(ANIMAL), Shape::Object);
    assert_eq!(SCHEMA.shape(TAGGED_ANY), Shape::Object);
}

// ---- parameters ----------------------------------------------------------------------------------

fn spec(style: Style, explode: bool, node: NodeId) -> ParamSpec {
    ParamSpec { name: "id", style, explode, node, json: false }
}

fn single(style: Style, explode: bool, node: NodeId, raw: &str) -> Result<Value, String> {
    parse_single(&SCHEMA, &spec(style, explode, node), raw)
}

#[test]
fn simple_style() {
    for explode in [false, true] {
        assert_eq!(single(Style::Simple, explode, I64, "5"), Ok(json!(5)));
        assert_eq!(single(Style::Simple, explode, STR, "a,b"), Ok(json!("a,b")));
        assert_eq!(single(Style::Simple, explode, STR, ""), Ok(json!("")));
        assert_eq!(single(Style::Simple, explode, LIST_I64, "3,4,5"), Ok(json!([3, 4, 5])));
        assert_eq!(single(Style::Simple, explode, LIST_STR, "3,4"), Ok(json!(["3", "4"])));
        assert_eq!(single(Style::Simple, explode, LIST_I64, ""), Ok(json!([])));
        assert_eq!(single(Style::Simple, explode, TUPLE, "a,1"), Ok(json!(["a", 1])));
        assert_eq!(single(Style::Simple, explode, NULL_CHECKED_LIST, "1"), Ok(json!([1])));
    }
    assert_eq!(single(Style::Simple, false, MAP_I64, "R,100,G,200"), Ok(json!({"R": 100, "G": 200})));
    assert_eq!(single(Style::Simple, true, MAP_I64, "R=100,G=200"), Ok(json!({"R": 100, "G": 200})));
    assert_eq!(
        single(Style::Simple, false, PET, "name,Rex,age,3,tag,7"),
        Ok(json!({"name": "Rex", "age": 3, "tag": "7"}))
    );
    assert_eq!(
        single(Style::Simple, true, PET, "name=Rex,age=3,other=5"),
        Ok(json!({"name": "Rex", "age": 3, "other": "5"}))
    );
    assert_eq!(single(Style::Simple, false, OBJECT, "a,1"), Ok(json!({"a": "1"})));
    assert_eq!(single(Style::Simple, true, MAP_I64, ""), Ok(json!({})));
    assert!(single(Style::Simple, false, MAP_I64, "R,100,G").unwrap_err().contains("alternating keys and values"));
    assert!(single(Style::Simple, true, MAP_I64, "R=100,G").unwrap_err().contains("`key=value`"));
}

#[test]
fn label_style() {
    assert_eq!(single(Style::Label, false, I64, ".5"), Ok(json!(5)));
    assert_eq!(single(Style::Label, true, STR, ".blue"), Ok(json!("blue")));
    assert_eq!(single(Style::Label, false, STR, "."), Ok(json!("")));
    assert_eq!(single(Style::Label, false, LIST_I64, ".3,4,5"), Ok(json!([3, 4, 5])));
    assert_eq!(single(Style::Label, true, LIST_I64, ".3.4.5"), Ok(json!([3, 4, 5])));
    assert_eq!(single(Style::Label, true, LIST_I64, "."), Ok(json!([])));
    assert_eq!(single(Style::Label, false, LIST_I64, ""), Ok(json!([])));
    assert_eq!(single(Style::Label, false, MAP_I64, ".R,100,G,200"), Ok(json!({"R": 100, "G": 200})));
    assert_eq!(single(Style::Label, true, MAP_I64, ".R=100.G=200"), Ok(json!({"R": 100, "G": 200})));
    assert_eq!(single(Style::Label, false, I64, "5"), Err("expected a `.`-prefixed label value".to_owned()));
    assert!(single(Style::Label, false, LIST_I64, "3,4").is_err());
}

#[test]
fn matrix_style() {
    assert_eq!(single(Style::Matrix, false, I64, ";id=5"), Ok(json!(5)));
    assert_eq!(single(Style::Matrix, true, I64, ";id=5"), Ok(json!(5)));
    assert_eq!(single(Style::Matrix, false, STR, ";id"), Ok(json!("")));
    assert_eq!(single(Style::Matrix, false, LIST_I64, ";id=3,4,5"), Ok(json!([3, 4, 5])));
    assert_eq!(single(Style::Matrix, true, LIST_I64, ";id=3;id=4;id=5"), Ok(json!([3, 4, 5])));
    assert_eq!(single(Style::Matrix, true, LIST_I64, ";id"), Ok(json!([])));
    assert_eq!(single(Style::Matrix, false, LIST_I64, ";id"), Ok(json!([])));
    assert_eq!(single(Style::Matrix, false, LIST_I64, ""), Ok(json!([])));
    assert_eq!(single(Style::Matrix, false, MAP_I64, ";id=R,100,G,200"), Ok(json!({"R": 100, "G": 200})));
    assert_eq!(single(Style::Matrix, true, MAP_I64, ";R=100;G=200"), Ok(json!({"R": 100, "G": 200})));
    assert_eq!(single(Style::Matrix, true, PET, ";name=Rex;age=2"), Ok(json!({"name": "Rex", "age": 2})));
    for (explode, node, raw) in [
        (false, I64, "id=5"),
        (false, I64, ";idx=5"),
        (false, I64, ";other=5"),
        (true, LIST_I64, ";id=3;other=4"),
        (true, LIST_I64, "id=3"),
        (false, LIST_I64, ";id3,4"),
        (true, MAP_I64, ";R=100;G"),
    ] {
        let error = single(Style::Matrix, explode, node, raw).unwrap_err();
        assert!(!error.is_empty(), "{raw}");
    }
}

#[test]
fn other_single_styles() {
    assert_eq!(single(Style::Form, false, LIST_I64, "1,2"), Ok(json!([1, 2])));
    assert_eq!(single(Style::Form, false, I64, "1"), Ok(json!(1)));
    assert_eq!(single(Style::SpaceDelimited, false, LIST_I64, "1 2"), Ok(json!([1, 2])));
    assert_eq!(single(Style::PipeDelimited, false, LIST_I64, "1|2"), Ok(json!([1, 2])));
    assert!(single(Style::DeepObject, false, MAP_I64, "a").is_err());
    let json_spec = ParamSpec { name: "q", style: Style::Simple, explode: false, node: PET, json: true };
    assert_eq!(parse_single(&SCHEMA, &json_spec, r#"{"name":"Rex"}"#), Ok(json!({"name": "Rex"})));
    assert!(parse_single(&SCHEMA, &json_spec, "{").unwrap_err().starts_with("is not valid JSON"));
}

fn pairs(query: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(query.as_bytes()).into_owned().collect()
}

fn query(style: Style, explode: bool, node: NodeId, q: &str) -> Result<Option<Value>, String> {
    parse_query(&SCHEMA, &spec(style, explode, node), &pairs(q))
}

#[test]
fn query_scalars_and_json() {
    // A single value given twice is refused, whatever its style; spread values are not.
    assert_eq!(query(Style::Form, true, I64, "id=5&id=6"), Err("is given more than once; it takes one value".into()));
    assert!(query(Style::Form, false, LIST_I64, "id=1,2&id=3").is_err());
    assert!(query(Style::PipeDelimited, false, MAP_I64, "id=R|1&id=G|2").is_err());
    assert_eq!(query(Style::Form, true, I64, "id=5&x=5&x=6"), Ok(Some(json!(5))));
    assert_eq!(query(Style::Form, false, STR, "x=1&id=a%2Cb"), Ok(Some(json!("a,b"))));
    assert_eq!(query(Style::Form, true, I64, "x=1"), Ok(None));
    assert_eq!(query(Style::Form, true, BOOL, "id=true"), Ok(Some(json!(true))));
    assert_eq!(query(Style::Form, true, I64, "id=abc"), Ok(Some(json!("abc"))));
    let json_spec = ParamSpec { name: "id", style: Style::Form, explode: true, node: PET, json: true };
    assert_eq!(
        parse_query(&SCHEMA, &json_spec, &pairs("id=%7B%22name%22%3A%22Rex%22%7D")),
        Ok(Some(json!({"name": "Rex"})))
    );
    assert_eq!(parse_query(&SCHEMA, &json_spec, &pairs("x=1")), Ok(None));
    assert!(parse_query(&SCHEMA, &json_spec, &pairs("id=nope")).is_err());
    assert!(parse_query(&SCHEMA, &json_spec, &pairs("id=%7B%7D&id=%7B%7D")).is_err());
}

#[test]
fn query_arrays() {
    assert_eq!(query(Style::Form, true, LIST_I64, "id=3&x=1&id=4&id=5"), Ok(Some(json!([3, 4, 5]))));
    assert_eq!(query(Style::Form, true, LIST_I64, "id[]=3&id[]=4"), Ok(Some(json!([3, 4]))));
    assert_eq!(query(Style::Form, true, LIST_I64, "x=3"), Ok(None));
    assert_eq!(query(Style::Form, false, LIST_I64, "id=3,4,5"), Ok(Some(json!([3, 4, 5]))));
    // `id=` is the empty list (RFC 6570); a list of one empty string would look the same.
    assert_eq!(query(Style::Form, false, LIST_I64, "id="), Ok(Some(json!([]))));
    assert_eq!(query(Style::Form, false, LIST_I64, "x=1"), Ok(None));
    assert_eq!(query(Style::SpaceDelimited, false, LIST_I64, "id=3%204%205"), Ok(Some(json!([3, 4, 5]))));
    assert_eq!(query(Style::SpaceDelimited, false, LIST_I64, "id=3+4"), Ok(Some(json!([3, 4]))));
    assert_eq!(query(Style::PipeDelimited, false, LIST_I64, "id=3|4|5"), Ok(Some(json!([3, 4, 5]))));
    assert_eq!(query(Style::PipeDelimited, true, LIST_I64, "id=3&id=4"), Ok(Some(json!([3, 4]))));
    assert_eq!(query(Style::SpaceDelimited, true, LIST_I64, "id=3&id=4"), Ok(Some(json!([3, 4]))));
    assert_eq!(query(Style::Form, true, TUPLE, "id=a&id=2"), Ok(Some(json!(["a", 2]))));
    assert_eq!(query(Style::Form, true, NULL_CHECKED_LIST, "id=2"), Ok(Some(json!([2]))));
    // A union of a scalar and a list: one value the scalar variant takes is that scalar, more
    // values (or one only the list takes) the list.
    assert_eq!(query(Style::Form, true, STR_OR_LIST, "id=pb_W"), Ok(Some(json!("pb_W"))));
    assert_eq!(query(Style::Form, true, STR_OR_LIST, "id=1&id=2"), Ok(Some(json!([1, 2]))));
    // Not exploded, `1,2` is a list or a string: the list, when it fits.
    assert_eq!(query(Style::Form, false, STR_OR_LIST, "id=1,2"), Ok(Some(json!([1, 2]))));
    assert_eq!(query(Style::Form, false, STR_OR_LIST, "id=a,b"), Ok(Some(json!("a,b"))));
    assert_eq!(single(Style::Simple, false, STR_OR_LIST, "x"), Ok(json!("x")));
    assert_eq!(single(Style::Simple, false, STR_OR_MAP, "x"), Ok(json!("x")));
    assert_eq!(single(Style::Simple, false, STR_OR_MAP, "a,1"), Ok(json!({"a": 1})));
    assert_eq!(single(Style::Simple, false, STR_OR_MAP, "a,b"), Ok(json!("a,b")));
}

#[test]
fn query_objects() {
    assert_eq!(
        query(Style::Form, true, FILTER, "role=admin&limit=5&tags=a&tags=b&flag=true&other=1"),
        Ok(Some(json!({"role": "admin", "limit": 5, "tags": ["a", "b"], "flag": true})))
    );
    assert_eq!(
        query(Style::Form, true, FILTER, "address=%7B%22city%22%3A%22Paris%22%7D"),
        Ok(Some(json!({"address": {"city": "Paris"}})))
    );
    assert_eq!(query(Style::Form, true, FILTER, "other=1"), Ok(None));
    // Maps and free-form objects take every pair (documented limitation).
    assert_eq!(query(Style::Form, true, MAP_I64, "R=100&G=200"), Ok(Some(json!({"R": 100, "G": 200}))));
    assert_eq!(query(Style::Form, true, OBJECT, "R=100"), Ok(Some(json!({"R": "100"}))));
    assert_eq!(query(Style::Form, true, MAP_I64, ""), Ok(None));
    assert_eq!(query(Style::Form, false, MAP_I64, "id=R,100,G,200"), Ok(Some(json!({"R": 100, "G": 200}))));
    assert_eq!(
        query(Style::Form, false, FILTER, "id=role,admin,limit,5"),
        Ok(Some(json!({"role": "admin", "limit": 5})))
    );
    assert_eq!(query(Style::Form, false, MAP_I64, "x=1"), Ok(None));
    assert!(query(Style::Form, false, MAP_I64, "id=R,100,G").is_err());
    assert_eq!(
        query(Style::SpaceDelimited, false, MAP_I64, "id=R%20100%20G%20200"),
        Ok(Some(json!({"R": 100, "G": 200})))
    );
    assert_eq!(query(Style::PipeDelimited, false, MAP_I64, "id=R|100|G|200"), Ok(Some(json!({"R": 100, "G": 200}))));
}

#[test]
fn query_deep_objects() {
    assert_eq!(
        query(Style::DeepObject, true, FILTER, "id[role]=admin&id[limit]=5&x=1&id[other]=7"),
        Ok(Some(json!({"role": "admin", "limit": 5, "other": "7"})))
    );
    assert_eq!(
        query(
            Style::DeepObject,
            true,
            FILTER,
            "id[address][city]=Paris&id[address][zip]=75001&id[tags][]=a&id[tags]=b"
        ),
        Ok(Some(json!({"address": {"city": "Paris", "zip": 75001}, "tags": ["a", "b"]})))
    );
    assert_eq!(query(Style::DeepObject, true, MAP_I64, "id[R]=100&id[G]=200"), Ok(Some(json!({"R": 100, "G": 200}))));
    assert_eq!(query(Style::DeepObject, true, MAP_I64, "idx[R]=100&id=3"), Ok(None));
    assert_eq!(query(Style::DeepObject, true, FILTER, "id[role]=a&id[role]=b"), Ok(Some(json!({"role": "a"}))));
    assert_eq!(query(Style::DeepObject, true, OBJECT, "id[a][b][c]=1"), Ok(Some(json!({"a": {"b": {"c": "1"}}}))));
    assert!(query(Style::DeepObject, true, FILTER, "id[role=admin").is_err());
    assert!(query(Style::DeepObject, true, FILTER, "id[role]x=admin").is_err());
    assert!(query(Style::DeepObject, true, FILTER, "id[role]=a&id[role][x]=b").is_err());
    let deep = format!("id{}=1", "[a]".repeat(100));
    assert!(query(Style::DeepObject, true, OBJECT, &deep).unwrap_err().contains("nested too deeply"));
    assert_eq!(query(Style::DeepObject, true, LIST_I64, "id=1&id=2"), Ok(Some(json!([1, 2]))));
}

#[test]
fn form_bodies() {
    assert_eq!(
        parse_form(
            &SCHEMA,
            FILTER,
            &pairs("role=admin&limit=5&tags=a&flag=false&other=12&address=%7B%22zip%22%3A1%7D")
        ),
        json!({"role": "admin", "limit": 5, "tags": ["a"], "flag": false, "other": "12", "address": {"zip": 1}})
    );
    assert_eq!(parse_form(&SCHEMA, FILTER, &pairs("limit=5&limit=6&limit=x")), json!({"limit": [5, 6, "x"]}));
    assert_eq!(parse_form(&SCHEMA, FILTER, &pairs("address=notjson")), json!({"address": "notjson"}));
    assert_eq!(parse_form(&SCHEMA, MAP_I64, &pairs("a=1&b=x")), json!({"a": 1, "b": "x"}));
    assert_eq!(parse_form(&SCHEMA, OPEN_STRUCT, &pairs("a=1&b=true")), json!({"a": 1, "b": true}));
    assert_eq!(parse_form(&SCHEMA, OBJECT, &pairs("a=1&a=2")), json!({"a": ["1", "2"]}));
    assert_eq!(parse_form(&SCHEMA, PET, &pairs("name=Rex&tags=a&tags=b")), json!({"name": "Rex", "tags": ["a", "b"]}));
    assert_eq!(parse_form(&SCHEMA, PET, &pairs("")), json!({}));
    assert_eq!(parse_form(&SCHEMA, ANY, &pairs("a=1")), json!({"a": "1"}));
}

// ---- synthesis -----------------------------------------------------------------------------------

#[test]
fn synthesized_values() {
    assert_eq!(SCHEMA.synthesize(BOOL), json!(false));
    assert_eq!(SCHEMA.synthesize(I64), json!(1));
    assert_eq!(SCHEMA.synthesize(BOUNDED), json!(3));
    assert_eq!(SCHEMA.synthesize(EVEN), json!(10));
    assert_eq!(SCHEMA.synthesize(NEG_RANGE), json!(-5));
    assert_eq!(SCHEMA.synthesize(STR), json!("string"));
    assert_eq!(SCHEMA.synthesize(DATETIME), json!("2024-01-01T00:00:00Z"));
    assert_eq!(SCHEMA.synthesize(DATE), json!("2024-01-01"));
    assert_eq!(SCHEMA.synthesize(UUID), json!("00000000-0000-4000-8000-000000000000"));
    assert_eq!(SCHEMA.synthesize(B64), json!("AAAA"));
    assert_eq!(SCHEMA.synthesize(COLOR), json!("red"));
    assert_eq!(SCHEMA.synthesize(TWELVE), json!("stringstring"));
    assert_eq!(SCHEMA.synthesize(ZIP), json!("00000"));
    assert_eq!(SCHEMA.synthesize(KIND_WORD), json!("cat"));
    assert_eq!(SCHEMA.synthesize(COUNTRY), json!("AA"));
    assert_eq!(SCHEMA.synthesize(ALLOWED), json!(1));
    // One item near the root even without minItems: mock lists show data.
    assert_eq!(SCHEMA.synthesize(LIST_I64), json!([1]));
    assert_eq!(SCHEMA.synthesize(UNIQUE_STRS), json!(["string", "string1"]));
    assert_eq!(SCHEMA.synthesize(UNIQUE_EVENS), json!([10, 12, 14, 16, 18]));
    assert_eq!(SCHEMA.synthesize(PET), json!({"name": "string"}));
    assert_eq!(SCHEMA.synthesize(ANIMAL), json!({"kind": "cat", "meows": false}));
    assert_eq!(SCHEMA.synthesize(CAT_OR_DOG), json!({"kind": "string", "meows": false}));
    assert_eq!(SCHEMA.synthesize(MAP_I64), json!({}));
    assert_eq!(SCHEMA.synthesize(SMALL_MAP), json!({"key1": 1}));
    assert_eq!(SCHEMA.synthesize(WIDE_STRUCT), json!({"a": 1, "key1": false, "key2": false}));
    assert_eq!(SCHEMA.synthesize(TUPLE), json!(["string", 1]));
    assert_eq!(SCHEMA.synthesize(NULL_I64), json!(1));
    assert_eq!(SCHEMA.synthesize(OWNER), json!({"id": 1, "pets": [{"name": "string"}]}));
    // Recursion through lists stops after a few levels (one item each near the root).
    assert_eq!(SCHEMA.synthesize(DEEP), json!([[[[]]]]));
    assert_eq!(SCHEMA.synthesize(OPEN_RANGE), json!(1.75));
    assert_eq!(SCHEMA.synthesize(FIRST_UNSATISFIABLE), json!(1));
    assert_eq!(SCHEMA.synthesize(FIRST_TAG_UNSATISFIABLE), json!({"kind": "cat", "meows": false}));
}

#[test]
fn synthesized_values_conform() {
    // The pattern does not compile: nothing conforms.
    let unsatisfiable = [BAD_PATTERN];
    for node in 0..NODES.len() as NodeId {
        if unsatisfiable.contains(&node) {
            continue;
        }
        let value = SCHEMA.synthesize(node);
        let found = SCHEMA.validate(node, &value);
        assert!(found.is_empty(), "node {node}: {value} breaks it: {found:?}");
        // Deterministic.
        assert_eq!(SCHEMA.synthesize(node), value);
    }
    assert_eq!(SCHEMA.synthesize(UNIQUE_COLORS), json!(["red", "green", "blue"]));
    assert_eq!(SCHEMA.synthesize(UNIQUE_DATES), json!(["2024-01-01", "2024-01-02", "2024-01-03"]));
    assert_eq!(
        SCHEMA.synthesize(UNIQUE_UUIDS),
        json!([
            "00000000-0000-4000-8000-000000000000",
            "00000000-0000-4000-8000-000000000001",
            "00000000-0000-4000-8000-000000000002"
        ])
    );
    let floats = SCHEMA.synthesize(UNIQUE_FLOATS);
    assert_eq!(floats.as_array().map(Vec::len), Some(3));
    assert_eq!(SCHEMA.synthesize(UNIQUE_PETS), json!([{"name": "string"}, {"name": "stringb"}]));
    assert_eq!(SCHEMA.synthesize(LONG_NAME), json!("stringstringstringst"));
    assert_eq!(SCHEMA.synthesize(NUM_BELOW), json!(-4));
    assert_eq!(SCHEMA.synthesize(TENTHS), json!(1));
    assert_eq!(SCHEMA.synthesize(EMAIL), json!("a@example.com"));
    assert_eq!(SCHEMA.synthesize(ICASE), json!("abc"));
    assert_eq!(SCHEMA.synthesize(TREE), json!({"child": null, "a": false}));
    assert_eq!(SCHEMA.synthesize(SMALL_OBJECT), json!({"key1": null}));
    assert_eq!(SCHEMA.synthesize(TAGGED_ANY), json!({"kind": "string", "meows": false, "type": "a"}));
    let needy = SCHEMA.synthesize(NEEDY);
    assert_eq!(needy["maybe"], json!(1));
    assert_eq!(needy["zip"], json!("00000"));
    assert_eq!(needy["animal"], json!({"kind": "cat", "meows": false}));
    assert!(needy.get("optional").is_none());
}

#[test]
fn every_pub_item_is_exercised() {
    let _: Option<&Field> = None;
    let _ = Shape::Array;
    let _ = Style::Form;
}

/// Example requests: `synthesize_all` sets optional members too (not those that would recurse),
/// with two items per list near the root; `binary_member` finds the file parts of a multipart
/// body, directly or as a list of them.
#[test]
fn examples_set_every_member_and_binary_members_are_files() {
    static FIELDS: [Field; 5] = [
        field("name", 1, true, false),
        field("file", 2, false, false),
        field("files", 3, false, false),
        field("tags", 4, false, false),
        field("child", 0, false, false),
    ];
    static NODES: [Node; 5] = [
        Node::Struct(Struct { fields: &FIELDS, additional: Additional::Ignore }),
        Node::String(StringFormat::Plain),
        Node::String(StringFormat::Binary),
        Node::List(2),
        Node::List(1),
    ];
    let schema = Schema { nodes: &NODES, checks: &[], patterns: &[] };
    assert_eq!(schema.synthesize(0), json!({"name": "string"}));
    assert_eq!(
        schema.synthesize_all(0),
        json!({"name": "string", "file": "string", "files": ["string", "string"], "tags": ["string", "string"]})
    );
    assert!(schema.validate(0, &schema.synthesize_all(0)).is_empty());
    assert!(schema.binary_member(0, "file") && schema.binary_member(0, "files"));
    assert!(!schema.binary_member(0, "name") && !schema.binary_member(0, "tags") && !schema.binary_member(0, "nope"));
    assert!(schema.validate(2, &json!("any bytes as text")).is_empty());
}

/// Contract checks send a body that breaks its schema: `violating` prefers a broken constraint of
/// a member (here `name`'s length) over a missing required member or a wrong type, names it with
/// the validator's pointer and reason, and the validator rejects the value. Where nothing can be
/// broken (`Any`) there is none, and every value it gives is rejected.
#[test]
fn violating_values_break_a_constraint_first() {
    let (what, value) = SCHEMA.violating(PET).expect("a pet can be broken");
    assert!(!SCHEMA.validate(PET, &value).is_empty(), "{value}");
    assert!(what.starts_with("`/name`"), "{what}");
    let (what, value) = SCHEMA.violating(BOUNDED).expect("a bounded number can be broken");
    assert!(!SCHEMA.validate(BOUNDED, &value).is_empty(), "{value}");
    assert!(what.starts_with("the value"), "{what}");
    // No constraint on the struct's members: a required member left out.
    let (what, _) = SCHEMA.violating(OWNER).expect("an owner can be broken");
    assert!(what.contains("required") || what.contains("missing"), "{what}");
    assert_eq!(SCHEMA.violating(ANY), None);
    for node in 0..NODES.len() as NodeId {
        if let Some((what, value)) = SCHEMA.violating(node) {
            assert!(!SCHEMA.validate(node, &value).is_empty(), "node {node}: {what}: {value} is accepted");
        }
    }
}

/// Constraint tests of generated types use these cases: each carries what the validator says of
/// it, the edges just inside a bound are accepted and just outside rejected, and every node's
/// first case is its synthesized (accepted) value.
#[test]
fn constraint_cases_sit_on_both_sides_of_each_bound() {
    let cases = SCHEMA.constraint_cases(NAME);
    let said = |value: Value| cases.iter().find(|(_, v, _)| *v == value).map(|(_, _, accepted)| *accepted);
    assert_eq!(said(json!("xxxxxxxxxx")), Some(true), "ten letters: at the maximum length {cases:?}");
    assert_eq!(said(json!("xxxxxxxxxxx")), Some(false), "{cases:?}");
    assert_eq!(said(json!("")), Some(false), "{cases:?}");
    let cases = SCHEMA.constraint_cases(EVEN);
    let said = |value: Value| cases.iter().find(|(_, v, _)| *v == value).map(|(_, _, accepted)| *accepted);
    assert_eq!(said(json!(20)), Some(true), "{cases:?}");
    assert_eq!(said(json!(21)), Some(false), "{cases:?}");
    assert_eq!(said(json!(10)), Some(true), "{cases:?}");
    assert_eq!(said(json!(9)), Some(false), "{cases:?}");
    let pet = SCHEMA.constraint_cases(PET);
    assert!(pet.iter().any(|(what, _, accepted)| what.contains("required member `name`") && !accepted), "{pet:?}");
    assert!(pet.iter().any(|(what, _, accepted)| what.contains("unknown member") && !accepted), "{pet:?}");
    for node in 0..NODES.len() as NodeId {
        let cases = SCHEMA.constraint_cases(node);
        for (what, value, accepted) in &cases {
            assert_eq!(SCHEMA.validate(node, value).is_empty(), *accepted, "node {node}: {what}: {value}");
        }
        if let Some((what, _, accepted)) = cases.first() {
            assert_eq!((what.as_str(), *accepted), ("the synthesized value", true), "node {node}");
        }
    }
}

/// An object where a parameter style has no way to write one (an item of a simple-style header
/// array) arrives as the JSON text clients write: coercion reads it back; other text stays text.
#[test]
fn coercion_reads_json_text_for_objects_and_arrays() {
    assert_eq!(SCHEMA.coerce(PET, r#"{"name":"Rex"}"#), json!({"name": "Rex"}));
    assert_eq!(SCHEMA.coerce(LIST_I64, "[1,2]"), json!([1, 2]));
    assert_eq!(SCHEMA.coerce(PET, "Rex"), json!("Rex"));
    assert_eq!(SCHEMA.coerce(PET, "12"), json!("12"), "a number is not an object");
}

/// Round trips compare as JSON data: one instant in any offset (a `DateTime<Utc>` writes it in
/// UTC), fractions with trailing zeros, numbers by value, UUIDs in either case; different
/// instants, texts and members still differ, with the pointer of the first difference.
#[test]
fn same_compares_as_data() {
    let ok = |a: Value, b: Value| {
        let mut pointer = String::new();
        assert_eq!(same(&a, &b, &mut pointer), Ok(()), "{a} vs {b}");
    };
    let differs = |a: Value, b: Value, at: &str| {
        let mut pointer = String::new();
        assert!(same(&a, &b, &mut pointer).is_err(), "{a} vs {b}");
        assert_eq!(pointer, at);
    };
    ok(json!("2023-07-27T09:41:24.738000-07:00"), json!("2023-07-27T16:41:24.738Z"));
    ok(json!("2023-07-27T23:30:00+05:30"), json!("2023-07-27T18:00:00Z"));
    ok(json!("2020-01-01T00:00:00.000Z"), json!("2020-01-01T00:00:00+00:00"));
    ok(json!("2019-12-31T23:00:00-01:00"), json!("2020-01-01T00:00:00Z"));
    ok(
        json!({"n": 10, "id": "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11"}),
        json!({"n": 10.0, "id": "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"}),
    );
    differs(json!({"at": "2023-07-27T09:41:24-07:00"}), json!({"at": "2023-07-27T09:41:24Z"}), "/at");
    differs(json!(["2023-07-27T09:41:24.5Z"]), json!(["2023-07-27T09:41:24.6Z"]), "/0");
    differs(json!({"a": "x"}), json!({"a": "y"}), "/a");
    differs(json!({"a": 1}), json!({}), "/a");
    differs(json!("2023-13-01T00:00:00Z"), json!("2023-13-01T00:00:00+00:00"), "");
}
