//! A digest's content, rendered once from the episode, and the message for each recipient.

use askama::Template;
use lettre::Message;
use lettre::message::{Mailbox, MultiPart};

use super::store::DigestRow;
use crate::episodes::format_date;
use crate::episodes::model::{EpisodeDoc, SegmentDoc, SegmentKind};
use crate::mail::{ListUnsubscribe, ListUnsubscribePost};
use crate::settings::Settings;

/// Subject, HTML fragment (inline styles: it is an email) and text of one digest.
#[derive(Debug, Clone)]
pub struct DigestContent {
    pub subject: String,
    pub html: String,
    pub text: String,
}

/// One segment as the digest shows it.
pub struct SegmentLine {
    label: String,
    title: String,
    url: Option<String>,
    notes_html: String,
    notes_md: String,
}

#[derive(Template)]
#[template(path = "digest/body.html")]
struct BodyHtml<'a> {
    number: i64,
    title: &'a str,
    date: &'a str,
    hosts: Vec<&'a str>,
    sponsors: Vec<&'a SegmentDoc>,
    segments: &'a [SegmentLine],
    episode_url: &'a str,
}

#[derive(Template)]
#[template(path = "digest/body.txt")]
struct BodyText<'a> {
    show: &'a str,
    number: i64,
    title: &'a str,
    date: &'a str,
    sponsors: Vec<&'a SegmentDoc>,
    segments: &'a [SegmentLine],
    episode_url: &'a str,
}

#[derive(Template)]
#[template(path = "digest/email.html")]
struct MailHtml<'a> {
    language: &'a str,
    subject: &'a str,
    show: &'a str,
    body: &'a str,
    unsubscribe_url: &'a str,
}

#[derive(Template)]
#[template(path = "digest/email.txt")]
struct MailText<'a> {
    show: &'a str,
    body: &'a str,
    unsubscribe_url: &'a str,
}

fn line_of(segment: &SegmentDoc) -> SegmentLine {
    let person = segment
        .person
        .as_ref()
        .map(|p| p.name.as_str())
        .unwrap_or_default();
    let (label, title) = match segment.kind {
        SegmentKind::Topic => {
            let number = segment.number.map(|n| format!(" #{n}")).unwrap_or_default();
            (
                format!("{person}{number}").trim().to_string(),
                segment.title.clone(),
            )
        }
        SegmentKind::Extra if person.is_empty() => ("Extras".to_string(), String::new()),
        SegmentKind::Extra => (format!("Extras from {person}"), String::new()),
        SegmentKind::Joke => ("Joke".to_string(), segment.title.clone()),
        _ => (String::new(), segment.title.clone()),
    };
    SegmentLine {
        label,
        title,
        url: segment
            .url
            .clone()
            .filter(|_| segment.kind != SegmentKind::Extra),
        notes_html: segment.notes_html.clone(),
        notes_md: segment.notes_md.clone(),
    }
}

/// Renders an episode's digest from the same rendered notes as its web page.
pub fn render(settings: &Settings, episode: &EpisodeDoc) -> askama::Result<DigestContent> {
    let date = format_date(episode.published_at.as_deref());
    let episode_url = format!(
        "{}/episodes/{}/{}",
        settings.base_url, episode.number, episode.slug
    );
    let sponsors: Vec<&SegmentDoc> = episode
        .segments
        .iter()
        .filter(|s| s.kind == SegmentKind::Sponsor)
        .collect();
    let segments: Vec<SegmentLine> = episode
        .segments
        .iter()
        .filter(|s| s.kind != SegmentKind::Sponsor)
        .map(line_of)
        .collect();
    let html = BodyHtml {
        number: episode.number,
        title: &episode.title,
        date: &date,
        hosts: episode.hosts.iter().map(|h| h.name.as_str()).collect(),
        sponsors: sponsors.clone(),
        segments: &segments,
        episode_url: &episode_url,
    }
    .render()?;
    let text = BodyText {
        show: &settings.title,
        number: episode.number,
        title: &episode.title,
        date: &date,
        sponsors,
        segments: &segments,
        episode_url: &episode_url,
    }
    .render()?;
    let subject = format!("{} #{}: {}", settings.title, episode.number, episode.title);
    Ok(DigestContent {
        subject,
        html,
        text: unix_line_endings(&text),
    })
}

/// `text` with every line ending `\n`: notes keep the bytes they were typed with, CRLF
/// included, and a text part mixing endings reads badly (issue #15).
fn unix_line_endings(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// The whole HTML mail around a digest, with its unsubscribe link.
pub fn mail_html(
    settings: &Settings,
    digest: &DigestRow,
    unsubscribe_url: &str,
) -> askama::Result<String> {
    MailHtml {
        language: &settings.language,
        subject: &digest.subject,
        show: &settings.title,
        body: &digest.html,
        unsubscribe_url,
    }
    .render()
}

/// The unsubscribe link as the HTML template would write it.
#[derive(Template)]
#[template(source = "{{ url }}", ext = "html")]
struct EscapedUrl<'a> {
    url: &'a str,
}

/// A digest's mail rendered once: only the unsubscribe link differs between recipients, so
/// each mail is the pre-rendered pieces joined around it.
pub struct Prepared {
    /// The digest's subject.
    pub subject: String,
    from: Mailbox,
    /// Where `List-Unsubscribe`'s mailto goes: only an address someone reads (none by default).
    reply: Option<lettre::Address>,
    html: Vec<String>,
    text: Vec<String>,
}

impl Prepared {
    /// Renders both bodies with a random stand-in where the unsubscribe link goes.
    pub fn new(settings: &Settings, digest: &DigestRow) -> askama::Result<Self> {
        let stand_in = crate::keys::random_token();
        let html = mail_html(settings, digest, &stand_in)?;
        let text = MailText {
            show: &settings.title,
            body: &digest.text,
            unsubscribe_url: &stand_in,
        }
        .render()?;
        let pieces = |s: String| s.split(stand_in.as_str()).map(str::to_string).collect();
        Ok(Self {
            subject: digest.subject.clone(),
            from: crate::mail::sender(settings),
            reply: crate::mail::configured_sender(settings).map(|mailbox| mailbox.email),
            html: pieces(html),
            text: pieces(text),
        })
    }

    /// One recipient's digest: multipart/alternative, a fixed Message-ID, RFC 8058 headers.
    pub fn message(
        &self,
        to: Mailbox,
        unsubscribe_url: &str,
        message_id: &str,
        subject: &str,
    ) -> anyhow::Result<Message> {
        let html = self.html.join(
            &EscapedUrl {
                url: unsubscribe_url,
            }
            .render()?,
        );
        let text = self.text.join(unsubscribe_url);
        let list_unsubscribe = match &self.reply {
            Some(reply) => format!("<{unsubscribe_url}>, <mailto:{reply}?subject=unsubscribe>"),
            None => format!("<{unsubscribe_url}>"),
        };
        Ok(Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .message_id(Some(message_id.to_string()))
            .header(ListUnsubscribe(list_unsubscribe))
            .header(ListUnsubscribePost)
            .multipart(MultiPart::alternative_plain_html(text, html))?)
    }
}

/// One recipient's digest, rendered on its own (test sends).
pub fn message(
    settings: &Settings,
    digest: &DigestRow,
    to: Mailbox,
    unsubscribe_url: &str,
    message_id: &str,
    subject: &str,
) -> anyhow::Result<Message> {
    Prepared::new(settings, digest)?.message(to, unsubscribe_url, message_id, subject)
}
