use spec_macros::spec_contract;

#[spec_contract(spec = "../../../../spec-macros/tests/ui/models.yaml", schema = "Pet")]
mod api {}

fn main() {}
