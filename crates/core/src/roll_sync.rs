//! Bringing a school's roll in from its MIS (R24): what one row of the roll means for
//! the pupil senplan holds. The MIS is the school's record of who is on roll and their
//! details; senplan is its record of SEN. So a row adds a pupil senplan does not have
//! (with the status and needs the MIS gives), updates the details of one it has
//! (a value the file leaves blank never wipes one senplan holds), and never overwrites
//! the SEN status or needs the school recorded in senplan: a difference is listed for
//! the SENCO instead. A pupil missing from the roll has left; they are kept, marked as
//! left, never deleted.

use chrono::NaiveDate;

use crate::need::{Need, NeedCode};
use crate::pupil::{PupilDetails, RollFacts};
use crate::status::SenStatus;

/// A need as a roll or transfer file gives it: a census code and its rank.
pub type RankedCode = (u32, NeedCode);

/// What the file says about one pupil.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incoming {
    pub line: u64,
    pub details: PupilDetails,
    pub status: Option<SenStatus>,
    pub needs: Vec<RankedCode>,
}

/// What senplan holds about the pupil with the same UPN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    pub details: PupilDetails,
    pub status: SenStatus,
    pub needs: Vec<RankedCode>,
}

/// The details senplan should hold after the row: the file's, except that a value the
/// file leaves blank keeps the one senplan holds. A pupil on the roll is not "left"
/// unless the file gives a leaving date.
pub fn merged(held: &PupilDetails, file: &PupilDetails) -> PupilDetails {
    PupilDetails {
        upn: file.upn.clone(),
        former_upn: file.former_upn.clone().or_else(|| held.former_upn.clone()),
        given_name: file.given_name.clone(),
        family_name: file.family_name.clone(),
        preferred_name: file.preferred_name.clone().or_else(|| held.preferred_name.clone()),
        date_of_birth: file.date_of_birth,
        year_group: file.year_group,
        roll: RollFacts {
            sex: file.roll.sex.or(held.roll.sex),
            form: file.roll.form.clone().or_else(|| held.roll.form.clone()),
            entry_date: file.roll.entry_date.or(held.roll.entry_date),
            left_on: file.roll.left_on,
        },
    }
}

/// The fields that differ between what senplan holds and what it would hold, in
/// words ("family name", "year group"), for the preview.
pub fn changed_fields(held: &PupilDetails, after: &PupilDetails) -> Vec<&'static str> {
    let mut out = Vec::new();
    let mut check = |differs: bool, label: &'static str| {
        if differs {
            out.push(label);
        }
    };
    check(held.former_upn != after.former_upn, "former UPN");
    check(held.given_name != after.given_name, "given name");
    check(held.family_name != after.family_name, "family name");
    check(held.preferred_name != after.preferred_name, "preferred name");
    check(held.date_of_birth != after.date_of_birth, "date of birth");
    check(held.year_group != after.year_group, "year group");
    check(held.roll.sex != after.roll.sex, "sex");
    check(held.roll.form != after.roll.form, "class or form");
    check(held.roll.entry_date != after.roll.entry_date, "date of entry");
    match (held.roll.left_on, after.roll.left_on) {
        (None, Some(_)) => out.push("left the school"),
        (Some(_), None) => out.push("back on roll"),
        (Some(a), Some(b)) if a != b => out.push("date of leaving"),
        _ => {}
    }
    out
}

/// Where the file's SEN status or needs differ from what the school recorded in
/// senplan, in words; senplan's record is kept. `None` when they agree or the file
/// says nothing.
pub fn sen_difference(held: &Held, file: &Incoming) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(status) = file.status
        && status != held.status
    {
        parts.push(format!("SEN status {} in the file, {} in senplan", status.code(), held.status.code()));
    }
    let mut theirs = file.needs.clone();
    let mut ours = held.needs.clone();
    theirs.sort();
    ours.sort();
    if !theirs.is_empty() && theirs != ours {
        parts.push(format!("needs {} in the file, {} in senplan", codes(&theirs), if ours.is_empty() { "none".to_owned() } else { codes(&ours) }));
    }
    (!parts.is_empty()).then(|| format!("{}: senplan's record is kept; change it on the pupil's page if the file is right", parts.join("; ")))
}

fn codes(needs: &[RankedCode]) -> String {
    needs.iter().map(|(_, c)| c.code()).collect::<Vec<_>>().join(", ")
}

/// The needs to record for a pupil added from a file, each in the broad area its code
/// fixes. OTH and NSA have no fixed area and a file cannot say which the school chose,
/// so such a list is held back (`Err` says why) rather than guessed.
pub fn needs_to_record(needs: &[RankedCode]) -> Result<Vec<Need>, String> {
    let mut sorted = needs.to_vec();
    sorted.sort();
    sorted
        .into_iter()
        .map(|(rank, code)| match code.default_area() {
            Some(area) => Ok(Need { code, rank, area, description: String::new() }),
            None => Err(format!(
                "needs not recorded: {} ({}) has no fixed broad area and the file cannot say which the school chose; record the needs on the pupil's page",
                code.code(),
                code.meaning()
            )),
        })
        .collect()
}

/// The day a pupil missing from the roll is marked as left: the day of the import.
pub fn left_on_missing(today: NaiveDate) -> NaiveDate {
    today
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::need::BroadArea;
    use crate::pupil::{Sex, YearGroup};
    use crate::upn::Upn;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn pupil() -> PupilDetails {
        PupilDetails {
            upn: Upn::parse("A380200124417").unwrap(),
            former_upn: None,
            given_name: "Ada".into(),
            family_name: "Testpupil".into(),
            preferred_name: Some("Addie".into()),
            date_of_birth: d(2017, 4, 2),
            year_group: YearGroup::Year(4),
            roll: RollFacts { sex: Some(Sex::Female), form: Some("4B".into()), entry_date: Some(d(2021, 9, 1)), left_on: None },
        }
    }

    #[test]
    fn r24_a_blank_in_the_file_keeps_what_senplan_holds_and_a_value_replaces_it() {
        let held = pupil();
        let mut file = pupil();
        file.preferred_name = None;
        file.roll = RollFacts { sex: None, form: Some("5B".into()), entry_date: None, left_on: None };
        file.year_group = YearGroup::Year(5);
        let after = merged(&held, &file);
        assert_eq!(after.preferred_name.as_deref(), Some("Addie"));
        assert_eq!(after.roll.sex, Some(Sex::Female));
        assert_eq!(after.roll.form.as_deref(), Some("5B"));
        assert_eq!(changed_fields(&held, &after), ["year group", "class or form"]);
        assert!(changed_fields(&held, &merged(&held, &held)).is_empty(), "the same row changes nothing");
    }

    #[test]
    fn r24_leaving_and_coming_back_are_changes() {
        let held = pupil();
        let mut file = pupil();
        file.roll.left_on = Some(d(2026, 7, 22));
        let left = merged(&held, &file);
        assert_eq!(changed_fields(&held, &left), ["left the school"]);
        let back = merged(&left, &held);
        assert_eq!(changed_fields(&left, &back), ["back on roll"]);
    }

    #[test]
    fn r24_the_school_s_sen_record_is_kept_and_the_difference_listed() {
        let held = Held { details: pupil(), status: SenStatus::K, needs: vec![(1, NeedCode::Slcn)] };
        let same = Incoming { line: 2, details: pupil(), status: Some(SenStatus::K), needs: vec![(1, NeedCode::Slcn)] };
        assert_eq!(sen_difference(&held, &same), None);
        let silent = Incoming { status: None, needs: vec![], ..same.clone() };
        assert_eq!(sen_difference(&held, &silent), None, "a file without SEN columns says nothing");
        let other = Incoming { status: Some(SenStatus::E), needs: vec![(1, NeedCode::Asd), (2, NeedCode::Slcn)], ..same };
        assert_eq!(
            sen_difference(&held, &other).unwrap(),
            "SEN status E in the file, K in senplan; needs ASD, SLCN in the file, SLCN in senplan: senplan's record is kept; change it on the pupil's page if the file is right"
        );
    }

    #[test]
    fn r24_needs_from_a_file_take_their_code_s_area_or_are_held_back() {
        let needs = needs_to_record(&[(2, NeedCode::Hi), (1, NeedCode::Asd)]).unwrap();
        assert_eq!(needs.iter().map(|n| (n.rank, n.code, n.area)).collect::<Vec<_>>(), [
            (1, NeedCode::Asd, BroadArea::CommunicationAndInteraction),
            (2, NeedCode::Hi, BroadArea::SensoryPhysical)
        ]);
        let err = needs_to_record(&[(1, NeedCode::Nsa)]).unwrap_err();
        assert!(err.starts_with("needs not recorded: NSA"), "{err}");
    }
}
