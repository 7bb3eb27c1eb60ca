//! `cargo spec-gen diff`: the changes between two versions of a contract, located in both, with
//! the Rust items of the generated code each one changes and which side of the API it breaks.
//!
//! Exit codes follow diff(1): 0 nothing breaks the chosen side, 1 something does, 2 the versions
//! could not be compared (a spec with errors, a git ref that does not exist).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde_json::{Value, json};
use spec_codegen::config::Config;
use spec_codegen::lockfile::{self, LockChoice};
use spec_codegen::pipeline::{self, Deny};
use spec_codegen::{HttpNames, Options, Parts};
use spec_core::diag::{Origin, Position};
use spec_core::diff::{self, Breaks, Change, Item, Side, Version};
use spec_core::ir::Ir;
use spec_core::{Loaded, SourceSet};

#[derive(Clone, Copy, clap::ValueEnum, PartialEq)]
pub enum DiffFormat {
    Text,
    Json,
    Markdown,
}

#[derive(Clone, Copy, clap::ValueEnum, PartialEq)]
pub enum FailOn {
    Client,
    Server,
    Any,
    /// Always exit 0 (report only).
    None,
}

impl FailOn {
    fn fails(self, breaks: Breaks) -> bool {
        match self {
            FailOn::Client => breaks.client,
            FailOn::Server => breaks.server,
            FailOn::Any => breaks.any(),
            FailOn::None => false,
        }
    }
}

#[derive(clap::Args)]
pub struct DiffArgs {
    /// The old version's root spec, then the new one's; with `--base`, only the new one (the old
    /// is the same path at that git revision).
    #[arg(num_args = 1..=2, required = true, value_name = "OLD NEW")]
    specs: Vec<PathBuf>,
    /// Read the old version from this git revision (the spec's folder as committed there).
    #[arg(long, value_name = "GIT_REF")]
    base: Option<String>,
    #[arg(long, value_enum, default_value = "text")]
    format: DiffFormat,
    /// Exit 1 when a change breaks this side.
    #[arg(long, value_enum, default_value = "any")]
    fail_on: FailOn,
}

/// One side's loaded spec with what the report needs of it.
struct LoadedVersion {
    shown: String,
    loaded: Loaded,
    ir: Ir,
    names: HttpNames,
}

pub fn run(args: DiffArgs) -> ExitCode {
    match compare(&args) {
        Ok(code) => code,
        Err(message) => {
            eprint!("{message}");
            if !message.ends_with('\n') {
                eprintln!();
            }
            ExitCode::from(2)
        }
    }
}

fn compare(args: &DiffArgs) -> Result<ExitCode, String> {
    // Keeps the checked-out base alive until both versions are compared.
    let mut _checkout: Option<Checkout> = None;
    let (old_path, old_shown, new_path) = match (&args.base, args.specs.as_slice()) {
        (Some(rev), [new]) => {
            let checkout = Checkout::of(new, rev)?;
            let path = checkout.spec.clone();
            let shown = format!("{}@{rev}", new.display());
            _checkout = Some(checkout);
            (path, shown, new.clone())
        }
        (None, [old, new]) => (old.clone(), old.display().to_string(), new.clone()),
        (Some(_), _) => return Err("error: with --base, give only the new spec".into()),
        (None, _) => return Err("error: give OLD and NEW specs, or --base GIT_REF and one spec".into()),
    };
    // Both versions get the names `generate` would give the new one: its spec-gen.toml entry's
    // renames and trait name, and the names its spec-gen.lock pins (which a regeneration keeps).
    let mut options = generate_options(&new_path)?;
    options.lock = LockChoice::Of { path: lockfile::beside(&new_path), section: lockfile::section_of(&new_path) };
    // The versions load on two threads: loading is most of the time, and they are independent.
    let new_shown = new_path.display().to_string();
    let (old, new) = std::thread::scope(|scope| {
        let old = scope.spawn(|| load(&old_path, old_shown, &options));
        let new = load(&new_path, new_shown, &options);
        (old.join().unwrap_or_else(|_| Err("error: loading the old version failed".into())), new)
    });
    let (old, new) = (old?, new?);
    let changes = diff::diff(
        &Version { ir: &old.ir, sources: &old.loaded.sources },
        &Version { ir: &new.ir, sources: &new.loaded.sources },
    );
    let report = Report::new(&old, &new, &changes);
    let text = match args.format {
        DiffFormat::Text => report.text(),
        DiffFormat::Json => serde_json::to_string_pretty(&report.json()).unwrap_or_default() + "\n",
        DiffFormat::Markdown => report.markdown(),
    };
    print!("{text}");
    let failed = changes.iter().any(|c| args.fail_on.fails(c.breaks));
    Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

fn load(path: &Path, shown: String, options: &Options) -> Result<LoadedVersion, String> {
    let (loaded, ir) = pipeline::lower(path, options, Deny::default()).map_err(|failure| failure.render(path))?;
    let names = http_names(&ir, &loaded.sources, options);
    Ok(LoadedVersion { shown, loaded, ir, names })
}

/// The options `generate` uses for `spec` that decide names: its entry in the spec-gen.toml of
/// the current folder, if any, else the defaults; the lock beside the spec.
pub(crate) fn generate_options(spec: &Path) -> Result<Options, String> {
    let here = std::env::current_dir().map_err(|e| format!("error: cannot read the current folder: {e}"))?;
    let config = Config::find(&here).map_err(|e| format!("error: {e}"))?;
    match config.as_ref().and_then(|c| c.entry(spec)) {
        Some(entry) => entry.options().map(|(options, _)| options).map_err(|e| format!("error: {e}")),
        None => Ok(Options::default()),
    }
}

/// The names the server and client parts give the trait and the operations' items (whatever
/// parts `options` asks for: these names exist whichever are generated).
pub(crate) fn http_names(ir: &Ir, sources: &SourceSet, options: &Options) -> HttpNames {
    let options =
        Options { parts: Parts { server: true, client: true, ..Parts::default() }.completed(), ..options.clone() };
    spec_codegen::http_names(ir, sources, &options)
}

/// The old version's files: the spec's folder exported from git at a revision.
struct Checkout {
    dir: PathBuf,
    spec: PathBuf,
}

impl Checkout {
    fn of(spec: &Path, rev: &str) -> Result<Checkout, String> {
        let folder = spec.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let git = |dir: &Path, args: &[&str]| -> Result<Vec<u8>, String> {
            let out = std::process::Command::new("git")
                .arg("-C")
                .arg(dir)
                .args(args)
                .output()
                .map_err(|e| format!("error: cannot run git: {e}"))?;
            if !out.status.success() {
                return Err(format!("error: git {}: {}", args.join(" "), String::from_utf8_lossy(&out.stderr).trim()));
            }
            Ok(out.stdout)
        };
        let prefix = String::from_utf8_lossy(&git(folder, &["rev-parse", "--show-prefix"])?).trim().to_owned();
        let top = String::from_utf8_lossy(&git(folder, &["rev-parse", "--show-toplevel"])?).trim().to_owned();
        let file = spec.file_name().ok_or_else(|| format!("error: `{}` names no file", spec.display()))?;
        let dir = std::env::temp_dir().join(format!("spec-gen-base-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| format!("error: cannot create `{}`: {e}", dir.display()))?;
        let checkout = Checkout { spec: dir.join(file), dir };
        // Only the spec's own folder (file `$ref`s may not leave it), archived from the top: in a
        // subfolder, git archive would also filter the tree by that subfolder.
        let tree = format!("{rev}:{prefix}");
        let tar = git(Path::new(&top), &["archive", "--format=tar", &tree])?;
        let mut child = std::process::Command::new("tar")
            .args(["-x", "-f", "-", "-C"])
            .arg(&checkout.dir)
            .stdin(std::process::Stdio::piped())
            .spawn()
            .map_err(|e| format!("error: cannot run tar: {e}"))?;
        if let Some(mut stdin) = child.stdin.take() {
            use std::io::Write;
            stdin.write_all(&tar).map_err(|e| format!("error: cannot unpack the base: {e}"))?;
        }
        let status = child.wait().map_err(|e| format!("error: tar: {e}"))?;
        if !status.success() || !checkout.spec.exists() {
            return Err(format!("error: `{}` does not exist at {rev}", spec.display()));
        }
        Ok(checkout)
    }
}

impl Drop for Checkout {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The changes with their locations found and their Rust items named.
struct Report<'a> {
    old: &'a LoadedVersion,
    new: &'a LoadedVersion,
    entries: Vec<Entry<'a>>,
}

struct Entry<'a> {
    change: &'a Change,
    old: Option<Place>,
    new: Option<Place>,
    items: Vec<String>,
}

/// A located origin: file as shown, line, column, pointer.
pub(crate) struct Place {
    file: String,
    position: Option<Position>,
    pointer: String,
}

impl Place {
    fn text(&self) -> String {
        match &self.position {
            Some(p) => format!("{}:{}:{} #{}", self.file, p.line, p.column, self.pointer),
            None => format!("{} #{}", self.file, self.pointer),
        }
    }

    pub(crate) fn json(&self) -> Value {
        json!({
            "file": self.file,
            "line": self.position.as_ref().map(|p| p.line),
            "column": self.position.as_ref().map(|p| p.column),
            "pointer": self.pointer,
        })
    }
}

/// Every origin located (one scan per file), with its file as users see it.
pub(crate) fn places(sources: &SourceSet, origins: &[&Origin]) -> Vec<Place> {
    origins
        .iter()
        .zip(sources.positions(origins))
        .map(|(o, position)| Place { file: sources.shown(o.file), position, pointer: o.pointer.clone() })
        .collect()
}

impl<'a> Report<'a> {
    fn new(old: &'a LoadedVersion, new: &'a LoadedVersion, changes: &'a [Change]) -> Report<'a> {
        let old_origins: Vec<&Origin> = changes.iter().filter_map(|c| c.old.as_ref()).collect();
        let new_origins: Vec<&Origin> = changes.iter().filter_map(|c| c.new.as_ref()).collect();
        let mut old_places = places(&old.loaded.sources, &old_origins).into_iter();
        let mut new_places = places(&new.loaded.sources, &new_origins).into_iter();
        let entries = changes
            .iter()
            .map(|change| Entry {
                change,
                old: change.old.as_ref().and_then(|_| old_places.next()),
                new: change.new.as_ref().and_then(|_| new_places.next()),
                items: rust_items(old, new, &change.items),
            })
            .collect();
        Report { old, new, entries }
    }

    fn counts(&self) -> (usize, usize, usize) {
        let client = self.entries.iter().filter(|e| e.change.breaks.client).count();
        let server = self.entries.iter().filter(|e| e.change.breaks.server).count();
        (self.entries.len(), client, server)
    }

    fn summary(&self) -> String {
        let (total, client, server) = self.counts();
        if total == 0 {
            return format!("no changes between {} and {}\n", self.old.shown, self.new.shown);
        }
        let neither = self.entries.iter().filter(|e| !e.change.breaks.any()).count();
        format!(
            "{total} change(s) from {} to {}: {client} break clients, {server} break servers, {neither} break neither\n",
            self.old.shown, self.new.shown
        )
    }

    fn text(&self) -> String {
        let mut out = String::new();
        for e in &self.entries {
            let c = e.change;
            let verdict = breaks_label(c.breaks);
            let operation = c.operation.as_ref().map(|o| format!("{o}: ")).unwrap_or_default();
            out.push_str(&format!("{verdict:<16} {}: {operation}{}\n", c.kind.as_str(), c.message));
            if let Some(p) = &e.old {
                out.push_str(&format!("    old: {}\n", p.text()));
            }
            if let Some(p) = &e.new {
                out.push_str(&format!("    new: {}\n", p.text()));
            }
            if !e.items.is_empty() {
                out.push_str(&format!("    rust: {}\n", e.items.join(", ")));
            }
        }
        out.push_str(&self.summary());
        out
    }

    fn markdown(&self) -> String {
        let (total, client, server) = self.counts();
        let mut out = format!(
            "### Contract changes: {total} ({client} breaking clients, {server} breaking servers)\n\n`{}` → `{}`\n\n",
            self.old.shown, self.new.shown
        );
        if total == 0 {
            out.push_str("No changes.\n");
            return out;
        }
        out.push_str("| Breaks | Change | Where | Rust items |\n|---|---|---|---|\n");
        for e in &self.entries {
            let c = e.change;
            let operation = c.operation.as_ref().map(|o| format!("`{o}`: ")).unwrap_or_default();
            let place = e.new.as_ref().or(e.old.as_ref()).map(Place::text).unwrap_or_default();
            let items: Vec<String> = e.items.iter().map(|i| format!("`{i}`")).collect();
            out.push_str(&format!(
                "| {} | **{}** {operation}{} | `{}` | {} |\n",
                breaks_label(c.breaks),
                c.kind.as_str(),
                cell(&c.message),
                cell(&place),
                items.join(", ")
            ));
        }
        out
    }

    fn json(&self) -> Value {
        let (total, client, server) = self.counts();
        let changes: Vec<Value> = self
            .entries
            .iter()
            .map(|e| {
                let c = e.change;
                json!({
                    "kind": c.kind.as_str(),
                    "breaks": { "client": c.breaks.client, "server": c.breaks.server },
                    "operation": c.operation,
                    "message": c.message,
                    "old": e.old.as_ref().map(Place::json),
                    "new": e.new.as_ref().map(Place::json),
                    "rust_items": e.items,
                })
            })
            .collect();
        json!({
            "old": self.old.shown,
            "new": self.new.shown,
            "summary": { "changes": total, "breaking_client": client, "breaking_server": server },
            "changes": changes,
        })
    }
}

fn breaks_label(breaks: Breaks) -> &'static str {
    match (breaks.client, breaks.server) {
        (true, true) => "BREAKS both",
        (true, false) => "BREAKS client",
        (false, true) => "BREAKS server",
        (false, false) => "compatible",
    }
}

/// Text safe inside a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// The generated items a change touches, as paths in the generated module; an item whose name
/// differs between the versions is shown `old → new`.
fn rust_items(old: &LoadedVersion, new: &LoadedVersion, items: &[Item]) -> Vec<String> {
    let side = |s: Side| if s == Side::Old { old } else { new };
    let mut paths: Vec<(Side, Vec<String>)> = Vec::new();
    for item in items {
        let (s, names) = match item {
            Item::Type(s, id) => (*s, vec![side(*s).ir.ty(*id).name.clone()]),
            Item::Field(s, id, field) => (*s, vec![format!("{}::{field}", side(*s).ir.ty(*id).name)]),
            Item::Variant(s, id, variant) => (*s, vec![format!("{}::{variant}", side(*s).ir.ty(*id).name)]),
            Item::Operation(s, index) => (*s, operation_items(side(*s), *index)),
        };
        paths.push((s, names));
    }
    let mut out: Vec<String> = Vec::new();
    let olds: Vec<&Vec<String>> = paths.iter().filter(|p| p.0 == Side::Old).map(|p| &p.1).collect();
    let news: Vec<&Vec<String>> = paths.iter().filter(|p| p.0 == Side::New).map(|p| &p.1).collect();
    if olds.len() == news.len() {
        for (a, b) in olds.iter().zip(&news) {
            for (x, y) in a.iter().zip(b.iter()) {
                out.push(if x == y { x.clone() } else { format!("{x} → {y}") });
            }
        }
    } else {
        out.extend(paths.into_iter().flat_map(|p| p.1));
    }
    out.dedup();
    out
}

/// The server trait method and the client method of an operation (webhooks have neither).
fn operation_items(version: &LoadedVersion, index: usize) -> Vec<String> {
    let op = &version.ir.operations[index];
    let Some(names) = version.names.operations.iter().find(|n| n.name == op.name) else {
        return Vec::new();
    };
    vec![
        format!("server::{}::{}", version.names.trait_name, names.name),
        format!("client::Client::{}", names.client_method),
    ]
}
