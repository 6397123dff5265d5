//! Tests of the UPN rules: every example in standards.md, each census error, and
//! that a single wrong character or a swap of adjacent digits is caught.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a panic is a test failure

use super::*;
use std::collections::HashSet;

const VALID: [&str; 5] = ["A380200124417", "B801200005001", "H801200001001", "G80120000101A", "E87370032552K"];

fn parse_err(s: &str) -> UpnError {
    Upn::parse(s).expect_err("should be rejected")
}

#[test]
fn r01_upn_accepts_every_valid_example_from_standards() {
    for s in VALID {
        let upn = Upn::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"));
        assert_eq!(upn.as_str(), s);
        assert_eq!(upn.to_string(), s);
    }
}

#[test]
fn recognises_temporary_upns_by_final_letter() {
    let temporary: Vec<bool> = VALID.iter().map(|s| Upn::parse(s).unwrap().is_temporary()).collect();
    assert_eq!(temporary, [false, false, false, true, true]);
}

#[test]
fn la_code_reads_characters_two_to_four() {
    assert_eq!(Upn::parse("A380200124417").unwrap().la_code(), 380);
    assert_eq!(Upn::parse("E87370032552K").unwrap().la_code(), 873);
}

#[test]
fn accepts_lower_case_and_surrounding_whitespace() {
    let upn = Upn::parse("  e87370032552k\t\n").unwrap();
    assert_eq!(upn.as_str(), "E87370032552K");
    assert_eq!("g80120000101a".parse::<Upn>().unwrap().as_str(), "G80120000101A");
}

#[test]
fn rejects_empty_or_blank_with_census_1500() {
    for s in ["", "   ", "\t\n"] {
        let err = parse_err(s);
        assert_eq!(err, UpnError::Missing);
        assert_eq!(err.census_code(), Some(1500));
        assert_eq!(err.code(), "upn_missing");
    }
}

#[test]
fn rejects_twelve_characters_as_wrong_length_without_census_code() {
    let err = parse_err("A38020012441");
    assert_eq!(err, UpnError::WrongLength { found: 12 });
    assert_eq!(err.census_code(), None);
    assert_eq!(err.code(), "upn_wrong_length");
    assert!(err.to_string().contains("13"));
    assert_eq!(parse_err("A3802001244170"), UpnError::WrongLength { found: 14 });
    assert_eq!(parse_err("A380 200124417"), UpnError::WrongLength { found: 14 });
}

#[test]
fn rejects_wrong_check_letter_with_census_1510() {
    let err = parse_err("Z380200124417");
    assert_eq!(err, UpnError::WrongCheckLetter { expected: 'A', found: 'Z' });
    assert_eq!(err.census_code(), Some(1510));
    assert_eq!(err.code(), "upn_wrong_check_letter");
    assert!(err.to_string().contains("expected A"));
}

#[test]
fn rejects_digit_as_check_letter_with_census_1510() {
    let err = parse_err("1380200124417");
    assert_eq!(err, UpnError::WrongCheckLetter { expected: 'A', found: '1' });
    assert_eq!(err.census_code(), Some(1510));
}

#[test]
fn rejects_forbidden_check_letter_with_census_1510() {
    for letter in ['I', 'O', 'S'] {
        let err = parse_err(&format!("{letter}380200124417"));
        assert_eq!(err, UpnError::ForbiddenLetter { position: 1, letter });
        assert_eq!(err.census_code(), Some(1510));
        assert_eq!(err.code(), "upn_forbidden_letter");
    }
}

#[test]
fn rejects_unknown_la_900_with_census_1530() {
    let err = parse_err("R900400001001");
    assert_eq!(err, UpnError::UnknownLa { code: "900".to_owned() });
    assert_eq!(err.census_code(), Some(1530));
    assert_eq!(err.code(), "upn_unknown_la");
}

#[test]
fn rejects_non_digit_la_with_census_1530() {
    let err = parse_err("A38X200124417");
    assert_eq!(err, UpnError::NotNumeric { position: 4 });
    assert_eq!(err.census_code(), Some(1530));
}

#[test]
fn checks_la_before_later_characters() {
    assert_eq!(parse_err("A900X0012441!"), UpnError::UnknownLa { code: "900".to_owned() });
}

#[test]
fn rejects_non_numeric_characters_5_to_12_with_census_1540() {
    for (s, position) in [("A380X00124417", 5), ("A3802X0124417", 6), ("A3802001244A7", 12)] {
        let err = parse_err(s);
        assert_eq!(err, UpnError::NotNumeric { position });
        assert_eq!(err.census_code(), Some(1540));
        assert_eq!(err.code(), "upn_not_numeric");
    }
}

#[test]
fn rejects_forbidden_final_letter_with_census_1550() {
    let err = parse_err("E87370032552I");
    assert_eq!(err, UpnError::BadFinalCharacter { found: 'I' });
    assert_eq!(err.census_code(), Some(1550));
    assert_eq!(err.code(), "upn_bad_final_character");
    for found in ['O', 'S', '*', 'é'] {
        assert_eq!(parse_err(&format!("E87370032552{found}")), UpnError::BadFinalCharacter { found });
    }
}

#[test]
fn error_codes_are_distinct() {
    let errors = [
        UpnError::Missing,
        UpnError::WrongLength { found: 1 },
        UpnError::WrongCheckLetter { expected: 'A', found: 'B' },
        UpnError::UnknownLa { code: "900".to_owned() },
        UpnError::NotNumeric { position: 5 },
        UpnError::BadFinalCharacter { found: 'I' },
        UpnError::ForbiddenLetter { position: 1, letter: 'O' },
    ];
    let codes: HashSet<&str> = errors.iter().map(UpnError::code).collect();
    assert_eq!(codes.len(), errors.len());
    assert!(codes.iter().all(|code| code.starts_with("upn_")));
}

#[test]
fn check_letter_computes_from_body() {
    for s in VALID {
        let (letter, body) = s.split_at(1);
        assert_eq!(check_letter(body).unwrap().to_string(), letter);
    }
    assert_eq!(check_letter("87370032552k").unwrap(), 'E');
}

#[test]
fn check_letter_rejects_malformed_body() {
    assert_eq!(check_letter(""), Err(UpnError::Missing));
    assert_eq!(check_letter("38020012441"), Err(UpnError::WrongLength { found: 12 }));
    assert_eq!(check_letter("900400001001"), Err(UpnError::UnknownLa { code: "900".to_owned() }));
    assert_eq!(check_letter("87370032552O"), Err(UpnError::BadFinalCharacter { found: 'O' }));
}

/// The one blind spot of the scheme: as character 13, digit d and the letter
/// worth d (A=0 … K=9) weigh the same, so swapping them gives another valid
/// UPN, one permanent and one temporary.
fn is_equal_value_final_swap(position: usize, original: char, replacement: char) -> bool {
    position == UPN_LEN && final_character_value(original).ok() == final_character_value(replacement).ok()
}

#[test]
fn detects_every_single_character_substitution() {
    let alphabet: Vec<char> = ('0'..='9').chain('A'..='Z').collect();
    for s in VALID {
        for (index, original) in s.chars().enumerate() {
            for &replacement in alphabet.iter().filter(|&&c| c != original) {
                let position = index + 1;
                if is_equal_value_final_swap(position, original, replacement) {
                    continue;
                }
                let mut mutated: Vec<char> = s.chars().collect();
                mutated[index] = replacement;
                let mutated: String = mutated.into_iter().collect();
                assert!(Upn::parse(&mutated).is_err(), "{s} -> {mutated} accepted");
            }
        }
    }
}

#[test]
fn final_digit_and_equal_valued_letter_share_a_check_letter() {
    let permanent = Upn::parse("G801200001010").unwrap();
    let temporary = Upn::parse("G80120000101A").unwrap();
    assert!(!permanent.is_temporary());
    assert!(temporary.is_temporary());
}

#[test]
fn detects_every_adjacent_digit_swap() {
    for s in VALID {
        let chars: Vec<char> = s.chars().collect();
        for index in 1..chars.len() - 1 {
            let (a, b) = (chars[index], chars[index + 1]);
            if a == b || !a.is_ascii_digit() || !b.is_ascii_digit() {
                continue;
            }
            let mut swapped = chars.clone();
            swapped.swap(index, index + 1);
            let swapped: String = swapped.into_iter().collect();
            assert!(Upn::parse(&swapped).is_err(), "{s} -> {swapped} accepted");
        }
    }
}

#[test]
fn from_parts_builds_the_matching_permanent_upn() {
    assert_eq!(Upn::from_parts(380, 2001, 24, 417).unwrap(), Upn::parse("A380200124417").unwrap());
    assert_eq!(Upn::from_parts(801, 2000, 1, 1).unwrap().as_str(), "H801200001001");
}

#[test]
fn from_parts_round_trips_through_parse() {
    for (la, estab, year, serial) in [(919, 2001, 25, 0), (886, 4000, 99, 999), (201, 0, 0, 1)] {
        let upn = Upn::from_parts(la, estab, year, serial).unwrap();
        assert_eq!(upn.la_code(), la);
        assert!(!upn.is_temporary());
        assert_eq!(Upn::parse(upn.as_str()).unwrap(), upn);
    }
}

#[test]
fn from_parts_rejects_unknown_la_and_out_of_range_parts() {
    assert_eq!(Upn::from_parts(900, 4000, 1, 1), Err(UpnError::UnknownLa { code: "900".to_owned() }));
    assert_eq!(Upn::from_parts(42, 4000, 1, 1), Err(UpnError::UnknownLa { code: "042".to_owned() }));
    assert!(matches!(Upn::from_parts(1000, 4000, 1, 1), Err(UpnError::WrongLength { found: 14 })));
    assert!(Upn::from_parts(380, 10_000, 1, 1).is_err());
    assert!(Upn::from_parts(380, 2001, 100, 1).is_err());
    assert!(Upn::from_parts(380, 2001, 1, 1000).is_err());
}

#[test]
fn serde_round_trips_as_plain_string() {
    let upn = Upn::parse("G80120000101A").unwrap();
    let json = serde_json::to_string(&upn).unwrap();
    assert_eq!(json, "\"G80120000101A\"");
    assert_eq!(serde_json::from_str::<Upn>(&json).unwrap(), upn);
    assert_eq!(serde_json::from_str::<Upn>("\" a380200124417 \"").unwrap().as_str(), "A380200124417");
}

#[test]
fn serde_rejects_invalid_upn_string() {
    for json in ["\"Z380200124417\"", "\"R900400001001\"", "\"\"", "380200124417"] {
        assert!(serde_json::from_str::<Upn>(json).is_err(), "{json} accepted");
    }
    let err = serde_json::from_str::<Upn>("\"Z380200124417\"").unwrap_err();
    assert!(err.to_string().contains("check letter"));
}

#[test]
fn accepts_upns_from_superseded_las() {
    let upn = Upn::from_parts(928, 2001, 5, 12).unwrap();
    assert_eq!(upn.la_code(), 928);
    assert_eq!(la_name(upn.la_code()), Some("Northamptonshire (before 2021)"));
}
