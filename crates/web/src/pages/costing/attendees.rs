//! Who attended a group session (R11): for a provision delivered to a group, the
//! delivery form lists the other pupils who could have been there, so the SENCO
//! ticks each one and a single log records them all. The list prefers pupils whose
//! current plans have group provision of the same type (or, where the provision has
//! no type, delivered by the same person); before a provision is chosen it lists
//! every pupil with group provision. One-to-one provision keeps the single "the
//! pupil attended" box.

use std::collections::BTreeMap;

use senplan_core::costing::ProvisionMap;

use super::form::Form;

/// One provision as the map costs it: what is needed to find its group.
#[derive(Debug, Clone)]
struct Line {
    pupil_id: i64,
    plan_id: i64,
    number: u32,
    name: String,
    group_size: u32,
    provision_type: Option<String>,
    label: String,
    delivered_by: String,
}

/// The group provision of the school, from the provision map.
#[derive(Debug, Clone, Default)]
pub(crate) struct Groups {
    lines: Vec<Line>,
}

/// A pupil who may be ticked as attending: id, name, and a hint naming their group provision.
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    pub id: String,
    pub name: String,
    pub hint: String,
}

/// The form field of a ticked pupil.
pub(crate) fn field(pupil: i64) -> String {
    format!("attendee-{pupil}")
}

impl Groups {
    pub fn new(map: &ProvisionMap) -> Groups {
        let lines = map
            .pupils
            .iter()
            .flat_map(|p| {
                // The map also lists provision starting after its range (it counts in
                // the year's cost): not running in the range, so no session of it.
                p.lines.iter().filter(|l| l.start <= map.to).map(|l| Line {
                    pupil_id: p.pupil_id,
                    plan_id: l.plan_id,
                    number: l.number,
                    name: p.name.clone(),
                    group_size: l.group_size,
                    provision_type: l.provision_type.clone(),
                    label: l.provision_type_label.clone().unwrap_or_else(|| l.what.clone()),
                    delivered_by: l.delivered_by.clone(),
                })
            })
            .collect();
        Groups { lines }
    }

    fn line(&self, plan: i64, number: u32) -> Option<&Line> {
        self.lines.iter().find(|l| l.plan_id == plan && l.number == number)
    }

    /// Whether provision `number` of `plan` is known to be delivered one-to-one.
    pub fn is_one_to_one(&self, plan: i64, number: u32) -> bool {
        self.line(plan, number).is_some_and(|l| l.group_size <= 1)
    }

    /// The pupils to offer for the chosen provision (`None`: nothing chosen yet),
    /// by name. Empty for one-to-one provision.
    pub fn candidates(&self, chosen: Option<(i64, u32)>) -> Vec<Candidate> {
        let chosen = match chosen {
            Some((plan, number)) => match self.line(plan, number) {
                Some(l) if l.group_size > 1 => Some(l),
                Some(_) => return Vec::new(),
                None => None,
            },
            None => None,
        };
        let same = |l: &Line| match chosen {
            None => true,
            Some(c) => {
                l.pupil_id != c.pupil_id
                    && if c.provision_type.is_some() { l.provision_type == c.provision_type } else { l.delivered_by == c.delivered_by }
            }
        };
        let mut pupils: BTreeMap<(String, i64), Vec<String>> = BTreeMap::new();
        for l in self.lines.iter().filter(|l| l.group_size > 1 && same(l)) {
            let kinds = pupils.entry((l.name.clone(), l.pupil_id)).or_default();
            let kind = format!("{} with {}", l.label, l.delivered_by);
            if !kinds.contains(&kind) {
                kinds.push(kind);
            }
        }
        pupils.into_iter().map(|((name, id), kinds)| Candidate { id: field(id), name, hint: kinds.join("; ") }).collect()
    }
}

/// The pupils ticked on the form, in the order given by the form's field names.
pub(crate) fn ticked(form: &Form) -> Vec<i64> {
    let mut ids: Vec<i64> = form
        .values
        .iter()
        .filter(|(_, v)| v.as_str() == "yes")
        .filter_map(|(k, _)| k.strip_prefix("attendee-").and_then(|id| id.parse::<i64>().ok()))
        .collect();
    ids.sort_unstable();
    ids
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn line(pupil_id: i64, plan_id: i64, group_size: u32, kind: Option<&str>) -> Line {
        Line {
            pupil_id,
            plan_id,
            number: 1,
            name: format!("Pupil {pupil_id}"),
            group_size,
            provision_type: kind.map(str::to_owned),
            label: kind.unwrap_or("Help").to_owned(),
            delivered_by: "Mrs Green".into(),
        }
    }

    #[test]
    fn group_offers_others_of_the_same_type_and_one_to_one_offers_none() {
        let g = Groups {
            lines: vec![
                line(1, 10, 4, Some("small_group_work")),
                line(2, 20, 4, Some("small_group_work")),
                line(3, 30, 3, Some("peer_support")),
                line(4, 40, 1, Some("small_group_work")),
            ],
        };
        let names = |c: Vec<Candidate>| c.into_iter().map(|c| c.name).collect::<Vec<_>>();
        assert_eq!(names(g.candidates(Some((10, 1)))), ["Pupil 2"]);
        assert_eq!(names(g.candidates(None)), ["Pupil 1", "Pupil 2", "Pupil 3"]);
        assert!(g.candidates(Some((40, 1))).is_empty());
        assert!(g.is_one_to_one(40, 1) && !g.is_one_to_one(10, 1) && !g.is_one_to_one(99, 1));
    }

    #[test]
    fn ticked_reads_only_ticked_pupils() {
        let values: HashMap<String, String> =
            [("attendee-7", "yes"), ("attendee-3", "yes"), ("attendee-x", "yes"), ("session-attended", "yes")]
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect();
        assert_eq!(ticked(&Form::new(values)), [3, 7]);
    }
}
