//! `$ref` resolution: loading every file a spec's `$ref`s reach (before lowering starts, so the
//! IR builder works on an immutable set) and turning a `$ref` string into a file and JSON pointer.
//!
//! File refs may not leave the root spec's folder and remote refs are refused: a build must not
//! reach the network or read files like `/etc/passwd` because a spec said so.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use serde_json::Value;

use crate::diag::{Diagnostic, Diagnostics, Origin, Severity};
use crate::source::{FileId, SourceFile, SourceSet, read_source};

/// Where a `$ref` points.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Target {
    pub file: FileId,
    /// Decoded RFC 6901 pointer (percent-escapes removed, `~0`/`~1` kept).
    pub pointer: String,
}

impl Target {
    pub fn origin(&self) -> Origin {
        Origin::new(self.file, self.pointer.clone())
    }
}

/// The files of a spec and, per (file, file-part of a `$ref`), which file that part names.
#[derive(Debug, Default)]
pub struct RefTable {
    files: HashMap<(FileId, String), Result<FileId, String>>,
}

/// Loads the root spec and every file reachable through `$ref`s. Problems with individual refs
/// are recorded (and reported again, with their location, when lowering meets them).
pub fn load_all(root: &Path, diags: &mut Diagnostics) -> Option<(SourceSet, RefTable)> {
    let canonical = match root.canonicalize() {
        Ok(p) => p,
        Err(e) => {
            diags.push(Diagnostic::new(
                Severity::Error,
                "io",
                None,
                format!("cannot read spec `{}`: {e}", root.display()),
            ));
            return None;
        }
    };
    let root_dir = canonical.parent().map(Path::to_path_buf).unwrap_or_default();
    let shown_dir = root.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut set = SourceSet { files: Vec::new(), root_dir, shown_dir };
    let root_name = canonical.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    match read_source(&canonical, root_name.clone(), FileId(0)) {
        Ok(file) => set.files.push(file),
        Err(d) => {
            // Keep the file (unparsed) so the error can name it and show the offending line.
            let located = d.origin.is_some();
            diags.push(d);
            if !located {
                return None;
            }
            set.files.push(SourceFile::placeholder(&canonical, root_name));
            return Some((set, RefTable::default()));
        }
    }
    let mut table = RefTable::default();
    let mut next = 0usize;
    while next < set.files.len() {
        let id = FileId(next as u32);
        let mut file_parts: Vec<String> = Vec::new();
        collect_file_refs(&set.files[next].value, &mut file_parts);
        file_parts.sort();
        file_parts.dedup();
        for part in file_parts {
            let resolved = resolve_file_part(&mut set, id, &part, diags);
            table.files.insert((id, part), resolved);
        }
        next += 1;
    }
    Some((set, table))
}

/// The distinct file parts (before `#`) of every `$ref` in a document; iterative, so deep
/// documents cannot overflow the stack.
fn collect_file_refs(value: &Value, out: &mut Vec<String>) {
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref") {
                    let part = r.split('#').next().unwrap_or("");
                    if !part.is_empty() {
                        out.push(part.to_owned());
                    }
                }
                stack.extend(map.values());
            }
            Value::Array(items) => stack.extend(items.iter()),
            _ => {}
        }
    }
}

fn is_remote(part: &str) -> bool {
    let lower = part.to_ascii_lowercase();
    lower.contains("://") || lower.starts_with("urn:") || lower.starts_with("//")
}

fn resolve_file_part(set: &mut SourceSet, from: FileId, part: &str, diags: &mut Diagnostics) -> Result<FileId, String> {
    if is_remote(part) {
        return Err(format!(
            "remote reference `{part}` refused: generation never reaches the network; download the file next to the spec and reference it by a relative path"
        ));
    }
    let decoded = percent_encoding::percent_decode_str(part).decode_utf8_lossy().into_owned();
    let base = set.file(from).path.parent().map(Path::to_path_buf).unwrap_or_default();
    let joined = normalize(&base.join(&decoded));
    if !joined.starts_with(&set.root_dir) {
        return Err(format!(
            "reference `{part}` leaves the spec's folder `{}`; specs may only reference files inside it",
            set.root_dir.display()
        ));
    }
    let canonical = match joined.canonicalize() {
        Ok(p) => p,
        Err(e) => return Err(format!("referenced file `{part}` cannot be read: {e}")),
    };
    // Symlinks can point outside the folder even when the written path does not.
    if !canonical.starts_with(&set.root_dir) {
        return Err(format!("reference `{part}` resolves outside the spec's folder"));
    }
    if let Some(id) = set.find(&canonical) {
        return Ok(id);
    }
    let id = FileId(set.files.len() as u32);
    match read_source(&canonical, set_display(set, &canonical), id) {
        Ok(file) => {
            set.files.push(file);
            Ok(id)
        }
        Err(d) => {
            let message = format!("referenced file `{part}` could not be loaded: {}", d.message);
            if d.origin.is_some() {
                // The error points into this file: keep it (unparsed) so it can be shown.
                set.files.push(SourceFile::placeholder(&canonical, set_display(&set, &canonical)));
            }
            diags.push(d);
            Err(message)
        }
    }
}

/// How a file is named in diagnostics and generated code: relative to the root spec's folder.
fn set_display(set: &SourceSet, canonical: &Path) -> String {
    canonical
        .strip_prefix(&set.root_dir)
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| canonical.display().to_string())
}

/// Removes `.` and `..` lexically, so the folder check sees the path the ref really names.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

impl RefTable {
    /// Resolves `reference` written in file `from` to a target whose value exists.
    pub fn resolve(&self, sources: &SourceSet, from: FileId, reference: &str) -> Result<Target, String> {
        let (part, fragment) = match reference.split_once('#') {
            Some((p, f)) => (p, f),
            None => (reference, ""),
        };
        let file = if part.is_empty() {
            from
        } else {
            match self.files.get(&(from, part.to_owned())) {
                Some(Ok(id)) => *id,
                Some(Err(message)) => return Err(message.clone()),
                None if is_remote(part) => {
                    return Err(format!("remote reference `{part}` refused: generation never reaches the network"));
                }
                None => return Err(format!("referenced file `{part}` was not loaded")),
            }
        };
        let pointer = percent_encoding::percent_decode_str(fragment).decode_utf8_lossy().into_owned();
        if !pointer.is_empty() && !pointer.starts_with('/') {
            return Err(format!(
                "`#{pointer}` is a plain-name fragment ($anchor); only JSON pointer fragments such as `#/components/schemas/Pet` are supported"
            ));
        }
        if sources.file(file).value.pointer(&pointer).is_none() {
            let where_ = if part.is_empty() { String::new() } else { format!(" in `{part}`") };
            return Err(format!("`{reference}` points to nothing: there is no `#{pointer}`{where_}"));
        }
        Ok(Target { file, pointer })
    }
}
