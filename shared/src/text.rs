//! Free text as people type and paste it: counting words, word limits that never cut, and the
//! guard that keeps NHS numbers (patient-identifiable data) out of the service.

use serde::{Deserialize, Serialize};

use crate::validation::FieldError;

/// Counts words as a person would: runs of letters or digits separated by any kind of space
/// (including the non-breaking and zero-width spaces that Word pastes), where a lone bullet,
/// dash or other symbol is not a word.
pub fn count_words(text: &str) -> usize {
    text.split(|c: char| c.is_whitespace() || matches!(c, '\u{200B}' | '\u{FEFF}' | '\u{2060}'))
        .filter(|token| token.chars().any(char::is_alphanumeric))
        .count()
}

/// How an answer stands against its word limit. Text over the limit is kept as typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WordCount {
    pub words: usize,
    pub limit: usize,
}

impl WordCount {
    /// Counts `text` against `limit`.
    pub fn of(text: &str, limit: usize) -> Self {
        Self { words: count_words(text), limit }
    }

    /// True when the answer has more words than allowed.
    pub fn is_over(self) -> bool {
        self.words > self.limit
    }

    /// What to show beside the answer, e.g. "You have 12 words remaining".
    pub fn message(self) -> String {
        let plural = |n: usize| if n == 1 { "word" } else { "words" };
        if self.is_over() {
            let over = self.words - self.limit;
            format!("You have {over} {} too many", plural(over))
        } else {
            let left = self.limit - self.words;
            format!("You have {left} {} remaining", plural(left))
        }
    }
}

/// True when the ten digits form a valid NHS number (Modulus 11 check digit).
fn is_nhs_number(digits: &[u8; 10]) -> bool {
    let sum: u32 = digits[..9].iter().zip((2..=10).rev()).map(|(d, w)| u32::from(*d) * w).sum();
    match 11 - sum % 11 {
        11 => digits[9] == 0,
        10 => false,
        check => u32::from(digits[9]) == check,
    }
}

/// Groups of digits separated by single spaces or dashes, as people write numbers.
fn digit_runs(text: &str) -> Vec<Vec<Vec<u8>>> {
    let mut runs: Vec<Vec<Vec<u8>>> = Vec::new();
    let mut run: Vec<Vec<u8>> = Vec::new();
    let mut group: Vec<u8> = Vec::new();
    let mut after_separator = false;
    for c in text.chars() {
        if let Some(digit) = c.to_digit(10) {
            group.push(digit as u8);
            after_separator = false;
        } else if matches!(c, ' ' | '-' | '\u{00A0}' | '\u{2010}' | '\u{2011}' | '\u{2013}')
            && !group.is_empty()
            && !after_separator
        {
            run.push(std::mem::take(&mut group));
            after_separator = true;
        } else {
            if !group.is_empty() {
                run.push(std::mem::take(&mut group));
            }
            if !run.is_empty() {
                runs.push(std::mem::take(&mut run));
            }
            after_separator = false;
        }
    }
    if !group.is_empty() {
        run.push(group);
    }
    if !run.is_empty() {
        runs.push(run);
    }
    runs
}

/// True when `text` holds a number that passes the NHS number check, written with or without
/// spaces or dashes. Groups of digits that together make exactly ten are checked, so a phone
/// number or a longer reference is not mistaken for one.
pub fn contains_nhs_number(text: &str) -> bool {
    digit_runs(text).iter().any(|groups| {
        (0..groups.len()).any(|start| {
            let mut digits = Vec::new();
            for group in &groups[start..] {
                digits.extend_from_slice(group);
                if digits.len() >= 10 {
                    break;
                }
            }
            <[u8; 10]>::try_from(digits.as_slice()).is_ok_and(|ten| is_nhs_number(&ten))
        })
    })
}

const NHS_NUMBER_MESSAGE: &str = "Remove the NHS number. This service must not hold information \
     that identifies patients or community members; describe people by their role or group instead.";

/// Refuses free text holding an NHS number, naming the field and saying why.
pub fn guard_nhs_number(field: &str, text: &str) -> Result<(), FieldError> {
    if contains_nhs_number(text) {
        return Err(FieldError::new(field, NHS_NUMBER_MESSAGE));
    }
    Ok(())
}

/// The most characters any one answer may hold: far above every word limit, so pasted text is
/// kept whole, but bounded so one field cannot fill the database.
pub const MAX_CHARS: usize = 20_000;

/// Free text typed by a person: kept exactly as typed (never trimmed or cut), at most
/// `MAX_CHARS` characters, and never holding an NHS number.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct FreeText(String);

impl FreeText {
    /// Checks `text`; the message says what to change.
    pub fn parse(text: impl Into<String>) -> Result<Self, String> {
        let text = text.into();
        if text.chars().count() > MAX_CHARS {
            return Err(format!("This answer is too long: keep it under {MAX_CHARS} characters."));
        }
        if contains_nhs_number(&text) {
            return Err(NHS_NUMBER_MESSAGE.to_string());
        }
        Ok(Self(text))
    }

    /// The text as typed.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True when there is nothing but spaces.
    pub fn is_blank(&self) -> bool {
        self.0.trim().is_empty()
    }

    /// The number of words, as `count_words` counts them.
    pub fn words(&self) -> usize {
        count_words(&self.0)
    }
}

impl TryFrom<String> for FreeText {
    type Error = String;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        FreeText::parse(text)
    }
}

impl From<FreeText> for String {
    fn from(text: FreeText) -> Self {
        text.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn words_are_counted_as_people_count_them() {
        for (text, words) in [
            ("", 0),
            ("   ", 0),
            ("one", 1),
            ("two words", 2),
            ("co-production counts once", 3),
            ("tabs\tand\nline\r\nbreaks", 4),
            ("non\u{00A0}breaking spaces", 3),
            ("zero\u{200B}width", 2),
            ("• bullet one\n• bullet two", 4),
            ("“Smart quotes” don’t split", 4),
            ("a – dash alone is not a word", 7),
            ("We saw 120 residents", 4),
        ] {
            assert_eq!(count_words(text), words, "{text:?}");
        }
    }

    #[test]
    fn over_the_limit_is_flagged_not_cut() {
        let count = WordCount::of("one two three", 2);
        assert!(count.is_over());
        assert_eq!(count.message(), "You have 1 word too many");
        assert_eq!(WordCount::of("one", 3).message(), "You have 2 words remaining");
    }

    #[test]
    fn nhs_numbers_are_caught_in_any_usual_format() {
        for text in [
            "9434765919",
            "NHS no 943 476 5919.",
            "943-476-5919",
            "ref:9434765919;",
            "two numbers 1234 and 943 476 5919",
        ] {
            assert!(contains_nhs_number(text), "{text:?}");
            assert_eq!(
                guard_nhs_number("what_was_heard", text).expect_err("refused").field,
                "what_was_heard"
            );
        }
    }

    #[test]
    fn other_numbers_pass() {
        for text in [
            "9434765918",    // wrong check digit
            "020 7946 0958", // a phone number: eleven digits
            "94347659190",   // eleven digits together
            "on 12 3 2023 we met 40 people",
            "1234567890", // check digit would be 10: never valid
        ] {
            assert!(!contains_nhs_number(text), "{text:?}");
        }
    }

    /// A valid NHS number from nine digits, if their check digit is not 10.
    fn with_check_digit(nine: [u8; 9]) -> Option<[u8; 10]> {
        let sum: u32 = nine.iter().enumerate().map(|(i, d)| u32::from(*d) * (10 - i as u32)).sum();
        let check = match 11 - sum % 11 {
            11 => 0,
            10 => return None,
            check => check as u8,
        };
        let mut ten = [0; 10];
        ten[..9].copy_from_slice(&nine);
        ten[9] = check;
        Some(ten)
    }

    #[test]
    fn free_text_is_kept_as_typed_and_refuses_nhs_numbers_when_parsed() {
        let pasted = "  • First point\u{00A0}here\n\n";
        assert_eq!(FreeText::parse(pasted).expect("kept").as_str(), pasted);
        let json = "\"Seen: 943 476 5919\"";
        let error = serde_json::from_str::<FreeText>(json).expect_err("refused");
        assert!(error.to_string().contains("Remove the NHS number"), "{error}");
        assert!(FreeText::parse("x".repeat(MAX_CHARS + 1)).is_err());
    }

    proptest! {
        #[test]
        fn valid_numbers_are_caught_however_they_are_written(
            nine in prop::array::uniform9(0u8..10),
            style in 0usize..4,
            before in "[a-z ]{0,12}",
            after in "[a-z .]{0,12}",
        ) {
            let Some(ten) = with_check_digit(nine) else { return Ok(()) };
            let d: String = ten.iter().map(|d| char::from(b'0' + d)).collect();
            let written = match style {
                0 => d.clone(),
                1 => format!("{} {} {}", &d[..3], &d[3..6], &d[6..]),
                2 => format!("{}-{}-{}", &d[..3], &d[3..6], &d[6..]),
                _ => format!("{}\u{00A0}{}\u{00A0}{}", &d[..3], &d[3..6], &d[6..]),
            };
            let text = format!("{before}x {written} {after}");
            prop_assert!(contains_nhs_number(&text), "{text:?}");
        }

        #[test]
        fn ten_digits_failing_the_check_pass(nine in prop::array::uniform9(0u8..10), wrong in 0u8..10) {
            let valid = with_check_digit(nine).map(|ten| ten[9]);
            prop_assume!(valid != Some(wrong));
            let d: String = nine.iter().chain([wrong].iter()).map(|d| char::from(b'0' + d)).collect();
            prop_assert!(!contains_nhs_number(&d), "{d}");
        }

        #[test]
        fn counting_never_depends_on_the_kind_of_space(words in prop::collection::vec("[a-zA-Z]{1,8}", 0..30), space in prop::sample::select(vec![" ", "\t", "\n", "\u{00A0}", "  "])) {
            prop_assert_eq!(count_words(&words.join(space)), words.len());
        }
    }
}
