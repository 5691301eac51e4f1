//! The episode's guests, named in full by its intro: `Special guest: [**Cristian Medina**](u)`,
//! `Special guests:` with one per line or bullet, `Guests` followed by lines, "and"-joined names.
//!
//! A topic head names a presenter by first name ("Cris #2"); these full names tell which
//! Cris that is, so that two guests who share a first name stay two people.

use pulldown_cmark::{Event, Tag, TagEnd};

use super::blocks::{Block, BlockKind, Ev, collapse};
use super::items::{items, own_events};

/// Opens a link's text in a unit's text.
const LINK_OPEN: char = '\u{1}';
/// Closes a link's text.
const LINK_CLOSE: char = '\u{2}';

/// Titles that come before a name and are no part of how a head names the person.
const HONORIFICS: [&str; 5] = ["dr.", "dr", "prof.", "mr.", "ms."];

/// The full names of the guests the intro announces, in order, without repeats.
pub(crate) fn guests(intro: &[Block<'_>]) -> Vec<String> {
    let blocks: Vec<Vec<String>> = intro.iter().map(units_of).collect();
    let mut found: Vec<String> = Vec::new();
    for (index, units) in blocks.iter().enumerate() {
        for (at, unit) in units.iter().enumerate() {
            let Some(rest) = after_label(unit) else {
                continue;
            };
            let named = names_in(rest);
            let listed = match named.is_empty() {
                false => named,
                // "Special guests:" alone: one guest per following line, or the next block's.
                true => following_names(&units[at + 1..], blocks.get(index + 1)),
            };
            for name in listed {
                if !found.contains(&name) {
                    found.push(name);
                }
            }
        }
    }
    found
}

/// The guest among `guests` a head's `name` stands for: the full name itself, the first name,
/// or a short form of it ("Cris" for Cristian). `None` when none or more than one fits.
pub fn guest_named<'g>(name: &str, guests: &'g [String]) -> Option<&'g str> {
    let wanted = name.trim().to_lowercase();
    let fits = |guest: &&String| {
        let full = guest.to_lowercase();
        let first = first_name(&full);
        full == wanted
            || first == wanted
            || (wanted.chars().count() >= 3 && first.starts_with(&wanted))
    };
    let mut matching = guests.iter().filter(fits);
    let found = matching.next()?;
    matching.next().is_none().then_some(found.as_str())
}

/// The first word of a full name that is no honorific.
fn first_name(full: &str) -> &str {
    full.split_whitespace()
        .find(|word| !HONORIFICS.contains(word))
        .unwrap_or(full)
}

/// A block as lines of text, links marked: a paragraph's lines, a list's items.
fn units_of(block: &Block<'_>) -> Vec<String> {
    match block.kind {
        BlockKind::List => items(&block.events)
            .into_iter()
            .filter(|item| item.depth == 1)
            .map(|item| unit_text(&own_events(&block.events, item)).join(" "))
            .collect(),
        _ => unit_text(&block.events),
    }
}

/// The text of some events, one string per line, each link's text between [`LINK_OPEN`] and
/// [`LINK_CLOSE`]. Adjacent links to one URL (`[**Max**](u) [**Sklar**](u)`) are one link.
fn unit_text(events: &[Ev<'_>]) -> Vec<String> {
    let mut lines = vec![String::new()];
    let mut last_url: Option<String> = None;
    let mut since_link = String::new();
    for (event, _) in events {
        let line = lines.last_mut().expect("never empty");
        match event {
            Event::Start(Tag::Link { dest_url, .. }) => {
                let joins = last_url.as_deref() == Some(dest_url) && since_link.trim().is_empty();
                let kept = line.trim_end().len();
                match joins && line[..kept].ends_with(LINK_CLOSE) {
                    // Reopen the previous link instead of starting another.
                    true => {
                        line.truncate(kept - LINK_CLOSE.len_utf8());
                        line.push(' ');
                    }
                    false => line.push(LINK_OPEN),
                }
                last_url = Some(dest_url.to_string());
            }
            Event::End(TagEnd::Link) => {
                line.push(LINK_CLOSE);
                since_link.clear();
            }
            Event::Text(text) | Event::Code(text) => {
                line.push_str(text);
                since_link.push_str(text);
            }
            Event::SoftBreak | Event::HardBreak => {
                lines.push(String::new());
                last_url = None;
            }
            _ => {}
        }
    }
    lines
        .into_iter()
        .filter(|line| !line.trim().is_empty())
        .collect()
}

/// What follows `Special guest(s)` or a line that is only `Guest(s)`; `None` for other lines.
fn after_label(unit: &str) -> Option<&str> {
    let text = unit.trim_start_matches([LINK_OPEN, ' ', '-', '*']);
    let lower = text.to_lowercase();
    let label = ["special guests", "special guest", "guests", "guest"]
        .into_iter()
        .find(|label| lower.starts_with(label))?;
    let rest = &text[label.len()..];
    let bare_label = label.starts_with("guest");
    // "Guests" must stand alone: "Guest appearances on …" is prose.
    if bare_label && !rest.trim_matches([':', ' ', LINK_CLOSE]).is_empty() {
        return None;
    }
    Some(rest.trim_start_matches([':', ',', ' ', '-', '–']))
}

/// The names in a label's rest: parts joined by `and`, `&` or commas, each a name.
fn names_in(rest: &str) -> Vec<String> {
    rest.split(", ")
        .flat_map(|part| part.split(" and "))
        .flat_map(|part| part.split(" & "))
        .filter_map(name_of)
        .collect()
}

/// One name per unit after a lone label: the rest of its block, else the next block's units.
fn following_names(rest_of_block: &[String], next_block: Option<&Vec<String>>) -> Vec<String> {
    let units = match rest_of_block.is_empty() {
        true => next_block.map_or(&[][..], Vec::as_slice),
        false => rest_of_block,
    };
    units.iter().filter_map(|unit| name_of(unit)).collect()
}

/// The name a part starts with: its text before any link (cut at a separator), else the text
/// of the link it starts with.
fn name_of(part: &str) -> Option<String> {
    let part = part.trim();
    let before_link = part.split(LINK_OPEN).next().unwrap_or_default();
    let candidate = match before_link.trim().is_empty() {
        true => part
            .trim_start_matches(LINK_OPEN)
            .split(LINK_CLOSE)
            .next()
            .unwrap_or_default(),
        false => before_link,
    };
    // A label inside a link (`[Special guest: Aly](u)`) leaves the link's end behind the name.
    let cut = [":", " - ", " -- ", " – ", " — ", "(", "\u{2}"]
        .iter()
        .filter_map(|separator| candidate.find(separator))
        .min()
        .unwrap_or(candidate.len());
    let name = collapse(candidate[..cut].trim_end_matches([' ', '-', '–', '—']));
    name_like(&name).then_some(name)
}

/// One to five words, the first capitalized (or an honorific), no handles, digits or URLs.
fn name_like(name: &str) -> bool {
    let words: Vec<&str> = name.split_whitespace().collect();
    let capitalized = words
        .iter()
        .find(|word| !HONORIFICS.contains(&word.to_lowercase().as_str()))
        .is_some_and(|word| word.starts_with(char::is_uppercase));
    (1..=5).contains(&words.len())
        && capitalized
        && !name.contains(['@', '/', LINK_OPEN, LINK_CLOSE])
        && !name.chars().any(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::super::blocks::top_level_blocks;
    use super::*;

    fn guests_of(intro: &str) -> Vec<String> {
        guests(&top_level_blocks(intro))
    }

    #[test]
    fn one_guest_in_every_shape_the_archive_has() {
        for (intro, name) in [
            ("Special guest: [**Tonya Sims**](https://t)", "Tonya Sims"),
            ("Special guest: **[Seth Larson](https://s)**", "Seth Larson"),
            (
                "Special guest [**Max**](https://m) [**Sklar**](https://m) ",
                "Max Sklar",
            ),
            (
                "Special guest: Kojo Idrissa -- [https://t](https://t)",
                "Kojo Idrissa",
            ),
            (
                "**Special guest: Matt Harrison -** [**__mh__**](https://t)",
                "Matt Harrison",
            ),
            (
                "Special guest: **Jennifer Stark** - [**@_JAStark**](https://t) & guest on x",
                "Jennifer Stark",
            ),
            (
                "- Special guest, Erin Mullaney: [**@erin@f.org**](https://f)",
                "Erin Mullaney",
            ),
            ("[Special guest: Aly](https://twitter.com/a)", "Aly"),
            (
                "Special guest: Vincent D. Warmerdam [koaning.io](https://k), Research Advocate @ Rasa",
                "Vincent D. Warmerdam",
            ),
            (
                "Special guest: [**Gina Häußge**](https://g), creator & maintainer of [**OctoPrint**](https://o)",
                "Gina Häußge",
            ),
            (
                "Special guest: [**Dr. Chelle Gentemann**](https://c)",
                "Dr. Chelle Gentemann",
            ),
        ] {
            assert_eq!(guests_of(intro), [name], "{intro}");
        }
    }

    #[test]
    fn several_guests_by_line_bullet_or_and() {
        assert_eq!(
            guests_of(
                "Special guests:\n\nBrett Cannon: [**@brettsky**](https://b)\nCarol Willing: [**@W**](https://c)\n"
            ),
            ["Brett Cannon", "Carol Willing"]
        );
        assert_eq!(
            guests_of(
                "**Special guests**:\n\n* **[Dan Bader](https://d)**\n* [**Cecil Philip**](https://c)\n"
            ),
            ["Dan Bader", "Cecil Philip"]
        );
        assert_eq!(
            guests_of(
                "Guests\nBrian Okken [@brianokken](https://b)\nDan Bader [@dbader_org](https://d)\n"
            ),
            ["Brian Okken", "Dan Bader"]
        );
        assert_eq!(
            guests_of("Special guests: [**Chris Moffitt**](https://c) and **Chris Patti**"),
            ["Chris Moffitt", "Chris Patti"]
        );
        assert!(guests_of("Guest appearances on other shows: none this week").is_empty());
    }

    #[test]
    fn a_head_finds_its_guest_by_first_name_or_short_form_only_when_one_fits() {
        let guests = vec![
            "Cristian Medina".to_string(),
            "Dr. Chelle Gentemann".to_string(),
        ];
        assert_eq!(guest_named("Cris", &guests), Some("Cristian Medina"));
        assert_eq!(guest_named("Chelle", &guests), Some("Dr. Chelle Gentemann"));
        assert_eq!(guest_named("Michael", &guests), None);
        let two = vec!["Chris Moffitt".to_string(), "Chris Patti".to_string()];
        assert_eq!(guest_named("Chris", &two), None, "two fit: no guess");
        assert_eq!(guest_named("Chris Patti", &two), Some("Chris Patti"));
    }
}
