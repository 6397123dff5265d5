//! A school's costing as it keeps it (R15–R17): the [`CostingSettings`] (staff roles,
//! other costs, calendar, dated Element 2 thresholds, notional SEN budgets) and the
//! school's own provision types beside the ten seeds. Validated as one, naming
//! fields in full (`settings.staff_roles[1].hourly_cost`, `provision_types[0].key`).

use serde::{Deserialize, Serialize};

use super::calendar::SchoolCalendar;
use super::library::{ProvisionType, seed_provision_types};
use super::settings::{CostingSettings, default_element2_thresholds};
use crate::error::Invalid;

/// Everything a school sets up for costing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SchoolCosting {
    pub settings: CostingSettings,
    /// The school's own provision types (the ten seeds are always there too).
    #[serde(default)]
    pub provision_types: Vec<ProvisionType>,
}

impl SchoolCosting {
    /// What a school has before it sets anything up: no roles, no terms, the £6,000
    /// threshold, no budget. Not valid to save (a calendar needs a term).
    pub fn empty() -> SchoolCosting {
        SchoolCosting {
            settings: CostingSettings {
                staff_roles: Vec::new(),
                other_costs: Vec::new(),
                calendar: SchoolCalendar { terms: Vec::new(), weeks_per_year: SchoolCalendar::DEFAULT_WEEKS_PER_YEAR },
                element2_thresholds: default_element2_thresholds(),
                sen_budgets: Vec::new(),
                delivery_alert: Default::default(),
            },
            provision_types: Vec::new(),
        }
    }

    /// Checks the settings and each own provision type (a new key and label, not a
    /// seed's, not an earlier type's).
    pub fn validate(self) -> Result<SchoolCosting, Invalid> {
        let mut e = Invalid::default();
        let settings = self.settings.validate().map_err(|inner| e.nest("settings", inner)).ok();
        let mut library = seed_provision_types();
        let mut own = Vec::new();
        for (i, t) in self.provision_types.into_iter().enumerate() {
            match ProvisionType::custom(&t.key, &t.label, &t.description, t.default_area, t.default_basis, &library) {
                Ok(t) => {
                    library.push(t.clone());
                    own.push(t);
                }
                Err(inner) => e.nest(&format!("provision_types[{i}]"), inner),
            }
        }
        e.into_result()?;
        let Some(settings) = settings else { return Err(Invalid::one("settings", "invalid", "Check the costing settings")) };
        Ok(SchoolCosting { settings, provision_types: own })
    }

    /// The provision library: the ten seeds, then the school's own types.
    pub fn library(&self) -> Vec<ProvisionType> {
        let mut all = seed_provision_types();
        all.extend(self.provision_types.iter().cloned());
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::costing::library::CostBasis;
    use crate::costing::test_support::{calendar, roles};

    fn costing() -> SchoolCosting {
        let mut c = SchoolCosting::empty();
        c.settings.staff_roles = roles();
        c.settings.calendar = calendar();
        c
    }

    fn own(key: &str, label: &str) -> ProvisionType {
        ProvisionType {
            key: key.into(),
            label: label.into(),
            description: "A calm room".into(),
            default_area: None,
            default_basis: CostBasis::StaffTime,
            seeded: true,
        }
    }

    #[test]
    fn r15_school_costing_names_nested_fields() {
        let mut c = costing();
        c.settings.staff_roles[1].hourly_cost = super::super::Pence(-100);
        c.provision_types = vec![own("nurture", "Nurture group"), own("peer_support", "Peers"), own("nurture2", "nurture group")];
        let err = c.validate().unwrap_err();
        let got: Vec<_> = err.errors.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
        assert_eq!(
            got,
            vec![
                ("settings.staff_roles[1].hourly_cost", "out_of_range"),
                ("provision_types[1].key", "duplicate_key"),
                ("provision_types[2].label", "duplicate_label"),
            ]
        );
    }

    #[test]
    fn r15_own_types_join_the_library_unseeded() {
        let mut c = costing();
        c.provision_types = vec![own("nurture", "Nurture group")];
        let c = c.validate().unwrap();
        assert!(!c.provision_types[0].seeded, "a school's own type is never a seed");
        let lib = c.library();
        assert_eq!(lib.len(), 11);
        assert_eq!(lib[10].label, "Nurture group");
        assert!(SchoolCosting::empty().validate().is_err(), "no terms: not valid to save");
    }
}
