//! The macro's module is the same code the CLI writes: the spec's example round-trips.

use contract_macro::api::{Kind, Pet};
use serde_json::json;

#[test]
fn the_spec_example_round_trips() {
    let example = json!({
        "id": 7, "name": "Rex", "kind": {"type": "dog", "good_boy": true}, "status": "available",
        "birthday": "2019-04-01", "tags": ["friendly", "small"], "attributes": {"colour": "brown"},
        "weight_kg": 12.5
    });
    let pet: Pet = serde_json::from_value(example.clone()).unwrap();
    assert!(matches!(pet.kind, Kind::Dog(_)));
    assert_eq!(serde_json::to_value(&pet).unwrap(), example);
}

/// The checked hand-written `Problem` reads what the generated server writes.
#[test]
fn the_checked_struct_reads_a_problem() {
    let problem: contract_macro::Problem =
        serde_json::from_value(json!({"title": "no such pet", "status": 404})).unwrap();
    assert_eq!((problem.kind.as_str(), problem.status), ("about:blank", 404));
}
