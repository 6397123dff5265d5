//! The graduated approach as an explicit state machine (R05):
//! assess → plan → do → review → (next cycle | SEN support ends).
//!
//! Each action on a cycle is an [`Action`]; [`Stage::apply`] says which stage it
//! leads to, or refuses it with the actions allowed now. Nothing else in senplan
//! moves a cycle between stages.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Assess,
    Plan,
    Do,
    Review,
    /// The review has been recorded; the cycle is history.
    Closed,
}

impl Stage {
    pub const OPEN: [Stage; 4] = [Self::Assess, Self::Plan, Self::Do, Self::Review];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Assess => "assess",
            Self::Plan => "plan",
            Self::Do => "do",
            Self::Review => "review",
            Self::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Assess, Self::Plan, Self::Do, Self::Review, Self::Closed].into_iter().find(|x| x.as_str() == s)
    }

    /// Plain-language label (R33).
    pub fn label(self) -> &'static str {
        match self {
            Self::Assess => "Assess: finding out what the pupil needs",
            Self::Plan => "Plan: agreeing outcomes and support",
            Self::Do => "Do: support in place",
            Self::Review => "Review: checking what difference the support made",
            Self::Closed => "Reviewed",
        }
    }

    /// The step in plain words for a family or a young person (R33): never "Do".
    pub fn for_family(self) -> &'static str {
        match self {
            Self::Assess => "Finding out what help is needed",
            Self::Plan => "Agreeing the plan",
            Self::Do => "The help is happening now",
            Self::Review => "Checking what difference the help made",
            Self::Closed => "Reviewed",
        }
    }

    /// What may happen at this stage.
    pub fn allowed(self) -> &'static [Action] {
        use Action::*;
        match self {
            Self::Assess => &[AddContribution, DraftPlan],
            Self::Plan => &[AddContribution, EditPlan, StartDelivery],
            // Assessment is continuous: what staff, the family or a specialist add
            // while the support is in place counts at the review.
            Self::Do => &[AddContribution, EditPlan, LogSession, StartReview, RecordReview],
            Self::Review => &[AddContribution, LogSession, RecordReview],
            // A session held before the review may still be logged late; the date
            // check (`costing::check_session_date`) keeps it before the close.
            Self::Closed => &[LogSession],
        }
    }

    /// The stage an action leads to, or why it cannot happen now.
    pub fn apply(self, action: Action) -> Result<Stage, IllegalTransition> {
        // Ending SEN support closes the cycle at whatever stage it is: it follows a
        // change of SEN status, so it is not one of the actions offered on the cycle.
        if action == Action::EndSupport {
            return if self == Self::Closed { Err(IllegalTransition { stage: self, action }) } else { Ok(Self::Closed) };
        }
        if !self.allowed().contains(&action) {
            return Err(IllegalTransition { stage: self, action });
        }
        Ok(match action {
            Action::AddContribution | Action::EditPlan | Action::LogSession => self,
            Action::DraftPlan => Self::Plan,
            Action::StartDelivery => Self::Do,
            Action::StartReview => Self::Review,
            Action::RecordReview | Action::EndSupport => Self::Closed,
        })
    }
}

/// Everything that can be done to a cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Action {
    AddContribution,
    DraftPlan,
    EditPlan,
    StartDelivery,
    /// Record a session of the plan's provision, held or missed (R11): only once the
    /// support has started.
    LogSession,
    StartReview,
    RecordReview,
    /// SEN support ended (status changed to N): the open cycle closes on that day.
    EndSupport,
}

impl Action {
    /// Whether the action is taken by itself (start the support, start the review);
    /// the others happen by writing their content (a plan, a contribution, a review, a
    /// session, a status).
    pub fn is_explicit(self) -> bool {
        matches!(self, Self::StartDelivery | Self::StartReview)
    }

    pub fn describe(self) -> &'static str {
        match self {
            Self::AddContribution => "add an assessment contribution",
            Self::DraftPlan => "write the plan",
            Self::EditPlan => "change the plan",
            Self::StartDelivery => "start the support (do)",
            Self::LogSession => "log a session of support",
            Self::StartReview => "start the review",
            Self::RecordReview => "record the review",
            Self::EndSupport => "end SEN support",
        }
    }
}

/// An action the current stage does not allow.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message())]
pub struct IllegalTransition {
    pub stage: Stage,
    pub action: Action,
}

impl IllegalTransition {
    pub fn message(&self) -> String {
        let allowed: Vec<_> = self.stage.allowed().iter().map(|a| a.describe()).collect();
        let now = if self.stage == Stage::Closed {
            "nothing but logging a session held before it closed: this cycle is closed".to_owned()
        } else {
            allowed.join(", ")
        };
        format!("Cannot {} while the cycle is at '{}'. Allowed now: {now}", self.action.describe(), self.stage.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Action::*;

    #[test]
    fn r05_full_cycle_runs_assess_plan_do_review() {
        let mut s = Stage::Assess;
        for (action, expect) in [
            (AddContribution, Stage::Assess),
            (DraftPlan, Stage::Plan),
            (EditPlan, Stage::Plan),
            (StartDelivery, Stage::Do),
            (StartReview, Stage::Review),
            (RecordReview, Stage::Closed),
        ] {
            s = s.apply(action).unwrap();
            assert_eq!(s, expect, "after {action:?}");
        }
    }

    #[test]
    fn r05_review_before_plan_is_refused_saying_what_is_allowed() {
        let err = Stage::Assess.apply(RecordReview).unwrap_err();
        assert_eq!(err.stage, Stage::Assess);
        assert_eq!(
            err.to_string(),
            "Cannot record the review while the cycle is at 'assess'. Allowed now: add an assessment contribution, write the plan"
        );
    }

    #[test]
    fn r05_closed_cycle_allows_nothing_but_late_session_logs() {
        for action in [AddContribution, DraftPlan, EditPlan, StartDelivery, StartReview, RecordReview] {
            assert!(Stage::Closed.apply(action).is_err());
        }
        assert_eq!(Stage::Closed.apply(LogSession), Ok(Stage::Closed), "a session held before the close may be logged late");
        assert!(Stage::Closed.apply(EditPlan).unwrap_err().to_string().contains("closed"));
    }

    #[test]
    fn r05_review_can_be_recorded_straight_from_do() {
        assert_eq!(Stage::Do.apply(RecordReview), Ok(Stage::Closed));
        assert!(Stage::Plan.apply(StartReview).is_err());
    }

    /// The whole state machine as one table (R05, R12): for every stage, what each
    /// action leads to (`Some(stage)`) or that it is refused (`None`).
    #[test]
    fn r05_r12_every_stage_and_action_as_a_table() {
        use Stage::*;
        const ACTIONS: [Action; 8] =
            [AddContribution, DraftPlan, EditPlan, StartDelivery, LogSession, StartReview, RecordReview, EndSupport];
        const X: Option<Stage> = None;
        #[rustfmt::skip]
        let table: [(Stage, [Option<Stage>; 8]); 5] = [
            //          contribute    draft plan   edit plan    start do   log session   start review  record review  end support
            (Assess, [Some(Assess), Some(Plan), X,           X,         X,            X,            X,             Some(Closed)]),
            (Plan,   [Some(Plan),   X,          Some(Plan),  Some(Do),  X,            X,            X,             Some(Closed)]),
            (Do,     [Some(Do),     X,          Some(Do),    X,         Some(Do),     Some(Review), Some(Closed),  Some(Closed)]),
            (Review, [Some(Review), X,          X,           X,         Some(Review), X,            Some(Closed),  Some(Closed)]),
            (Closed, [X,            X,          X,           X,         Some(Closed), X,            X,             X]),
        ];
        for (stage, row) in table {
            for (action, want) in ACTIONS.into_iter().zip(row) {
                let got = stage.apply(action);
                match want {
                    Some(next) => assert_eq!(got, Ok(next), "{stage:?} + {action:?}"),
                    None => {
                        let err = got.expect_err(&format!("{stage:?} + {action:?} must be refused"));
                        assert_eq!((err.stage, err.action), (stage, action));
                        assert!(err.to_string().starts_with(&format!("Cannot {}", action.describe())), "{err}");
                    }
                }
            }
            // Ending support follows a change of status; it is not offered on the cycle's page.
            let allowed: Vec<Action> =
                ACTIONS.into_iter().zip(row).filter(|(a, w)| w.is_some() && *a != EndSupport).map(|(a, _)| a).collect();
            assert_eq!(stage.allowed(), allowed.as_slice(), "{stage:?}: the actions offered on its page");
        }
    }

    #[test]
    fn r05_only_starting_the_support_or_the_review_is_a_transition_by_itself() {
        let explicit: Vec<Action> =
            [AddContribution, DraftPlan, EditPlan, StartDelivery, LogSession, StartReview, RecordReview, EndSupport]
                .into_iter()
                .filter(|a| a.is_explicit())
                .collect();
        assert_eq!(explicit, [StartDelivery, StartReview]);
    }

    #[test]
    fn r05_stage_names_and_labels_round_trip() {
        for s in [Stage::Assess, Stage::Plan, Stage::Do, Stage::Review, Stage::Closed] {
            assert_eq!(Stage::parse(s.as_str()), Some(s));
        }
        assert_eq!(Stage::parse("doing"), None);
        assert_eq!(Stage::Do.label(), "Do: support in place");
        assert_eq!(Stage::Closed.label(), "Reviewed");
    }
}
