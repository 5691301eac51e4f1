//! Fuzz targets for the pyvideo reader: any file is read or rejected with a reason, never a
//! panic, and a record it accepts comes back from export as the same record.

use proptest::prelude::*;
use serde_json::{Map, Value, json};

use super::pyjson;
use super::pyvideo::{read_record, record_value};

/// Any JSON value, a few levels deep.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        (-1e9f64..1e9).prop_map(Value::from),
        "\\PC{0,12}".prop_map(Value::from),
        "20[0-9]{2}-[01][0-9]-[0-3][0-9]".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            proptest::collection::btree_map("[a-z_]{1,8}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A record-like object: pyvideo's keys with any values, or values of the right shape.
fn record_json() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        Just("title"),
        Just("description"),
        Just("speakers"),
        Just("recorded"),
        Just("duration"),
        Just("language"),
        Just("thumbnail_url"),
        Just("videos"),
        Just("related_urls"),
        Just("tags"),
        Just("copyright_text"),
        Just("id"),
    ];
    let shaped = prop_oneof![
        "\\PC{0,20}".prop_map(Value::from),
        proptest::collection::vec("\\PC{0,10}", 0..3).prop_map(|v| json!(v)),
        (0i64..100_000).prop_map(Value::from),
        (
            "(youtube|vimeo|mp4)",
            "(https://|javascript:|)[a-z./?=]{0,20}"
        )
            .prop_map(|(kind, url)| json!([{"type": kind, "url": url}])),
        ("\\PC{0,8}", "(https://|mailto:|)[a-z./]{0,12}")
            .prop_map(|(label, url)| json!([{"label": label, "url": url}, url])),
        any_json(),
    ];
    (
        "\\PC{1,20}",
        proptest::collection::vec((key, shaped), 0..10),
    )
        .prop_map(|(title, fields)| {
            let mut object = Map::new();
            object.insert("title".into(), Value::from(title));
            for (key, value) in fields {
                object.insert(key.to_string(), value);
            }
            Value::Object(object)
        })
}

proptest! {
    #![proptest_config(crate::fuzzing::config(2500))]

    #[test]
    fn fuzz_pyvideo_any_text_is_read_or_rejected(text in "\\PC{0,200}") {
        let _ = read_record(&text);
    }

    #[test]
    fn fuzz_pyvideo_accepted_records_export_as_themselves(value in record_json()) {
        let text = serde_json::to_string_pretty(&value).expect("json");
        if let Ok(record) = read_record(&text) {
            let exported = pyjson::to_string(&record_value(&record));
            let again = read_record(&exported)
                .map_err(|e| TestCaseError::fail(format!("export not readable: {e}\n{exported}")))?;
            prop_assert_eq!(&again, &record, "exported:\n{}", exported);
            prop_assert_eq!(pyjson::to_string(&record_value(&again)), exported, "a second export differs");
        }
    }
}
