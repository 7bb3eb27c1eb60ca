//! Diagnostics for people (with the spec line they point at) and for tools (JSON). Every front end
//! (CLI, build.rs builder, proc macro) shows diagnostics through these functions.

use std::fmt::Write as _;

use crate::diag::{Diagnostic, Severity};
use crate::source::SourceSet;
use serde_json::json;

/// `error[code]: message`, the file:line:column, the JSON pointer, the source line and any help.
pub fn human(d: &Diagnostic, sources: Option<&SourceSet>) -> String {
    let mut out = format!("{}[{}]: {}\n", d.severity.as_str(), d.code, d.message);
    if let Some(origin) = &d.origin {
        let file = sources
            .filter(|s| (origin.file.0 as usize) < s.files.len())
            .map(|s| s.shown(origin.file))
            .unwrap_or_else(|| "<spec>".into());
        match d.position {
            Some(p) if p.line > 0 => {
                let _ = writeln!(out, "  --> {file}:{}:{}", p.line, p.column);
            }
            Some(p) => {
                let _ = writeln!(out, "  --> {file} (byte {})", p.offset);
            }
            None => {
                let _ = writeln!(out, "  --> {file}");
            }
        }
        // File-level problems (syntax, encoding) have no pointer worth showing.
        if !origin.pointer.is_empty() {
            let _ = writeln!(out, "   = at #{}", origin.pointer);
        }
        if let (Some(sources), Some(p)) = (sources, d.position) {
            if p.line > 0 {
                if let Some(line) =
                    sources.files.get(origin.file.0 as usize).and_then(|f| f.text.lines().nth(p.line - 1))
                {
                    // A window of the line around the column: minified JSON puts a whole spec
                    // on one line, and neither it nor a caret padded to its column fits a terminal.
                    let column = p.column.saturating_sub(1);
                    let start = column.saturating_sub(60);
                    let shown: String = line.chars().skip(start).take(160).collect();
                    let ellipsis = if start > 0 { "…" } else { "" };
                    let _ = writeln!(out, "{:>4} | {ellipsis}{shown}", p.line);
                    let pad: String = line
                        .chars()
                        .skip(start)
                        .take(column - start)
                        .map(|c| if c == '\t' { '\t' } else { ' ' })
                        .collect();
                    let _ = writeln!(out, "     | {ellipsis}{pad}^");
                }
            }
        }
    }
    if let Some(help) = &d.help {
        let _ = writeln!(out, "   = help: {help}");
    }
    out
}

/// One JSON object per diagnostic, for `--report` and `--format json`.
pub fn json(d: &Diagnostic, sources: Option<&SourceSet>) -> serde_json::Value {
    let file = d
        .origin
        .as_ref()
        .and_then(|o| sources.filter(|s| (o.file.0 as usize) < s.files.len()).map(|s| s.shown(o.file)));
    json!({
        "severity": d.severity.as_str(),
        "code": d.code,
        "message": d.message,
        "file": file,
        "pointer": d.origin.as_ref().map(|o| o.pointer.clone()),
        "line": d.position.map(|p| p.line),
        "column": d.position.map(|p| p.column),
        "help": d.help,
    })
}

/// One line: how faithful the output is.
pub fn summary(types: usize, operations: usize, diags: &[&Diagnostic]) -> String {
    let count = |s: Severity| diags.iter().filter(|d| d.severity == s).count();
    let (approx, warn) = (count(Severity::Approximation), count(Severity::Warning));
    let fidelity = if approx == 0 && warn == 0 {
        "nothing approximated".to_owned()
    } else {
        format!("{approx} approximation{}, {warn} warning{} (details: --report FILE)", plural(approx), plural(warn))
    };
    format!("{types} type{}, {operations} operation{}; {fidelity}", plural(types), plural(operations))
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{Origin, Position};
    use crate::source::{FileId, Format, SourceFile, SourceSet};

    #[test]
    fn long_lines_are_windowed_around_the_column() {
        let text = format!("{{\"a\": \"{}\", \"b\": 1}}", "x".repeat(1_000_000));
        let sources = SourceSet {
            files: vec![SourceFile {
                path: "spec.json".into(),
                display: "spec.json".into(),
                text: text.clone(),
                format: Format::Json,
                value: serde_json::Value::Null,
            }],
            root_dir: ".".into(),
            shown_dir: ".".into(),
        };
        let column = text.find("\"b\"").unwrap() + 1;
        let mut d = Diagnostic::warning("x", Origin::new(FileId(0), "/b"), "m");
        d.position = Some(Position { line: 1, column, offset: column - 1 });
        let shown = human(&d, Some(&sources));
        assert!(shown.len() < 1_000, "{} bytes", shown.len());
        let lines: Vec<&str> = shown.lines().collect();
        let source = lines.iter().find(|l| l.starts_with("   1 |")).unwrap();
        let caret = lines.iter().find(|l| l.ends_with('^')).unwrap();
        let at = caret.chars().count() - 1;
        assert_eq!(source.chars().nth(at), Some('"'), "caret under the key:\n{source}\n{caret}");
    }
}
