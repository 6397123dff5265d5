//! A class's strategies on one page (R10): each pupil's needs, the strategies every
//! adult must use and the provision in place, for the pupils the person teaches (or a
//! year group), made to be printed and kept in the classroom.

use askama::Template;
use axum::extract::{Path, Query, State};
use senplan_app::strategies::class_strategies;
use senplan_core::pupil::YearGroup;
use serde::Deserialize;

use super::fields::Choice;
use super::{PageResult, long_date, render, text};
use crate::AppState;
use crate::pages::nav::Nav;
use crate::routes::Routes;
use crate::session::Viewer;

pub(crate) fn routes() -> Routes {
    Routes::new().get("/schools/{school}/strategies", strategies)
}

#[derive(Deserialize, Default)]
pub struct Which {
    #[serde(default)]
    year: String,
}

struct Card {
    href: String,
    name: String,
    year: String,
    needs: Vec<String>,
    strategies: Vec<String>,
    provision: Vec<String>,
    responsible: String,
    review: String,
    /// "How best to help me" from the pupil passport, and where to read it all (R30).
    help_me: Vec<String>,
    passport_href: Option<String>,
    /// Adjustments in place (R35).
    adjustments: Vec<String>,
    /// Medical alerts: (condition, what to do in an emergency, medicines held).
    medical: Vec<(String, String, Vec<String>)>,
    has_plan: bool,
}

#[derive(Template)]
#[template(path = "strategies.html")]
struct StrategiesPage {
    nav: Nav,
    school: i64,
    years: Vec<Choice>,
    heading: String,
    produced: String,
    cards: Vec<Card>,
    /// The plan copies of these pupils in one zip (R09).
    zip: String,
}

fn year_label(y: &str) -> String {
    YearGroup::parse(y).map_or_else(|| y.to_owned(), YearGroup::label)
}

async fn strategies(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>, Query(which): Query<Which>) -> PageResult {
    let year = YearGroup::parse(which.year.trim()).map(YearGroup::code);
    let all = class_strategies(&s.store, &viewer.actor, school, None).await?;
    let mut years: Vec<String> = all.iter().map(|p| p.year_group.clone()).collect();
    years.sort_by_key(|y| {
        YearGroup::parse(y).map(|g| match g {
            YearGroup::Nursery(n) => i32::from(n) - 10,
            YearGroup::Reception => 0,
            YearGroup::Year(n) => i32::from(n),
            YearGroup::NotApplicable => 99,
        })
    });
    years.dedup();
    let selected = year.clone().unwrap_or_default();
    let mut choices = vec![Choice::new("", "All my pupils", selected.is_empty())];
    choices.extend(years.iter().map(|y| Choice::new(y.clone(), year_label(y), *y == selected)));
    let cards = all
        .into_iter()
        .filter(|p| year.as_deref().is_none_or(|y| p.year_group == y))
        .map(|p| Card {
            href: format!("/schools/{school}/pupils/{}", p.pupil_id),
            passport_href: p.has_passport.then(|| format!("/schools/{school}/pupils/{}/passport", p.pupil_id)),
            help_me: p.help_me,
            name: p.name,
            year: year_label(&p.year_group),
            needs: p.needs.into_iter().map(text::need).collect(),
            strategies: p.strategies,
            provision: p.provision.into_iter().map(|h| format!("{}: {} ({})", h.what, h.how_often, h.delivered_by)).collect(),
            responsible: p.responsible,
            has_plan: p.review_date.is_some(),
            review: p.review_date.map_or_else(String::new, long_date),
            adjustments: p.adjustments,
            medical: p.medical.into_iter().map(|c| (c.condition, c.emergency, c.medicines)).collect(),
        })
        .collect();
    Ok(render(&StrategiesPage {
        nav: Nav::for_viewer(&viewer),
        school,
        years: choices,
        heading: if selected.is_empty() { "Strategies for my pupils".into() } else { format!("Strategies for {}", year_label(&selected)) },
        produced: format!("Produced on {} by {}", long_date(viewer.actor.today()), viewer.user.name),
        zip: if selected.is_empty() { format!("/schools/{school}/plan-copies.zip") } else { format!("/schools/{school}/plan-copies.zip?year={selected}") },
        cards,
    }))
}
