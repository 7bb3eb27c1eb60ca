use spec_macros::spec_contract;

#[spec_contract("../../../../spec-macros/tests/ui/broken.yaml")]
mod api {}

fn main() {}
