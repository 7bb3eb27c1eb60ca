//! A struct's written-out serde impls (`Serialize`, `Deserialize`, `support::FromObject`) as
//! laid-out text (see `laid_out` for why not tokens).
//!
//! A member costs one call and no branch: `support::Writer` and `support::Reader` keep the first
//! error and end with it. Reading fills one slot per member in a loop over the object's members
//! (looked up by binary search in the sorted names), then one match on the required slots builds
//! the struct.

use proc_macro2::Literal;

use crate::laid_out::{Part, Text};

/// How a struct field is made from its slot (`Option` of what the member's value reads as).
pub(crate) enum Read {
    /// Absent is an error.
    Required,
    /// The slot is the field: an optional nullable member, where `null` is `Some(None)`.
    AsIs,
    /// An optional member read as `Option<T>`, so absent and `null` are both `None`.
    Flatten,
    /// Absent takes the default from the named function.
    Default(String),
}

/// A member of the struct: its field, its JSON name and how it is read.
pub(crate) struct Member<'a> {
    pub field: String,
    pub json: &'a str,
    pub read: Read,
}

/// The struct the impls are for.
pub(crate) struct Object<'a> {
    pub name: &'a str,
    pub members: &'a [Member<'a>],
    /// The field holding the members the struct does not name (`additionalProperties`).
    pub additional: Option<&'a str>,
    /// Whether a member the struct does not name is an error.
    pub deny: bool,
    /// `#[allow(deprecated)]` on every impl.
    pub allow_deprecated: bool,
}

fn string(text: &str) -> String {
    Literal::string(text).to_string()
}

impl Object<'_> {
    fn header(&self, out: &mut Text, header: &str) {
        if self.allow_deprecated {
            out.line(0, "#[allow(deprecated)]");
        }
        // prettyplease breaks a long impl header before `for`, at the item's indent.
        let line = format!("{header} for {} {{", self.name);
        if line.len() <= crate::laid_out::MARGIN {
            out.line(0, &line);
        } else {
            out.line(0, header);
            out.unbreakable_line(0, &format!("for {} {{", self.name));
        }
    }

    /// `Serialize`: each member through `support::Writer`; absent optional members are left
    /// out and the `additionalProperties` map's entries follow the named members.
    pub(crate) fn serialize(&self, out: &mut Text) {
        self.header(out, "impl ::serde::Serialize");
        out.line(4, "fn serialize<S: ::serde::Serializer>(");
        out.line(8, "&self,");
        out.line(8, "serializer: S,");
        out.line(4, ") -> ::std::result::Result<S::Ok, S::Error> {");
        let writes = !self.members.is_empty() || self.additional.is_some();
        let mutable = if writes { "mut " } else { "" };
        out.line(8, &format!("let {mutable}object = support::Writer::new(serializer)?;"));
        for Member { field, json, read } in self.members {
            let call = match read {
                Read::AsIs | Read::Flatten => "optional",
                Read::Required | Read::Default(_) => "member",
            };
            let args = vec![Part::flat(string(json)), Part::flat(format!("&self.{field}"))];
            let call = Part::group(format!(".{call}("), args, ")");
            out.start(8, "");
            out.part(&Part::Chain { receiver: "object".into(), call: Box::new(call) }, ";".len());
            out.push(";");
            out.end();
        }
        if let Some(extra) = self.additional {
            out.line(8, &format!("object.other(&self.{extra});"));
        }
        out.line(8, "object.end()");
        out.line(4, "}");
        out.line(0, "}");
    }

    /// `Deserialize` (through `support::object`) and `support::FromObject`.
    pub(crate) fn deserialize(&self, out: &mut Text) {
        self.header(out, "impl<'de> ::serde::Deserialize<'de>");
        out.line(4, "fn deserialize<D: ::serde::Deserializer<'de>>(");
        out.line(8, "deserializer: D,");
        out.line(4, ") -> ::std::result::Result<Self, D::Error> {");
        out.line(8, "support::object(deserializer)");
        out.line(4, "}");
        out.line(0, "}");

        self.header(out, "impl support::FromObject");
        let expecting = string(&format!("struct {}", self.name));
        out.unbreakable_line(4, &format!("const EXPECTING: &'static str = {expecting};"));
        out.line(4, "fn from_object<'de, A: ::serde::de::MapAccess<'de>>(");
        out.line(8, "map: A,");
        out.line(4, ") -> ::std::result::Result<Self, A::Error> {");
        let mut names: Vec<&str> = self.members.iter().map(|m| m.json).collect();
        names.sort_unstable();
        names.dedup();
        let reader = |names: &[&str]| {
            let names = names.iter().map(|n| Part::flat(string(n))).collect();
            let args = vec![Part::flat("map"), Part::group("&[", names, "]"), Part::flat(self.deny.to_string())];
            Part::group("support::Reader::new(", args, ")")
        };
        if self.members.is_empty() && self.additional.is_none() {
            // Nothing to read into: the members are checked (`deny`) and skipped.
            out.start(8, "let mut object = ");
            out.part(&reader(&[]), ";".len());
            out.push(";");
            out.end();
            out.line(8, "while object.next_key().is_some() {");
            out.line(12, "object.skip();");
            out.line(8, "}");
        } else {
            // The prelude's names may be taken by the spec's types in this module; `None` only
            // where members have slots, so the import is never unused.
            let imports = if self.members.is_empty() { "Some" } else { "{None, Some}" };
            out.line(8, &format!("use ::std::option::Option::{imports};"));
            out.start(8, "let mut object = ");
            out.part(&reader(&names), ";".len());
            out.push(";");
            out.end();
            self.loop_over_members(out, &names);
        }
        out.line(8, "object.end()?;");
        self.build(out);
        out.line(4, "}");
        out.line(0, "}");
    }

    /// The slots and the loop that fills them.
    fn loop_over_members(&self, out: &mut Text, names: &[&str]) {
        for i in 0..self.members.len() {
            out.line(8, &format!("let mut f{i} = None;"));
        }
        if let Some(extra) = self.additional {
            out.line(8, &format!("let mut {extra} = ::std::collections::BTreeMap::new();"));
        }
        let next = if self.additional.is_some() { "next_member" } else { "next_key" };
        out.line(8, &format!("while let Some(key) = object.{next}() {{"));
        out.line(12, "match key {");
        // Two fields with one JSON name (which the IR does not make) would leave the second
        // unread, as serde's derive does.
        let mut armed = vec![false; names.len()];
        for (i, member) in self.members.iter().enumerate() {
            let Ok(index) = names.binary_search(&member.json) else { continue };
            if std::mem::replace(&mut armed[index], true) {
                continue;
            }
            let pattern = match self.additional {
                Some(_) => format!("support::Member::Named({index})"),
                None => index.to_string(),
            };
            out.arm(16, &Part::flat(pattern), &Part::flat(format!("object.field(&mut f{i})")));
        }
        match self.additional {
            Some(extra) => {
                out.arm(16, &Part::flat("support::Member::Named(_)"), &Part::flat("object.skip()"));
                let other = format!("object.other(&mut {extra}, name)");
                out.arm(16, &Part::flat("support::Member::Other(name)"), &Part::flat(other));
            }
            None => out.arm(16, &Part::flat("_"), &Part::flat("object.skip()")),
        }
        out.line(12, "}");
        out.line(8, "}");
    }

    /// The struct from its slots: one branch for the required members together, not one per
    /// member (each early return would drop every slot read so far).
    fn build(&self, out: &mut Text) {
        let mut fields = Vec::with_capacity(self.members.len() + 1);
        let mut required = Vec::new();
        for (i, Member { field, json, read }) in self.members.iter().enumerate() {
            let slot = format!("f{i}");
            let value = match read {
                Read::Required => {
                    required.push((slot, *json));
                    format!("f{i}")
                }
                Read::AsIs => format!("f{i}"),
                Read::Flatten => format!("f{i}.flatten()"),
                Read::Default(f) => format!("f{i}.unwrap_or_else(Self::{f})"),
            };
            fields.push(Part::flat(format!("{field}: {value}")));
        }
        if let Some(extra) = self.additional {
            fields.push(Part::flat(extra));
        }
        let ok = Part::Seq(vec![
            Part::flat("::std::result::Result::Ok("),
            Part::Struct { path: "Self", fields },
            Part::flat(")"),
        ]);
        let err = |error: Part| Part::group("::std::result::Result::Err(", vec![error], ")");
        match required.as_slice() {
            [] => {
                out.start(8, "");
                out.part(&ok, 0);
                out.end();
            }
            [(slot, json)] => {
                out.line(8, &format!("match {slot} {{"));
                out.arm(12, &Part::flat(format!("Some({slot})")), &ok);
                let missing = vec![Part::flat(string(json))];
                let missing = Part::group("<A::Error as ::serde::de::Error>::missing_field(", missing, ")");
                out.arm(12, &Part::flat("None"), &err(missing));
                out.line(8, "}");
            }
            _ => {
                let slots = || required.iter().map(|(slot, _)| Part::flat(slot.as_str())).collect();
                let present = required.iter().map(|(slot, _)| Part::flat(format!("Some({slot})"))).collect();
                let absent = required
                    .iter()
                    .map(|(slot, json)| Part::flat(format!("({slot}.is_none(), {})", string(json))))
                    .collect();
                out.start(8, "match ");
                out.part(&Part::group("(", slots(), ")"), " {".len());
                out.push(" {");
                out.end();
                out.arm(12, &Part::group("(", present, ")"), &ok);
                let missing = Part::group("support::missing(", vec![Part::group("&[", absent, "]")], ")");
                out.arm(12, &Part::group("(", slots(), ")"), &err(missing));
                out.line(8, "}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// prettyplease's layout of `code`.
    fn prettyplease(code: &str) -> String {
        prettyplease::unparse(&syn::parse_file(code).unwrap_or_else(|e| panic!("{e}:\n{code}")))
    }

    /// A name of `len` bytes, unique by `seed`.
    fn name(seed: usize, len: usize) -> String {
        let stem = format!("m{seed}_");
        format!("{stem}{}", "x".repeat(len.saturating_sub(stem.len())))
    }

    /// A JSON name of about `len` bytes: ASCII, or with multi-byte characters (prettyplease
    /// measures bytes) or characters the literal escapes, by `seed`.
    fn json_name(seed: usize, len: usize) -> String {
        let filler = ["x", "é", "🦀", "\"", "\\"][seed % 5];
        let mut name = format!("m{seed}_");
        while name.len() < len {
            name.push_str(filler);
        }
        name
    }

    fn reads(i: usize) -> Read {
        match i % 4 {
            0 => Read::Required,
            1 => Read::Flatten,
            2 => Read::AsIs,
            _ => Read::Default(format!("default_{i}")),
        }
    }

    /// Every struct shape the impls take (no members, one required, several, none required,
    /// kept or refused other members), with member names of every length around the margins
    /// (a JSON name of up to 80 bytes, a field of up to 60) and type names up to 70 bytes.
    /// A struct to write impls for: its name, its members (JSON name, field, `reads` index),
    /// where other members go and whether they are refused.
    #[derive(Debug)]
    struct Shape {
        type_name: String,
        members: Vec<(String, String, usize)>,
        additional: Option<&'static str>,
        deny: bool,
    }

    fn shapes() -> Vec<Shape> {
        let mut shapes = Vec::new();
        for count in [0usize, 1, 2, 3, 5, 9] {
            for len in 1..=80 {
                for required_every in [1usize, 2, 4] {
                    let members = (0..count)
                        .map(|i| {
                            let read = if i % required_every == 0 { 0 } else { 1 + (i + len) % 3 };
                            (json_name(i + len, len + i), name(i, (len + 2 * i) % 60 + 1), read)
                        })
                        .collect();
                    let additional = [None, Some("additional_properties")][(len / 3) % 2];
                    let deny = additional.is_none() && len % 2 == 0;
                    let type_name = format!("T{}", "y".repeat((len * 7 + count) % 70));
                    shapes.push(Shape { type_name, members, additional, deny });
                }
            }
        }
        shapes
    }

    fn text_of(shape: &Shape) -> Text {
        let Shape { type_name, members, additional, deny } = shape;
        let members: Vec<Member> = members
            .iter()
            .map(|(json, field, read)| Member { field: field.clone(), json, read: reads(*read) })
            .collect();
        let object = Object {
            name: type_name,
            members: &members,
            additional: *additional,
            deny: *deny,
            allow_deprecated: type_name.len() % 2 == 0,
        };
        let mut text = Text::new();
        object.serialize(&mut text);
        object.deserialize(&mut text);
        text
    }

    #[test]
    fn what_is_written_is_what_prettyplease_lays_out() {
        let mut laid_out_here = 0;
        let shapes = shapes();
        for shape in &shapes {
            let text = text_of(shape);
            let (written, unsure) = text.written();
            let expected = prettyplease(written);
            if !unsure {
                assert_eq!(written, expected, "laid out differently from prettyplease");
                laid_out_here += 1;
            }
            assert_eq!(text.finish().expect("lays out"), expected);
        }
        eprintln!("{laid_out_here} of {} laid out here", shapes.len());
        // Both ways are exercised: long names put lines past the margin.
        assert!(laid_out_here > 0 && laid_out_here < shapes.len());
    }

    #[test]
    fn only_lines_past_the_margin_go_to_prettyplease() {
        for shape in shapes() {
            let Shape { type_name, members, .. } = &shape;
            let longest = members.iter().map(|(json, field, _)| string(json).len() + field.len()).max().unwrap_or(0);
            if type_name.len() <= 40 && longest <= 50 {
                let text = text_of(&shape);
                assert!(!text.written().1, "{shape:?}\n{}", text.written().0);
            }
        }
    }
}
