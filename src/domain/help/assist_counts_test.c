/* assist_counts_test.c: what one assist counts for (hv_assist_count), in
 * particular that a volunteer counts overall and by organisation but never
 * by target group — whatever bytes the stack held before the call (the
 * overall breakdown is the empty string; a check once read its second
 * byte, so garbage 'g' there skipped the volunteer). */
#include <string.h>

#include "core/test.h"
#include "domain/help/outreach.h"
#include "domain/measure/measure.h"

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

/* Overall counts per indicator of one assist, and whether every indicator
 * it names is in the published table. */
struct tally {
	int smartphone, anonymous, helped;
	bool unknown;
};

static int tally_sink(void *ctx, const char *unit, int64_t at, const char *dim, const char *indicator, const char *item,
                      int64_t delta)
{
	(void)unit;
	(void)at;
	(void)item;
	struct tally *t = ctx;
	t->unknown |= hv_indicator_find(indicator) == NULL;
	if (*dim)
		return 0;
	t->smartphone += !strcmp(indicator, "assists_smartphone") ? (int)delta : 0;
	t->anonymous += !strcmp(indicator, "assists_anonymous") ? (int)delta : 0;
	t->helped += !strcmp(indicator, "people_helped") ? (int)delta : 0;
	return 0;
}

/* An assist counts once for smartphone owners when the person has one
 * (never twice), and as anonymous only when no registered person is named. */
TEST(smartphone_and_anonymous_count_once)
{
	for (int person = 0; person <= 1; person++) {
		for (int phone = 0; phone <= 1; phone++) {
			struct hv_assist_facts f = {.unit = "26740", .group = person ? NULL : "elderly", .at = 1760000000,
			                            .volunteer = 7, .org = 3, .person = person ? 42 : 0, .services = 5,
			                            .has_smartphone = phone};
			struct tally t = {0};
			CHECK(hv_assist_count(&f, +1, tally_sink, &t) >= 0);
			CHECK(!t.unknown);
			CHECK(t.smartphone == phone);
			CHECK(t.anonymous == !person);
			CHECK(t.helped == 1);
		}
	}
}

int main(void)
{
	RUN(volunteer_counts_overall_and_by_organisation);
	RUN(smartphone_and_anonymous_count_once);
	return TEST_DONE();
}
