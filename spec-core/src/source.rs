//! Spec source files: reading bytes from disk, decoding, parsing JSON or YAML into one value tree,
//! and the set of files one spec is made of.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::diag::{Diagnostic, Origin, Position, Severity};

/// Index of a file in its [`SourceSet`]; the root spec is always `FileId(0)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// The syntax a source file is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Yaml,
}

/// One parsed spec file.
#[derive(Debug)]
pub struct SourceFile {
    /// Canonical absolute path, used to resolve relative `$ref`s and to deduplicate loads.
    pub path: PathBuf,
    /// Path relative to the root spec's folder (the root is its file name): stable across
    /// machines, so it is what generated code mentions.
    pub display: String,
    pub text: String,
    pub format: Format,
    pub value: Value,
}

/// All files of one spec, the root first, in the order they were first referenced.
#[derive(Debug, Default)]
pub struct SourceSet {
    pub files: Vec<SourceFile>,
    /// Folder of the root spec: file `$ref`s may not leave it.
    pub root_dir: PathBuf,
    /// The root spec's folder as the user wrote it, for messages (`display` is relative to it).
    pub shown_dir: PathBuf,
}

impl SourceSet {
    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    /// A file's path as users should see it in messages: under the folder they named.
    pub fn shown(&self, id: FileId) -> String {
        self.shown_dir.join(&self.file(id).display).display().to_string()
    }

    pub fn find(&self, canonical: &Path) -> Option<FileId> {
        self.files.iter().position(|f| f.path == canonical).map(|i| FileId(i as u32))
    }

    pub fn ids(&self) -> impl Iterator<Item = FileId> + use<> {
        (0..self.files.len() as u32).map(FileId)
    }

    /// Fills in line and column of every diagnostic that has an origin but no position yet.
    pub fn locate_all<'a>(&self, diagnostics: impl IntoIterator<Item = &'a mut Diagnostic>) {
        let mut pending: Vec<&'a mut Diagnostic> =
            diagnostics.into_iter().filter(|d| d.position.is_none() && d.origin.is_some()).collect();
        let origins: Vec<&Origin> = pending.iter().filter_map(|d| d.origin.as_ref()).collect();
        let positions = self.positions(&origins);
        for (d, position) in pending.iter_mut().zip(positions) {
            d.position = position;
        }
    }

    /// Where each origin is (line and column), scanning each file once for all pointers that
    /// concern it; `None` where not even the file's root can be found.
    pub fn positions(&self, origins: &[&Origin]) -> Vec<Option<Position>> {
        let mut positions = vec![None; origins.len()];
        for id in self.ids() {
            let mine: Vec<usize> = (0..origins.len()).filter(|&i| origins[i].file == id).collect();
            if mine.is_empty() {
                continue;
            }
            let file = self.file(id);
            let pointers: Vec<&str> = mine.iter().map(|&i| origins[i].pointer.as_str()).collect();
            for (i, found) in mine.into_iter().zip(crate::locate::locate(&file.text, file.format, &pointers)) {
                positions[i] = found;
            }
        }
        positions
    }
}

impl SourceFile {
    /// Stands in for a file that could not be parsed, so its diagnostics can still name it and
    /// quote its lines. Its value is `null`; nothing is built from it (loading stops on errors).
    pub fn placeholder(path: &Path, display: String) -> SourceFile {
        let bytes = std::fs::read(path).unwrap_or_default();
        let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF][..]).unwrap_or(&bytes);
        let text = String::from_utf8_lossy(bytes).into_owned();
        let format = detect_format(path, &text);
        SourceFile { path: path.to_path_buf(), display, text, format, value: Value::Null }
    }
}

/// Reads and parses one file. `origin` is where the file was referenced from (for errors).
pub fn read_source(path: &Path, display: String, id: FileId) -> Result<SourceFile, Diagnostic> {
    let here = Origin::new(id, "");
    let bytes = std::fs::read(path)
        .map_err(|e| Diagnostic::new(Severity::Error, "io", None, format!("cannot read `{}`: {e}", path.display())))?;
    let text = decode(bytes).map_err(|(offset, msg)| {
        let mut d = Diagnostic::error("encoding", here.clone(), msg);
        d.position = Some(position_of_offset_bytes(offset));
        d
    })?;
    parse_text(path, display, text, id)
}

/// Parses text already in memory (used by tests and by callers that read files themselves).
pub fn parse_text(path: &Path, display: String, text: String, id: FileId) -> Result<SourceFile, Diagnostic> {
    let here = Origin::new(id, "");
    if text.trim().is_empty() {
        return Err(Diagnostic::error("empty-file", here, format!("`{display}` is empty"))
            .with_help("a spec must be a JSON or YAML document with an `openapi` or `$schema` key"));
    }
    let format = detect_format(path, &text);
    let value = match format {
        Format::Json => serde_json::from_str::<Value>(&text).map_err(|e| {
            let mut d = Diagnostic::error("syntax", here.clone(), format!("invalid JSON: {e}"));
            d.position = Some(Position { line: e.line(), column: e.column(), offset: 0 });
            d
        })?,
        Format::Yaml => crate::yaml::parse(&text).map_err(|e| {
            let mut d = Diagnostic::error("syntax", here.clone(), format!("invalid YAML: {}", e.message));
            d.position = Some(Position { line: e.line, column: e.column, offset: e.offset });
            d
        })?,
    };
    Ok(SourceFile { path: path.to_path_buf(), display, text, format, value })
}

/// JSON when the extension says so or the first significant character opens an object or array;
/// YAML otherwise (JSON files with a `.yaml` name still parse, YAML being a superset in practice).
fn detect_format(path: &Path, text: &str) -> Format {
    match path.extension().and_then(|e| e.to_str()).map(|e| e.to_ascii_lowercase()).as_deref() {
        Some("json") => Format::Json,
        Some("yaml" | "yml") => Format::Yaml,
        _ => match text.trim_start().chars().next() {
            Some('{' | '[') => Format::Json,
            _ => Format::Yaml,
        },
    }
}

/// UTF-8 with an optional BOM; UTF-16 is refused with a hint rather than read as garbage.
fn decode(mut bytes: Vec<u8>) -> Result<String, (usize, String)> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    } else if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err((0, "the file is UTF-16 encoded; save it as UTF-8".to_owned()));
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        (at, format!("the file is not valid UTF-8 (bad byte at offset {at})"))
    })
}

fn position_of_offset_bytes(offset: usize) -> Position {
    // The text could not be decoded, so lines are unknown; report the byte offset honestly.
    Position { line: 0, column: 0, offset }
}

/// Line/column (1-based) of a byte offset in `text`.
pub fn position_of_offset(text: &str, offset: usize) -> Position {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
    // Count characters, not bytes; the offset may sit inside a multi-byte character.
    let column = String::from_utf8_lossy(&before[line_start..]).chars().count() + 1;
    Position { line, column, offset }
}
