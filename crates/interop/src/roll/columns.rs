//! The columns senplan reads from a roll, and how each is recognised in a header row
//! whatever the MIS calls it (case, spaces and punctuation ignored).

/// Each column senplan reads from a roll: the canonical heading and what it holds,
/// with the other spellings accepted, for a help page.
pub const ROLL_COLUMNS: &[(&str, &str)] = &[
    ("UPN", "Unique Pupil Number: 13 characters, checked as the school census checks it. Required. Also read: Unique Pupil Number."),
    ("Former UPN", "A UPN the pupil had before, checked the same way. Optional. Also read: Previous UPN."),
    ("Legal Forename", "The pupil's legal given name. Required. Also read: Forename, First Name, Legal First Name, Given Name."),
    ("Legal Surname", "The pupil's legal family name. Required. Also read: Surname, Last Name, Family Name."),
    (
        "Preferred Forename",
        "The name the pupil is known by, when it differs from the legal one. Optional. Also read: Preferred First Name, Preferred Name, Known As.",
    ),
    ("DOB", "Date of birth, as yyyy-mm-dd or dd/mm/yyyy (a two-digit year is refused). Required. Also read: Date of Birth, Birth Date."),
    ("Sex", "M or F (or Male, Female). Optional. Also read: Gender."),
    (
        "Year",
        "National Curriculum year group: N1, N2, R, 1 to 14, or X (not following it); \"Year 4\" and \"Reception\" are read too. Required. Also read: Year Group, NC Year, NC Year Actual, Curriculum Year.",
    ),
    ("Reg Group", "The pupil's class or registration form. Optional. Also read: Registration Group, Form, Class, Tutor Group."),
    ("Entry Date", "The day the pupil joined the school. Optional. Also read: Date of Entry, Admission Date, Start Date."),
    ("Leaving Date", "The day the pupil left, once they have. Optional. Also read: Date of Leaving, Leave Date."),
    (
        "SEN Status",
        "SEN provision: N no SEN, K SEN support, E EHC plan (\"K - SEN Support\" and the words alone are read too). The historic S, A and P are refused: they come only from a Common Transfer File. Optional. Also read: SEN Provision, SEN, SEN Stage.",
    ),
    (
        "Primary Need",
        "The type of need at rank 1, as a census code such as SLCN (or its meaning in full). Then Secondary Need (rank 2), SEN Need 3 and so on. Also read: SEN Need 1, SEN Type 1, Need 1; SEN Need 2, SEN Type 2, Need 2.",
    ),
    (
        "SEN Needs",
        "Instead of ranked columns, one column with the codes in rank order, separated by ; , or |, each optionally with its rank as CODE:rank (SLCN:1;SEMH:2). Also read: SEN Need Types, Needs.",
    ),
];

/// The columns senplan reads, and how each is recognised in a header row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Col {
    Upn,
    FormerUpn,
    Given,
    Family,
    Preferred,
    Dob,
    Sex,
    Year,
    Form,
    Entry,
    Leaving,
    Status,
    /// A ranked need column: Primary Need is rank 1.
    Need(u8),
    /// One column of needs in rank order.
    Needs,
}

impl Col {
    /// The spellings accepted, as people write them; compared after [`normalise`].
    pub(super) fn spellings(self) -> &'static [&'static str] {
        match self {
            Self::Upn => &["UPN", "Unique Pupil Number"],
            Self::FormerUpn => &["Former UPN", "Previous UPN"],
            Self::Given => &["Legal Forename", "Forename", "First Name", "Legal First Name", "Given Name"],
            Self::Family => &["Legal Surname", "Surname", "Last Name", "Family Name"],
            Self::Preferred => &["Preferred Forename", "Preferred First Name", "Preferred Name", "Known As"],
            Self::Dob => &["DOB", "Date of Birth", "Birth Date"],
            Self::Sex => &["Sex", "Gender"],
            Self::Year => &["Year", "Year Group", "NC Year", "NC Year Actual", "Curriculum Year"],
            Self::Form => &["Reg Group", "Registration Group", "Form", "Class", "Tutor Group"],
            Self::Entry => &["Entry Date", "Date of Entry", "Admission Date", "Start Date"],
            Self::Leaving => &["Leaving Date", "Date of Leaving", "Leave Date"],
            Self::Status => &["SEN Status", "SEN Provision", "SEN", "SEN Stage"],
            Self::Need(1) => &["Primary Need", "SEN Need 1", "SEN Type 1", "Need 1"],
            Self::Need(2) => &["Secondary Need", "SEN Need 2", "SEN Type 2", "Need 2"],
            Self::Need(_) => &["SEN Need N", "SEN Type N", "Need N"],
            Self::Needs => &["SEN Needs", "SEN Need Types", "Needs"],
        }
    }

    /// What the column holds, for messages ("the date of birth").
    pub(super) fn what(self) -> &'static str {
        match self {
            Self::Upn => "UPN",
            Self::FormerUpn => "former UPN",
            Self::Given => "legal given name",
            Self::Family => "legal family name",
            Self::Preferred => "preferred name",
            Self::Dob => "date of birth",
            Self::Sex => "sex",
            Self::Year => "year group",
            Self::Form => "class or form",
            Self::Entry => "entry date",
            Self::Leaving => "leaving date",
            Self::Status => "SEN status",
            Self::Need(_) | Self::Needs => "types of need",
        }
    }

    /// The [`RowProblem::field`] for the column.
    pub(super) fn field(self) -> &'static str {
        match self {
            Self::Upn => "upn",
            Self::FormerUpn => "former_upn",
            Self::Given => "given_name",
            Self::Family => "family_name",
            Self::Preferred => "preferred_name",
            Self::Dob => "date_of_birth",
            Self::Sex => "sex",
            Self::Year => "year_group",
            Self::Form => "form",
            Self::Entry => "entry_date",
            Self::Leaving => "leaving_date",
            Self::Status => "status",
            Self::Need(_) | Self::Needs => "needs",
        }
    }

    pub(super) const REQUIRED: [Col; 5] = [Col::Upn, Col::Given, Col::Family, Col::Dob, Col::Year];
    pub(super) const SIMPLE: [Col; 13] = [
        Col::Upn,
        Col::FormerUpn,
        Col::Given,
        Col::Family,
        Col::Preferred,
        Col::Dob,
        Col::Sex,
        Col::Year,
        Col::Form,
        Col::Entry,
        Col::Leaving,
        Col::Status,
        Col::Needs,
    ];
}

/// A heading reduced for comparison: no byte order mark, spaces, underscores, hyphens
/// or dots, lower case.
fn normalise(heading: &str) -> String {
    heading
        .chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-' | '.' | '\u{feff}') && !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The column a heading names, if senplan reads it.
pub(super) fn column_for(heading: &str) -> Option<Col> {
    let h = normalise(heading);
    if h.is_empty() {
        return None;
    }
    if let Some(col) = Col::SIMPLE.into_iter().chain([Col::Need(1), Col::Need(2)]).find(|c| c.spellings().iter().any(|s| normalise(s) == h))
    {
        return Some(col);
    }
    ["senneed", "sentype", "need"].iter().find_map(|prefix| {
        let digits = h.strip_prefix(prefix)?;
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        digits.parse::<u8>().ok().filter(|n| *n >= 1).map(Col::Need)
    })
}
