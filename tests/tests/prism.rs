//! Generated clients against a server no one here wrote: Prism (`@stoplight/prism-cli` from npm)
//! serves each spec below as a mock that validates every request against the spec (`--errors`:
//! a request that breaks the contract is answered with an error, not a mock response).
//!
//! Each spec becomes a `--with types,client` crate (no server part: the client stands alone) with
//! a test per operation (`spec_gen_tests::loopback::server_calls`): the operation's example request
//! is sent to Prism and must be answered with a declared response that decodes into its typed
//! variant, a success one when the operation declares any. Prism is installed by npm into
//! `~/.cache/spec-gen/prism-<version>` on first use.

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use spec_codegen::{Options, Parts};

const PRISM_VERSION: &str = "5.16.0";

/// (crate suffix, spec): the bundled petstore (JSON, path and query parameters, security), the
/// parameter styles (every path, query, header and cookie style, urlencoded and multipart bodies),
/// urlencoded forms, file uploads, and oas-examples' petstore (both form kinds, api key and oauth2).
const SPECS: &[(&str, &str)] = &[
    ("petstore", "examples/petstore.yaml"),
    ("parameters_style", "oas:3.0/yaml/parameters-style.yaml"),
    ("form_data", "oas:3.0/yaml/form-data.yaml"),
    ("file_uploads", "oas:3.0/yaml/file-uploads.yaml"),
    ("oas_petstore", "oas:3.0/yaml/petstore.yaml"),
];

/// Operations (by generated name) left out of the Prism run, with why: Prism's bugs, not ours.
const PRISM_BUGS: &[(&str, &str)] = &[
    ("paths_standard", PATH_COMMA),
    ("paths_simple_non_exploded", PATH_COMMA),
    ("paths_simple_exploded", PATH_COMMA),
    ("paths_label_non_exploded", PATH_COMMA),
    ("paths_matrix_non_exploded", PATH_COMMA),
    ("put_anything_multipart_formdata", MULTIPART),
    ("query_space_delimited_non_exploded", DELIMITED_OBJECT),
    ("query_pipe_delimited_non_exploded", DELIMITED_OBJECT),
    ("form_data_standard", MULTIPART),
    ("form_data_form_non_exploded", MULTIPART),
    ("form_data_form_exploded", MULTIPART),
    ("form_data_space_delimited_non_exploded", MULTIPART),
    ("form_data_pipe_delimited_non_exploded", MULTIPART),
    ("form_data_deep_object_exploded", MULTIPART),
];

const PATH_COMMA: &str = "Prism 5.16.0 crashes (TypeError: `parameters[name].startsWith is not a function` in \
    deserializeLabelStyle / deserializeMatrixStyle, `value.split is not a function` in \
    deserializeSimpleStyle) on a simple, or non-exploded label or matrix, path parameter whose \
    value holds `,` (an array or object, written as the spec's own `blue,black` examples are): it \
    splits the segment before the style deserializer runs, and the crash kills the mock for every \
    later request";

const DELIMITED_OBJECT: &str = "Prism 5.16.0 throws `Space/pipe/comma.. delimited style is only applicable to array \
    parameter` on the object parameter these operations also have (OpenAPI 3.0 defines \
    spaceDelimited and pipeDelimited for objects: `color=R%20100%20G%20200`), killing the mock";

const MULTIPART: &str = "Prism 5.16.0 reads multipart parts as plain text: repeated parts (an array, RFC 7578 \
    section 4.3) collapse to the last one (stoplightio/prism PR #2654, open) and a JSON part (an \
    object property's default encoding, OpenAPI 3.0.3 Encoding Object) stays a string, so it \
    refuses every such body ('must be array', 'must be object', 'Reserved characters'), even \
    `curl -F array=a -F array=b`; the same requests pass our server's loopback tests";

/// The `prism` executable, installed with npm on first use.
fn prism() -> PathBuf {
    let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(std::env::temp_dir);
    let dir = home.join(".cache/spec-gen").join(format!("prism-{PRISM_VERSION}"));
    let bin = dir.join("node_modules/.bin/prism");
    if !bin.exists() {
        std::fs::create_dir_all(&dir).unwrap();
        let status = Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--loglevel=error", "--prefix"])
            .arg(&dir)
            .arg(format!("@stoplight/prism-cli@{PRISM_VERSION}"))
            .stdin(Stdio::null())
            .status()
            .expect("npm runs (Node.js is needed for Prism)");
        assert!(status.success() && bin.exists(), "npm could not install Prism {PRISM_VERSION}");
    }
    bin
}

/// A running Prism, stopped when dropped.
struct Prism(Child);

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn start(prism: &Path, spec: &Path, port: u16, log: &Path) -> Prism {
    let log = std::fs::File::create(log).unwrap();
    let child = Command::new(prism)
        .args(["mock", "--errors", "--host", "127.0.0.1", "--port", &port.to_string()])
        .arg(spec)
        .stdin(Stdio::null())
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .expect("prism starts");
    let prism = Prism(child);
    let deadline = Instant::now() + Duration::from_secs(90);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "Prism did not listen on {port} within 90 s");
        std::thread::sleep(Duration::from_millis(200));
    }
    prism
}

#[test]
fn generated_clients_are_accepted_by_prism() {
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("prism-crates");
    let options = Options { parts: Parts { types: true, client: true, ..Parts::default() }, ..Options::default() };
    let prism = prism();
    let mut members = Vec::new();
    let mut servers = Vec::new();
    let mut env = Vec::new();
    let mut expected_tests = 0;
    for (name, spec) in SPECS {
        let spec = spec_gen_tests::spec_path(spec);
        let generated = spec_codegen::pipeline::run(&spec, &options, Default::default())
            .unwrap_or_else(|failure| panic!("{}", failure.render(&spec)));
        let dir = root.join(name);
        let crate_name = format!("client_{name}");
        spec_codegen::write_crate(&dir, &crate_name, &generated.output).unwrap();
        let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
        let dev = "\n[dev-dependencies]\ntokio = { version = \"1\", features = [\"rt-multi-thread\", \"macros\"] }\n";
        spec_gen_tests::write(&dir.join("Cargo.toml"), &format!("{}{dev}", manifest.replace("\n[workspace]\n", "\n")));
        let names = spec_codegen::http_names(&generated.ir, &generated.loaded.sources, &options);
        let var = format!("PRISM_{}", name.to_uppercase());
        let skip: Vec<&str> = PRISM_BUGS.iter().map(|(op, _)| *op).collect();
        let (tests, count) = spec_gen_tests::loopback::server_calls(&generated.ir, &names, &var, &skip);
        expected_tests += count;
        spec_gen_tests::write(&dir.join("tests/prism.rs"), &format!("use {crate_name} as api;\n\n{tests}"));
        members.push(format!("\"{name}\""));
        let port = free_port();
        servers.push(start(&prism, &spec, port, &root.join(format!("{name}.prism.log"))));
        env.push((var, format!("http://127.0.0.1:{port}")));
    }
    spec_gen_tests::write(
        &root.join("Cargo.toml"),
        &format!("[workspace]\nresolver = \"2\"\nmembers = [{}]\n", members.join(", ")),
    );
    let target = spec_gen_tests::generated_target(env!("CARGO_TARGET_TMPDIR"));
    spec_gen_tests::check_without_warnings(&root, &target, "generated client crates");
    let (ok, stdout, stderr) =
        spec_gen_tests::cargo_in_env(&root, &target, &["test", "--workspace", "--no-fail-fast"], &env);
    drop(servers);
    assert!(ok, "Prism refused requests of generated clients (logs in {}):\n{stdout}\n{stderr}", root.display());
    let passed = spec_gen_tests::tests_passed(&stdout);
    assert!(passed >= expected_tests, "only {passed} Prism tests passed, expected {expected_tests}");
}
