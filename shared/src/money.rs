//! Amounts of money, kept in whole pence so sums are exact.

use std::fmt;

use serde::{Deserialize, Serialize};

/// An amount in pence. Budgets and awards are never negative.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Pence(u64);

impl Pence {
    /// An amount of whole pounds.
    pub const fn pounds(pounds: u64) -> Self {
        Self(pounds * 100)
    }

    /// An amount of pence.
    pub const fn new(pence: u64) -> Self {
        Self(pence)
    }

    /// The amount in pence.
    pub const fn value(self) -> u64 {
        self.0
    }

    /// An amount as people type it: `1200`, `£1,200`, `1200.5` or `£1,200.50`.
    pub fn parse(text: &str) -> Result<Self, String> {
        const HOW: &str = "Enter an amount in pounds, like 1200 or 1200.50.";
        let cleaned = crate::number::without_thousands(text.trim().trim_start_matches('£'))
            .ok_or_else(|| HOW.to_string())?;
        let (pounds, pence) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
        let digits = |part: &str| !part.is_empty() && part.chars().all(|c| c.is_ascii_digit());
        if !digits(pounds) || !(pence.is_empty() || (digits(pence) && pence.len() <= 2)) {
            return Err(HOW.into());
        }
        let pounds: u64 = pounds.parse().map_err(|_| HOW.to_string())?;
        let pence: u64 =
            if pence.is_empty() { 0 } else { format!("{pence:0<2}").parse().unwrap_or(0) };
        pounds
            .checked_mul(100)
            .and_then(|p| p.checked_add(pence))
            .map(Pence)
            .ok_or_else(|| HOW.into())
    }
}

impl std::ops::Add for Pence {
    type Output = Pence;

    fn add(self, other: Pence) -> Pence {
        Pence(self.0.saturating_add(other.0))
    }
}

impl std::iter::Sum for Pence {
    fn sum<I: Iterator<Item = Pence>>(amounts: I) -> Pence {
        amounts.fold(Pence(0), |total, amount| total + amount)
    }
}

/// Shows the amount as people write it: `£10,000` or `£1,234.50`.
impl fmt::Display for Pence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pounds = self.0 / 100;
        let pence = self.0 % 100;
        let digits = pounds.to_string();
        let mut grouped = String::new();
        for (index, digit) in digits.chars().enumerate() {
            if index > 0 && (digits.len() - index).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(digit);
        }
        if pence == 0 { write!(f, "£{grouped}") } else { write!(f, "£{grouped}.{pence:02}") }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_read_as_people_type_them() {
        assert_eq!(Pence::parse("1200"), Ok(Pence::pounds(1_200)));
        assert_eq!(Pence::parse(" £1,200.5 "), Ok(Pence::new(120_050)));
        assert_eq!(Pence::parse("£0.07"), Ok(Pence::new(7)));
        for bad in ["", "£", "12.345", "-5", "twelve", "1.2.3", "1,50", "£1,2000"] {
            assert!(Pence::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn amounts_read_as_people_write_them() {
        for (amount, shown) in [
            (Pence::new(0), "£0"),
            (Pence::new(5), "£0.05"),
            (Pence::pounds(999), "£999"),
            (Pence::pounds(10_000), "£10,000"),
            (Pence::pounds(120_000), "£120,000"),
            (Pence::new(123_456_750), "£1,234,567.50"),
        ] {
            assert_eq!(amount.to_string(), shown);
        }
    }

    #[test]
    fn sums_are_exact() {
        let total: Pence = [Pence::new(1), Pence::pounds(2), Pence::new(99)].into_iter().sum();
        assert_eq!(total, Pence::new(300));
    }
}
