//! Areas of need (R02): census type-of-need codes, each mapped to one of the four
//! broad areas of the Code of Practice, ranked 1 = primary, 2 = secondary, and so on.
//! A diagnosis is never required to record a need.

use serde::{Deserialize, Serialize};

use crate::error::Invalid;
use crate::status::SenStatus;

/// The four broad areas of need (CoP 6.28–6.35).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BroadArea {
    CommunicationAndInteraction,
    CognitionAndLearning,
    SocialEmotionalMentalHealth,
    SensoryPhysical,
}

impl BroadArea {
    pub const ALL: [BroadArea; 4] =
        [Self::CommunicationAndInteraction, Self::CognitionAndLearning, Self::SocialEmotionalMentalHealth, Self::SensoryPhysical];

    pub fn label(self) -> &'static str {
        match self {
            Self::CommunicationAndInteraction => "Communication and interaction",
            Self::CognitionAndLearning => "Cognition and learning",
            Self::SocialEmotionalMentalHealth => "Social, emotional and mental health",
            Self::SensoryPhysical => "Sensory and/or physical",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::CommunicationAndInteraction => "communication_and_interaction",
            Self::CognitionAndLearning => "cognition_and_learning",
            Self::SocialEmotionalMentalHealth => "social_emotional_mental_health",
            Self::SensoryPhysical => "sensory_physical",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// Census type-of-need codes (standards.md §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "UPPERCASE")]
pub enum NeedCode {
    Spld,
    Mld,
    Sld,
    Pmld,
    Slcn,
    Asd,
    Semh,
    Hi,
    Vi,
    Msi,
    Pd,
    Ds,
    Oth,
    Nsa,
}

impl NeedCode {
    pub const ALL: [NeedCode; 14] = [
        Self::Spld,
        Self::Mld,
        Self::Sld,
        Self::Pmld,
        Self::Slcn,
        Self::Asd,
        Self::Semh,
        Self::Hi,
        Self::Vi,
        Self::Msi,
        Self::Pd,
        Self::Ds,
        Self::Oth,
        Self::Nsa,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Spld => "SPLD",
            Self::Mld => "MLD",
            Self::Sld => "SLD",
            Self::Pmld => "PMLD",
            Self::Slcn => "SLCN",
            Self::Asd => "ASD",
            Self::Semh => "SEMH",
            Self::Hi => "HI",
            Self::Vi => "VI",
            Self::Msi => "MSI",
            Self::Pd => "PD",
            Self::Ds => "DS",
            Self::Oth => "OTH",
            Self::Nsa => "NSA",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim().to_ascii_uppercase();
        Self::ALL.into_iter().find(|c| c.code() == s)
    }

    /// Plain-language meaning (R33).
    pub fn meaning(self) -> &'static str {
        match self {
            Self::Spld => "Specific learning difficulty",
            Self::Mld => "Moderate learning difficulty",
            Self::Sld => "Severe learning difficulty",
            Self::Pmld => "Profound and multiple learning difficulty",
            Self::Slcn => "Speech, language and communication needs",
            Self::Asd => "Autistic spectrum disorder",
            Self::Semh => "Social, emotional and mental health",
            Self::Hi => "Hearing impairment",
            Self::Vi => "Vision impairment",
            Self::Msi => "Multi-sensory impairment",
            Self::Pd => "Physical disability",
            Self::Ds => "Down syndrome",
            Self::Oth => "Other difficulty or disability",
            Self::Nsa => "SEN support, no specialist assessment of type of need",
        }
    }

    /// The broad area fixed by the code; `None` for OTH and NSA, where the school chooses.
    /// DS defaults to cognition and learning (standards.md: confirm), and may be changed.
    pub fn default_area(self) -> Option<BroadArea> {
        use BroadArea::*;
        match self {
            Self::Spld | Self::Mld | Self::Sld | Self::Pmld | Self::Ds => Some(CognitionAndLearning),
            Self::Slcn | Self::Asd => Some(CommunicationAndInteraction),
            Self::Semh => Some(SocialEmotionalMentalHealth),
            Self::Hi | Self::Vi | Self::Msi | Self::Pd => Some(SensoryPhysical),
            Self::Oth | Self::Nsa => None,
        }
    }

    /// Whether the school may choose another area than the default.
    pub fn area_is_editable(self) -> bool {
        matches!(self, Self::Ds | Self::Oth | Self::Nsa)
    }
}

/// One need as entered: the code, its rank and (for OTH, NSA, DS) the broad area.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NeedInput {
    pub code: String,
    /// 1 = primary, 2 = secondary, ...
    pub rank: u32,
    #[serde(default)]
    pub area: Option<BroadArea>,
    /// What the school has observed; a diagnosis is not required.
    #[serde(default)]
    pub description: String,
}

/// A validated, ranked need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Need {
    pub code: NeedCode,
    pub rank: u32,
    pub area: BroadArea,
    pub description: String,
}

/// Validates a pupil's full list of needs: known codes, ranks 1..n without gaps or
/// repeats, each code once, an area where the code does not fix one, NSA only for K.
pub fn validate_needs(inputs: &[NeedInput], status: SenStatus) -> Result<Vec<Need>, Invalid> {
    let mut e = Invalid::default();
    let mut needs = Vec::new();
    for (i, n) in inputs.iter().enumerate() {
        let field = |f: &str| format!("needs[{i}].{f}");
        let Some(code) = NeedCode::parse(&n.code) else {
            let known: Vec<_> = NeedCode::ALL.iter().map(|c| c.code()).collect();
            e.push(
                field("code"),
                "unknown_need_code",
                format!("'{}' is not a census type-of-need code; expected one of {}", n.code.trim(), known.join(", ")),
            );
            continue;
        };
        if code == NeedCode::Nsa && status != SenStatus::K {
            e.push(
                field("code"),
                "nsa_only_for_sen_support",
                "NSA (no specialist assessment) can only be used for pupils on SEN support (K)",
            );
        }
        let area = match (code.default_area(), n.area) {
            (Some(default), None) => Some(default),
            (Some(default), Some(chosen)) if chosen != default && !code.area_is_editable() => {
                e.push(field("area"), "area_fixed_by_code", format!("{} is always in {}", code.code(), default.label()));
                None
            }
            (_, Some(chosen)) => Some(chosen),
            (None, None) => {
                e.push(field("area"), "required", format!("Choose the broad area of need for {} ({})", code.code(), code.meaning()));
                None
            }
        };
        if needs.iter().any(|x: &Need| x.code == code) {
            e.push(field("code"), "duplicate_need", format!("{} is already recorded for this pupil", code.code()));
        }
        if n.description.chars().count() > 2000 {
            e.push(field("description"), "too_long", "Must be 2000 characters or fewer");
        }
        if let Some(area) = area {
            needs.push(Need { code, rank: n.rank, area, description: n.description.trim().to_owned() });
        }
    }
    let mut ranks: Vec<u32> = inputs.iter().map(|n| n.rank).collect();
    ranks.sort_unstable();
    if ranks.iter().enumerate().any(|(i, r)| usize::try_from(*r).ok() != Some(i + 1)) {
        e.push("needs", "bad_ranks", format!("Rank the needs 1 (primary), 2 (secondary) and so on, each rank once; got {ranks:?}"));
    }
    if !status.has_sen() && !inputs.is_empty() {
        e.push(
            "needs",
            "no_sen_status",
            "Needs are recorded for pupils on SEN support (K) or with an EHC plan (E); change the status first",
        );
    }
    e.into_result()?;
    needs.sort_by_key(|n| n.rank);
    Ok(needs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(code: &str, rank: u32) -> NeedInput {
        NeedInput { code: code.into(), rank, area: None, description: String::new() }
    }

    #[test]
    fn r02_codes_map_to_the_four_broad_areas() {
        assert_eq!(NeedCode::Slcn.default_area(), Some(BroadArea::CommunicationAndInteraction));
        assert_eq!(NeedCode::Spld.default_area(), Some(BroadArea::CognitionAndLearning));
        assert_eq!(NeedCode::Semh.default_area(), Some(BroadArea::SocialEmotionalMentalHealth));
        assert_eq!(NeedCode::Msi.default_area(), Some(BroadArea::SensoryPhysical));
        assert_eq!(NeedCode::Oth.default_area(), None);
    }

    #[test]
    fn r02_needs_are_ranked_primary_first_without_diagnosis() {
        let needs = validate_needs(&[n("semh", 2), n("SLCN", 1)], SenStatus::K).unwrap();
        assert_eq!(needs[0].code, NeedCode::Slcn);
        assert_eq!(needs[0].rank, 1);
        assert_eq!(needs[1].area, BroadArea::SocialEmotionalMentalHealth);
        assert!(needs.iter().all(|n| n.description.is_empty()), "no diagnosis or description needed");
    }

    #[test]
    fn r02_unknown_code_names_the_field_and_lists_codes() {
        let err = validate_needs(&[n("ADHD", 1)], SenStatus::K).unwrap_err();
        assert_eq!(err.errors[0].field, "needs[0].code");
        assert_eq!(err.errors[0].code, "unknown_need_code");
        assert!(err.errors[0].message.contains("SLCN"));
    }

    #[test]
    fn r02_ranks_must_run_from_one_without_gaps() {
        let err = validate_needs(&[n("SLCN", 1), n("ASD", 3)], SenStatus::K).unwrap_err();
        assert_eq!(err.errors[0].code, "bad_ranks");
    }

    #[test]
    fn r02_oth_needs_an_area_and_fixed_codes_refuse_another() {
        let err = validate_needs(&[n("OTH", 1)], SenStatus::K).unwrap_err();
        assert_eq!(err.errors[0].field, "needs[0].area");
        let mut hi = n("HI", 1);
        hi.area = Some(BroadArea::CognitionAndLearning);
        assert_eq!(validate_needs(&[hi], SenStatus::K).unwrap_err().errors[0].code, "area_fixed_by_code");
        let mut ds = n("DS", 1);
        ds.area = Some(BroadArea::SensoryPhysical);
        assert_eq!(validate_needs(&[ds], SenStatus::E).unwrap()[0].area, BroadArea::SensoryPhysical);
    }

    #[test]
    fn r02_nsa_only_for_sen_support() {
        let mut nsa = n("NSA", 1);
        nsa.area = Some(BroadArea::CognitionAndLearning);
        assert!(validate_needs(std::slice::from_ref(&nsa), SenStatus::K).is_ok());
        assert_eq!(validate_needs(&[nsa], SenStatus::E).unwrap_err().errors[0].code, "nsa_only_for_sen_support");
    }
}
