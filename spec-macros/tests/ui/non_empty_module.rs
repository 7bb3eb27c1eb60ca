use spec_macros::spec_contract;

#[spec_contract("openapi.yaml")]
mod api {
    pub struct Mine;
}

fn main() {}
