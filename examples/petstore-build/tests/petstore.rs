//! The generated types as a user meets them: the spec's own example deserializes, constraints
//! are enforced, and the discriminated `kind` round-trips.

use petstore_build::{Kind, Pet, PetRequest, PetStatus};
use serde_json::json;

#[test]
fn the_spec_example_round_trips() {
    let example = json!({
        "id": 7, "name": "Rex", "kind": {"type": "dog", "good_boy": true}, "status": "available",
        "birthday": "2019-04-01", "tags": ["friendly", "small"], "attributes": {"colour": "brown"},
        "weight_kg": 12.5
    });
    let pet: Pet = serde_json::from_value(example.clone()).unwrap();
    assert_eq!(pet.id, 7);
    assert_eq!(pet.status, Some(PetStatus::Available));
    assert!(matches!(pet.kind, Kind::Dog(_)));
    assert_eq!(serde_json::to_value(&pet).unwrap(), example);
}

#[test]
fn requests_need_no_read_only_id_and_constraints_hold() {
    let request: PetRequest =
        serde_json::from_value(json!({"name": "Tom", "kind": {"type": "cat", "lives": 9}})).unwrap();
    assert!(serde_json::to_value(&request).unwrap().get("id").is_none());
    let too_many_lives = json!({"name": "Tom", "kind": {"type": "cat", "lives": 10}});
    assert!(serde_json::from_value::<PetRequest>(too_many_lives).is_err());
    let bad_name = json!({"name": "-", "kind": {"type": "cat", "lives": 1}});
    assert!(serde_json::from_value::<PetRequest>(bad_name).is_err());
}

/// The build script's output is byte for byte what `cargo spec-gen generate` writes (both run
/// `spec_codegen::pipeline::run` with the same options; the CLI writes `output.code` verbatim).
#[test]
fn builder_output_is_the_cli_output() {
    let from_build_rs = include_str!(concat!(env!("OUT_DIR"), "/petstore.rs"));
    let spec = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../petstore.yaml");
    let run = spec_codegen::pipeline::run(&spec, &spec_codegen::Options::default(), Default::default())
        .unwrap_or_else(|f| panic!("{}", f.render(&spec)));
    assert_eq!(from_build_rs, run.output.code);
}
