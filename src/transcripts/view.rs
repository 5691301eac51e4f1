//! A transcript as the episode page shows it: each cue's time (a link that plays the audio
//! from there) and what was said, with the speaker's name where the voice changes.

use super::format::Cue;
use crate::clock::clock_time;

/// The transcript section of an episode page.
#[derive(Debug, Clone)]
pub struct TranscriptView {
    pub lines: Vec<CueLine>,
    /// How many distinct speakers are named (none: the names column is left out).
    pub speakers: usize,
}

/// One cue on the page.
#[derive(Debug, Clone)]
pub struct CueLine {
    /// Whole seconds from the start, where the player seeks to.
    pub secs: i64,
    /// `7:05` or `1:02:03`.
    pub at: String,
    /// The speaker, when it differs from the cue before.
    pub speaker: Option<String>,
    /// What was said, a line at a time.
    pub text: Vec<String>,
}

impl TranscriptView {
    /// The view of `cues`, or none when there are none.
    pub fn of(cues: Vec<Cue>) -> Option<Self> {
        if cues.is_empty() {
            return None;
        }
        let mut names: Vec<&str> = cues.iter().map(|c| c.speaker.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        names.retain(|name| !name.is_empty());
        let speakers = names.len();
        let mut previous = String::new();
        let lines = cues
            .into_iter()
            .map(|cue| {
                let changed = !cue.speaker.is_empty() && cue.speaker != previous;
                previous.clone_from(&cue.speaker);
                CueLine {
                    secs: cue.start_ms / 1000,
                    at: clock_time(cue.start_ms / 1000),
                    speaker: changed.then_some(cue.speaker),
                    text: cue.text.lines().map(str::to_string).collect(),
                }
            })
            .collect();
        Some(Self { lines, speakers })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cue(start_ms: i64, speaker: &str, text: &str) -> Cue {
        Cue {
            start_ms,
            end_ms: start_ms + 1000,
            speaker: speaker.into(),
            text: text.into(),
        }
    }

    #[test]
    fn a_speaker_is_named_where_the_voice_changes() {
        let view = TranscriptView::of(vec![
            cue(0, "Michael", "Hello"),
            cue(1500, "Michael", "and welcome"),
            cue(3_725_000, "Brian", "Hi\nthere"),
        ])
        .expect("view");
        let speakers: Vec<Option<&str>> = view.lines.iter().map(|l| l.speaker.as_deref()).collect();
        assert_eq!(speakers, [Some("Michael"), None, Some("Brian")]);
        assert_eq!(view.lines[1].at, "0:01");
        assert_eq!(view.lines[2].at, "1:02:05");
        assert_eq!(view.lines[2].text, ["Hi", "there"]);
        assert_eq!(view.speakers, 2);
    }
}
