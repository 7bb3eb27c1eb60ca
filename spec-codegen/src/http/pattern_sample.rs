//! A string that matches a schema's `pattern`, built at generation time from the pattern's syntax
//! tree: the mock, example requests and contract checks need values that match patterns no list
//! of candidate words does (`^/(versions|branches)/v[0-9]+/apis/[a-z]+\.json$`). The runtime
//! still validates every sample (with the ECMA engine), so a pattern this reads differently only
//! loses its sample.

use regex_syntax::hir::{Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind};

/// Characters a sample prefers when a class offers them, so that samples read like data.
const PREFERRED: [char; 4] = ['a', 'A', '0', '-'];
/// Samples are cut at this length (a pattern like `a{100000}` gets none).
const MAX_SAMPLE: usize = 1_024;

/// A string matching `pattern` (ECMA-262 syntax, case-insensitive with `i` in `flags`), or `None`
/// when the pattern uses syntax the parser does not read (lookaround, backreferences) or the
/// shortest match is too long.
pub fn sample(pattern: &str, flags: &str) -> Option<String> {
    let hir = parse(pattern, flags)?;
    let mut out = String::new();
    write(&hir, &mut out).then_some(out)
}

/// `pattern` rewritten for proptest's string generator (which reads the `regex` crate's syntax
/// and refuses anchors): anchors and other assertions dropped, and every class that offers
/// printable ASCII cut down to it (`\d`, `\w`, `.` and `[^@]` are Unicode-wide in that syntax, but
/// ASCII, or mostly so, for the ECMA engine that validates). A string it generates can still miss
/// the pattern (`a^b`): property tests keep only values that validate.
pub fn generator(pattern: &str, flags: &str) -> Option<String> {
    let hir = parse(pattern, flags)?;
    let text = for_generator(hir).to_string();
    // What proptest will parse must parse.
    regex_syntax::ParserBuilder::new().build().parse(&text).ok()?;
    Some(text)
}

/// The syntax tree of an ECMA pattern with its `i` and `s` flags, where the regex syntax reads it.
fn parse(pattern: &str, flags: &str) -> Option<Hir> {
    regex_syntax::ParserBuilder::new()
        .case_insensitive(flags.contains('i'))
        .dot_matches_new_line(flags.contains('s'))
        .build()
        .parse(pattern)
        .ok()
}

fn for_generator(hir: Hir) -> Hir {
    match hir.into_kind() {
        HirKind::Look(_) => Hir::empty(),
        HirKind::Class(Class::Unicode(class)) => {
            let mut printable = ClassUnicode::new([ClassUnicodeRange::new(' ', '~')]);
            printable.intersect(&class);
            Hir::class(Class::Unicode(if printable.ranges().is_empty() { class } else { printable }))
        }
        HirKind::Repetition(mut repetition) => {
            repetition.sub = Box::new(for_generator(*repetition.sub));
            Hir::repetition(repetition)
        }
        HirKind::Capture(mut capture) => {
            capture.sub = Box::new(for_generator(*capture.sub));
            Hir::capture(capture)
        }
        HirKind::Concat(items) => Hir::concat(items.into_iter().map(for_generator).collect()),
        HirKind::Alternation(branches) => Hir::alternation(branches.into_iter().map(for_generator).collect()),
        HirKind::Class(bytes) => Hir::class(bytes),
        HirKind::Literal(literal) => Hir::literal(literal.0),
        HirKind::Empty => Hir::empty(),
    }
}

/// Appends the shortest match of `hir` (first alternatives, fewest repetitions); false when it
/// grows past [`MAX_SAMPLE`] or a class is empty.
fn write(hir: &Hir, out: &mut String) -> bool {
    if out.len() > MAX_SAMPLE {
        return false;
    }
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => true,
        HirKind::Literal(literal) => match std::str::from_utf8(&literal.0) {
            Ok(text) => {
                out.push_str(text);
                true
            }
            Err(_) => false,
        },
        HirKind::Class(Class::Unicode(class)) => {
            let ranges = class.ranges();
            let preferred = PREFERRED.iter().find(|c| ranges.iter().any(|r| r.start() <= **c && **c <= r.end()));
            // Else the first lowercase letter, digit or printable character (a few of each range).
            let first = |wanted: fn(&char) -> bool| {
                ranges.iter().find_map(|r| (r.start()..=r.end()).take(256).find(|c| wanted(c)))
            };
            let chosen = preferred
                .copied()
                .or_else(|| first(char::is_ascii_lowercase))
                .or_else(|| first(char::is_ascii_alphanumeric))
                .or_else(|| first(|c| !c.is_control()));
            match chosen {
                Some(c) => {
                    out.push(c);
                    true
                }
                None => false,
            }
        }
        HirKind::Class(Class::Bytes(class)) => match class.ranges().first() {
            Some(range) if range.start().is_ascii() => {
                out.push(char::from(range.start()));
                true
            }
            _ => false,
        },
        HirKind::Repetition(repetition) => {
            (0..repetition.min).all(|_| write(&repetition.sub, out)) && out.len() <= MAX_SAMPLE
        }
        HirKind::Capture(capture) => write(&capture.sub, out),
        HirKind::Concat(items) => items.iter().all(|item| write(item, out)),
        HirKind::Alternation(branches) => branches.first().is_some_and(|first| write(first, out)),
    }
}

#[cfg(test)]
mod tests {
    use super::sample;

    #[test]
    fn samples_match_their_patterns() {
        let regex = |p: &str| regex_syntax::ParserBuilder::new().build().parse(p).is_ok();
        for (pattern, expected) in [
            (r"^[A-Z]{3}$", "AAA"),
            (r"^\d{5}(-\d{4})?$", "00000"),
            (r"^/(versions|branches)/v[0-9]+/apis/[a-z0-9-_ ]+\.(json|yaml)$", "/versions/v0/apis/a.json"),
            (r"^[^@]+@[^@]+\.[a-z]{2,}$", "a@a.aa"),
            (r"^\/v\d+\/[a-z]+$", "/v0/a"),
            ("^(cat|dog)$", "cat"),
            (r"^$|com.amazonaws.vpce.[\w/!:@#.\-]+", ""),
        ] {
            assert!(regex(pattern), "{pattern}");
            assert_eq!(sample(pattern, "").as_deref(), Some(expected), "{pattern}");
        }
        assert_eq!(sample("^abc$", "i").as_deref(), Some("abc"));
        assert_eq!(sample(r"(?=a)a", ""), None, "lookaround is not read");
        assert_eq!(sample("a{5000}", ""), None, "too long");
    }

    #[test]
    fn generators_drop_anchors_and_keep_to_printable_ascii() {
        use super::generator;
        // Compared as syntax trees: the printed form groups more than needed.
        let tree = |p: &str| regex_syntax::ParserBuilder::new().build().parse(p).unwrap();
        let same = |pattern: &str, expected: &str| {
            let generated = generator(pattern, "").unwrap_or_else(|| panic!("no generator for {pattern}"));
            assert_eq!(tree(&generated), tree(expected), "{pattern} gave {generated}");
        };
        same(r"^\d{3}$", "[0-9]{3}");
        same(r"^[^@]+@x$", "[ -?A-~]+@x");
        same(r"^\w+$", "[0-9A-Z_a-z]+");
        same(r"^[а-я]+$", "[а-я]+"); // a class without ASCII stays
        assert_eq!(generator(r"(?=a)a", ""), None, "lookaround is not read");
    }
}
