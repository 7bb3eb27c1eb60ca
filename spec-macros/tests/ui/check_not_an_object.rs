use spec_macros::spec_contract;

#[spec_contract(spec = "../../../../spec-macros/tests/ui/models.yaml", schema = "Kind")]
pub struct Kind {
    value: String,
}

fn main() {}
