/* teams_view.h: what the team pages (pages_teams.c) and the volunteer page
 * and export (pages_volunteer.c) share. */
#ifndef HV_TEAMS_VIEW_H
#define HV_TEAMS_VIEW_H

#include "domain/help/teams.h"
#include "views/ctx.h"

/* The Vietnamese/English name of an organisation kind code. */
const char *hv_org_kind_label(struct hv_ctx *c, const char *kind);
/* The unit named by code, or else the unit of the caller's first role in
 * mask; NULL if neither (the caller answers 403). */
const struct hv_unit *hv_scope_unit(struct hv_ctx *c, const char *code, int mask);
/* Sets week, quarter, week_hours and quarter_hours ("1 giờ 5 phút") on v. */
void hv_activity_set(struct hv_ctx *c, struct hv_val *v, const struct hv_activity *a);
/* Fills list with each member's activity; returns the team's totals. */
struct hv_activity hv_team_members_val(struct hv_ctx *c, int64_t team, struct hv_val *list);

#endif
