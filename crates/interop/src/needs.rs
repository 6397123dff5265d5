//! The checks every format makes of a pupil's ranked types of need: known codes, each
//! rank once from 1 without gaps, each code once. What a need may go with (NSA only
//! for SEN support, no needs for N) depends on the status, which each format checks
//! with the same words from here.

use std::collections::HashMap;

use senplan_core::need::NeedCode;

use crate::RankedNeed;

/// Most needs a pupil's record may list: more is not a list of needs (there are 14
/// census codes, each used once).
pub(crate) const MAX_NEEDS: usize = 50;

/// One thing wrong with a list of needs: a machine code and a message for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Issue {
    pub code: &'static str,
    pub message: String,
}

/// The census codes, for messages: "SPLD, MLD, …, NSA".
pub(crate) fn known_codes() -> String {
    NeedCode::ALL.iter().map(|c| c.code()).collect::<Vec<_>>().join(", ")
}

pub(crate) fn unknown_code(raw: &str) -> Issue {
    Issue {
        code: "unknown_need_code",
        message: format!("{} is not a census type-of-need code: expected one of {}", crate::roll::shown(raw), known_codes()),
    }
}

/// A code as written, or a need's meaning in full ("Speech, language and communication
/// needs", any case), as some MIS exports write it.
pub(crate) fn parse_code(raw: &str) -> Option<NeedCode> {
    let raw = raw.trim();
    NeedCode::parse(raw).or_else(|| NeedCode::ALL.into_iter().find(|c| c.meaning().eq_ignore_ascii_case(raw)))
}

/// Rank and code rules: each rank once, ranks 1, 2, 3 … without gaps, each code once.
pub(crate) fn check_ranks(needs: &[RankedNeed]) -> Vec<Issue> {
    let mut issues = Vec::new();
    let mut by_rank: Vec<RankedNeed> = needs.to_vec();
    by_rank.sort_by_key(|n| n.rank);
    for pair in by_rank.windows(2) {
        if let [a, b] = pair
            && a.rank == b.rank
        {
            issues.push(Issue {
                code: "need_rank_repeated",
                message: format!(
                    "{} and {} are both at rank {}: each rank holds one need (1 primary, 2 secondary, …)",
                    a.code.code(),
                    b.code.code(),
                    a.rank
                ),
            });
        }
    }
    let mut ranks: Vec<u8> = by_rank.iter().map(|n| n.rank).collect();
    ranks.dedup();
    if let Some(&first) = ranks.first() {
        if first != 1 {
            issues.push(Issue {
                code: "need_ranks_not_from_1",
                message: format!("The needs start at rank {first}: the primary need must be rank 1"),
            });
        } else if ranks.iter().enumerate().any(|(i, r)| usize::from(*r) != i + 1) {
            let list = ranks.iter().map(u8::to_string).collect::<Vec<_>>().join(", ");
            issues.push(Issue { code: "need_ranks_gap", message: format!("The ranks run {list}: they must run 1, 2, 3 … without gaps") });
        }
    }
    let mut first_rank: HashMap<NeedCode, u8> = HashMap::new();
    for n in needs {
        match first_rank.get(&n.code) {
            Some(earlier) => issues.push(Issue {
                code: "need_repeated",
                message: format!("{} is given twice (ranks {earlier} and {}): each type of need is recorded once", n.code.code(), n.rank),
            }),
            None => {
                first_rank.insert(n.code, n.rank);
            }
        }
    }
    issues
}

pub(crate) fn nsa_for_ehc_plan() -> Issue {
    Issue {
        code: "nsa_for_ehc_plan",
        message: "NSA (SEN support, no specialist assessment of type of need) is only for pupils on SEN support (K), not for a pupil with an EHC plan (E)".to_owned(),
    }
}

pub(crate) fn need_for_status_n(needs: &[RankedNeed]) -> Issue {
    let codes = needs.iter().map(|n| n.code.code()).collect::<Vec<_>>().join(", ");
    Issue {
        code: "need_for_status_n",
        message: format!(
            "SEN status N (no special educational needs) cannot have types of need, but {codes} is given: change the status to K or E, or remove the needs"
        ),
    }
}
