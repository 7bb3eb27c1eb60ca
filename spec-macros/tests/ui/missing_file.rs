use spec_macros::spec_contract;

#[spec_contract("no-such-spec.yaml")]
mod api {}

fn main() {}
