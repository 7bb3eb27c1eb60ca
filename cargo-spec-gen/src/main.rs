//! `cargo spec-gen`: the command-line front end. It parses arguments into `spec_codegen::Options`
//! and runs the one pipeline (load → IR → generate → write); it holds no generation logic.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

mod diff;
mod init;
mod mock;
mod trace;
use spec_codegen::config::{Config, FILE_NAME, Overrides, SpecEntry};
use spec_codegen::pipeline::{self, Deny, Failure, Generated};
use spec_codegen::{Options, Parts};
use spec_core::diag::{Diagnostic, Diagnostics, Severity};
use spec_core::render;

#[derive(Parser)]
#[command(
    name = "cargo spec-gen",
    bin_name = "cargo spec-gen",
    version,
    about = "Generate Rust from OpenAPI 3.0/3.1 and JSON Schema contracts"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate Rust code from a spec.
    Generate(GenerateArgs),
    /// Check a spec and print every diagnostic, without writing code.
    Validate(ValidateArgs),
    /// Exit 1 with a unified diff when the code at `--out` is not what `generate` would write now
    /// (drift in CI); takes the same options as `generate`.
    Check(GenerateArgs),
    /// Write a user-owned starting point once (never overwrites an existing file).
    Scaffold(ScaffoldArgs),
    /// List which operations and declared statuses have a test tagged
    /// `#[spec_contract(operation, status)]`; exit 1 under `--min`.
    Coverage(CoverageArgs),
    /// Wire a spec into the crate in the current folder: spec-gen.toml, build.rs, the pinned
    /// dependencies its parts need and the include; then `cargo build`.
    Init(InitArgs),
    /// Serve the spec's generated mock server on 127.0.0.1: examples or synthesized data for every
    /// operation, every request validated. Builds the server in a cache folder the first time.
    Mock(MockArgs),
    /// List every change between two versions of a contract (or `--base GIT_REF` and the
    /// current one), with both locations, the Rust items it changes and which side it breaks;
    /// exit 1 when a change breaks the `--fail-on` side, 2 when they cannot be compared.
    Diff(diff::DiffArgs),
    /// Write a JSON map from every generated item to its spec location (file, line, JSON
    /// pointer) and back, for review tools and auditors.
    Trace(trace::TraceArgs),
    /// Pin the current Rust names of the spec's types and operations in spec-gen.lock (as
    /// `generate` does), without generating code: for crates that generate in build.rs.
    Lock(LockArgs),
}

#[derive(clap::Args)]
struct LockArgs {
    spec: PathBuf,
    /// The lock file (default: spec-gen.lock beside the spec).
    #[arg(long, value_name = "FILE")]
    lock: Option<PathBuf>,
}

#[derive(clap::Args)]
struct ScaffoldArgs {
    /// What to scaffold.
    #[arg(value_enum)]
    kind: ScaffoldKind,
    spec: PathBuf,
    /// The file to write; refused when it exists.
    #[arg(long)]
    out: PathBuf,
    /// The path of the generated `server` module in your crate (`scaffold server`).
    #[arg(long, default_value = "crate::api::server")]
    server_path: String,
    /// The path of the generated module, with its `server` and `client` (`scaffold tests`; in an
    /// integration test, `my_crate::api`).
    #[arg(long, default_value = "crate::api")]
    api_path: String,
    /// `scaffold tests`: add skeletons to an existing file, only for the operations and statuses it
    /// has no tagged test for.
    #[arg(long)]
    update: bool,
}

#[derive(Clone, Copy, ValueEnum, PartialEq)]
enum ScaffoldKind {
    /// An implementation of the server trait, one method per operation.
    Server,
    /// Tests, one per operation and declared status, ignored until filled in.
    Tests,
}

#[derive(clap::Args)]
struct CoverageArgs {
    spec: PathBuf,
    /// Folders to read tests from (repeatable; default: tests and src).
    #[arg(long)]
    tests: Vec<PathBuf>,
    /// Exit 1 when fewer than this percentage of operation statuses are tested.
    #[arg(long, value_name = "PERCENT")]
    min: Option<f64>,
}

#[derive(clap::Args)]
struct InitArgs {
    /// The spec, inside the crate's folder.
    spec: PathBuf,
    /// Comma list of parts: types, server, client.
    #[arg(long = "with", default_value = "types", value_parser = parse_parts)]
    parts: Parts,
    /// Only write the files; do not run `cargo build`.
    #[arg(long)]
    no_build: bool,
}

#[derive(clap::Args)]
struct MockArgs {
    spec: PathBuf,
    /// The port to listen on (0: any free port, printed at start).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Accept only this credential (repeatable): an api key or bearer token as sent, basic
    /// credentials as `user:password`. Without it any credential present is accepted.
    #[arg(long = "accept", value_name = "CREDENTIAL")]
    accept: Vec<String>,
}

#[derive(clap::Args)]
struct GenerateArgs {
    /// The root spec file (JSON or YAML); files it references by `$ref` are read too. Without
    /// it, every spec that `spec-gen.toml` (in the current folder) gives an `out` is done.
    spec: Option<PathBuf>,
    /// Where to write: a `.rs` file, or with `--crate` a directory that becomes a crate (default:
    /// the spec's `out` in spec-gen.toml).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Write a complete crate with this package name into `--out`.
    #[arg(long = "crate", value_name = "NAME", value_parser = parse_crate_name)]
    crate_name: Option<String>,
    /// Comma list of parts: types, server, client, tests (contract checks and their tests; implies server and client),
    /// proptest (strategies and property tests; implies tests, adds a proptest dependency). Default: spec-gen.toml's
    /// `with`, else types.
    #[arg(long = "with", value_parser = parse_parts)]
    parts: Option<Parts>,
    /// Write every diagnostic (approximations included) to this JSON file.
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,
    /// Treat these as errors.
    #[arg(long, value_enum)]
    deny: Vec<DenyArg>,
    /// Map a string format to a Rust type, e.g. `date-time=String` or `uuid=::uuid::Uuid`.
    #[arg(long = "map-format", value_name = "FORMAT=TYPE")]
    map_format: Vec<String>,
    /// Add a derive to every generated struct and enum (repeatable), e.g. `Eq`.
    #[arg(long = "derive", value_name = "PATH")]
    derives: Vec<String>,
    /// Name of the server trait (default: from the spec's title, e.g. `PetstoreApi`).
    #[arg(long = "server-trait", value_name = "NAME")]
    server_trait: Option<String>,
    /// Name the type of a schema yourself (repeatable), e.g. `Pet=Animal`.
    #[arg(long = "rename", value_name = "SCHEMA=TYPE", value_parser = spec_codegen::options::parse_rename)]
    renames: Vec<(String, String)>,
    /// Generate only the operations with this tag (repeatable; with --operation, either
    /// selects) and the types they reach.
    #[arg(long = "tag", value_name = "TAG")]
    tags: Vec<String>,
    /// Generate only this operation, by operationId (repeatable), and the types it reaches.
    #[arg(long = "operation", value_name = "ID")]
    operations: Vec<String>,
    /// The lock file that pins generated names (default: spec-gen.lock beside the spec);
    /// `generate` updates it, `check` reports when it is out of date.
    #[arg(long, value_name = "FILE")]
    lock: Option<PathBuf>,
}

#[derive(clap::Args)]
struct ValidateArgs {
    spec: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    format: OutputFormat,
}

#[derive(Clone, Copy, ValueEnum, PartialEq)]
enum DenyArg {
    Approximations,
    Warnings,
}

#[derive(Clone, Copy, ValueEnum, PartialEq)]
enum OutputFormat {
    Human,
    Json,
}

fn parse_parts(s: &str) -> Result<Parts, String> {
    Parts::parse(s)
}

fn main() -> ExitCode {
    // `cargo spec-gen …` runs this binary as `cargo-spec-gen spec-gen …`.
    let mut args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if args.get(1).is_some_and(|a| a == "spec-gen") {
        args.remove(1);
    }
    let cli = Cli::parse_from(args);
    match cli.command {
        Command::Generate(args) => generate(args),
        Command::Validate(args) => validate(args),
        Command::Check(args) => check(args),
        Command::Scaffold(args) => scaffold(args),
        Command::Mock(args) => mock::run(&args.spec, args.port, &args.accept),
        Command::Coverage(args) => coverage(args),
        Command::Diff(args) => diff::run(args),
        Command::Trace(args) => trace::run(args),
        Command::Lock(args) => lock(args),
        Command::Init(args) => init::run(init::InitArgs { spec: &args.spec, parts: args.parts, build: !args.no_build }),
    }
}

/// The options the arguments set explicitly (they win over spec-gen.toml), or the usage error.
fn overrides_of(args: &GenerateArgs) -> Result<Overrides, String> {
    let mut overrides = Overrides { parts: args.parts, ..Overrides::default() };
    for mapping in &args.map_format {
        let (format, ty) =
            mapping.split_once('=').ok_or_else(|| format!("--map-format `{mapping}` is not FORMAT=TYPE"))?;
        spec_codegen::FormatMapping::default().set(format, ty).map_err(|message| format!("--map-format {message}"))?;
        overrides.formats.push((format.to_owned(), ty.to_owned()));
    }
    for derive in &args.derives {
        spec_codegen::options::check_derive(derive).map_err(|e| format!("--derive {e}"))?;
    }
    overrides.derives = args.derives.clone();
    if let Some(name) = &args.server_trait {
        spec_codegen::options::check_trait_name(name).map_err(|e| format!("--server-trait {e}"))?;
        overrides.server_trait = Some(name.clone());
    }
    overrides.renames = args.renames.clone();
    overrides.select = spec_core::select::Selection { tags: args.tags.clone(), operations: args.operations.clone() };
    overrides.deny_approximations = args.deny.contains(&DenyArg::Approximations);
    overrides.deny_warnings = args.deny.contains(&DenyArg::Warnings);
    overrides.lock = args.lock.clone();
    Ok(overrides)
}

/// One spec to generate or check: where it is, where it goes and with what options.
struct Job {
    spec: PathBuf,
    out: PathBuf,
    crate_name: Option<String>,
    options: Options,
    deny: Deny,
}

/// The jobs the arguments ask for: the given spec (its spec-gen.toml entry, if any, as the base),
/// or every entry of spec-gen.toml that has an `out`. `Err` is a usage error.
fn jobs_of(args: &GenerateArgs) -> Result<Vec<Job>, String> {
    let overrides = overrides_of(args)?;
    let here = std::env::current_dir().map_err(|e| format!("cannot read the current folder: {e}"))?;
    let config = Config::find(&here)?;
    let job = |spec: PathBuf, entry: Option<&SpecEntry>, dir: &std::path::Path| -> Result<Job, String> {
        let base = match entry {
            Some(entry) => entry.options()?,
            None => Default::default(),
        };
        let (options, deny) = overrides.apply(base)?;
        let out = match (&args.out, entry.and_then(|e| e.out.as_ref())) {
            (Some(out), _) => out.clone(),
            (None, Some(out)) => dir.join(out),
            (None, None) => {
                return Err(format!("no --out for `{}` (give one, or an `out` in {FILE_NAME})", spec.display()));
            }
        };
        let crate_name = match (&args.crate_name, entry.and_then(|e| e.crate_name.as_ref())) {
            (Some(name), _) => Some(name.clone()),
            (None, Some(name)) => Some(parse_crate_name(name)?),
            (None, None) => None,
        };
        Ok(Job { spec, out, crate_name, options, deny })
    };
    match (&args.spec, &config) {
        (Some(spec), config) => {
            let entry = config.as_ref().and_then(|c| c.entry(spec));
            Ok(vec![job(spec.clone(), entry, &here)?])
        }
        (None, Some(config)) => {
            let entries: Vec<&SpecEntry> = config.specs.iter().filter(|e| e.out.is_some()).collect();
            if entries.is_empty() {
                return Err(format!("{FILE_NAME} lists no spec with an `out`"));
            }
            entries.into_iter().map(|e| job(config.spec_path(e), Some(e), &config.dir)).collect()
        }
        (None, None) => Err(format!("give a SPEC, or run where a {FILE_NAME} lists the specs")),
    }
}

/// The pipeline run of one job (on failure: diagnostics shown, `--report` written, exit 1, or 2
/// for a part that is not available yet).
fn run_pipeline(job: &Job, report: Option<&PathBuf>) -> Result<Generated, ExitCode> {
    pipeline::run_and_record(&job.spec, &job.options, job.deny).map_err(|failure| {
        eprint!("{}", failure.render(&job.spec));
        if let (Some(path), Failure::Spec { diagnostics, sources, .. }) = (report, &failure) {
            let _ = write_report(path, diagnostics, sources.as_ref());
        }
        let usage = matches!(
            failure,
            Failure::Generate(spec_codegen::GenerateError::Rename(_) | spec_codegen::GenerateError::Select(_))
        );
        ExitCode::from(if usage { 2 } else { 1 })
    })
}

/// The files a job writes: one module file, or a crate's two files.
fn output_files(job: &Job, output: &spec_codegen::Output) -> Vec<(PathBuf, String)> {
    match &job.crate_name {
        Some(name) => spec_codegen::crate_files(&job.out, name, output),
        None => vec![(job.out.clone(), output.code.clone())],
    }
}

/// The jobs, or exit 2 with the usage error.
fn jobs_or_exit(args: &GenerateArgs) -> Result<Vec<Job>, ExitCode> {
    jobs_of(args).map_err(|message| {
        eprintln!("error: {message}");
        ExitCode::from(2)
    })
}

fn generate(args: GenerateArgs) -> ExitCode {
    let jobs = match jobs_or_exit(&args) {
        Ok(jobs) => jobs,
        Err(code) => return code,
    };
    for job in &jobs {
        let code = generate_one(job, args.report.as_ref());
        if code != ExitCode::SUCCESS {
            return code;
        }
    }
    ExitCode::SUCCESS
}

fn generate_one(job: &Job, report: Option<&PathBuf>) -> ExitCode {
    let started = std::time::Instant::now();
    let run = match run_pipeline(job, report) {
        Ok(run) => run,
        Err(code) => return code,
    };
    let sources = &run.loaded.sources;
    for d in run.diagnostics.iter().filter(|d| d.severity == Severity::Warning) {
        eprint!("{}", render::human(d, Some(sources)));
    }
    if let Some(path) = report {
        if let Err(e) = write_report(path, &run.diagnostics, Some(sources)) {
            eprintln!("error: cannot write report `{}`: {e}", path.display());
            return ExitCode::from(1);
        }
    }
    let write_started = std::time::Instant::now();
    for (path, contents) in output_files(job, &run.output) {
        if let Err(e) = spec_codegen::write_if_changed(&path, &contents) {
            eprintln!("error: cannot write `{}`: {e}", path.display());
            return ExitCode::from(1);
        }
    }
    if let Some(lock) = &run.lock {
        if let Err(e) = lock.write() {
            eprintln!("error: cannot write `{}`: {e}", lock.path.display());
            return ExitCode::from(1);
        }
    }
    if std::env::var_os("SPEC_GEN_TIMINGS").is_some() {
        let write = ("write", write_started.elapsed());
        for (stage, time) in run.timings.iter().chain([&write]) {
            eprintln!("timing: {stage} {:.1} ms", time.as_secs_f64() * 1e3);
        }
        eprintln!("timing: total {:.1} ms", started.elapsed().as_secs_f64() * 1e3);
    }
    let all: Vec<&Diagnostic> = run.diagnostics.iter().collect();
    eprintln!(
        "spec-gen: wrote {}: {}",
        job.out.display(),
        render::summary(run.ir.types.len(), run.ir.operations.len(), &all)
    );
    // The process ends here: freeing a large spec's IR and sources one allocation at a time takes
    // noticeable time on the biggest specs and gains nothing.
    std::mem::forget(run);
    ExitCode::SUCCESS
}

/// Cargo's rules for a package name, checked up front so a bad name is a usage error (exit 2)
/// rather than a crate that `cargo check` refuses later.
fn parse_crate_name(name: &str) -> Result<String, String> {
    let first = name.chars().next().ok_or("the crate name is empty")?;
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return Err(format!("`{name}` may only hold ASCII letters, digits, `-` and `_`"));
    }
    if first.is_ascii_digit() || first == '-' {
        return Err(format!("`{name}` must start with a letter or `_`"));
    }
    let reserved = ["std", "core", "alloc", "proc_macro", "test", "self", "super", "crate", "Self"];
    if reserved.contains(&name) {
        return Err(format!("`{name}` is reserved"));
    }
    Ok(name.to_owned())
}

fn check(args: GenerateArgs) -> ExitCode {
    let jobs = match jobs_or_exit(&args) {
        Ok(jobs) => jobs,
        Err(code) => return code,
    };
    let mut drifted = 0;
    for job in &jobs {
        let run = match run_pipeline(job, args.report.as_ref()) {
            Ok(run) => run,
            Err(code) => return code,
        };
        let mut stale = false;
        let mut files: Vec<(PathBuf, String)> = output_files(job, &run.output);
        if let Some(lock) = run.lock.as_ref().filter(|l| l.changed()) {
            files.push((lock.path.clone(), lock.after.clone()));
        }
        for (path, want) in &files {
            let have = std::fs::read_to_string(path).unwrap_or_default();
            if have != *want {
                stale = true;
                drifted += 1;
                let shown = path.display().to_string();
                let diff = similar::TextDiff::from_lines(have.as_str(), want.as_str());
                print!(
                    "{}",
                    diff.unified_diff().context_radius(3).header(&format!("a/{shown}"), &format!("b/{shown}"))
                );
            }
        }
        if !stale {
            eprintln!("spec-gen: {} is up to date with {}", job.out.display(), job.spec.display());
        }
    }
    if drifted == 0 {
        ExitCode::SUCCESS
    } else {
        eprintln!(
            "error: {drifted} generated file(s) differ from what `cargo spec-gen generate` writes now; regenerate and commit"
        );
        ExitCode::from(1)
    }
}

fn lock(args: LockArgs) -> ExitCode {
    let mut options = match diff::generate_options(&args.spec) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    if let Some(path) = args.lock {
        options.lock = spec_codegen::lockfile::LockChoice::At(path);
    }
    let update = match pipeline::lock(&args.spec, &options) {
        Ok(Some(update)) => update,
        Ok(None) => return ExitCode::SUCCESS,
        Err(failure) => {
            eprint!("{}", failure.render(&args.spec));
            return ExitCode::from(1);
        }
    };
    if let Err(e) = update.write() {
        eprintln!("error: cannot write `{}`: {e}", update.path.display());
        return ExitCode::from(1);
    }
    let verdict = if update.changed() { "updated" } else { "already up to date" };
    eprintln!("spec-gen: {} {verdict} for {}", update.path.display(), args.spec.display());
    ExitCode::SUCCESS
}

fn validate(args: ValidateArgs) -> ExitCode {
    // The same pipeline as `generate` (nothing written), so validate reports exactly what
    // generate would: spec errors and warnings, and the generator's approximations too.
    // Then the lints, which change no code and so only `validate` runs.
    let (diags, sources) = match pipeline::run(&args.spec, &Options::default(), Deny::default()) {
        Ok(run) => {
            let mut diags = run.diagnostics;
            let mut lints = spec_core::lint::lint(&run.ir, &run.loaded);
            run.loaded.sources.locate_all(lints.iter_mut());
            diags.extend(lints);
            (diags, Some(run.loaded.sources))
        }
        Err(Failure::Spec { diagnostics, sources, .. }) => (diagnostics, sources),
        Err(Failure::Generate(e)) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    let sources = sources.as_ref();
    match args.format {
        OutputFormat::Human => {
            for d in diags.iter() {
                eprint!("{}", render::human(d, sources));
            }
            eprintln!(
                "{} error(s), {} warning(s), {} approximation(s)",
                diags.count(Severity::Error),
                diags.count(Severity::Warning),
                diags.count(Severity::Approximation)
            );
        }
        OutputFormat::Json => {
            let list: Vec<serde_json::Value> = diags.iter().map(|d| render::json(d, sources)).collect();
            println!("{}", serde_json::Value::Array(list));
        }
    }
    if diags.has_errors() { ExitCode::from(1) } else { ExitCode::SUCCESS }
}

fn scaffold(args: ScaffoldArgs) -> ExitCode {
    if args.kind == ScaffoldKind::Tests {
        return scaffold_tests(&args);
    }
    if args.out.exists() {
        eprintln!(
            "error: `{}` exists; scaffold writes a new file only, so your code is never overwritten",
            args.out.display()
        );
        return ExitCode::from(1);
    }
    let options = Options { parts: Parts { types: true, server: true, ..Parts::default() }, ..Options::default() };
    let run = match run_default(&args.spec, &options) {
        Ok(run) => run,
        Err(code) => return code,
    };
    let code = match spec_codegen::scaffold_server(&run.ir, &run.loaded.sources, &options, &args.server_path) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&args.out)
        .and_then(|mut f| std::io::Write::write_all(&mut f, code.as_bytes()));
    if let Err(e) = written {
        eprintln!("error: cannot write `{}`: {e}", args.out.display());
        return ExitCode::from(1);
    }
    eprintln!(
        "spec-gen: wrote {} ({} operations to implement)",
        args.out.display(),
        run.ir.operations.iter().filter(|o| !o.webhook).count()
    );
    ExitCode::SUCCESS
}

fn scaffold_tests(args: &ScaffoldArgs) -> ExitCode {
    let existing_text = match (args.out.exists(), args.update) {
        (true, false) => {
            eprintln!(
                "error: `{}` exists; scaffold writes a new file only (use --update to add the missing cases)",
                args.out.display()
            );
            return ExitCode::from(1);
        }
        (true, true) => std::fs::read_to_string(&args.out).unwrap_or_default(),
        (false, _) => String::new(),
    };
    let options =
        Options { parts: Parts { types: true, server: true, client: true, ..Parts::default() }, ..Options::default() };
    let run = match run_default(&args.spec, &options) {
        Ok(run) => run,
        Err(code) => return code,
    };
    let existing = spec_codegen::tagged_cases(&existing_text);
    let spec_text = args.spec.display().to_string().replace('\\', "/");
    let all = spec_codegen::contract_cases(&run.ir, &run.loaded.sources, &options);
    let missing = all.iter().filter(|case| !covered(&existing, case)).count();
    if missing == 0 {
        eprintln!("spec-gen: {} already has a test for every operation and status", args.out.display());
        return ExitCode::SUCCESS;
    }
    let code = match spec_codegen::scaffold_tests(
        &run.ir,
        &run.loaded.sources,
        &options,
        &spec_text,
        &args.api_path,
        &existing,
    ) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let text = if existing_text.is_empty() { code } else { format!("{}\n\n{code}", existing_text.trim_end()) };
    if let Err(e) = std::fs::write(&args.out, text) {
        eprintln!("error: cannot write `{}`: {e}", args.out.display());
        return ExitCode::from(1);
    }
    eprintln!("spec-gen: wrote {} ({missing} test skeleton(s), ignored until filled in)", args.out.display());
    ExitCode::SUCCESS
}

/// Whether a tagged case covers `case` (status compared without letter case: `4xx` = `4XX`).
fn covered(tags: &[(String, String)], case: &(String, String)) -> bool {
    tags.iter().any(|(op, status)| *op == case.0 && status.eq_ignore_ascii_case(&case.1))
}

fn coverage(args: CoverageArgs) -> ExitCode {
    let options = Options { parts: Parts { types: true, server: true, ..Parts::default() }, ..Options::default() };
    let run = match run_default(&args.spec, &options) {
        Ok(run) => run,
        Err(code) => return code,
    };
    let dirs =
        if args.tests.is_empty() { vec![PathBuf::from("tests"), PathBuf::from("src")] } else { args.tests.clone() };
    let mut tags = Vec::new();
    for dir in &dirs {
        for file in rust_files(dir) {
            tags.extend(spec_codegen::tagged_cases(&std::fs::read_to_string(&file).unwrap_or_default()));
        }
    }
    let cases = spec_codegen::contract_cases(&run.ir, &run.loaded.sources, &options);
    let mut done = 0;
    for case in &cases {
        let hit = covered(&tags, case);
        done += usize::from(hit);
        println!("{} {} {}", if hit { "tested  " } else { "untested" }, case.0, case.1);
    }
    let percent = if cases.is_empty() { 100.0 } else { done as f64 * 100.0 / cases.len() as f64 };
    eprintln!("spec-gen: {done} of {} operation statuses have a tagged test ({percent:.1}%)", cases.len());
    match args.min {
        Some(min) if percent < min => {
            eprintln!("error: coverage {percent:.1}% is under --min {min}%");
            ExitCode::from(1)
        }
        _ => ExitCode::SUCCESS,
    }
}

/// Every `.rs` file under `dir`, in a stable order.
fn rust_files(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The pipeline with `options` and no deny policy, for the commands that read the spec for names
/// (scaffold, coverage); on failure the diagnostics are shown and the exit code is 1.
fn run_default(spec: &std::path::Path, options: &Options) -> Result<Generated, ExitCode> {
    pipeline::run(spec, options, Deny::default()).map_err(|failure| {
        eprint!("{}", failure.render(spec));
        ExitCode::from(1)
    })
}

fn write_report(
    path: &std::path::Path,
    diags: &Diagnostics,
    sources: Option<&spec_core::SourceSet>,
) -> std::io::Result<()> {
    let list: Vec<serde_json::Value> = diags.iter().map(|d| render::json(d, sources)).collect();
    let text = serde_json::to_string_pretty(&serde_json::Value::Array(list)).unwrap_or_default();
    std::fs::write(path, text + "\n")
}
