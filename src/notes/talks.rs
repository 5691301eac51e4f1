//! Talks: a topic whose bullets are mostly single video links lists conference talks.

use super::blocks::{Block, BlockKind};
use super::items::{Item, items, nested_events, own_events};
use super::links::{links_in, sole_link};
use super::model::{ParsedLink, ParsedTalk};

/// At least this many talk bullets…
const MIN_TALKS: usize = 3;
/// …making up at least this share (in percent) of the links in depth-1/2 bullets.
const MIN_SHARE_PERCENT: usize = 60;

/// The talks listed in a topic's notes blocks; empty unless the bullets are mostly talks.
pub(crate) fn find_talks(notes: &[Block<'_>]) -> Vec<ParsedTalk> {
    let mut talks = Vec::new();
    let mut links_seen = 0usize;
    for block in notes.iter().filter(|b| b.kind == BlockKind::List) {
        // A talk's own sub-bullets hold its related links, not competing ones.
        let mut talk_end = 0;
        for item in items(&block.events).into_iter().filter(|i| i.depth <= 2) {
            if item.start < talk_end {
                continue;
            }
            let own = own_events(&block.events, item);
            links_seen += links_in(&own).len();
            if let Some(talk) = talk_of(&block.events, item, sole_link(&own)) {
                talk_end = item.end;
                talks.push(talk);
            }
        }
    }
    let enough = talks.len() >= MIN_TALKS && talks.len() * 100 >= links_seen * MIN_SHARE_PERCENT;
    if enough { talks } else { Vec::new() }
}

/// The talk a bullet names, when its only content is one video link.
fn talk_of(
    events: &[super::blocks::Ev<'_>],
    item: Item,
    link: Option<ParsedLink>,
) -> Option<ParsedTalk> {
    let link = link.filter(|l| is_video_url(&l.url))?;
    Some(ParsedTalk {
        title: link.text,
        url: link.url,
        related: links_in(&nested_events(events, item)),
    })
}

/// Whether `url` is a single video: `youtube.com/watch`, `youtu.be/ID` or Vimeo.
pub(crate) fn is_video_url(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = host.to_ascii_lowercase();
    let host = host
        .strip_prefix("www.")
        .or_else(|| host.strip_prefix("m."))
        .unwrap_or(&host);
    match host {
        "youtube.com" => path.starts_with("watch"),
        "youtu.be" => !path.is_empty(),
        _ => host == "vimeo.com" || host.ends_with(".vimeo.com"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notes::blocks::top_level_blocks;

    #[test]
    fn video_urls() {
        assert!(is_video_url("https://www.youtube.com/watch?v=x"));
        assert!(is_video_url("https://youtu.be/abc"));
        assert!(is_video_url("https://vimeo.com/123"));
        assert!(!is_video_url("https://www.youtube.com/playlist?list=x"));
        assert!(!is_video_url("https://talkpython.fm/episodes/1"));
    }

    #[test]
    fn needs_three_talks_making_most_links() {
        let talks = "- [a](https://youtu.be/1)\n  - see [b](https://b)\n- [c](https://youtu.be/2)\n- [d](https://youtu.be/3)\n";
        let found = find_talks(&top_level_blocks(talks));
        assert_eq!(found.len(), 3);
        assert_eq!(found[0].related[0].url, "https://b");
        let two = "- [a](https://youtu.be/1)\n- [c](https://youtu.be/2)\n";
        assert!(find_talks(&top_level_blocks(two)).is_empty());
        let mixed = "- [a](https://youtu.be/1)\n- [b](https://youtu.be/2)\n- [c](https://youtu.be/3)\n- [x](https://x) [y](https://y) [z](https://z)\n";
        assert!(find_talks(&top_level_blocks(mixed)).is_empty());
        let nested = "- [a](https://youtu.be/1)\n  - [r](https://r)\n- [b](https://youtu.be/2)\n  - [s](https://s)\n- [c](https://youtu.be/3)\n  - [t](https://t)\n";
        assert_eq!(find_talks(&top_level_blocks(nested)).len(), 3);
    }
}
