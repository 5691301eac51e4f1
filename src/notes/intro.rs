//! What the intro (the preamble before the first segment) yields besides its text:
//! the sponsor segment and the hosts' social links.

use super::blocks::{Block, BlockKind, Ev, line_of, plain_text};
use super::heads::{host_name, sponsor_name};
use super::items::{items, own_events};
use super::links::{links_in, located_links};
use super::model::{HostSocials, ParsedSegment, SegmentKind};

/// The sponsor segment from the first `Sponsored by …` paragraph of the intro.
///
/// The line stays in `intro_md` too: the segment is derived, so the writer never writes it.
pub(crate) fn sponsor_segment(source: &str, intro: &[Block<'_>]) -> Option<ParsedSegment> {
    intro
        .iter()
        .filter(|block| block.kind == BlockKind::Paragraph)
        .find_map(|block| {
            let title = sponsor_name(&plain_text(&block.events))?;
            let links = links_in(&block.events);
            Some(ParsedSegment {
                kind: SegmentKind::Sponsor,
                host: None,
                number: None,
                title,
                url: links.first().map(|link| link.url.clone()),
                notes_md: String::new(),
                line: line_of(source, block.range.start),
                links,
                talks: Vec::new(),
            })
        })
}

/// The `Name: [..](url) / [..](url)` bullets that follow "Connect with the hosts".
///
/// In 470 the heading line is a lazy continuation inside the sponsor list and the next
/// paragraphs continue the last bullet, so this walks bullets wherever they are and
/// takes only the links on each bullet's first line.
pub(crate) fn host_socials(source: &str, intro: &[Block<'_>]) -> Vec<HostSocials> {
    let mut seen = false;
    let mut found = Vec::new();
    for block in intro {
        if block.kind != BlockKind::List {
            if !found.is_empty() {
                break;
            }
            seen |= mentions_connect(&plain_text(&block.events));
            continue;
        }
        for item in items(&block.events).into_iter().filter(|i| i.depth == 1) {
            let own = own_events(&block.events, item);
            if seen {
                found.extend(social_bullet(source, &own));
            } else {
                seen = mentions_connect(&plain_text(&own));
            }
        }
    }
    found
}

fn mentions_connect(plain: &str) -> bool {
    plain.to_lowercase().contains("connect with the hosts")
}

/// One `Name: links…` bullet; links after the bullet's first line belong to other text.
fn social_bullet(source: &str, own: &[Ev<'_>]) -> Option<HostSocials> {
    let plain = plain_text(own);
    let (name, _) = plain.split_once(':')?;
    let name = host_name(name)?;
    let start = own.first().map_or(0, |(_, range)| range.start);
    let line_end = source
        .get(start..)
        .and_then(|rest| rest.find('\n'))
        .map_or(source.len(), |offset| start + offset);
    let urls = located_links(own)
        .into_iter()
        .filter(|located| located.start < line_end)
        .map(|located| located.link.url)
        .collect();
    Some(HostSocials { name, urls })
}
