//! Where a project works: the 32 London boroughs and the City of London.

use serde::{Deserialize, Serialize};

/// Defines the borough enum with its stored names and its names for people, from one list.
macro_rules! boroughs {
    ($($variant:ident => $stored:literal, $label:literal;)*) => {
        /// A London borough, or the City of London.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum Borough {
            $(#[serde(rename = $stored)] $variant,)*
        }

        impl Borough {
            /// All 33, in alphabetical order, for a select list.
            pub const ALL: [Borough; 33] = [$(Borough::$variant,)*];

            /// The name as stored and sent on the wire.
            pub const fn as_str(self) -> &'static str {
                match self { $(Borough::$variant => $stored,)* }
            }

            /// The name for people.
            pub const fn label(self) -> &'static str {
                match self { $(Borough::$variant => $label,)* }
            }
        }
    };
}

boroughs! {
    BarkingAndDagenham => "barking_and_dagenham", "Barking and Dagenham";
    Barnet => "barnet", "Barnet";
    Bexley => "bexley", "Bexley";
    Brent => "brent", "Brent";
    Bromley => "bromley", "Bromley";
    Camden => "camden", "Camden";
    CityOfLondon => "city_of_london", "City of London";
    Croydon => "croydon", "Croydon";
    Ealing => "ealing", "Ealing";
    Enfield => "enfield", "Enfield";
    Greenwich => "greenwich", "Greenwich";
    Hackney => "hackney", "Hackney";
    HammersmithAndFulham => "hammersmith_and_fulham", "Hammersmith and Fulham";
    Haringey => "haringey", "Haringey";
    Harrow => "harrow", "Harrow";
    Havering => "havering", "Havering";
    Hillingdon => "hillingdon", "Hillingdon";
    Hounslow => "hounslow", "Hounslow";
    Islington => "islington", "Islington";
    KensingtonAndChelsea => "kensington_and_chelsea", "Kensington and Chelsea";
    KingstonUponThames => "kingston_upon_thames", "Kingston upon Thames";
    Lambeth => "lambeth", "Lambeth";
    Lewisham => "lewisham", "Lewisham";
    Merton => "merton", "Merton";
    Newham => "newham", "Newham";
    Redbridge => "redbridge", "Redbridge";
    RichmondUponThames => "richmond_upon_thames", "Richmond upon Thames";
    Southwark => "southwark", "Southwark";
    Sutton => "sutton", "Sutton";
    TowerHamlets => "tower_hamlets", "Tower Hamlets";
    WalthamForest => "waltham_forest", "Waltham Forest";
    Wandsworth => "wandsworth", "Wandsworth";
    Westminster => "westminster", "Westminster";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn there_are_33_in_alphabetical_order_with_unique_names() {
        let labels: Vec<_> = Borough::ALL.iter().map(|b| b.label()).collect();
        let mut sorted = labels.clone();
        sorted.sort();
        assert_eq!(labels, sorted);
        sorted.dedup();
        assert_eq!(sorted.len(), 33);
    }

    #[test]
    fn stored_names_round_trip() {
        for borough in Borough::ALL {
            let json = serde_json::to_string(&borough).expect("serialises");
            assert_eq!(json, format!("\"{}\"", borough.as_str()));
            assert_eq!(serde_json::from_str::<Borough>(&json).expect("parses"), borough);
        }
        assert!(serde_json::from_str::<Borough>("\"manchester\"").is_err());
    }
}
