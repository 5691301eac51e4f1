//! List items inside a block's events: where each starts and ends, and how deep it sits.

use pulldown_cmark::{Event, Tag, TagEnd};

use super::blocks::Ev;

/// One list item: the index range of its events (its Start to its End) and its depth (1 = top).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Item {
    /// Index of the item's Start event.
    pub start: usize,
    /// Index of the item's End event.
    pub end: usize,
    /// 1 for a top-level bullet, 2 for one nested in it, …
    pub depth: usize,
}

/// Every list item in `events`, in source order.
pub(crate) fn items(events: &[Ev<'_>]) -> Vec<Item> {
    let mut open: Vec<usize> = Vec::new();
    let mut found = Vec::new();
    for (index, (event, _)) in events.iter().enumerate() {
        match event {
            Event::Start(Tag::Item) => open.push(index),
            Event::End(TagEnd::Item) => {
                if let Some(start) = open.pop() {
                    let depth = open.len() + 1;
                    found.push(Item {
                        start,
                        end: index,
                        depth,
                    });
                }
            }
            _ => {}
        }
    }
    // Items close inner-first; callers want them in the order they appear.
    found.sort_by_key(|item| item.start);
    found
}

/// The item's own content: its events outside any list nested in it.
pub(crate) fn own_events<'a>(events: &[Ev<'a>], item: Item) -> Vec<Ev<'a>> {
    split_item(events, item).0
}

/// The events of the lists nested in the item.
pub(crate) fn nested_events<'a>(events: &[Ev<'a>], item: Item) -> Vec<Ev<'a>> {
    split_item(events, item).1
}

fn split_item<'a>(events: &[Ev<'a>], item: Item) -> (Vec<Ev<'a>>, Vec<Ev<'a>>) {
    let mut own = Vec::new();
    let mut nested = Vec::new();
    let mut lists = 0usize;
    let inner = events.get(item.start + 1..item.end).unwrap_or(&[]);
    for entry in inner {
        let opens = matches!(entry.0, Event::Start(Tag::List(_)));
        let closes = matches!(entry.0, Event::End(TagEnd::List(_)));
        lists += usize::from(opens);
        if lists == 0 {
            own.push(entry.clone());
        } else {
            nested.push(entry.clone());
        }
        lists -= usize::from(closes && lists > 0);
    }
    (own, nested)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notes::blocks::{events, plain_text};

    #[test]
    fn finds_items_with_depths_and_own_text() {
        let source = "- a\n  - b\n    - c\n- d\n";
        let all: Vec<Ev<'_>> = events(source).collect();
        let found = items(&all);
        let depths: Vec<usize> = found.iter().map(|i| i.depth).collect();
        assert_eq!(depths, [1, 2, 3, 1]);
        assert_eq!(plain_text(&own_events(&all, found[0])), "a");
        assert_eq!(plain_text(&nested_events(&all, found[0])), "bc");
    }
}
