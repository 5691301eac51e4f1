//! JSON text as pyvideo/data writes it: its `tools/reserialize.py` runs Python's
//! `json.dump(data, f, indent=2, sort_keys=True, separators=(',', ': '))` (ASCII
//! only) and adds a newline. Writing the same bytes is what lets a curator send an
//! export back as a pull request without noise diffs.

use std::fmt::Write;

use serde_json::{Number, Value};

/// `value` as Python's `json.dump` with pyvideo's settings writes it, plus the final newline.
pub fn to_string(value: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, value, 0);
    out.push('\n');
    out
}

fn write_value(out: &mut String, value: &Value, depth: usize) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(number) => out.push_str(&number_text(number)),
        Value::String(text) => write_string(out, text),
        Value::Array(items) => {
            // Python writes an empty list as `[]`, never across lines.
            if items.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                separate(out, index, depth + 1);
                write_value(out, item, depth + 1);
            }
            close(out, depth, ']');
        }
        Value::Object(map) => {
            if map.is_empty() {
                out.push_str("{}");
                return;
            }
            // sort_keys: Python orders by code point, which is UTF-8 byte order.
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (index, (key, item)) in entries.into_iter().enumerate() {
                separate(out, index, depth + 1);
                write_string(out, key);
                out.push_str(": ");
                write_value(out, item, depth + 1);
            }
            close(out, depth, '}');
        }
    }
}

/// The `,` after the previous item (none before the first) and the next item's indentation.
fn separate(out: &mut String, index: usize, depth: usize) {
    if index > 0 {
        out.push(',');
    }
    out.push('\n');
    out.push_str(&"  ".repeat(depth));
}

fn close(out: &mut String, depth: usize, bracket: char) {
    out.push('\n');
    out.push_str(&"  ".repeat(depth));
    out.push(bracket);
}

/// A string as Python's `ensure_ascii` encoder writes it: printable ASCII as is,
/// short escapes for `\b \f \n \r \t`, everything else as lowercase `\uXXXX`
/// (characters beyond the BMP as a surrogate pair).
fn write_string(out: &mut String, text: &str) {
    out.push('"');
    for ch in text.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            ' '..='~' => out.push(ch),
            _ => {
                let mut units = [0u16; 2];
                for unit in ch.encode_utf16(&mut units) {
                    // Writing to a String cannot fail.
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
        }
    }
    out.push('"');
}

/// A number as Python prints it: integers in full, floats as `repr` does.
fn number_text(number: &Number) -> String {
    match (number.as_i64(), number.as_u64(), number.as_f64()) {
        (Some(int), _, _) => int.to_string(),
        (_, Some(int), _) => int.to_string(),
        (_, _, Some(float)) => python_float(float),
        _ => number.to_string(),
    }
}

/// Python's `repr(float)`: the shortest digits that read back the same, in fixed
/// notation with at least one decimal when the exponent is from -4 to 15, else as
/// `d.ddde+XX` with a signed exponent of at least two digits.
fn python_float(value: f64) -> String {
    // `{:e}` gives Rust's shortest round-trip digits, like `-1.25e-7`.
    let scientific = format!("{value:e}");
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    if (-4..16).contains(&exponent) {
        format!("{sign}{}", fixed(&digits, exponent))
    } else {
        let (first, rest) = digits.split_at(1);
        let fraction = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        let exponent_sign = if exponent < 0 { '-' } else { '+' };
        format!(
            "{sign}{first}{fraction}e{exponent_sign}{:02}",
            exponent.abs()
        )
    }
}

/// `digits` (d.ddd × 10^exponent) in fixed notation, with `.0` when whole.
fn fixed(digits: &str, exponent: i32) -> String {
    if exponent < 0 {
        let zeros = "0".repeat((-exponent - 1) as usize);
        return format!("0.{zeros}{digits}");
    }
    let whole_len = exponent as usize + 1;
    if digits.len() <= whole_len {
        format!("{digits}{}.0", "0".repeat(whole_len - digits.len()))
    } else {
        format!("{}.{}", &digits[..whole_len], &digits[whole_len..])
    }
}

#[cfg(test)]
mod tests {
    use super::{python_float, to_string};

    #[test]
    fn text_matches_pythons_json_dump_with_pyvideo_settings() {
        // Expected text printed by Python 3.11's json.dump with pyvideo's settings.
        let value: serde_json::Value = serde_json::from_str(
            r#"{"b": [], "a": {}, "é": null, "t": "tab\there \"q\" \\ ü 日本 😀 \u007f\u0001",
                "n": [1, -2, 1.5, 0.0001, 1e-05, 1e16, 123456789012345.6], "e": ""}"#,
        )
        .unwrap();
        let expected = concat!(
            "{\n",
            "  \"a\": {},\n",
            "  \"b\": [],\n",
            "  \"e\": \"\",\n",
            "  \"n\": [\n    1,\n    -2,\n    1.5,\n    0.0001,\n    1e-05,\n    1e+16,\n    123456789012345.6\n  ],\n",
            "  \"t\": \"tab\\there \\\"q\\\" \\\\ \\u00fc \\u65e5\\u672c \\ud83d\\ude00 \\u007f\\u0001\",\n",
            "  \"\\u00e9\": null\n",
            "}\n"
        );
        assert_eq!(to_string(&value), expected);
    }

    #[test]
    fn floats_print_as_python_repr() {
        let cases = [
            (1.0, "1.0"),
            (-0.0, "-0.0"),
            (0.1, "0.1"),
            (1e15, "1000000000000000.0"),
            (1.5e16, "1.5e+16"),
            (1e100, "1e+100"),
            (-2.5e-7, "-2.5e-07"),
            (123.456, "123.456"),
        ];
        for (value, python) in cases {
            assert_eq!(python_float(value), python, "{value}");
        }
    }
}
