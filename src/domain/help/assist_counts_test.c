/* assist_counts_test.c: what one assist counts for (hv_assist_count), in
 * particular that a volunteer counts overall and by organisation but never
 * by target group — whatever bytes the stack held before the call (the
 * overall breakdown is the empty string; a check once read its second
 * byte, so garbage 'g' there skipped the volunteer). */
#include <string.h>

#include "core/test.h"
#include "domain/help/outreach.h"

struct counts {
	int volunteers[3]; /* overall, by group, by organisation */
	int assists;
};

static int sink(void *ctx, const char *unit, int64_t at, const char *dim, const char *indicator, const char *item,
                int64_t delta)
{
	(void)unit;
	(void)at;
	struct counts *c = ctx;
	int kind = !*dim ? 0 : !strncmp(dim, "@g", 2) ? 1 : 2;
	if (!strcmp(indicator, "active_volunteers") && item && !strcmp(item, "7"))
		c->volunteers[kind] += (int)delta;
	if (!strcmp(indicator, "assists") && kind == 0)
		c->assists += (int)delta;
	return 0;
}

/* Leaves 'g' bytes where the next call's locals will be. */
static __attribute__((noinline)) void dirty_stack(void)
{
	volatile char junk[8192];
	for (size_t i = 0; i < sizeof junk; i++)
		junk[i] = 'g';
}

TEST(volunteer_counts_overall_and_by_organisation)
{
	struct hv_assist_facts f = {.unit = "26740", .group = "elderly", .at = 1760000000, .volunteer = 7, .org = 3,
	                            .services = 1, .has_smartphone = true};
	for (int sign = 1; sign >= -1; sign -= 2) {
		dirty_stack();
		struct counts c = {{0}, 0};
		CHECK(hv_assist_count(&f, sign, sink, &c) >= 0);
		CHECK(c.assists == sign);
		CHECK(c.volunteers[0] == sign);
		CHECK(c.volunteers[1] == 0);
		CHECK(c.volunteers[2] == sign);
	}
}

int main(void)
{
	RUN(volunteer_counts_overall_and_by_organisation);
	return TEST_DONE();
}
