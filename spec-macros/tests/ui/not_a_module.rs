use spec_macros::spec_contract;

#[spec_contract("openapi.yaml")]
struct Api;

fn main() {}
