//! Identifiers: one UUID v7 newtype per kind of record, so a project id can never be passed
//! where an application id is meant.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Defines an id newtype over a UUID v7 made by the device that creates the record.
macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// A new id, ordered by creation time (UUID v7).
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }

            /// The id with this exact UUID, for fixed demo data and tests.
            pub const fn from_uuid(uuid: Uuid) -> Self {
                Self(uuid)
            }

            /// The underlying UUID.
            pub const fn uuid(&self) -> Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(text).map(Self)
            }
        }
    };
}

id_type!(
    /// A person who can sign in.
    UserId
);
id_type!(
    /// A cohort of the programme, e.g. "2022/23 pilot".
    CohortId
);
id_type!(
    /// One application to a cohort.
    ApplicationId
);
id_type!(
    /// One operation in an outbox: its idempotency key.
    OpId
);
id_type!(
    /// One browser profile that syncs (kept in its storage).
    ClientId
);
id_type!(
    /// A stored conflict between two values of one field.
    ConflictId
);
id_type!(
    /// Any synced record; every record kind's id is also a `RecordId` on the wire.
    RecordId
);

impl RecordId {
    /// The id of the one record that `parent` has under `name` (a project's learning report, a
    /// month's update, a participant's mark for a session, a planned session of a cohort). Every
    /// device makes the same id, so two devices creating it offline write to one record, whose
    /// fields then merge (or differ, shown to the person), instead of making two.
    pub fn derived(parent: RecordId, name: &str) -> RecordId {
        // FNV-1a over the parent's bytes and the name, 128 bits, marked as a custom (version 8)
        // UUID so it is never mistaken for a time-ordered one.
        const OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
        const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;
        let mut hash = OFFSET;
        for byte in parent.0.as_bytes().iter().chain([0u8].iter()).chain(name.as_bytes()) {
            hash ^= u128::from(*byte);
            hash = hash.wrapping_mul(PRIME);
        }
        let versioned = (hash & !(0xF << 76)) | (0x8 << 76);
        RecordId(Uuid::from_u128((versioned & !(0x3 << 62)) | (0x2 << 62)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_derived_id_is_the_same_everywhere_and_differs_by_parent_and_name() {
        let (project, other) = (RecordId::new(), RecordId::new());
        let report = RecordId::derived(project, "learning_report");
        assert_eq!(report, RecordId::derived(project, "learning_report"));
        assert_ne!(report, RecordId::derived(other, "learning_report"));
        assert_ne!(report, RecordId::derived(project, "monthly_update:2026-11-01"));
        assert_eq!(report.uuid().get_version_num(), 8);
        assert_eq!(report.to_string().parse::<RecordId>().expect("a valid id"), report);
    }

    #[test]
    fn new_ids_are_version_7_and_increase() {
        let first = CohortId::new();
        let second = CohortId::new();
        assert_eq!(first.uuid().get_version_num(), 7);
        assert!(first < second, "{first} then {second}");
    }

    #[test]
    fn ids_round_trip_as_plain_strings() {
        let id = UserId::new();
        let json = serde_json::to_string(&id).expect("serialises");
        assert_eq!(json, format!("\"{id}\""));
        assert_eq!(serde_json::from_str::<UserId>(&json).expect("parses"), id);
        assert_eq!(id.to_string().parse::<UserId>().expect("parses"), id);
    }

    #[test]
    fn garbage_is_not_an_id() {
        assert!("not-an-id".parse::<ApplicationId>().is_err());
        assert!(serde_json::from_str::<ApplicationId>("\"12\"").is_err());
    }
}
