//! The three front ends give the same code for the same spec and options: the CLI and the
//! build.rs builder write `pipeline::run`'s text (examples/petstore-build checks its OUT_DIR file
//! against it), and the macro expands `pipeline::run_tokens`' tokens, which must lay out to exactly
//! that text (after the `@generated` header, which only files carry).

use spec_gen_tests::{FIXTURES, fixtures_dir};

#[test]
fn macro_tokens_lay_out_to_the_cli_text() {
    for (_, file) in FIXTURES {
        let spec = fixtures_dir().join(file);
        let options = spec_codegen::Options::default();
        let run = spec_codegen::pipeline::run(&spec, &options, Default::default())
            .unwrap_or_else(|f| panic!("{}", f.render(&spec)));
        let (_, tokens) = spec_codegen::pipeline::run_tokens(&spec, &options, Default::default())
            .unwrap_or_else(|f| panic!("{}", f.render(&spec)));
        let file_ast: syn::File = syn::parse2(tokens.tokens).expect("macro tokens parse");
        let from_macro = prettyplease::unparse(&file_ast);
        let body = run.output.code.split_once("\n\n").map(|(_, body)| body).expect("header then body");
        assert_eq!(body, from_macro, "{file}");
        assert_eq!(run.output.dependencies, tokens.dependencies, "{file}");
    }
}
