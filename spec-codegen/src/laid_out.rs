//! Code written as text already laid out the way `prettyplease` lays it out, for the few shapes
//! the structs' serde impls are made of.
//!
//! Those impls are three quarters of a types module's text (GitHub's: 5.7 of 7.5 MB), and
//! quoting them, parsing them with syn and laying them out with prettyplease cost 70 ns a byte:
//! most of generation. Written here as text they cost a few ns a byte. prettyplease stays the
//! authority: [`Text::finish`] hands anything this module does not lay out with certainty (a
//! line past the margin, which prettyplease would break its own way) to syn and prettyplease, so
//! the output is byte-identical to theirs. Tests check that on every shape and on real specs.
//!
//! The rules are prettyplease's (0.3, `algorithm.rs` and `expr.rs`): a group (call arguments,
//! a tuple, an array) stays on one line when it fits before the margin together with what
//! follows it up to prettyplease's next break opportunity (a statement's `;` counts, a match
//! arm's `,` does not); otherwise each item goes on a line of its own, one indent deeper, with a
//! trailing comma. A struct literal also breaks past 34 columns. A match arm whose body does not
//! fit gets braces. A method call that does not fit breaks before its `.`.

use crate::GenerateError;

/// prettyplease's line width: `MARGIN`.
pub(crate) const MARGIN: usize = 89;
/// prettyplease never leaves less than this (`MIN_SPACE`) after the indentation.
const MIN_SPACE: usize = 60;
const INDENT: usize = 4;
/// Struct literals wider than this break (`end_with_max_width(34)` in prettyplease).
const STRUCT_MAX_WIDTH: usize = 34;

/// Where a line that starts at `indent` must end.
fn margin(indent: usize) -> usize {
    MARGIN.max(indent + MIN_SPACE)
}

/// A piece of an expression: text that never breaks, or a delimited group that may.
pub(crate) enum Part {
    Flat(String),
    /// `open` items `close`: call arguments, tuples, arrays (prettyplease's consistent boxes).
    Group {
        open: String,
        items: Vec<Part>,
        close: &'static str,
    },
    /// `path { fields }`: a struct literal.
    Struct {
        path: &'static str,
        fields: Vec<Part>,
    },
    /// `receiver` then a method call (a group opening with `.method(`): broken, the call goes
    /// on the next line one indent deeper.
    Chain {
        receiver: String,
        call: Box<Part>,
    },
    /// Parts one after the other, with no box of their own (a call whose one argument is a
    /// struct literal: prettyplease gives that argument no box).
    Seq(Vec<Part>),
}

impl Part {
    pub(crate) fn flat(text: impl Into<String>) -> Part {
        Part::Flat(text.into())
    }

    pub(crate) fn group(open: impl Into<String>, items: Vec<Part>, close: &'static str) -> Part {
        Part::Group { open: open.into(), items, close }
    }

    /// Width on one line.
    fn width(&self) -> usize {
        match self {
            Part::Flat(text) => text.len(),
            Part::Group { open, items, close } => open.len() + items_width(items) + close.len(),
            Part::Struct { path, fields } if fields.is_empty() => path.len() + 3,
            Part::Struct { path, fields } => path.len() + 3 + items_width(fields) + 2,
            Part::Chain { receiver, call } => receiver.len() + call.width(),
            Part::Seq(parts) => parts.iter().map(Part::width).sum(),
        }
    }

    fn write_flat(&self, out: &mut String) {
        match self {
            Part::Flat(text) => out.push_str(text),
            Part::Group { open, items, close } => {
                out.push_str(open);
                write_items_flat(items, out);
                out.push_str(close);
            }
            Part::Struct { path, fields } if fields.is_empty() => {
                out.push_str(path);
                out.push_str(" {}");
            }
            Part::Struct { path, fields } => {
                out.push_str(path);
                out.push_str(" { ");
                write_items_flat(fields, out);
                out.push_str(" }");
            }
            Part::Chain { receiver, call } => {
                out.push_str(receiver);
                call.write_flat(out);
            }
            Part::Seq(parts) => parts.iter().for_each(|p| p.write_flat(out)),
        }
    }

    /// Whether the part stays on one line when it starts at `column` of a line indented by
    /// `indent` and `trailing` bytes follow it before prettyplease's next break opportunity
    /// (a box's size runs to there: a statement's `;` counts, a match arm's `,` does not).
    fn stays_flat(&self, indent: usize, column: usize, trailing: usize) -> bool {
        match self {
            Part::Flat(_) => true,
            // No box: each part decides for itself.
            Part::Seq(_) => false,
            Part::Group { .. } | Part::Struct { .. } | Part::Chain { .. } => {
                column + self.width() + trailing <= margin(indent) && !self.forces_break()
            }
        }
    }

    /// Whether anything in the part is forced to break wherever it starts: a struct literal
    /// past its maximum width makes every box around it break too.
    fn forces_break(&self) -> bool {
        match self {
            Part::Flat(_) => false,
            Part::Group { items, .. } => items.iter().any(Part::forces_break),
            Part::Struct { fields, .. } => self.width() - 1 > STRUCT_MAX_WIDTH || fields.iter().any(Part::forces_break),
            Part::Chain { call, .. } => call.forces_break(),
            Part::Seq(parts) => parts.iter().any(Part::forces_break),
        }
    }
}

fn items_width(items: &[Part]) -> usize {
    items.iter().map(Part::width).sum::<usize>() + 2 * items.len().saturating_sub(1)
}

fn write_items_flat(items: &[Part], out: &mut String) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        item.write_flat(out);
    }
}

/// Lines of code being written, and whether any of them is not certainly laid out as
/// prettyplease would.
#[derive(Default)]
pub(crate) struct Text {
    out: String,
    /// Column of the end of the current (unfinished) line; 0 at the start of a line.
    column: usize,
    /// Indentation of the current line.
    indent: usize,
    unsure: bool,
}

impl Text {
    pub(crate) fn new() -> Self {
        Text::default()
    }

    /// Starts a line at `indent` with `text`.
    pub(crate) fn start(&mut self, indent: usize, text: &str) {
        debug_assert_eq!(self.column, 0, "a line is already started");
        self.out.extend(std::iter::repeat_n(' ', indent));
        self.indent = indent;
        self.column = indent;
        self.push(text);
    }

    /// Appends `text` to the current line.
    pub(crate) fn push(&mut self, text: &str) {
        self.out.push_str(text);
        self.column += text.len();
    }

    /// Ends the current line.
    pub(crate) fn end(&mut self) {
        if self.column > margin(self.indent) {
            self.unsure = true;
        }
        self.out.push('\n');
        self.column = 0;
    }

    /// Ends the current line with `text` that no box of prettyplease's counts (a match arm's
    /// `,`, a broken group's last `,`): a line may end past the margin by it.
    pub(crate) fn end_with(&mut self, text: &str) {
        let counted = self.column;
        self.out.push_str(text);
        self.column = counted;
        self.end();
    }

    /// A whole line that prettyplease has no way to break (a `const` item), however long.
    pub(crate) fn unbreakable_line(&mut self, indent: usize, text: &str) {
        self.start(indent, "");
        self.end_with(text);
    }

    /// A whole line.
    pub(crate) fn line(&mut self, indent: usize, text: &str) {
        self.start(indent, text);
        self.end();
    }

    /// Appends `part` to the current line, breaking it as prettyplease would, given the
    /// `trailing` bytes that follow it before the next break opportunity.
    pub(crate) fn part(&mut self, part: &Part, trailing: usize) {
        if part.stays_flat(self.indent, self.column, trailing) {
            let before = self.out.len();
            part.write_flat(&mut self.out);
            self.column += self.out.len() - before;
            return;
        }
        match part {
            Part::Flat(text) => self.push(text),
            Part::Group { open, items, close } => {
                self.push(open);
                self.items(items);
                self.push(close);
            }
            Part::Struct { path, fields } => {
                self.push(path);
                self.push(" {");
                self.items(fields);
                self.push("}");
            }
            Part::Chain { receiver, call } => {
                let indent = self.indent;
                self.push(receiver);
                self.end();
                self.start(indent + INDENT, "");
                self.part(call, trailing);
            }
            Part::Seq(parts) => {
                let mut after: usize = parts.iter().map(Part::width).sum::<usize>() + trailing;
                for p in parts {
                    after -= p.width();
                    self.part(p, after);
                }
            }
        }
    }

    /// Items one per line, one indent deeper than the current line, each with a trailing
    /// comma; leaves the current line started at the old indent, for the closing delimiter.
    /// The last comma is a break of prettyplease's, not text, and counts for nothing.
    fn items(&mut self, items: &[Part]) {
        let indent = self.indent;
        self.end();
        for (i, item) in items.iter().enumerate() {
            self.start(indent + INDENT, "");
            if i + 1 < items.len() {
                self.part(item, 1);
                self.push(",");
                self.end();
            } else {
                self.part(item, 0);
                self.end_with(",");
            }
        }
        self.start(indent, "");
    }

    /// A match arm `pattern => body,` at `indent`: on one line when the body fits after the
    /// arrow (the comma is not counted), else the body alone on a line between braces.
    pub(crate) fn arm(&mut self, indent: usize, pattern: &Part, body: &Part) {
        self.start(indent, "");
        self.part(pattern, " => ".len());
        self.push(" => ");
        if !body.forces_break() && self.column + body.width() <= margin(self.indent) {
            self.part(body, 0);
            self.end_with(",");
        } else {
            self.push("{");
            self.end();
            self.start(indent + INDENT, "");
            self.part(body, 0);
            self.end();
            self.line(indent, "}");
        }
    }

    /// The text, laid out by syn and prettyplease instead where this module may not have
    /// laid it out as they would.
    pub(crate) fn finish(self) -> Result<String, GenerateError> {
        if self.unsure { crate::layout::text(&self.out) } else { Ok(self.out) }
    }

    /// The text as written, laid out or not.
    pub(crate) fn into_string(self) -> String {
        self.out
    }

    /// The text as written, without the check (for tests comparing it with prettyplease).
    #[cfg(test)]
    pub(crate) fn written(&self) -> (&str, bool) {
        (&self.out, self.unsure)
    }
}
