//! Checking a JSON value against a schema's [`Constraints`] at generation time, with the same
//! semantics as the checks the generated code runs: used to decide whether a spec's `default`
//! may be baked into generated code (and, later, to find examples that break their own schema).

use serde_json::Value;

use crate::ir::{Bound, Constraints};

impl Constraints {
    /// `Ok` when `value` satisfies every constraint; otherwise the first one it breaks.
    pub fn check(&self, value: &Value) -> Result<(), String> {
        match value {
            Value::String(s) => self.check_string(s)?,
            Value::Number(n) => self.check_number(n)?,
            Value::Array(items) => self.check_array(items)?,
            Value::Object(map) => {
                let n = map.len() as u64;
                if self.min_properties.is_some_and(|min| n < min) || self.max_properties.is_some_and(|max| n > max) {
                    return Err(format!("{n} properties is outside the allowed count"));
                }
            }
            Value::Null | Value::Bool(_) => {}
        }
        if let Some(allowed) = &self.allowed {
            if !allowed.iter().any(|a| same_value(a, value)) {
                return Err(format!("{value} is not one of the allowed values"));
            }
        }
        Ok(())
    }

    fn check_string(&self, s: &str) -> Result<(), String> {
        let chars = s.chars().count() as u64;
        if self.min_length.is_some_and(|min| chars < min) || self.max_length.is_some_and(|max| chars > max) {
            return Err(format!("length {chars} is outside the allowed range"));
        }
        if let Some(pattern) = &self.pattern {
            let flags = crate::pattern::ecma_flags(pattern)?;
            let re = regress::Regex::with_flags(pattern, flags).map_err(|e| e.to_string())?;
            if re.find(s).is_none() {
                return Err(format!("does not match the pattern `{pattern}`"));
            }
        }
        Ok(())
    }

    fn check_number(&self, n: &serde_json::Number) -> Result<(), String> {
        let Some(x) = n.as_f64() else { return Err(format!("{n} is not a finite number")) };
        let below = |b: &Bound| b.value.as_f64().is_some_and(|m| if b.exclusive { x <= m } else { x < m });
        let above = |b: &Bound| b.value.as_f64().is_some_and(|m| if b.exclusive { x >= m } else { x > m });
        if self.minimum.as_ref().is_some_and(below) || self.maximum.as_ref().is_some_and(above) {
            return Err(format!("{n} is outside the allowed range"));
        }
        if let Some(m) = self.multiple_of.filter(|m| *m > 0.0) {
            let q = x / m;
            if (q - q.round()).abs() > 1e-9 * q.abs().max(1.0) {
                return Err(format!("{n} is not a multiple of {m}"));
            }
        }
        Ok(())
    }

    fn check_array(&self, items: &[Value]) -> Result<(), String> {
        let n = items.len() as u64;
        if self.min_items.is_some_and(|min| n < min) || self.max_items.is_some_and(|max| n > max) {
            return Err(format!("{n} items is outside the allowed count"));
        }
        if self.unique_items {
            for (i, a) in items.iter().enumerate() {
                if items[..i].iter().any(|b| same_value(a, b)) {
                    return Err(format!("{a} appears twice"));
                }
            }
        }
        Ok(())
    }
}

/// JSON equality with numbers compared by value (`1` equals `1.0`).
fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y || (x.as_f64().is_some() && x.as_f64() == y.as_f64()),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same_value(a, b)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same_value(v, w)))
        }
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn bound(v: serde_json::Value, exclusive: bool) -> Option<Bound> {
        let Value::Number(value) = v else { unreachable!() };
        Some(Bound { value, exclusive })
    }

    #[test]
    fn strings_numbers_arrays() {
        let s = Constraints {
            min_length: Some(2),
            max_length: Some(3),
            pattern: Some("^[a-zé]+$".into()),
            ..Default::default()
        };
        assert!(s.check(&json!("éé")).is_ok());
        assert!(s.check(&json!("a")).is_err());
        assert!(s.check(&json!("abcd")).is_err());
        assert!(s.check(&json!("AB")).is_err());
        let n = Constraints {
            minimum: bound(json!(0), true),
            maximum: bound(json!(10), false),
            multiple_of: Some(0.5),
            ..Default::default()
        };
        assert!(n.check(&json!(10)).is_ok());
        assert!(n.check(&json!(0)).is_err());
        assert!(n.check(&json!(2.25)).is_err());
        let a = Constraints { min_items: Some(1), unique_items: true, ..Default::default() };
        assert!(a.check(&json!([1, 2])).is_ok());
        assert!(a.check(&json!([1, 1.0])).is_err());
        assert!(a.check(&json!([])).is_err());
        let e = Constraints { allowed: Some(vec![json!(1), json!("x")]), ..Default::default() };
        assert!(e.check(&json!(1.0)).is_ok());
        assert!(e.check(&json!(2)).is_err());
    }
}
