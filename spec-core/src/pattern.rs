//! `pattern` keywords are ECMA-262 regular expressions. JSON Schema means them to be read with
//! Unicode semantics (`\p{L}`, code-point classes), which in ECMA-262 needs the `u` flag; but the
//! `u` flag also rejects legacy escapes (`\-` outside a class, `\_`) that real specs use. So a
//! pattern is compiled with `u` when it can be, and in legacy mode otherwise.

/// The flags to compile `pattern` with (`"u"` or `""`), or the error when it compiles in neither
/// mode.
pub fn ecma_flags(pattern: &str) -> Result<&'static str, String> {
    if regress::Regex::with_flags(pattern, "u").is_ok() {
        return Ok("u");
    }
    regress::Regex::new(pattern).map(|_| "").map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unicode_mode_when_possible_legacy_otherwise() {
        assert_eq!(ecma_flags(r"^\p{L}+$"), Ok("u"));
        assert_eq!(ecma_flags(r"^[a-z]\-\_$"), Ok(""));
        assert!(ecma_flags(r"(").is_err());
    }
}
