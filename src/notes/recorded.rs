//! "recorded on **January 30th, 2017**": the date an intro says its episode was recorded.

use time::{Date, Month};

/// The date after the first "recorded on" of `intro`, written `January 30th, 2017`,
/// `Feb 13, 2017` or `6 March 2017`, with or without emphasis; `None` when there is none.
pub fn recorded_on(intro: &str) -> Option<Date> {
    let lower = intro.to_ascii_lowercase();
    let start = lower.find("recorded on")? + "recorded on".len();
    let after: String = intro[start..]
        .chars()
        .take(40)
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let words: Vec<&str> = after.split_whitespace().take(3).collect();
    let [first, second, year] = words.as_slice() else {
        return None;
    };
    let (month, day) = match month(first) {
        Some(month) => (month, *second),
        None => (month(second)?, *first),
    };
    let day = day
        .trim_end_matches(|c: char| c.is_ascii_alphabetic())
        .parse()
        .ok()?;
    Date::from_calendar_date(year.parse().ok()?, month, day).ok()
}

/// A month by its English name or its first three letters.
fn month(word: &str) -> Option<Month> {
    const MONTHS: [Month; 12] = [
        Month::January,
        Month::February,
        Month::March,
        Month::April,
        Month::May,
        Month::June,
        Month::July,
        Month::August,
        Month::September,
        Month::October,
        Month::November,
        Month::December,
    ];
    let word = word.to_ascii_lowercase();
    if word.len() < 3 {
        return None;
    }
    MONTHS.into_iter().find(|month| {
        let name = month.to_string().to_ascii_lowercase();
        name == word || (word.len() == 3 && name.starts_with(&word))
    })
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::recorded_on;

    #[test]
    fn the_recording_date_reads_however_the_intro_writes_it() {
        let bold = "This is Python Bytes: episode 11, recorded on **January 30th, 2017**. In this…";
        assert_eq!(recorded_on(bold), Some(date!(2017 - 01 - 30)));
        assert_eq!(
            recorded_on("episode 13, recorded on February 13, 2017. In"),
            Some(date!(2017 - 02 - 13))
        );
        assert_eq!(
            recorded_on("Recorded on 6 Mar 2017"),
            Some(date!(2017 - 03 - 06))
        );
        assert_eq!(
            recorded_on("recorded on March 6th, 2017."),
            Some(date!(2017 - 03 - 06))
        );
    }

    #[test]
    fn no_date_or_an_impossible_one_is_none() {
        assert_eq!(recorded_on("Sponsored by Sentry"), None);
        assert_eq!(recorded_on("recorded on a Tuesday, as usual"), None);
        assert_eq!(recorded_on("recorded on February 30th, 2017"), None);
    }
}
