//! A digest's content, rendered once from the episode, and the message for each recipient.

use std::time::SystemTime;

use askama::Template;
use lettre::Message;
use lettre::address::Envelope;
use lettre::message::header::{self, Header, Headers};
use lettre::message::{Body, Mailbox, Mailboxes, MultiPart, SinglePart};

use super::store::DigestRow;
use crate::episodes::format_date;
use crate::episodes::model::{EpisodeDoc, SegmentDoc, SegmentKind};
use crate::mail::{ListUnsubscribe, ListUnsubscribePost, Outgoing, SplicedBody};
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
    let date = format_date(episode.published_at);
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
    /// One MIME boundary for the digest: random, so no body holds it.
    boundary: String,
    html: Vec<String>,
    text: Vec<String>,
    /// The mail formatted once, for [`Prepared::outgoing`].
    formatted: Formatted,
}

/// A digest's mail as bytes, save what differs per recipient: the To, Message-ID,
/// List-Unsubscribe and Date headers, and the bodies' lines with the unsubscribe link.
struct Formatted {
    /// `From:`.
    from: String,
    /// `Subject:`.
    subject: String,
    /// `List-Unsubscribe-Post:` and `MIME-Version:`.
    post_and_version: String,
    /// The multipart's headers and the parts' own, before, between and after the two bodies.
    around: [Vec<u8>; 3],
    text: SplicedBody,
    html: SplicedBody,
}

/// One header line as lettre writes it (encoded and folded, ending `\r\n`).
fn header_line<H: Header>(header: H) -> String {
    let mut headers = Headers::new();
    headers.set(header);
    headers.to_string()
}

impl Prepared {
    /// Renders both bodies with a random stand-in where the unsubscribe link goes; `typical`
    /// is a link like the recipients' (its length guides the choice of encoding).
    pub fn new(settings: &Settings, digest: &DigestRow, typical: &str) -> anyhow::Result<Self> {
        let stand_in = crate::keys::random_token();
        let html = mail_html(settings, digest, &stand_in)?;
        let text = MailText {
            show: &settings.title,
            body: &digest.text,
            unsubscribe_url: &stand_in,
        }
        .render()?;
        let pieces = |s: &str| s.split(stand_in.as_str()).map(str::to_string).collect();
        let from = crate::mail::sender(settings);
        let boundary = crate::keys::random_token().replace(['-', '_'], "");
        let text_body = SplicedBody::new(&text, &stand_in, typical);
        let html_body = SplicedBody::new(&html, &stand_in, &escaped_url(typical)?);
        let formatted = Formatted {
            from: header_line(header::From::from(Mailboxes::from(from.clone()))),
            subject: header_line(header::Subject::from(digest.subject.clone())),
            post_and_version: header_line(ListUnsubscribePost)
                + &header_line(header::MIME_VERSION_1_0),
            around: around_bodies(&boundary, &text_body, &html_body),
            text: text_body,
            html: html_body,
        };
        Ok(Self {
            subject: digest.subject.clone(),
            from,
            reply: crate::mail::configured_sender(settings).map(|mailbox| mailbox.email),
            boundary,
            html: pieces(&html),
            text: pieces(&text),
            formatted,
        })
    }

    fn list_unsubscribe(&self, unsubscribe_url: &str) -> ListUnsubscribe {
        ListUnsubscribe(match &self.reply {
            Some(reply) => format!("<{unsubscribe_url}>, <mailto:{reply}?subject=unsubscribe>"),
            None => format!("<{unsubscribe_url}>"),
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
        let html = self.html.join(&escaped_url(unsubscribe_url)?);
        let text = self.text.join(unsubscribe_url);
        let parts = MultiPart::alternative()
            .boundary(self.boundary.as_str())
            .singlepart(SinglePart::plain(text))
            .singlepart(SinglePart::html(html));
        Ok(Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .message_id(Some(message_id.to_string()))
            .header(self.list_unsubscribe(unsubscribe_url))
            .header(ListUnsubscribePost)
            .multipart(parts)?)
    }

    /// One recipient's digest as it goes out: the same bytes as [`Prepared::message`] dated
    /// `date`, written from the parts formatted once.
    pub fn outgoing(
        &self,
        to: Mailbox,
        unsubscribe_url: &str,
        message_id: &str,
        date: SystemTime,
    ) -> anyhow::Result<Outgoing> {
        let envelope = Envelope::new(Some(self.from.email.clone()), vec![to.email.clone()])?;
        let bytes = match self.spliced(&to, unsubscribe_url, message_id, date)? {
            Some(bytes) => bytes,
            None => {
                let mut message = self.message(to, unsubscribe_url, message_id, &self.subject)?;
                message.headers_mut().set(header::Date::new(date));
                message.formatted()
            }
        };
        Ok(Outgoing {
            envelope,
            message_id: message_id.to_string(),
            bytes,
        })
    }

    /// The bytes of [`Prepared::outgoing`]; `None` when a body must be encoded whole.
    fn spliced(
        &self,
        to: &Mailbox,
        unsubscribe_url: &str,
        message_id: &str,
        date: SystemTime,
    ) -> anyhow::Result<Option<Vec<u8>>> {
        let f = &self.formatted;
        let around: usize = f.around.iter().map(Vec::len).sum();
        let mut out = Vec::with_capacity(around + f.text.len_hint() + f.html.len_hint() + 1024);
        out.extend_from_slice(f.from.as_bytes());
        out.extend_from_slice(
            header_line(header::To::from(Mailboxes::from(to.clone()))).as_bytes(),
        );
        out.extend_from_slice(f.subject.as_bytes());
        out.extend_from_slice(
            header_line(header::MessageId::from(message_id.to_string())).as_bytes(),
        );
        out.extend_from_slice(header_line(self.list_unsubscribe(unsubscribe_url)).as_bytes());
        out.extend_from_slice(f.post_and_version.as_bytes());
        out.extend_from_slice(header_line(header::Date::new(date)).as_bytes());
        out.extend_from_slice(&f.around[0]);
        if !f.text.encode(unsubscribe_url, &mut out) {
            return Ok(None);
        }
        out.extend_from_slice(&f.around[1]);
        if !f.html.encode(&escaped_url(unsubscribe_url)?, &mut out) {
            return Ok(None);
        }
        out.extend_from_slice(&f.around[2]);
        Ok(Some(out))
    }
}

/// The unsubscribe link as the HTML template writes it.
fn escaped_url(url: &str) -> askama::Result<String> {
    EscapedUrl { url }.render()
}

/// The multipart as lettre formats it, cut where the two bodies go.
fn around_bodies(boundary: &str, text: &SplicedBody, html: &SplicedBody) -> [Vec<u8>; 3] {
    let marks = [crate::keys::random_token(), crate::keys::random_token()];
    let part = |mark: &str, body: &SplicedBody| {
        Body::dangerous_pre_encoded(mark.as_bytes().to_vec(), body.encoding())
    };
    let formatted = MultiPart::alternative()
        .boundary(boundary)
        .singlepart(SinglePart::plain(part(&marks[0], text)))
        .singlepart(SinglePart::html(part(&marks[1], html)))
        .formatted();
    let formatted = String::from_utf8_lossy(&formatted);
    let (before, rest) = formatted.split_once(marks[0].as_str()).unwrap_or_default();
    let (between, after) = rest.split_once(marks[1].as_str()).unwrap_or_default();
    [before, between, after].map(|piece| piece.as_bytes().to_vec())
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
    Prepared::new(settings, digest, unsubscribe_url)?.message(
        to,
        unsubscribe_url,
        message_id,
        subject,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::digest::status::DigestStatus;

    fn digest(html: &str, text: &str) -> DigestRow {
        DigestRow {
            id: 1,
            episode_number: 434,
            subject: "My Show #434: Most of OpenAI\u{2019}s tech stack runs on Python".into(),
            html: html.into(),
            text: text.into(),
            status: DigestStatus::Sending,
            created_at: crate::clock::now(),
            started_at: None,
            sent_at: None,
        }
    }

    fn settings(sender: &str) -> Settings {
        Settings {
            title: "My Show".into(),
            base_url: "https://show.example.com".into(),
            language: "en".into(),
            digest_sender: sender.into(),
            ..Settings::default()
        }
    }

    /// The bytes lettre writes for the recipient, dated `date`.
    fn lettre_bytes(
        prepared: &Prepared,
        to: &Mailbox,
        url: &str,
        id: &str,
        date: SystemTime,
    ) -> Vec<u8> {
        let mut message = prepared
            .message(to.clone(), url, id, &prepared.subject)
            .unwrap();
        message.headers_mut().set(header::Date::new(date));
        message.formatted()
    }

    #[test]
    fn each_recipients_mail_is_what_lettre_writes_for_them() {
        let long_line = format!("<p>{}</p>", "Caf\u{e9} \u{2014} notes ".repeat(12));
        let cases = [
            (digest(&long_line, "Short text.\n"), settings("")),
            (
                digest(
                    "<p>short</p>",
                    &format!("{}\n\u{2014} end\n", "word ".repeat(30)),
                ),
                settings("Hosts <hosts@show.example.com>"),
            ),
        ];
        let recipients = [
            ("ada@example.com", None, 7),
            ("ada@example.com", None, 1_234_567_890_123_i64),
            (
                "zoe.the.friend.with.a.rather.long.address.for.folding@example.com",
                Some("Zo\u{eb} Fr\u{ed}end, of the Show"),
                42,
            ),
        ];
        let date = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_764_000_000);
        for (row, settings) in &cases {
            let typical = format!(
                "{}/friends-of-the-show/unsubscribe/10000.{}",
                settings.base_url,
                "s".repeat(43)
            );
            let prepared = Prepared::new(settings, row, &typical).unwrap();
            for (address, name, id) in recipients {
                let to = Mailbox::new(name.map(str::to_string), address.parse().unwrap());
                let url = format!(
                    "{}/friends-of-the-show/unsubscribe/{id}.{}",
                    settings.base_url,
                    "s".repeat(43)
                );
                let message_id = format!("<{id}.token@show.example.com>");
                let mail = prepared
                    .outgoing(to.clone(), &url, &message_id, date)
                    .unwrap();
                let spliced = prepared.spliced(&to, &url, &message_id, date).unwrap();
                assert!(
                    spliced.is_some(),
                    "the fast path is taken for {address} {id}"
                );
                assert_eq!(
                    String::from_utf8_lossy(&mail.bytes),
                    String::from_utf8_lossy(&lettre_bytes(&prepared, &to, &url, &message_id, date)),
                );
                assert_eq!(mail.envelope.to(), std::slice::from_ref(&to.email));
                assert_eq!(mail.message_id, message_id);
            }
        }
    }
}
