//! `cargo spec-gen mock`: generates the spec's server with its `Mock`, builds it once in a cache
//! folder (later runs reuse the build when the spec is unchanged), and serves it on 127.0.0.1.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use spec_codegen::pipeline::{self, Deny};
use spec_codegen::{Options, Parts, deps};

const TOKIO: deps::Dependency = deps::Dependency {
    name: "tokio",
    version: "=1.54.1",
    features: &["rt-multi-thread", "net"],
    default_features: true,
};

const MAIN: &str = r#"//! Serves the generated mock; written by `cargo spec-gen mock`.

use {crate} as api;

fn main() {
    // Deeply nested schemas recurse deeply (synthesis, validation, serde): worker threads get
    // 64 MiB stacks, not tokio's 2 MiB.
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().thread_stack_size(64 << 20).build();
    match runtime {
        Ok(runtime) => runtime.block_on(serve()),
        Err(e) => {
            eprintln!("error: cannot start the tokio runtime: {e}");
            std::process::exit(1);
        }
    }
}

async fn serve() {
    let port: u16 = std::env::args().nth(1).and_then(|p| p.parse().ok()).unwrap_or(8080);
    // `mock PORT [CREDENTIAL...]`: with credentials, only those are accepted. They live as long
    // as the process, as the mock needs.
    let accepted: Vec<&'static str> = std::env::args().skip(2).map(|a| &*Box::leak(a.into_boxed_str())).collect();
    let mock = if accepted.is_empty() {
        api::server::Mock::new()
    } else {
        api::server::Mock::new().accepting(Box::leak(accepted.into_boxed_slice()))
    };
    let listener = match tokio::net::TcpListener::bind(("127.0.0.1", port)).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("error: cannot listen on 127.0.0.1:{port}: {e}");
            std::process::exit(1);
        }
    };
    let addr = listener.local_addr().map(|a| a.to_string()).unwrap_or_default();
    eprintln!("spec-gen mock: serving on http://{addr} (Ctrl-C stops it)");
    if let Err(e) = axum::serve(listener, api::server::router(mock)).await {
        eprintln!("error: the mock server stopped: {e}");
        std::process::exit(1);
    }
}
"#;

pub fn run(spec: &Path, port: u16, accept: &[String]) -> ExitCode {
    let options = Options { parts: Parts { types: true, server: true, ..Parts::default() }, ..Options::default() };
    let run = match pipeline::run(spec, &options, Deny::default()) {
        Ok(run) => run,
        Err(failure) => {
            eprint!("{}", failure.render(spec));
            return ExitCode::from(1);
        }
    };
    let root = cache_dir().join("mock");
    let folder = folder_name(spec);
    let dir = root.join(&folder);
    // One package (and binary) name per spec: builds of different specs share the target dir's
    // dependencies but never each other's outputs.
    let package = format!("mock_{}", folder.replace('-', "_"));
    let mut dependencies = run.output.dependencies.clone();
    dependencies.push(TOKIO);
    let manifest = format!(
        "{}\n[[bin]]\nname = \"{package}\"\npath = \"src/main.rs\"\n",
        deps::cargo_toml(&package, &dependencies)
    );
    let files = [
        (dir.join("Cargo.toml"), manifest),
        (dir.join("src/lib.rs"), run.output.code.clone()),
        (dir.join("src/main.rs"), MAIN.replace("{crate}", &package)),
    ];
    for (path, contents) in &files {
        if let Err(e) = spec_codegen::write_if_changed(path, contents) {
            eprintln!("error: cannot write `{}`: {e}", path.display());
            return ExitCode::from(1);
        }
    }
    let target = root.join("target");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    eprintln!("spec-gen: building the mock of {} in {}", spec.display(), dir.display());
    let built = Command::new(&cargo)
        .args(["build", "--quiet", "--bin", &package, "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", &target)
        .status();
    match built {
        Ok(status) if status.success() => {}
        Ok(_) => {
            eprintln!(
                "error: the generated mock did not build; this is a spec-gen bug, please report it with the spec"
            );
            return ExitCode::from(1);
        }
        Err(e) => {
            eprintln!("error: cannot run cargo: {e}");
            return ExitCode::from(1);
        }
    }
    // Mocks of several specs share one target dir (dependencies build once); each runs its own
    // copy of the binary, so the next build never replaces a running executable.
    let built = target.join("debug").join(format!("{package}{}", std::env::consts::EXE_SUFFIX));
    let binary = dir.join(format!("mock{}", std::env::consts::EXE_SUFFIX));
    // Copied beside, then renamed over: a mock of this spec that is still running keeps its file.
    let staged = dir.join(format!("mock.{}.tmp", std::process::id()));
    if let Err(e) = std::fs::copy(&built, &staged).and_then(|_| std::fs::rename(&staged, &binary)) {
        eprintln!("error: cannot copy `{}` to `{}`: {e}", built.display(), binary.display());
        return ExitCode::from(1);
    }
    serve(Command::new(&binary).arg(port.to_string()).args(accept))
}

/// Runs the mock in place of this process (Unix), so stopping `cargo spec-gen mock` stops the
/// server too; elsewhere waits for it.
#[cfg(unix)]
fn serve(command: &mut Command) -> ExitCode {
    use std::os::unix::process::CommandExt;
    let e = command.exec();
    eprintln!("error: cannot start the mock: {e}");
    ExitCode::from(1)
}

#[cfg(not(unix))]
fn serve(command: &mut Command) -> ExitCode {
    match command.status() {
        Ok(status) if status.success() => ExitCode::SUCCESS,
        Ok(_) => ExitCode::from(1),
        Err(e) => {
            eprintln!("error: cannot start the mock: {e}");
            ExitCode::from(1)
        }
    }
}

/// `$SPEC_GEN_CACHE`, else `~/.cache/spec-gen` (the corpus harness uses the same folder).
fn cache_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("SPEC_GEN_CACHE") {
        return PathBuf::from(dir);
    }
    let home = std::env::var_os("HOME").or_else(|| std::env::var_os("USERPROFILE")).unwrap_or_else(|| ".".into());
    PathBuf::from(home).join(".cache").join("spec-gen")
}

/// One folder per spec path, so mocks of different specs do not rebuild each other.
fn folder_name(spec: &Path) -> String {
    let absolute = std::fs::canonicalize(spec).unwrap_or_else(|_| spec.to_path_buf());
    let stem: String = spec
        .file_stem()
        .map(|s| s.to_string_lossy().chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect())
        .unwrap_or_else(|| "spec".into());
    // FNV-1a: stable across runs and platforms, unlike std's hasher.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in absolute.to_string_lossy().bytes() {
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    format!("{stem}-{hash:016x}")
}
