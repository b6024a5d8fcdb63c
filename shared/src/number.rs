//! Numbers as people type them in the UK: `1200`, `1,200`, `3.5` or `-2`. A comma only ever
//! separates thousands, so `1,5` is refused rather than read as 15 or 1.5.

/// What to type, for messages.
pub const HOW_TO_TYPE: &str = "Enter the value as a number, like 12 or 3.5.";

/// `text` without its thousands separators, when every comma separates a group of three digits
/// in the whole part; `None` when a comma is anywhere else.
pub fn without_thousands(text: &str) -> Option<String> {
    let text = text.trim();
    let (whole, fraction) = match text.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (text, None),
    };
    if fraction.is_some_and(|f| f.contains(',')) {
        return None;
    }
    let digits = whole.trim_start_matches('-');
    let groups: Vec<&str> = digits.split(',').collect();
    let grouped_well = groups.len() == 1
        || (!groups[0].is_empty()
            && groups[0].len() <= 3
            && groups[1..].iter().all(|g| g.len() == 3));
    if !grouped_well {
        return None;
    }
    let mut plain = whole.replace(',', "");
    if let Some(fraction) = fraction {
        plain.push('.');
        plain.push_str(fraction);
    }
    Some(plain)
}

/// A finite number as typed, or the message saying how to type it.
pub fn parse_number(text: &str) -> Result<f64, String> {
    without_thousands(text)
        .and_then(|plain| plain.parse::<f64>().ok())
        .filter(|value| value.is_finite())
        .ok_or_else(|| HOW_TO_TYPE.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_as_typed_and_a_stray_comma_is_refused() {
        assert_eq!(parse_number("1,200"), Ok(1200.0));
        assert_eq!(parse_number(" 3.5 "), Ok(3.5));
        assert_eq!(parse_number("-2"), Ok(-2.0));
        assert_eq!(parse_number("12,345,678.25"), Ok(12_345_678.25));
        for bad in ["1,5", "1,20", ",100", "1.2,5", "", "twelve", "inf", "NaN"] {
            assert_eq!(parse_number(bad), Err(HOW_TO_TYPE.to_string()), "{bad:?}");
        }
    }
}
