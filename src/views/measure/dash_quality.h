/* dash_quality.h: the dashboard's data-quality panel (like DHIS2's data
 * quality checks), for the units directly below a unit in a period: those
 * with no record at all, headline figures that jumped or fell by at least
 * a factor (config quality_factor) on the period before, and units with no
 * target of their own for the period (nor for its year). */
#ifndef HV_VIEWS_DASH_QUALITY_H
#define HV_VIEWS_DASH_QUALITY_H

#include "views/measure/figures.h"
#include "views/pages.h"

/* Sets d.quality = {silent, silent_n, jumps, jumps_n, untargeted,
 * untargeted_n, factor, any} from rows (the n units below x, any order,
 * figures of period), nothing when n is 0; reads the period before's figures and the
 * children's targets.  HV_EUNAVAIL on a failed read. */
int hv_dash_quality(struct hv_ctx *c, struct hv_conn *conn, const struct hv_unit *x, const char *period,
                    const struct hv_unit_figures *rows, size_t n, int factor, struct hv_val *d);

#endif
