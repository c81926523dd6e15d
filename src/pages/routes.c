/*
 * routes.c — the route table: every page module's routes, in match order. A new module adds its table
 * here; the access-control matrix test reads the whole table through `zorgwerk routes`.
 */
#include "pages/routes.h"

#include "pages/pages.h"

const Route *const route_tables[] = {
    static_routes, login_routes, account_routes, admin_routes, caseload_routes,
    register_routes, network_routes, trajectory_routes, home_routes, notes_routes, consent_routes, team_routes, followup_routes, dashboard_routes, referral_routes, assessment_routes, accesslog_routes, plan_routes, protocol_routes, templates_routes, measures_routes, notices_routes, participant_account_routes, meetings_routes, messages_routes, reviews_routes, job_profile_routes, matches_routes, proposals_routes, employers_routes, openings_routes, placements_routes, job_coaching_routes, data_export_routes, corrections_routes, retention_routes, plan_pdf_routes, reports_routes, surveys_routes, research_export_routes, NULL,
};
