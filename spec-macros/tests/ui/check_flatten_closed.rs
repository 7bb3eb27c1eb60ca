use spec_macros::spec_contract;

// Owner has `additionalProperties: false`: there is nothing for a flattened map to collect.
#[spec_contract(spec = "../../../../spec-macros/tests/ui/models.yaml", schema = "Owner")]
#[derive(serde::Deserialize)]
pub struct Owner {
    name: String,
    #[serde(flatten)]
    rest: std::collections::HashMap<String, String>,
}

fn main() {}
