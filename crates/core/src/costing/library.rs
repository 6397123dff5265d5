//! The provision library: kinds of SEN support, each with a plain-language
//! description, a default broad area of need and a default cost basis. Ten come from
//! the seeds' list of what SEN support can be; schools add their own.

use serde::{Deserialize, Serialize};

use super::settings::check_key;
use crate::error::{Invalid, clean_text};
use crate::need::BroadArea;
use BroadArea::*;
use CostBasis::*;

/// How a kind of provision usually costs money.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CostBasis {
    /// Staff time at a role's hourly cost, shared by the group size.
    StaffTime,
    /// An item or service bought for each pupil.
    PerPupil,
    /// An item or licence bought for a group and shared by its size.
    PerGroup,
    /// Part of good teaching in class; no additional cost to record.
    NoAdditionalCost,
}

impl CostBasis {
    pub fn label(self) -> &'static str {
        match self {
            Self::StaffTime => "Staff time",
            Self::PerPupil => "Cost per pupil",
            Self::PerGroup => "Cost per group",
            Self::NoAdditionalCost => "No additional cost",
        }
    }
}

/// A kind of provision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProvisionType {
    /// E.g. `small_group_work`.
    pub key: String,
    /// E.g. "Small-group work".
    pub label: String,
    /// What it means, in words a parent would use.
    pub description: String,
    /// The broad area it usually serves; `None` where it serves any.
    #[serde(default)]
    pub default_area: Option<BroadArea>,
    pub default_basis: CostBasis,
    /// Whether senplan ships it (seeds cannot be removed, only hidden).
    #[serde(default)]
    pub seeded: bool,
}

const SEEDS: [(&str, &str, &str, Option<BroadArea>, CostBasis); 10] = [
    (
        "special_learning_programme",
        "Special learning programme",
        "A structured programme for the pupil, such as a reading, spelling or maths catch-up scheme, taught in short, regular sessions.",
        Some(CognitionAndLearning),
        StaffTime,
    ),
    (
        "extra_adult_help",
        "Extra adult help",
        "Extra help from a teacher or a learning support assistant, in lessons or at set times.",
        Some(CognitionAndLearning),
        StaffTime,
    ),
    (
        "changed_materials_and_equipment",
        "Changed materials and equipment",
        "Making or changing materials and equipment so the pupil can use them, such as enlarged print, a writing slope or a visual timetable.",
        Some(SensoryPhysical),
        PerPupil,
    ),
    (
        "small_group_work",
        "Small-group work",
        "Working with the pupil in a small group, so each pupil gets more of an adult's attention.",
        Some(CognitionAndLearning),
        StaffTime,
    ),
    (
        "observation_and_records",
        "Observation and records",
        "Watching the pupil in class or at break and keeping records, to understand what helps.",
        Some(SocialEmotionalMentalHealth),
        StaffTime,
    ),
    (
        "help_to_join_in",
        "Help to join in",
        "Helping the pupil to take part in class activities with the other children.",
        Some(CommunicationAndInteraction),
        StaffTime,
    ),
    (
        "check_for_understanding",
        "Check for understanding",
        "Making sure the pupil has understood, by encouraging them to ask questions and to try things they find difficult.",
        Some(CognitionAndLearning),
        NoAdditionalCost,
    ),
    (
        "peer_support",
        "Peer support",
        "Helping other children to work with the pupil, or to play with them at break time.",
        Some(CommunicationAndInteraction),
        NoAdditionalCost,
    ),
    (
        "personal_and_physical_care",
        "Personal and physical care",
        "Help with physical or personal care, such as eating, getting around school safely, toileting or dressing.",
        Some(SensoryPhysical),
        StaffTime,
    ),
    (
        "specialist_advice_and_help",
        "Specialist advice and help",
        "Advice or extra help from specialists, such as specialist teachers, educational psychologists and therapists, agreed with parents first.",
        None,
        StaffTime,
    ),
];

/// The ten provision types every school starts with.
pub fn seed_provision_types() -> Vec<ProvisionType> {
    SEEDS
        .iter()
        .map(|(key, label, description, area, basis)| ProvisionType {
            key: (*key).into(),
            label: (*label).into(),
            description: (*description).into(),
            default_area: *area,
            default_basis: *basis,
            seeded: true,
        })
        .collect()
}

impl ProvisionType {
    /// A school's own provision type. Its key must be new to `existing` (the library
    /// so far, seeds included).
    pub fn custom(
        key: &str,
        label: &str,
        description: &str,
        default_area: Option<BroadArea>,
        default_basis: CostBasis,
        existing: &[ProvisionType],
    ) -> Result<ProvisionType, Invalid> {
        let mut e = Invalid::default();
        let key = check_key("key", key, &mut e);
        if existing.iter().any(|t| t.key == key) {
            e.push("key", "duplicate_key", format!("There is already a provision type '{key}'"));
        }
        let label = clean_text("label", label, 100, &mut e);
        e.require_text("label", &label, "a short name for the provision");
        if existing.iter().any(|t| t.label.eq_ignore_ascii_case(&label)) {
            e.push("label", "duplicate_label", format!("There is already a provision type called '{label}'"));
        }
        let description = clean_text("description", description, 1000, &mut e);
        e.require_text("description", &description, "what the provision is, in plain words");
        e.into_result()?;
        Ok(ProvisionType { key, label, description, default_area, default_basis, seeded: false })
    }

    /// Finds a type by key.
    pub fn find<'a>(library: &'a [ProvisionType], key: &str) -> Option<&'a ProvisionType> {
        library.iter().find(|t| t.key == key)
    }

    /// The label for `key`, or the key itself when the type is not in the library.
    pub fn label_of(library: &[ProvisionType], key: &str) -> String {
        Self::find(library, key).map_or_else(|| key.to_owned(), |t| t.label.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r33_cost_bases_read_in_plain_language() {
        let labels: Vec<_> = [CostBasis::StaffTime, CostBasis::PerPupil, CostBasis::PerGroup, CostBasis::NoAdditionalCost]
            .iter()
            .map(|b| b.label())
            .collect();
        assert_eq!(labels, ["Staff time", "Cost per pupil", "Cost per group", "No additional cost"]);
    }

    #[test]
    fn the_ten_seed_types_have_unique_keys_and_plain_descriptions() {
        let lib = seed_provision_types();
        assert_eq!(lib.len(), 10);
        let mut keys: Vec<_> = lib.iter().map(|t| t.key.as_str()).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), 10);
        assert!(lib.iter().all(|t| t.seeded && !t.description.is_empty()));
        let group = ProvisionType::find(&lib, "small_group_work").unwrap();
        assert_eq!(group.default_basis, CostBasis::StaffTime);
        assert_eq!(ProvisionType::find(&lib, "specialist_advice_and_help").unwrap().default_area, None);
        assert_eq!(ProvisionType::label_of(&lib, "peer_support"), "Peer support");
        assert_eq!(ProvisionType::label_of(&lib, "nurture"), "nurture");
    }

    #[test]
    fn schools_add_their_own_types() {
        let lib = seed_provision_types();
        let t = ProvisionType::custom(
            "nurture_group",
            " Nurture group ",
            "A small, calm class for part of the day.",
            Some(SocialEmotionalMentalHealth),
            StaffTime,
            &lib,
        )
        .unwrap();
        assert_eq!(t.label, "Nurture group");
        assert!(!t.seeded);
    }

    #[test]
    fn custom_types_with_bad_or_taken_keys_are_refused() {
        let lib = seed_provision_types();
        let err = ProvisionType::custom("peer_support", "Small-Group Work", "", None, PerGroup, &lib).unwrap_err();
        let got: Vec<_> = err.errors.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
        assert_eq!(got, vec![("key", "duplicate_key"), ("label", "duplicate_label"), ("description", "required")]);
        let err = ProvisionType::custom("Nurture Group", "Nurture", "Calm room", None, StaffTime, &lib).unwrap_err();
        assert_eq!(err.errors[0].code, "bad_key");
    }
}
