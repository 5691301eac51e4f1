//! Parsed subscriber input: an address and a name, checked once at the edge.

use std::str::FromStr;

/// A valid, case-folded email address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscriberEmail(String);

impl SubscriberEmail {
    /// Parses what someone typed: trimmed, lowercased, RFC 5321 syntax, a dotted domain.
    pub fn parse(text: &str) -> Result<Self, String> {
        let folded = text.trim().to_lowercase();
        if folded.is_empty() {
            return Err("Please enter your email address.".to_string());
        }
        if folded.len() > 254 {
            return Err("That email address is too long.".to_string());
        }
        let address = lettre::Address::from_str(&folded)
            .map_err(|_| "That does not look like an email address.".to_string())?;
        let domain = address.domain();
        if !domain.contains('.') || domain.starts_with('.') || domain.ends_with('.') {
            return Err("That email address is missing its domain (like example.com).".to_string());
        }
        Ok(Self(folded))
    }
}

impl AsRef<str> for SubscriberEmail {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// A display name: trimmed, single-line, at most 100 characters; may be empty.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SubscriberName(String);

impl SubscriberName {
    /// Parses a name; `required` makes an empty one an error.
    pub fn parse(text: &str, required: bool) -> Result<Self, String> {
        let name = text.trim();
        if required && name.is_empty() {
            return Err("Please tell us your name.".to_string());
        }
        if name.chars().count() > 100 {
            return Err("Please keep your name under 100 characters.".to_string());
        }
        if name.chars().any(char::is_control) {
            return Err("Your name cannot contain line breaks or control characters.".to_string());
        }
        Ok(Self(name.to_string()))
    }
}

impl AsRef<str> for SubscriberName {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_trimmed_and_case_folded() {
        let email = SubscriberEmail::parse("  Ada@Example.COM ").unwrap();
        assert_eq!(email.as_ref(), "ada@example.com");
    }

    #[test]
    fn malformed_addresses_are_refused_with_a_reason() {
        for bad in [
            "",
            "ada",
            "ada@",
            "@example.com",
            "ada@localhost",
            "a b@example.com",
            "ada@example.com\r\nBcc: x@y.z",
            "<ada@example.com>",
        ] {
            assert!(SubscriberEmail::parse(bad).is_err(), "{bad:?} accepted");
        }
        assert!(SubscriberEmail::parse(&format!("{}@example.com", "a".repeat(250))).is_err());
    }

    #[test]
    fn names_are_single_line_and_short() {
        assert_eq!(
            SubscriberName::parse(" Ada ", true).unwrap().as_ref(),
            "Ada"
        );
        assert!(SubscriberName::parse("", true).is_err());
        assert!(SubscriberName::parse("", false).is_ok());
        assert!(SubscriberName::parse("Ada\nBcc: x", false).is_err());
        assert!(SubscriberName::parse(&"x".repeat(101), false).is_err());
    }
}
