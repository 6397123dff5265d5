//! Plan wording for synthetic pupils, by need: specific, measurable outcomes and the
//! provision that serves them, the way a good SENCO writes them.

use senplan_core::need::NeedCode;

pub struct OutcomeText {
    pub description: &'static str,
    pub measure: &'static str,
    pub baseline: &'static str,
    pub target: &'static str,
}

pub struct ProvisionText {
    pub what: &'static str,
    /// Staff role key (see [`crate::costing`]).
    pub role: &'static str,
    /// Provision library key.
    pub kind: &'static str,
    /// Other cost key, if any.
    pub other: Option<&'static str>,
    pub minutes: u32,
    pub sessions: u32,
    pub group: u32,
}

pub struct NeedPlan {
    pub outcomes: [OutcomeText; 2],
    pub provision: ProvisionText,
    pub strategies: [&'static str; 2],
}

const SLCN: NeedPlan = NeedPlan {
    outcomes: [
        OutcomeText {
            description: "Follow a two-part spoken instruction in class without a visual prompt",
            measure: "Instructions followed in 10 observed trials",
            baseline: "3 of 10",
            target: "8 of 10",
        },
        OutcomeText {
            description: "Retell a short story in the right order using 'first, next, last'",
            measure: "Story events retold in order (of 5)",
            baseline: "2 of 5",
            target: "5 of 5",
        },
    ],
    provision: ProvisionText {
        what: "Small-group language programme (narrative and vocabulary)",
        role: "teaching_assistant",
        kind: "small_group_work",
        other: None,
        minutes: 30,
        sessions: 3,
        group: 4,
    },
    strategies: ["Give instructions in short chunks and check understanding", "Use visual timetables and word mats"],
};

const SEMH: NeedPlan = NeedPlan {
    outcomes: [
        OutcomeText {
            description: "Use a calm-down strategy when upset instead of leaving the classroom",
            measure: "Times left the classroom per week",
            baseline: "5 a week",
            target: "1 a week or fewer",
        },
        OutcomeText {
            description: "Join a structured playground game with peers at lunchtime",
            measure: "Lunchtimes joining a game (of 5)",
            baseline: "1 of 5",
            target: "4 of 5",
        },
    ],
    provision: ProvisionText {
        what: "ELSA sessions (emotional literacy support)",
        role: "hlta",
        kind: "extra_adult_help",
        other: None,
        minutes: 30,
        sessions: 1,
        group: 1,
    },
    strategies: ["Greet at the door and preview changes to the day", "Offer a named safe space and a 'time out' card"],
};

const MLD: NeedPlan = NeedPlan {
    outcomes: [
        OutcomeText {
            description: "Add and subtract numbers to 20 without apparatus",
            measure: "Correct answers in a 20-question check",
            baseline: "6 of 20",
            target: "16 of 20",
        },
        OutcomeText {
            description: "Read and spell the Year 2 common exception words",
            measure: "Words read correctly (of 64)",
            baseline: "20 of 64",
            target: "45 of 64",
        },
    ],
    provision: ProvisionText {
        what: "Precision teaching of number facts and words",
        role: "teaching_assistant",
        kind: "special_learning_programme",
        other: None,
        minutes: 10,
        sessions: 5,
        group: 1,
    },
    strategies: ["Pre-teach key vocabulary before each topic", "Provide concrete apparatus for all maths tasks"],
};

const SPLD: NeedPlan = NeedPlan {
    outcomes: [
        OutcomeText {
            description: "Read a levelled text aloud accurately",
            measure: "Reading accuracy on a running record",
            baseline: "82%",
            target: "95%",
        },
        OutcomeText {
            description: "Write three sentences independently with correct capital letters and full stops",
            measure: "Sentences correctly punctuated (of 3) in 5 samples",
            baseline: "1 of 3",
            target: "3 of 3",
        },
    ],
    provision: ProvisionText {
        what: "Structured multisensory phonics intervention",
        role: "teacher",
        kind: "special_learning_programme",
        other: Some("phonics_programme_licence"),
        minutes: 20,
        sessions: 4,
        group: 3,
    },
    strategies: ["Provide printed copies instead of copying from the board", "Allow extra time and coloured overlays"],
};

const ASD: NeedPlan = NeedPlan {
    outcomes: [
        OutcomeText {
            description: "Move between lessons using a visual timetable without adult prompting",
            measure: "Transitions managed independently per day (of 6)",
            baseline: "2 of 6",
            target: "5 of 6",
        },
        OutcomeText {
            description: "Ask an adult for help using a help card when stuck",
            measure: "Help requests observed per week",
            baseline: "0",
            target: "3 or more",
        },
    ],
    provision: ProvisionText {
        what: "Social communication group (turn taking and asking for help)",
        role: "hlta",
        kind: "small_group_work",
        other: None,
        minutes: 45,
        sessions: 1,
        group: 4,
    },
    strategies: ["Warn of changes in advance and use a now-and-next board", "Use the pupil's name before giving an instruction"],
};

const SENSORY: NeedPlan = NeedPlan {
    outcomes: [
        OutcomeText {
            description: "Use the radio aid or enlarged resources independently in every lesson",
            measure: "Lessons with equipment used independently (of 10 observed)",
            baseline: "4 of 10",
            target: "9 of 10",
        },
        OutcomeText {
            description: "Tell an adult when equipment is not working",
            measure: "Faults reported by the pupil (of faults found)",
            baseline: "1 of 4",
            target: "4 of 4",
        },
    ],
    provision: ProvisionText {
        what: "Adult help to set up and check specialist equipment",
        role: "teaching_assistant",
        kind: "changed_materials_and_equipment",
        other: Some("specialist_equipment"),
        minutes: 15,
        sessions: 5,
        group: 1,
    },
    strategies: ["Seat near the front, facing the teacher, away from noise", "Provide enlarged or pre-prepared resources"],
};

const GENERAL: NeedPlan = NeedPlan {
    outcomes: [
        OutcomeText {
            description: "Complete an independent task of 10 minutes with one reminder",
            measure: "Tasks completed with at most one reminder (of 5)",
            baseline: "1 of 5",
            target: "4 of 5",
        },
        OutcomeText {
            description: "Organise own equipment for each lesson",
            measure: "Lessons started with the right equipment (of 10)",
            baseline: "5 of 10",
            target: "9 of 10",
        },
    ],
    provision: ProvisionText {
        what: "Small-group work on independence and organisation",
        role: "teaching_assistant",
        kind: "small_group_work",
        other: None,
        minutes: 20,
        sessions: 2,
        group: 5,
    },
    strategies: ["Break tasks into numbered steps on a checklist", "Check understanding by asking the pupil to repeat the task"],
};

pub fn for_need(code: NeedCode) -> &'static NeedPlan {
    match code {
        NeedCode::Slcn => &SLCN,
        NeedCode::Semh => &SEMH,
        NeedCode::Mld | NeedCode::Sld | NeedCode::Pmld | NeedCode::Ds => &MLD,
        NeedCode::Spld => &SPLD,
        NeedCode::Asd => &ASD,
        NeedCode::Hi | NeedCode::Vi | NeedCode::Msi | NeedCode::Pd => &SENSORY,
        NeedCode::Oth | NeedCode::Nsa => &GENERAL,
    }
}
