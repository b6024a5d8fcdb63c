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

#[cfg(test)]
mod tests {
    use super::*;

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
