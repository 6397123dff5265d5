//! The header menu of signed-in pages: links that fit the person's role, and the
//! sign-out form with its CSRF token.

use senplan_app::access::menu;

use crate::session::Viewer;

#[derive(Clone)]
pub(crate) struct Nav {
    pub name: String,
    pub role: &'static str,
    pub csrf: String,
    pub links: Vec<(String, &'static str)>,
    /// The setting's words (R26), for headings: `nav.words.learners`.
    pub words: senplan_core::school::Words,
}

impl Nav {
    pub fn for_viewer(v: &Viewer) -> Nav {
        let school = v.user.school_id.0;
        let mut links = Vec::new();
        let m = menu(&v.actor);
        if m.dashboard {
            links.push((format!("/schools/{school}/dashboard"), "What needs doing"));
        }
        if m.register {
            links.push((format!("/schools/{school}"), "SEN register"));
            links.push((format!("/schools/{school}/pupils"), v.words.learners));
            links.push((format!("/schools/{school}/strategies"), "Strategies"));
        }
        if m.local_offer {
            links.push((format!("/schools/{school}/local-offer"), "Local Offer"));
        }
        if m.my_sessions {
            links.push((format!("/schools/{school}/my-sessions"), "My sessions"));
        }
        if m.costs {
            // Governors and administrators see the budget and settings, no pupil's costs.
            let label = if m.pupil_costs { "Provision and costs" } else { "Costs and budget" };
            links.push((format!("/schools/{school}/costing"), label));
        }
        if m.concerns {
            links.push((format!("/schools/{school}/concerns"), "Concerns"));
            links.push((format!("/schools/{school}/progress"), "Spotting need early"));
        } else if m.record_results {
            links.push((format!("/schools/{school}/progress/record"), "Record results"));
        }
        if m.letters {
            links.push((format!("/schools/{school}/letters"), "Letters"));
        }
        if m.data_exchange {
            links.push((format!("/schools/{school}/transfers"), "Roll and transfers"));
        }
        if m.portal {
            links.push(("/portal".to_owned(), "Your SEN support"));
        }
        if m.figures {
            links.push(("/figures".to_owned(), "Figures"));
        }
        if m.people {
            links.push(("/admin/users".to_owned(), "People"));
            links.push((format!("/schools/{school}/email-problems"), "E-mail problems"));
        }
        links.push(("/due".to_owned(), "Due for me"));
        Nav { name: v.user.name.clone(), role: v.user.role.label(), csrf: v.csrf.clone(), links, words: v.words }
    }
}
