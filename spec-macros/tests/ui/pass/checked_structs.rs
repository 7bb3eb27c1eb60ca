use spec_macros::spec_contract;

#[derive(Debug, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Dog,
    Cat,
}

// camelCase renames, a constrained string written as `String`, a wider integer, an optional
// nullable member as `Option<Option<_>>`, a boxed reference and a skipped local field.
#[spec_contract(spec = "../../../../spec-macros/tests/ui/models.yaml", schema = "Pet")]
#[allow(dead_code)]
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Pet {
    id: i64,
    pet_name: String,
    tag: Option<String>,
    kind: Kind,
    owner: Option<Box<Owner>>,
    tags: Option<Vec<String>>,
    weight: Option<Option<f64>>,
    #[serde(rename = "born")]
    birthday: Option<String>,
    #[serde(skip)]
    cached: u8,
}

#[spec_contract(spec = "../../../../spec-macros/tests/ui/models.yaml", schema = "Owner")]
#[allow(dead_code)]
#[derive(serde::Deserialize)]
pub struct Owner {
    name: String,
}

fn main() {}
