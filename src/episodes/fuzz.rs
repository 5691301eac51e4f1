//! Fuzz targets for the forms that turn typed text into domain types: the episode editor
//! (any submission becomes an episode or field errors, and a saved episode reopens in the
//! editor as itself) and the friends-of-the-show form (address and name).

use proptest::prelude::*;

use super::editor::EpisodeForm;
use crate::subscribers::email::{SubscriberEmail, SubscriberName};

/// A field as a host might fill it: empty, a number, a time, a URL or any text.
fn field() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "-?[0-9]{1,20}(\\.[0-9]{1,3})?",
        "[0-9]{1,2}:[0-9]{2}(:[0-9]{2})?",
        "(https?://|javascript:|mailto:|ftp://|)[a-z.]{0,12}(/[a-z]{0,5})?",
        "(topic|extra|joke|sponsor|other|bogus)",
        "\\PC{0,24}",
    ]
}

fn rows(n: usize) -> impl Strategy<Value = Vec<String>> {
    proptest::collection::vec(field(), n..=n)
}

fn episode_form() -> impl Strategy<Value = EpisodeForm> {
    (0usize..5).prop_flat_map(|n| {
        (
            proptest::collection::vec(field(), 11),
            (rows(n), rows(n), rows(n), rows(n)),
            (rows(n), rows(n), rows(n), rows(n)),
            proptest::collection::vec(0usize..6, 0..2),
        )
            .prop_map(
                |(f, (kind, person, number, title), (url, notes, start, position), delete)| {
                    EpisodeForm {
                        version: 1,
                        number: f[0].clone(),
                        title: f[1].clone(),
                        slug: f[2].clone(),
                        summary: f[3].clone(),
                        audio_url: f[4].clone(),
                        audio_bytes: f[5].clone(),
                        audio_type: f[6].clone(),
                        duration: f[7].clone(),
                        video_url: f[8].clone(),
                        intro_md: f[9].clone(),
                        publish_at: f[10].clone(),
                        seg_kind: kind,
                        seg_person: person,
                        seg_number: number,
                        seg_title: title,
                        seg_url: url,
                        seg_notes: notes,
                        seg_start: start,
                        seg_position: position,
                        seg_credited_as: Vec::new(),
                        seg_person_was: Vec::new(),
                        seg_delete: delete,
                        ..EpisodeForm::default()
                    }
                },
            )
    })
}

proptest! {
    #![proptest_config(crate::fuzzing::config(600))]

    #[test]
    fn fuzz_forms_episode_editor_saves_or_names_fields(form in episode_form()) {
        let _ = form.rows();
        if let Ok(doc) = form.to_doc() {
            let reopened = EpisodeForm::from_doc(&doc, form.version);
            let again = reopened.to_doc().map_err(|e| TestCaseError::fail(format!("a saved episode reopens with errors: {e:?}")))?;
            prop_assert_eq!(
                serde_json::to_value(&again).expect("json"),
                serde_json::to_value(&doc).expect("json")
            );
        }
    }

    #[test]
    fn fuzz_forms_subscribe_fields_parse_once_and_for_all(email in "\\PC{0,40}|[A-Za-z0-9.+_-]{1,12}@[A-Za-z0-9.-]{1,12}", name in "\\PC{0,120}") {
        if let Ok(parsed) = SubscriberEmail::parse(&email) {
            prop_assert_eq!(SubscriberEmail::parse(parsed.as_ref()), Ok(parsed.clone()), "parsing is idempotent");
            prop_assert_eq!(parsed.as_ref(), parsed.as_ref().trim().to_lowercase());
        }
        if let Ok(parsed) = SubscriberName::parse(&name, false) {
            prop_assert_eq!(SubscriberName::parse(parsed.as_ref(), false), Ok(parsed.clone()));
            prop_assert!(parsed.as_ref().chars().count() <= 100);
        }
    }
}
