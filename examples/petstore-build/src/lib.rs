//! Types generated from `examples/petstore.yaml` by `build.rs`.

include!(concat!(env!("OUT_DIR"), "/petstore.rs"));
