//! One spec, three front ends, one set of options (`spec-gen.toml`):
//! - `petstore`: written by `cargo spec-gen generate` (run in this folder) and committed; CI runs
//!   `cargo spec-gen check` here, which fails with a diff when the spec or spec-gen changed and the
//!   file was not regenerated;
//! - `from_build_rs`: the same, written by build.rs into `OUT_DIR` on every build;
//! - `from_macro`: the same, expanded by `#[spec_contract]`.

// Generated: formatted by spec-gen (prettyplease), not rustfmt, so `check` compares like for like.
#[rustfmt::skip]
pub mod petstore;

pub mod from_build_rs {
    include!(concat!(env!("OUT_DIR"), "/from_build_rs.rs"));
}

#[spec_macros::spec_contract("../petstore.yaml")]
pub mod from_macro {}
