//! The header menu of signed-in pages: links that fit the person's role, and the
//! sign-out form with its CSRF token.

use senplan_core::access::{Permission, Role, allows};

use crate::session::Viewer;

#[derive(Clone)]
pub(crate) struct Nav {
    pub name: String,
    pub role: &'static str,
    pub csrf: String,
    pub links: Vec<(String, &'static str)>,
}

impl Nav {
    pub fn for_viewer(v: &Viewer) -> Nav {
        let school = v.user.school_id.0;
        let mut links = Vec::new();
        if allows(v.user.role, Permission::ViewRecord) {
            links.push((format!("/schools/{school}"), "SEN register"));
        }
        if allows(v.user.role, Permission::ViewCosts) {
            // Governors and administrators see the budget and settings, no pupil's costs.
            let label = if allows(v.user.role, Permission::ViewRecord) { "Provision and costs" } else { "Costs and budget" };
            links.push((format!("/schools/{school}/costing"), label));
        }
        if v.user.role == Role::Senco {
            links.push((format!("/schools/{school}/concerns"), "Concerns"));
        }
        if v.user.role.is_family() {
            links.push(("/portal".to_owned(), "Your SEN support"));
        }
        if allows(v.user.role, Permission::ViewAggregates) {
            links.push(("/figures".to_owned(), "Figures"));
        }
        if allows(v.user.role, Permission::Administer) {
            links.push(("/admin/users".to_owned(), "People"));
        }
        Nav { name: v.user.name.clone(), role: v.user.role.label(), csrf: v.csrf.clone(), links }
    }
}
