use spec_macros::spec_contract;

#[derive(serde::Deserialize)]
pub enum Kind {
    Dog,
}

#[derive(serde::Deserialize)]
pub struct Owner {
    pub name: String,
}

// `id` is required (not `Option`), `tag` optional (must be `Option`).
#[spec_contract(spec = "../../../../spec-macros/tests/ui/models.yaml", schema = "Pet")]
#[derive(serde::Deserialize)]
pub struct Pet {
    id: Option<i64>,
    #[serde(rename = "petName")]
    pet_name: String,
    kind: Kind,
    tag: String,
    owner: Option<Owner>,
    tags: Option<Vec<String>>,
    weight: Option<Option<f64>>,
    born: Option<String>,
}

fn main() {}
