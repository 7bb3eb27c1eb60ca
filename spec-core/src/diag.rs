//! Diagnostics: the one error/warning/approximation type every phase reports through.
//!
//! A diagnostic names the spec file and JSON pointer it is about; line and column are filled in
//! later, in one batch per file, by [`crate::locate`], because finding them needs a second scan of
//! the source text and most runs never report anything.

use std::fmt;

use crate::source::FileId;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The spec cannot be turned into code; generation stops after the current phase.
    Error,
    /// Something in the spec is wrong or suspicious, but code is still generated faithfully.
    Warning,
    /// A construct was approximated: the generated code accepts more (or other) values than the
    /// contract says. Recorded so nothing is dropped silently; `--deny approximations` fails on it.
    Approximation,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Approximation => "approximation",
        }
    }
}

/// A place in the spec: the file and a JSON pointer (RFC 6901, without the leading `#`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Origin {
    pub file: FileId,
    pub pointer: String,
}

impl Origin {
    pub fn new(file: FileId, pointer: impl Into<String>) -> Self {
        Origin { file, pointer: pointer.into() }
    }

    /// The origin of a child: `key` is escaped per RFC 6901 (`~` → `~0`, `/` → `~1`).
    pub fn child(&self, key: &str) -> Origin {
        let mut pointer = String::with_capacity(self.pointer.len() + key.len() + 1);
        pointer.push_str(&self.pointer);
        pointer.push('/');
        push_escaped(&mut pointer, key);
        Origin { file: self.file, pointer }
    }

    pub fn index(&self, index: usize) -> Origin {
        Origin { file: self.file, pointer: format!("{}/{}", self.pointer, index) }
    }
}

/// Appends `key` to a JSON pointer buffer with `~` and `/` escaped.
pub fn push_escaped(out: &mut String, key: &str) {
    for ch in key.chars() {
        match ch {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
}

/// Line and column (both 1-based) and byte offset of a pointer's value in its source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
    pub offset: usize,
}

/// One finding about the spec.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable, machine-readable kind such as `unresolved-ref` or `unknown-format`.
    pub code: &'static str,
    /// What is wrong, in one sentence.
    pub message: String,
    /// Where; `None` only for problems with no place in a spec (a missing file argument).
    pub origin: Option<Origin>,
    /// Filled in by [`crate::locate`] before the diagnostic is shown.
    pub position: Option<Position>,
    /// How to fix it, where one knows.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(severity: Severity, code: &'static str, origin: Option<Origin>, message: impl Into<String>) -> Self {
        Diagnostic { severity, code, message: message.into(), origin, position: None, help: None }
    }

    pub fn error(code: &'static str, origin: Origin, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, Some(origin), message)
    }

    pub fn warning(code: &'static str, origin: Origin, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, Some(origin), message)
    }

    pub fn approximation(code: &'static str, origin: Origin, message: impl Into<String>) -> Self {
        Self::new(Severity::Approximation, code, Some(origin), message)
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// The diagnostics one run collected, in the order they were found.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.items.iter().filter(|d| d.severity == severity).count()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut Diagnostic> {
        self.items.iter_mut()
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}[{}]: {}", self.severity.as_str(), self.code, self.message)
    }
}
