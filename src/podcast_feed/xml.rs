//! The XML walk: every `<item>` (RSS) or `<entry>` (Atom) with the children an import reads,
//! as written. Element names are matched as written (`itunes:episode`), so a feed that never
//! declares its namespaces reads like one that does.

use quick_xml::Reader;
use quick_xml::events::{BytesRef, BytesStart, Event};

use super::{FeedError, RawEnclosure, RawItem};

/// A child of an item whose text is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Title,
    Link,
    Guid,
    Date,
    Updated,
    Description,
    Content,
    Episode,
    Duration,
}

/// Where the walk is: inside which item, reading which field's text.
#[derive(Default)]
struct Walk {
    depth: usize,
    /// The depth of the item being read.
    item_depth: Option<usize>,
    item: RawItem,
    /// The field whose text is being gathered, and its depth.
    field: Option<(Field, usize)>,
    text: String,
    items: Vec<RawItem>,
}

/// Reads every item of `text`, in document order.
pub fn items(text: &str) -> Result<Vec<RawItem>, FeedError> {
    let mut reader = Reader::from_str(text);
    let mut walk = Walk::default();
    loop {
        let at = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|e| FeedError::at(text, at as usize, e.to_string()))?;
        match event {
            Event::Start(start) => walk.open(&start, false),
            Event::Empty(start) => walk.open(&start, true),
            Event::Text(chars) => walk.push(&chars.xml10_content()),
            Event::CData(chars) => walk.push(&chars.xml10_content()),
            Event::GeneralRef(entity) => walk.push(&resolve(&entity)),
            Event::End(_) => walk.close(),
            Event::Eof => break,
            _ => {}
        }
    }
    if walk.items.is_empty() && !text.contains("<rss") && !text.contains("<feed") {
        return Err(FeedError::at(
            text,
            0,
            "not an RSS or Atom feed: no <rss> or <feed> element",
        ));
    }
    Ok(walk.items)
}

/// The text an entity stands for; one XML does not define (`&nbsp;` from HTML) stays as
/// written, for the description's HTML to render.
fn resolve(entity: &BytesRef<'_>) -> String {
    if let Ok(Some(ch)) = entity.resolve_char_ref() {
        return ch.to_string();
    }
    let name = entity.as_ref().to_string();
    match name.as_str() {
        "amp" => "&".into(),
        "lt" => "<".into(),
        "gt" => ">".into(),
        "quot" => "\"".into(),
        "apos" => "'".into(),
        _ => format!("&{name};"),
    }
}

impl Walk {
    fn open(&mut self, start: &BytesStart<'_>, empty: bool) {
        self.depth += 1;
        let name = start.name().as_ref().to_string();
        match self.item_depth {
            None if name == "item" || name == "entry" => {
                self.item_depth = Some(self.depth);
                self.item = RawItem {
                    position: self.items.len() + 1,
                    ..RawItem::default()
                };
            }
            Some(item) if item + 1 == self.depth => self.child(&name, start),
            _ => {}
        }
        if empty {
            self.close();
        }
    }

    /// A direct child of the item: its attributes now, its text until it closes.
    fn child(&mut self, name: &str, start: &BytesStart<'_>) {
        let attr = |key: &str| attribute(start, key);
        let field = match name {
            "title" => Field::Title,
            "guid" | "id" => Field::Guid,
            "pubDate" | "published" => Field::Date,
            "updated" => Field::Updated,
            "description" | "summary" => Field::Description,
            "content:encoded" | "content" => Field::Content,
            // Podcasting 2.0's `podcast:episode` says the same as Apple's.
            "itunes:episode" | "podcast:episode" => Field::Episode,
            "itunes:duration" => Field::Duration,
            "link" => match (attr("href"), attr("rel")) {
                (Some(href), Some(rel)) if rel == "enclosure" => {
                    self.enclosure(href, attr("length"), attr("type"));
                    return;
                }
                (Some(href), rel) => {
                    if rel.is_none_or(|r| r == "alternate") && self.item.link.is_none() {
                        self.item.link = Some(href);
                    }
                    return;
                }
                (None, _) => Field::Link,
            },
            "enclosure" => {
                if let Some(url) = attr("url") {
                    self.enclosure(url, attr("length"), attr("type"));
                }
                return;
            }
            "itunes:image" => {
                if self.item.image.is_none() {
                    self.item.image = attr("href");
                }
                return;
            }
            _ => return,
        };
        self.field = Some((field, self.depth));
        self.text.clear();
    }

    fn enclosure(&mut self, url: String, length: Option<String>, mime_type: Option<String>) {
        self.item.enclosures.push(RawEnclosure {
            url,
            length,
            mime_type,
        });
    }

    fn push(&mut self, text: &str) {
        if self.field.is_some() {
            self.text.push_str(text);
        }
    }

    fn close(&mut self) {
        if let Some((field, depth)) = self.field
            && depth == self.depth
        {
            self.field = None;
            let text = std::mem::take(&mut self.text);
            self.keep(field, text);
        }
        if self.item_depth == Some(self.depth) {
            self.item_depth = None;
            self.items.push(std::mem::take(&mut self.item));
        }
        self.depth = self.depth.saturating_sub(1);
    }

    /// The first of each field wins, except that a description (RSS) beats Atom's content.
    fn keep(&mut self, field: Field, text: String) {
        let item = &mut self.item;
        let slot = match field {
            Field::Title => &mut item.title,
            Field::Link => &mut item.link,
            Field::Guid => &mut item.guid,
            Field::Date => &mut item.pub_date,
            Field::Updated => &mut item.updated,
            Field::Description => &mut item.description,
            Field::Content => &mut item.content,
            Field::Episode => &mut item.episode,
            Field::Duration => &mut item.duration,
        };
        if slot.is_none() {
            *slot = Some(text);
        }
    }
}

/// An attribute's value with its entities resolved; `None` when absent or unreadable.
fn attribute(start: &BytesStart<'_>, key: &str) -> Option<String> {
    let found = start.try_get_attribute(key).ok().flatten()?;
    found
        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
        .ok()
        .map(|value| value.into_owned())
}
