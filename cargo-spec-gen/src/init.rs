//! `cargo spec-gen init SPEC`: wires a spec into an existing crate. It adds the spec to
//! spec-gen.toml, writes a build.rs that runs the `Builder`, adds the dependencies the chosen parts
//! need (pinned, as the generated code is tested with them) and spec-codegen as a build
//! dependency, includes the generated module in `src/lib.rs` (or `main.rs`), then builds.
//! It never overwrites: an existing build.rs or include is left alone and reported.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use spec_codegen::config::FILE_NAME;
use spec_codegen::deps::Dependency;
use spec_codegen::pipeline::{self, Deny};
use spec_codegen::{Options, Parts};

pub struct InitArgs<'a> {
    pub spec: &'a Path,
    pub parts: Parts,
    pub build: bool,
}

pub fn run(args: InitArgs) -> ExitCode {
    let dir = match std::env::current_dir() {
        Ok(dir) => dir,
        Err(e) => return usage(&format!("cannot read the current folder: {e}")),
    };
    let manifest_path = dir.join("Cargo.toml");
    let Ok(manifest) = std::fs::read_to_string(&manifest_path) else {
        return usage("run `init` in a crate's folder (no Cargo.toml here)");
    };
    let Some(spec) = relative(&dir, args.spec) else {
        return usage(&format!("`{}` is not inside this crate's folder", args.spec.display()));
    };
    let options = Options { parts: args.parts, ..Options::default() };
    let run = match pipeline::run(&dir.join(&spec), &options, Deny::default()) {
        Ok(run) => run,
        Err(failure) => {
            eprint!("{}", failure.render(&spec));
            return ExitCode::from(1);
        }
    };
    let spec_text = spec.display().to_string().replace('\\', "/");
    let mut done = Vec::new();

    // spec-gen.toml: the spec and its parts, once.
    let config_path = dir.join(FILE_NAME);
    let config = std::fs::read_to_string(&config_path).unwrap_or_default();
    if config.contains(&format!("path = {spec_text:?}")) {
        done.push(format!("{FILE_NAME} already lists {spec_text}"));
    } else {
        let entry = format!("[[spec]]\npath = {spec_text:?}\nwith = {:?}\n", parts_text(args.parts));
        let text = if config.is_empty() { entry } else { format!("{}\n{entry}", config.trim_end()) };
        if let Err(e) = std::fs::write(&config_path, text) {
            return failed(&config_path, e);
        }
        done.push(format!("added {spec_text} to {FILE_NAME}"));
    }

    // build.rs: written only when there is none.
    let build_rs = dir.join("build.rs");
    let call = format!("spec_codegen::Builder::new({spec_text:?}).build();");
    match std::fs::read_to_string(&build_rs) {
        Ok(text) if text.contains(&call) => done.push("build.rs already runs the builder".into()),
        Ok(_) => done.push(format!("build.rs exists: add `{call}` to its `main` yourself")),
        Err(_) => {
            let text = format!(
                "fn main() {{\n    // Options come from {FILE_NAME}; the spec is regenerated whenever it (or a file it references) changes.\n    {call}\n}}\n"
            );
            if let Err(e) = std::fs::write(&build_rs, text) {
                return failed(&build_rs, e);
            }
            done.push("wrote build.rs".into());
        }
    }

    // Cargo.toml: the generated code's dependencies and spec-codegen for the build script.
    let runtime: Vec<Dependency> = run.output.dependencies.clone();
    let (manifest, added) = add_dependencies(&manifest, "dependencies", &runtime);
    let (manifest, added_build) = add_build_dependency(&manifest);
    if let Err(e) = std::fs::write(&manifest_path, manifest) {
        return failed(&manifest_path, e);
    }
    if !added.is_empty() || added_build {
        let mut names = added;
        if added_build {
            names.push("spec-codegen (build)".into());
        }
        done.push(format!("added to Cargo.toml: {}", names.join(", ")));
    }

    // The include, in lib.rs (or main.rs), once.
    let file = spec_codegen::output_name(&spec);
    let include = format!("include!(concat!(env!(\"OUT_DIR\"), \"/{file}\"));");
    let root = ["src/lib.rs", "src/main.rs"].into_iter().map(|f| dir.join(f)).find(|p| p.is_file());
    match root.as_ref().map(|p| (p, std::fs::read_to_string(p).unwrap_or_default())) {
        Some((_, text)) if text.contains(&include) => done.push("the generated module is already included".into()),
        Some((path, text)) => {
            let module = format!(
                "\n/// Generated from `{spec_text}` by build.rs (spec-gen); edit the spec, not this.\npub mod api {{\n    {include}\n}}\n"
            );
            if let Err(e) = std::fs::write(path, format!("{}\n{module}", text.trim_end())) {
                return failed(path, e);
            }
            done.push(format!("added `pub mod api` to {}", path.strip_prefix(&dir).unwrap_or(path).display()));
        }
        None => done.push(format!("no src/lib.rs or src/main.rs: add `pub mod api {{ {include} }}` where you want it")),
    }
    for line in &done {
        eprintln!("spec-gen: {line}");
    }
    if !args.build {
        return ExitCode::SUCCESS;
    }
    eprintln!("spec-gen: cargo build");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    match std::process::Command::new(cargo).arg("build").current_dir(&dir).status() {
        Ok(status) if status.success() => ExitCode::SUCCESS,
        Ok(_) => ExitCode::from(1),
        Err(e) => {
            eprintln!("error: cannot run cargo: {e}");
            ExitCode::from(1)
        }
    }
}

fn usage(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(2)
}

fn failed(path: &Path, e: std::io::Error) -> ExitCode {
    eprintln!("error: cannot write `{}`: {e}", path.display());
    ExitCode::from(1)
}

/// `spec` relative to `dir` (the spec-gen.toml and build.rs paths are), if it is inside.
fn relative(dir: &Path, spec: &Path) -> Option<PathBuf> {
    let absolute = if spec.is_absolute() { spec.to_path_buf() } else { dir.join(spec) };
    let absolute = absolute.canonicalize().ok()?;
    let dir = dir.canonicalize().ok()?;
    absolute.strip_prefix(&dir).ok().map(Path::to_path_buf)
}

fn parts_text(parts: Parts) -> String {
    let names = [
        (parts.types, "types"),
        (parts.server, "server"),
        (parts.client, "client"),
        (parts.tests, "tests"),
        (parts.proptest, "proptest"),
    ];
    names.iter().filter(|(on, _)| *on).map(|(_, name)| *name).collect::<Vec<_>>().join(",")
}

/// Adds the dependencies `manifest` does not declare yet under `[section]` (created at the end
/// when absent); returns the new text and the names added.
fn add_dependencies(manifest: &str, section: &str, deps: &[Dependency]) -> (String, Vec<String>) {
    let missing = spec_codegen::deps::undeclared(manifest, deps);
    if missing.is_empty() {
        return (manifest.to_owned(), Vec::new());
    }
    let table = spec_codegen::deps::dependency_table(&missing);
    let lines: String = table.lines().skip(1).map(|l| format!("{l}\n")).collect();
    (insert_into_section(manifest, section, &lines), missing.iter().map(|d| d.name.to_owned()).collect())
}

/// spec-codegen as a build dependency: this checkout's when the CLI was built from one (spec-gen
/// is not on crates.io yet), else the CLI's own version.
fn add_build_dependency(manifest: &str) -> (String, bool) {
    let in_section = manifest.split("[build-dependencies]").nth(1).is_some_and(|rest| {
        rest.split("\n[").next().is_some_and(|body| body.lines().any(|l| l.trim_start().starts_with("spec-codegen")))
    });
    if in_section {
        return (manifest.to_owned(), false);
    }
    let checkout = Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(|p| p.join("spec-codegen"));
    let line = match checkout.filter(|p| p.join("Cargo.toml").is_file()) {
        Some(path) => format!("spec-codegen = {{ path = {:?} }}\n", path.display().to_string()),
        None => format!("spec-codegen = \"{}\"\n", env!("CARGO_PKG_VERSION")),
    };
    (insert_into_section(manifest, "build-dependencies", &line), true)
}

/// `lines` at the end of `[section]`'s body (before the next table), or a new section at the end.
fn insert_into_section(manifest: &str, section: &str, lines: &str) -> String {
    let header = format!("[{section}]");
    let mut out = String::new();
    let mut inside = false;
    let mut inserted = false;
    for line in manifest.lines() {
        let trimmed = line.trim();
        if inside && trimmed.starts_with('[') {
            out.push_str(lines);
            inside = false;
            inserted = true;
        }
        if trimmed == header {
            inside = true;
        }
        out.push_str(line);
        out.push('\n');
    }
    if inside {
        out.push_str(lines);
        inserted = true;
    }
    if !inserted {
        out = format!("{}\n\n{header}\n{lines}", out.trim_end());
    }
    out
}
