//! WebVTT and SRT: reading a transcript file into cues, and writing cues back out. Pure code,
//! no database. Errors name the line, so a host can fix the file in any editor.
//!
//! The crates that read these formats either stop at the first problem without a line number
//! or drop voice tags, and each format is a handful of rules; a small parser keeps the messages
//! ours ("line 14: expected a time range like …").

use std::fmt;

/// One timed line of what was said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cue {
    /// Milliseconds from the start of the audio.
    pub start_ms: i64,
    pub end_ms: i64,
    /// Who speaks (a WebVTT voice tag `<v Name>`), or empty.
    pub speaker: String,
    /// Plain text, markup removed; a multi-line cue keeps its line breaks.
    pub text: String,
}

/// The two transcript formats a host can attach.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Vtt,
    Srt,
}

impl Format {
    /// The format a file's name says, or failing that, its first line (`WEBVTT`).
    pub fn of(file_name: &str, text: &str) -> Option<Self> {
        let lower = file_name.to_ascii_lowercase();
        if lower.ends_with(".vtt") {
            return Some(Self::Vtt);
        }
        if lower.ends_with(".srt") {
            return Some(Self::Srt);
        }
        let first = text.trim_start_matches('\u{feff}').lines().next()?;
        if is_vtt_signature(first) {
            return Some(Self::Vtt);
        }
        let second = text.lines().find(|line| line.contains("-->"));
        second.and_then(|line| line.contains(',').then_some(Self::Srt))
    }

    /// `vtt` or `srt`, as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Vtt => "vtt",
            Self::Srt => "srt",
        }
    }

    /// The stored spelling back.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "vtt" => Some(Self::Vtt),
            "srt" => Some(Self::Srt),
            _ => None,
        }
    }

    /// "WebVTT" or "SRT", for messages.
    pub fn label(self) -> &'static str {
        match self {
            Self::Vtt => "WebVTT",
            Self::Srt => "SRT",
        }
    }

    /// The time range a message shows as an example.
    fn example_range(self) -> &'static str {
        match self {
            Self::Vtt => "00:01:02.000 --> 00:01:05.000",
            Self::Srt => "00:01:02,000 --> 00:01:05,000",
        }
    }
}

/// What is wrong with a transcript file, and on which line (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub line: usize,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for ParseError {}

fn error(line: usize, message: impl Into<String>) -> ParseError {
    ParseError {
        line,
        message: message.into(),
    }
}

/// Reads `bytes` as UTF-8 text (a BOM is dropped), or says on which line it stops being text.
pub fn decode(bytes: &[u8]) -> Result<&str, ParseError> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let line = 1 + bytes[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        error(
            line,
            "this is not UTF-8 text; save the file as UTF-8 and attach it again",
        )
    })
}

/// The cues of `text` in `format`: at least one, each ending no earlier than it starts.
pub fn parse(format: Format, text: &str) -> Result<Vec<Cue>, ParseError> {
    let lines = Lines::of(text);
    let cues = match format {
        Format::Vtt => parse_vtt(&lines)?,
        Format::Srt => parse_srt(&lines)?,
    };
    if cues.is_empty() {
        return Err(error(
            lines.count().max(1),
            format!(
                "no cues found: a {} transcript needs at least one time range like {} followed by what was said",
                format.label(),
                format.example_range()
            ),
        ));
    }
    Ok(cues)
}

/// The file's lines with their 1-based numbers, line endings (`\r\n`, `\r`, `\n`) and a BOM gone.
struct Lines<'a>(Vec<&'a str>);

impl<'a> Lines<'a> {
    fn of(text: &'a str) -> Self {
        let text = text.trim_start_matches('\u{feff}');
        let mut lines = Vec::new();
        for line in text.split('\n') {
            // A lone `\r` ends a line too (old Mac files).
            let line = line.strip_suffix('\r').unwrap_or(line);
            lines.extend(line.split('\r'));
        }
        Self(lines)
    }

    fn count(&self) -> usize {
        self.0.len()
    }

    /// Blocks of consecutive non-blank lines, each with the number of its first line.
    fn blocks(&self) -> Vec<(usize, &[&'a str])> {
        let mut blocks = Vec::new();
        let mut start = None;
        for (i, line) in self.0.iter().enumerate() {
            match (line.trim().is_empty(), start) {
                (true, Some(s)) => {
                    blocks.push((s + 1, &self.0[s..i]));
                    start = None;
                }
                (false, None) => start = Some(i),
                _ => {}
            }
        }
        if let Some(s) = start {
            blocks.push((s + 1, &self.0[s..]));
        }
        blocks
    }
}

fn is_vtt_signature(line: &str) -> bool {
    let line = line.trim_start_matches('\u{feff}');
    line == "WEBVTT" || line.starts_with("WEBVTT ") || line.starts_with("WEBVTT\t")
}

fn parse_vtt(lines: &Lines) -> Result<Vec<Cue>, ParseError> {
    let blocks = lines.blocks();
    let Some(((1, header), rest)) = blocks.split_first().map(|(h, r)| (*h, r)) else {
        return Err(error(1, "a WebVTT file starts with the line WEBVTT"));
    };
    if !is_vtt_signature(header[0]) {
        return Err(error(1, "a WebVTT file starts with the line WEBVTT"));
    }
    let mut cues = Vec::new();
    for (first_line, block) in rest {
        let keyword = block[0].split([' ', '\t']).next().unwrap_or_default();
        if matches!(keyword, "NOTE" | "STYLE" | "REGION") && !block[0].contains("-->") {
            continue;
        }
        vtt_block(*first_line, block, &mut cues)?;
    }
    Ok(cues)
}

/// One block of cue lines: an optional identifier, a time range, the text. A line with `-->`
/// inside the text starts the next cue, as the WebVTT parsing rules say.
fn vtt_block(first_line: usize, block: &[&str], cues: &mut Vec<Cue>) -> Result<(), ParseError> {
    let timing_at = usize::from(!block[0].contains("-->"));
    let Some(timing) = block.get(timing_at) else {
        return Err(error(
            first_line + 1,
            format!(
                "expected a time range like {} after the cue name {:?}",
                Format::Vtt.example_range(),
                block[0].trim()
            ),
        ));
    };
    let line_no = first_line + timing_at;
    let (start_ms, end_ms) = time_range(Format::Vtt, timing, line_no)?;
    let text_lines = &block[timing_at + 1..];
    let next_cue = text_lines.iter().position(|l| l.contains("-->"));
    let (own, following) = text_lines.split_at(next_cue.unwrap_or(text_lines.len()));
    cues.extend(voiced_cues(start_ms, end_ms, own));
    if !following.is_empty() {
        let next_first_line = line_no + 1 + own.len();
        vtt_block(next_first_line, following, cues)?;
    }
    Ok(())
}

/// The cues a WebVTT cue's text makes: one per voice (`<v Name>` starting a line), so a cue
/// where two people speak keeps both names.
fn voiced_cues(start_ms: i64, end_ms: i64, lines: &[&str]) -> Vec<Cue> {
    let mut cues: Vec<Cue> = Vec::new();
    for line in lines {
        let voice = voice_of(line);
        let text = plain_text(line);
        match cues.last_mut() {
            Some(cue) if voice.is_none() || voice.as_deref() == Some(cue.speaker.as_str()) => {
                if !text.is_empty() {
                    if !cue.text.is_empty() {
                        cue.text.push('\n');
                    }
                    cue.text.push_str(&text);
                }
            }
            _ => cues.push(Cue {
                start_ms,
                end_ms,
                speaker: voice.unwrap_or_default(),
                text,
            }),
        }
    }
    cues.retain(|cue| !cue.text.is_empty());
    cues
}

/// The name in a `<v Name>` or `<v.class Name>` tag at the start of `line`.
fn voice_of(line: &str) -> Option<String> {
    let rest = line.trim_start().strip_prefix("<v")?;
    if !rest.starts_with([' ', '\t', '.']) {
        return None;
    }
    let tag = &rest[..rest.find('>').unwrap_or(rest.len())];
    // Classes (`.loud`) come before the whitespace that starts the name.
    let name = tag.split_once([' ', '\t']).map_or("", |(_, name)| name);
    let name = decode_entities(name.trim());
    (!name.is_empty()).then_some(name)
}

/// A cue line without its tags (`<i>`, `<v …>`, `<00:01.000>`), entities decoded, spaces trimmed.
fn plain_text(line: &str) -> String {
    let mut text = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        rest = match rest[open..].find('>') {
            Some(close) => &rest[open + close + 1..],
            // An unclosed `<` is text, as a cue may say "a < b".
            None => {
                text.push_str(&rest[open..]);
                ""
            }
        };
    }
    text.push_str(rest);
    decode_entities(text.trim())
}

fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", "\u{a0}")
        .replace("&lrm;", "\u{200e}")
        .replace("&rlm;", "\u{200f}")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

fn parse_srt(lines: &Lines) -> Result<Vec<Cue>, ParseError> {
    let mut cues = Vec::new();
    for (first_line, block) in lines.blocks() {
        // The counter line is there in well-formed files; some tools leave it out.
        let timing_at = usize::from(!block[0].contains("-->"));
        if timing_at == 1 && block[0].trim().parse::<u64>().is_err() {
            return Err(error(
                first_line,
                format!(
                    "expected a cue number like 14 or a time range like {}",
                    Format::Srt.example_range()
                ),
            ));
        }
        let Some(timing) = block.get(timing_at) else {
            return Err(error(
                first_line + 1,
                format!("expected a time range like {}", Format::Srt.example_range()),
            ));
        };
        let (start_ms, end_ms) = time_range(Format::Srt, timing, first_line + timing_at)?;
        let text: Vec<String> = block[timing_at + 1..]
            .iter()
            .map(|line| plain_text(line))
            .filter(|line| !line.is_empty())
            .collect();
        if !text.is_empty() {
            cues.push(Cue {
                start_ms,
                end_ms,
                speaker: String::new(),
                text: text.join("\n"),
            });
        }
    }
    Ok(cues)
}

/// `00:01:02.000 --> 00:01:05.000` (WebVTT settings may follow the end), as milliseconds.
fn time_range(format: Format, line: &str, line_no: usize) -> Result<(i64, i64), ParseError> {
    let expected = || {
        error(
            line_no,
            format!("expected a time range like {}", format.example_range()),
        )
    };
    let (start, rest) = line.split_once("-->").ok_or_else(expected)?;
    let end = rest.split_whitespace().next().ok_or_else(expected)?;
    let start_ms = timestamp(format, start.trim()).ok_or_else(expected)?;
    let end_ms = timestamp(format, end).ok_or_else(expected)?;
    if end_ms < start_ms {
        return Err(error(
            line_no,
            format!(
                "the cue ends ({}) before it starts ({})",
                end.trim(),
                start.trim()
            ),
        ));
    }
    Ok((start_ms, end_ms))
}

/// `hh:mm:ss.ttt` or `mm:ss.ttt` (WebVTT), `hh:mm:ss,ttt` (SRT; a `.` is read too, as many
/// tools write one), in milliseconds.
fn timestamp(format: Format, text: &str) -> Option<i64> {
    let (clock, millis) = text.split_once([',', '.'])?;
    if format == Format::Vtt && text.contains(',') {
        return None;
    }
    let millis = digits(millis, 3..=3)?;
    let parts: Vec<&str> = clock.split(':').collect();
    let (hours, minutes, seconds) = match (format, parts.as_slice()) {
        (Format::Vtt, [m, s]) => (0, *m, *s),
        (_, [h, m, s]) => (digits(h, 1..=4)?, *m, *s),
        _ => return None,
    };
    let (minutes, seconds) = (digits(minutes, 2..=2)?, digits(seconds, 2..=2)?);
    if minutes > 59 || seconds > 59 {
        return None;
    }
    Some(((hours * 60 + minutes) * 60 + seconds) * 1000 + millis)
}

fn digits(text: &str, len: std::ops::RangeInclusive<usize>) -> Option<i64> {
    let all_digits = text.bytes().all(|b| b.is_ascii_digit());
    (all_digits && len.contains(&text.len()))
        .then(|| text.parse().ok())
        .flatten()
}

/// The cues as a WebVTT file: speakers as voice tags, text escaped so no line reads as markup
/// or as a time range.
pub fn write_vtt(cues: &[Cue]) -> String {
    let mut out = String::from("WEBVTT\n");
    for cue in cues {
        out.push('\n');
        out.push_str(&clock(cue.start_ms, '.'));
        out.push_str(" --> ");
        out.push_str(&clock(cue.end_ms, '.'));
        out.push('\n');
        if !cue.speaker.is_empty() {
            out.push_str("<v ");
            out.push_str(&escape_vtt(&cue.speaker));
            out.push('>');
        }
        out.push_str(&escape_vtt(&cue.text));
        out.push('\n');
    }
    out
}

fn escape_vtt(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The cues as an SRT file: numbered from 1, a speaker's name before their words.
pub fn write_srt(cues: &[Cue]) -> String {
    let mut out = String::new();
    for (i, cue) in cues.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&format!(
            "{}\n{} --> {}\n",
            i + 1,
            clock(cue.start_ms, ','),
            clock(cue.end_ms, ',')
        ));
        if !cue.speaker.is_empty() {
            out.push_str(&cue.speaker);
            out.push_str(": ");
        }
        out.push_str(&cue.text);
        out.push('\n');
    }
    out
}

/// `62000` → `00:01:02.000` (with `separator` before the milliseconds).
fn clock(ms: i64, separator: char) -> String {
    let (h, m, s, t) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    format!("{h:02}:{m:02}:{s:02}{separator}{t:03}")
}

#[cfg(test)]
mod tests;
