//! Demo accounts: one person per role at the demo school, each related to the right
//! pupils, with fresh passwords printed once at every start so a newcomer can sign
//! in as each role and see the difference.

use chrono::{Days, Utc};
use rand::Rng;
use senplan_core::access::{Relationship, Role};
use senplan_core::ids::PupilId;
use senplan_core::record::{RegisterRow, School};
use senplan_core::status::SenStatus;
use senplan_store::accounts::{NewUser, unusable_password};
use senplan_store::{Ctx, Store};

use crate::CliError;

const WORDS: &[&str] = &[
    "amber", "bridge", "candle", "dolphin", "ember", "forest", "garden", "harbour", "island", "juniper", "kettle", "lantern", "meadow",
    "nutmeg", "orchard", "pebble", "quartz", "river", "saddle", "thistle", "umbrella", "velvet", "willow", "yonder",
];

fn passphrase() -> String {
    let mut rng = rand::rng();
    (0..4).map(|_| WORDS[rng.random_range(0..WORDS.len())]).collect::<Vec<_>>().join("-")
}

struct DemoPerson {
    role: Role,
    /// The address's local part; the domain is the setting's (`domain`).
    email: &'static str,
    name: &'static str,
}

const PEOPLE: &[DemoPerson] = &[
    DemoPerson { role: Role::Administrator, email: "admin", name: "Mr Dale" },
    DemoPerson { role: Role::Senco, email: "senco", name: "Ms Rivera" },
    DemoPerson { role: Role::Teacher, email: "teacher", name: "Mr Ahmed" },
    DemoPerson { role: Role::TeachingAssistant, email: "ta", name: "Mrs Green" },
    DemoPerson { role: Role::Headteacher, email: "head", name: "Dr Okafor" },
    DemoPerson { role: Role::Governor, email: "governor", name: "Mrs Patel" },
    DemoPerson { role: Role::ParentCarer, email: "parent", name: "A synthetic parent" },
    DemoPerson { role: Role::YoungPerson, email: "student", name: "A synthetic sixth-form student" },
    DemoPerson { role: Role::LaOfficer, email: "la", name: "Ms Byrne" },
    DemoPerson { role: Role::ExternalProfessional, email: "ep", name: "Dr Lowe" },
];

fn ctx() -> Ctx {
    let mut c = Ctx::new("senplan demo", Utc::now());
    c.origin = "command line".into();
    c
}

/// Which pupils each related role is connected to.
fn pupils_for(role: Role, register: &[RegisterRow], roll: &[RegisterRow]) -> Vec<(PupilId, Option<u64>)> {
    let on_support = || register.iter().filter(|r| r.status == SenStatus::K && r.cycle_id.is_some());
    match role {
        Role::Teacher => roll.iter().filter(|r| r.year_group == "4").map(|r| (r.pupil_id, None)).collect(),
        Role::TeachingAssistant => on_support().take(8).map(|r| (r.pupil_id, None)).collect(),
        Role::ParentCarer => on_support().find(|r| r.next_review.is_some()).map(|r| vec![(r.pupil_id, None)]).unwrap_or_default(),
        Role::YoungPerson => {
            on_support().find(|r| matches!(r.year_group.as_str(), "12" | "13")).map(|r| vec![(r.pupil_id, None)]).unwrap_or_default()
        }
        Role::ExternalProfessional => on_support().nth(3).map(|r| vec![(r.pupil_id, Some(30))]).unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// The demo accounts' domain for each kind of setting (R26), so that one database can
/// hold the three demos.
fn domain(setting: senplan_core::school::SettingType) -> &'static str {
    match setting {
        senplan_core::school::SettingType::School => "oakfield.example",
        senplan_core::school::SettingType::EarlyYears => "littleacorns.example",
        senplan_core::school::SettingType::FurtherEducation => "northshire-college.example",
    }
}

/// Creates any missing demo accounts, sets fresh passwords, and prints them.
pub async fn print(store: &Store, school: &School, public_url: &str) -> Result<(), CliError> {
    // The command line acts for the school as the system: it sees every pupil.
    let scope = senplan_core::actor::Actor::system(school.id, "demo", "command line", Utc::now()).scope();
    let register = store.register(&scope).await?;
    let roll = store.roll(&scope).await?;
    let today = Utc::now().date_naive();
    println!();
    println!("Demo accounts (synthetic people; passwords are new each time the demo starts):");
    let setting = school.details.setting;
    for person in PEOPLE {
        if setting == senplan_core::school::SettingType::EarlyYears && person.role == Role::YoungPerson {
            continue; // Children of two to four have no account of their own.
        }
        let email = format!("{}@{}", person.email, domain(setting));
        let user = match store.user_by_email(&email).await? {
            // A demo database made before a role changed (leadership became headteacher
            // and governor) gets the role the demo says.
            Some(u) if u.role != person.role => store.set_role(u.id, person.role, &ctx()).await?,
            Some(u) => u,
            None => {
                let u = store
                    .create_user(
                        school.id,
                        &NewUser { email: email.clone(), name: person.name.into(), role: person.role },
                        &unusable_password(),
                        &ctx(),
                    )
                    .await?;
                if let Some(kind) = person.role.relationship() {
                    for (pupil, days) in pupils_for(person.role, &register, &roll) {
                        let expires = days.and_then(|d| today.checked_add_days(Days::new(d)));
                        debug_assert!(kind != Relationship::Grant || expires.is_some());
                        store
                            .relate(
                                &scope,
                                &senplan_store::relationships::NewRelationship {
                                    user: u.id,
                                    pupil,
                                    kind,
                                    starts_on: today,
                                    expires_on: expires,
                                },
                                &ctx(),
                            )
                            .await?;
                    }
                }
                u
            }
        };
        let password = passphrase();
        store.set_password(user.id, &password, &ctx()).await?;
        println!("  {:<36} {:<28} {password}", person.role.label(), email);
    }
    println!("Sign in at {public_url}/sign-in");
    println!();
    Ok(())
}
