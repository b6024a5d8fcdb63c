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
