//! Unique Pupil Numbers (UPNs): the validated [`Upn`] type, its check letter,
//! the census validation errors it mirrors ([`UpnError`]) and the reference list
//! of DfE local authority numbers that may appear in characters 2–4.
//!
//! A UPN is 13 characters: a check letter, a 3-digit LA number, a 4-digit
//! establishment number, the 2-digit year of allocation and a 3-character serial
//! (three digits, or for a temporary UPN two digits then a letter). Letters I, O
//! and S are never used. See `standards.md` §1.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Number of characters in a UPN.
const UPN_LEN: usize = 13;
/// Number of characters after the check letter.
const BODY_LEN: usize = UPN_LEN - 1;
/// Number of digits in the LA number (characters 2–4).
const LA_DIGITS: usize = 3;

/// Check letters by remainder (0 → A … 22 → Z); also the letters allowed as the
/// final character of a temporary UPN, each worth its index here.
const CHECK_ALPHABET: [char; 23] = [
    'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'J', 'K', 'L', 'M', 'N', 'P', 'Q', 'R', 'T', 'U', 'V',
    'W', 'X', 'Y', 'Z',
];

/// A valid Unique Pupil Number, stored in upper case.
///
/// Serialises as a plain string; deserialising validates it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(
    feature = "openapi",
    schema(value_type = String, example = "A380200124417")
)]
pub struct Upn(String);

impl Upn {
    /// Parses and validates a UPN, ignoring surrounding whitespace and accepting
    /// lower case.
    ///
    /// Checks run in the census order: missing, length, LA number (characters
    /// 2–4), digits (characters 5–12), final character, then the check letter.
    pub fn parse(s: &str) -> Result<Self, UpnError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(UpnError::Missing);
        }
        let chars: Vec<char> = s.chars().map(|c| c.to_ascii_uppercase()).collect();
        let Ok([found, body @ ..]) = <[char; UPN_LEN]>::try_from(chars.as_slice()) else {
            return Err(UpnError::WrongLength { found: chars.len() });
        };
        let expected = body_check_letter(&body)?;
        if is_forbidden_letter(found) {
            return Err(UpnError::ForbiddenLetter {
                position: 1,
                letter: found,
            });
        }
        if found != expected {
            return Err(UpnError::WrongCheckLetter { expected, found });
        }
        Ok(Self(chars.into_iter().collect()))
    }

    /// Builds a valid permanent UPN from its parts, for synthetic demo data:
    /// `la` (3 digits), `estab` (4 digits), `year` (0..=99), `serial` (0..=999).
    ///
    /// An unknown LA gives [`UpnError::UnknownLa`]; a part too large for its
    /// field gives [`UpnError::WrongLength`] with the length the UPN would have.
    pub fn from_parts(la: u16, estab: u16, year: u8, serial: u16) -> Result<Self, UpnError> {
        let body = format!("{la:03}{estab:04}{year:02}{serial:03}");
        let letter = check_letter(&body)?;
        Ok(Self(format!("{letter}{body}")))
    }

    /// The UPN as a 13-character upper-case string.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this is a temporary UPN (final character a letter).
    pub fn is_temporary(&self) -> bool {
        self.0
            .chars()
            .last()
            .is_some_and(|c| c.is_ascii_alphabetic())
    }

    /// The LA number in characters 2–4 (a known code from [`all_las`]).
    pub fn la_code(&self) -> u16 {
        self.0
            .chars()
            .skip(1)
            .take(LA_DIGITS)
            .filter_map(|c| c.to_digit(10))
            .fold(0, |code, digit| code * 10 + digit as u16)
    }
}

impl fmt::Display for Upn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Upn {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl FromStr for Upn {
    type Err = UpnError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for Upn {
    type Error = UpnError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Upn> for String {
    fn from(upn: Upn) -> Self {
        upn.0
    }
}

/// Computes the check letter for `body`, the 12 characters after the check
/// letter (lower case accepted).
///
/// The body is validated as characters 2–13 of a UPN, so error positions refer
/// to the whole UPN and [`UpnError::WrongLength`] reports the body's length plus
/// one (the length the UPN would have).
pub fn check_letter(body: &str) -> Result<char, UpnError> {
    if body.is_empty() {
        return Err(UpnError::Missing);
    }
    let chars: Vec<char> = body.chars().map(|c| c.to_ascii_uppercase()).collect();
    let body =
        <[char; BODY_LEN]>::try_from(chars.as_slice()).map_err(|_| UpnError::WrongLength {
            found: chars.len() + 1,
        })?;
    body_check_letter(&body)
}

/// Validates characters 2–13 (upper case) and returns the check letter they need.
///
/// Each character in UPN position n (2..=13) is multiplied by n, a digit
/// counting as its value and a final letter as its index in [`CHECK_ALPHABET`];
/// the sum modulo 23 indexes the check letter.
fn body_check_letter(body: &[char; BODY_LEN]) -> Result<char, UpnError> {
    let position = |index: usize| index + 2;
    let digit = |index: usize| {
        body[index].to_digit(10).ok_or(UpnError::NotNumeric {
            position: position(index),
        })
    };

    let mut la = 0;
    for index in 0..LA_DIGITS {
        la = la * 10 + digit(index)?;
    }
    if !u16::try_from(la).is_ok_and(is_known_la) {
        return Err(UpnError::UnknownLa {
            code: body[..LA_DIGITS].iter().collect(),
        });
    }

    let mut sum = 0;
    for index in 0..BODY_LEN - 1 {
        sum += digit(index)? as usize * position(index);
    }
    let last = BODY_LEN - 1;
    sum += final_character_value(body[last])? * position(last);

    Ok(CHECK_ALPHABET[sum % CHECK_ALPHABET.len()])
}

/// The weight-free value of character 13: a digit, or an allowed letter's index.
fn final_character_value(c: char) -> Result<usize, UpnError> {
    if let Some(digit) = c.to_digit(10) {
        return Ok(digit as usize);
    }
    CHECK_ALPHABET
        .iter()
        .position(|&letter| letter == c)
        .ok_or(UpnError::BadFinalCharacter { found: c })
}

fn is_forbidden_letter(c: char) -> bool {
    matches!(c, 'I' | 'O' | 'S')
}

/// Why a string is not a valid UPN. Each variant maps to the school census
/// validation error it mirrors, where there is one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UpnError {
    /// Nothing was given (census 1500).
    #[error("UPN is missing: expected 13 characters")]
    Missing,
    /// Not 13 characters (no census code of its own).
    #[error("UPN must be 13 characters, found {found}")]
    WrongLength { found: usize },
    /// The check letter does not match the other 12 characters (census 1510).
    #[error("UPN check letter is wrong: expected {expected}, found {found}")]
    WrongCheckLetter { expected: char, found: char },
    /// Characters 2–4 are digits but not a recognised LA number (census 1530).
    #[error("UPN characters 2-4 must be a recognised local authority number, found {code}")]
    UnknownLa { code: String },
    /// A character that must be a digit is not: positions 2–4 (census 1530) or
    /// 5–12 (census 1540). `position` is 1-based.
    #[error("UPN character {position} must be a digit (characters 2-12 are all digits)")]
    NotNumeric { position: usize },
    /// Character 13 is neither a digit nor an allowed letter (census 1550).
    #[error("UPN character 13 must be a digit or a letter other than I, O and S, found {found:?}")]
    BadFinalCharacter { found: char },
    /// I, O or S used as the check letter (census 1510). `position` is 1-based.
    #[error("UPN character {position} is {letter}, but I, O and S are never used in UPNs")]
    ForbiddenLetter { position: usize, letter: char },
}

impl UpnError {
    /// The school census validation error number this mirrors, if any.
    /// The message for people, naming the census rule where there is one.
    pub fn message(&self) -> String {
        match self.census_code() {
            Some(code) => format!("{self} (census error {code})"),
            None => self.to_string(),
        }
    }

    pub fn census_code(&self) -> Option<u16> {
        match self {
            Self::Missing => Some(1500),
            Self::WrongLength { .. } => None,
            Self::WrongCheckLetter { .. } | Self::ForbiddenLetter { .. } => Some(1510),
            Self::UnknownLa { .. } => Some(1530),
            Self::NotNumeric { position } if *position <= LA_DIGITS + 1 => Some(1530),
            Self::NotNumeric { .. } => Some(1540),
            Self::BadFinalCharacter { .. } => Some(1550),
        }
    }

    /// A stable snake_case identifier for APIs and logs.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Missing => "upn_missing",
            Self::WrongLength { .. } => "upn_wrong_length",
            Self::WrongCheckLetter { .. } => "upn_wrong_check_letter",
            Self::UnknownLa { .. } => "upn_unknown_la",
            Self::NotNumeric { .. } => "upn_not_numeric",
            Self::BadFinalCharacter { .. } => "upn_bad_final_character",
            Self::ForbiddenLetter { .. } => "upn_forbidden_letter",
        }
    }
}

pub use crate::la::{all_las, is_known_la, la_name};

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // a panic is a test failure
mod tests {
    use super::*;
    use std::collections::HashSet;

    const VALID: [&str; 5] = [
        "A380200124417",
        "B801200005001",
        "H801200001001",
        "G80120000101A",
        "E87370032552K",
    ];

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
        let temporary: Vec<bool> = VALID
            .iter()
            .map(|s| Upn::parse(s).unwrap().is_temporary())
            .collect();
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
        assert_eq!(
            "g80120000101a".parse::<Upn>().unwrap().as_str(),
            "G80120000101A"
        );
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
        assert_eq!(
            parse_err("A3802001244170"),
            UpnError::WrongLength { found: 14 }
        );
        assert_eq!(
            parse_err("A380 200124417"),
            UpnError::WrongLength { found: 14 }
        );
    }

    #[test]
    fn rejects_wrong_check_letter_with_census_1510() {
        let err = parse_err("Z380200124417");
        assert_eq!(
            err,
            UpnError::WrongCheckLetter {
                expected: 'A',
                found: 'Z'
            }
        );
        assert_eq!(err.census_code(), Some(1510));
        assert_eq!(err.code(), "upn_wrong_check_letter");
        assert!(err.to_string().contains("expected A"));
    }

    #[test]
    fn rejects_digit_as_check_letter_with_census_1510() {
        let err = parse_err("1380200124417");
        assert_eq!(
            err,
            UpnError::WrongCheckLetter {
                expected: 'A',
                found: '1'
            }
        );
        assert_eq!(err.census_code(), Some(1510));
    }

    #[test]
    fn rejects_forbidden_check_letter_with_census_1510() {
        for letter in ['I', 'O', 'S'] {
            let err = parse_err(&format!("{letter}380200124417"));
            assert_eq!(
                err,
                UpnError::ForbiddenLetter {
                    position: 1,
                    letter
                }
            );
            assert_eq!(err.census_code(), Some(1510));
            assert_eq!(err.code(), "upn_forbidden_letter");
        }
    }

    #[test]
    fn rejects_unknown_la_900_with_census_1530() {
        let err = parse_err("R900400001001");
        assert_eq!(
            err,
            UpnError::UnknownLa {
                code: "900".to_owned()
            }
        );
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
        assert_eq!(
            parse_err("A900X0012441!"),
            UpnError::UnknownLa {
                code: "900".to_owned()
            }
        );
    }

    #[test]
    fn rejects_non_numeric_characters_5_to_12_with_census_1540() {
        for (s, position) in [
            ("A380X00124417", 5),
            ("A3802X0124417", 6),
            ("A3802001244A7", 12),
        ] {
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
            assert_eq!(
                parse_err(&format!("E87370032552{found}")),
                UpnError::BadFinalCharacter { found }
            );
        }
    }

    #[test]
    fn error_codes_are_distinct() {
        let errors = [
            UpnError::Missing,
            UpnError::WrongLength { found: 1 },
            UpnError::WrongCheckLetter {
                expected: 'A',
                found: 'B',
            },
            UpnError::UnknownLa {
                code: "900".to_owned(),
            },
            UpnError::NotNumeric { position: 5 },
            UpnError::BadFinalCharacter { found: 'I' },
            UpnError::ForbiddenLetter {
                position: 1,
                letter: 'O',
            },
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
        assert_eq!(
            check_letter("38020012441"),
            Err(UpnError::WrongLength { found: 12 })
        );
        assert_eq!(
            check_letter("900400001001"),
            Err(UpnError::UnknownLa {
                code: "900".to_owned()
            })
        );
        assert_eq!(
            check_letter("87370032552O"),
            Err(UpnError::BadFinalCharacter { found: 'O' })
        );
    }

    /// The one blind spot of the scheme: as character 13, digit d and the letter
    /// worth d (A=0 … K=9) weigh the same, so swapping them gives another valid
    /// UPN, one permanent and one temporary.
    fn is_equal_value_final_swap(position: usize, original: char, replacement: char) -> bool {
        position == UPN_LEN
            && final_character_value(original).ok() == final_character_value(replacement).ok()
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
        assert_eq!(
            Upn::from_parts(380, 2001, 24, 417).unwrap(),
            Upn::parse("A380200124417").unwrap()
        );
        assert_eq!(
            Upn::from_parts(801, 2000, 1, 1).unwrap().as_str(),
            "H801200001001"
        );
    }

    #[test]
    fn from_parts_round_trips_through_parse() {
        for (la, estab, year, serial) in [(919, 2001, 25, 0), (886, 4000, 99, 999), (201, 0, 0, 1)]
        {
            let upn = Upn::from_parts(la, estab, year, serial).unwrap();
            assert_eq!(upn.la_code(), la);
            assert!(!upn.is_temporary());
            assert_eq!(Upn::parse(upn.as_str()).unwrap(), upn);
        }
    }

    #[test]
    fn from_parts_rejects_unknown_la_and_out_of_range_parts() {
        assert_eq!(
            Upn::from_parts(900, 4000, 1, 1),
            Err(UpnError::UnknownLa {
                code: "900".to_owned()
            })
        );
        assert_eq!(
            Upn::from_parts(42, 4000, 1, 1),
            Err(UpnError::UnknownLa {
                code: "042".to_owned()
            })
        );
        assert!(matches!(
            Upn::from_parts(1000, 4000, 1, 1),
            Err(UpnError::WrongLength { found: 14 })
        ));
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
        assert_eq!(
            serde_json::from_str::<Upn>("\" a380200124417 \"")
                .unwrap()
                .as_str(),
            "A380200124417"
        );
    }

    #[test]
    fn serde_rejects_invalid_upn_string() {
        for json in [
            "\"Z380200124417\"",
            "\"R900400001001\"",
            "\"\"",
            "380200124417",
        ] {
            assert!(
                serde_json::from_str::<Upn>(json).is_err(),
                "{json} accepted"
            );
        }
        let err = serde_json::from_str::<Upn>("\"Z380200124417\"").unwrap_err();
        assert!(err.to_string().contains("check letter"));
    }

    #[test]
    fn accepts_upns_from_superseded_las() {
        let upn = Upn::from_parts(928, 2001, 5, 12).unwrap();
        assert_eq!(upn.la_code(), 928);
        assert_eq!(
            la_name(upn.la_code()),
            Some("Northamptonshire (before 2021)")
        );
    }
}
