/* demo_scale.c: `hocvuso demo --learners N --assists M` at benchmark scale
 * (up to 50 million learners): synthetic records over every commune of the
 * country, written in large transactions straight through the storage
 * interface, each counted by the same rules as live records (so
 * `hocvuso indicators verify` holds afterwards).  Every name says "mẫu"
 * (sample) and the database is marked demo_loaded.  Learners get no PIN
 * (they cannot sign in); volunteers, one per commune, no password. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/ids.h"
#include "domain/measure/measure.h"
#include "domain/help/outreach.h"
#include "domain/places/units.h"
#include "domain/demo_scale.h"

#define BATCH 20000

static const char *const services[] = {"vneid_install", "vneid_level2", "vssid", "etax", "ehealth_book", "digital_signature",
                                       "citizen_app", "public_service_portal", "cashless_payment", "scam_awareness"};
static const char *const ages[] = {"16-24", "25-39", "40-59", "60+", "60+"};
static const char *const assist_groups[] = {"elderly", "worker", "pupil", "civil_servant", "small_business", "other"};

struct scale {
	struct hv_conn *c;
	const struct hv_unit **communes;
	int64_t *volunteer;      /* per commune */
	int64_t *courses;
	size_t ncommunes, ncourses;
	uint64_t rng;
	int64_t year_start, now;
	long done, total;
	void (*progress)(long done, long total);
};

static uint32_t rnd(struct scale *s)
{
	s->rng ^= s->rng << 13;
	s->rng ^= s->rng >> 7;
	s->rng ^= s->rng << 17;
	return (uint32_t)(s->rng >> 11);
}

static int64_t when(struct scale *s)
{
	return s->year_start + (int64_t)(((uint64_t)rnd(s) << 20 | rnd(s)) % (uint64_t)(s->now - s->year_start));
}

static void collect(struct scale *s, const struct hv_unit *x)
{
	if (x->depth == 2) {
		s->communes[s->ncommunes++] = x;
		return;
	}
	for (size_t i = 0; i < x->nchildren; i++)
		collect(s, x->children[i]);
}

/* One volunteer per commune (created once, found again on later runs). */
static int volunteers(struct scale *s)
{
	for (size_t i = 0; i < s->ncommunes; i++) {
		char login[40], name[80];
		snprintf(login, sizeof login, "demo-tnv-%s", s->communes[i]->code);
		snprintf(name, sizeof name, "Tình nguyện viên mẫu %s", s->communes[i]->code);
		struct hv_stmt *st = hv_sql(s->c, "INSERT INTO accounts (kind, login, display_name, home_unit, province_code, created_at, "
		                                  "updated_at) VALUES ('staff', $1, $2, $3, $4, $5, $5) ON CONFLICT (login) DO NOTHING");
		hv_bind_text(st, 1, login);
		hv_bind_text(st, 2, name);
		hv_bind_text(st, 3, s->communes[i]->code);
		hv_bind_text(st, 4, s->communes[i]->province_code);
		hv_bind_i64(st, 5, s->now);
		int rc = hv_step(st);
		hv_stmt_done(st);
		st = hv_sql(s->c, "SELECT id FROM accounts WHERE login = $1");
		hv_bind_text(st, 1, login);
		if (rc >= 0)
			rc = hv_step(st);
		s->volunteer[i] = rc == 1 ? hv_col_i64(st, 0) : 0;
		hv_stmt_done(st);
		if (rc != 1)
			return HV_EUNAVAIL;
		st = hv_sql(s->c, "INSERT INTO roles (account_id, role, unit_code, granted_at) VALUES ($1, 'volunteer', $2, $3) "
		                  "ON CONFLICT (account_id, role, unit_code) DO NOTHING");
		hv_bind_i64(st, 1, s->volunteer[i]);
		hv_bind_text(st, 2, s->communes[i]->code);
		hv_bind_i64(st, 3, s->now);
		rc = hv_step(st);
		hv_stmt_done(st);
		if (rc < 0)
			return rc;
	}
	return HV_OK;
}

static int learner(struct scale *s, long i)
{
	const struct hv_unit *w = s->communes[rnd(s) % s->ncommunes];
	uint32_t r = rnd(s) % 100;
	const char *group = r < 8 ? "civil_servant" : r < 20 ? "pupil" : NULL;
	char phone[16], name[48];
	snprintf(phone, sizeof phone, "05%08ld", i % 100000000);
	snprintf(name, sizeof name, "Người học mẫu %ld", i);
	int64_t at = when(s);
	struct hv_stmt *st = hv_sql(s->c, "INSERT INTO accounts (kind, phone, display_name, home_unit, province_code, consent_at, "
	                                  "created_at, updated_at, person_group) VALUES ('learner', $1, $2, $3, $4, $5, $5, $5, $6) "
	                                  "ON CONFLICT (phone) DO NOTHING RETURNING id");
	hv_bind_text(st, 1, phone);
	hv_bind_text(st, 2, name);
	hv_bind_text(st, 3, w->code);
	hv_bind_text(st, 4, w->province_code);
	hv_bind_i64(st, 5, at);
	hv_bind_text(st, 6, group);
	int rc = hv_step(st);
	int64_t id = rc == 1 ? hv_col_i64(st, 0) : 0;
	hv_stmt_done(st);
	if (rc < 0)
		return rc;
	if (!id)
		return HV_OK; /* that sample phone exists already (a second run) */
	rc = hv_learner_count(s->c, w->code, at, group, "registered_learners", HV_IN_QUARTER | HV_IN_YEAR);
	if (rc < 0 || !s->ncourses || rnd(s) % 10 >= 4)
		return rc;
	/* Four in ten complete one course a little later (same period or the next). */
	int64_t done_at = at + (int64_t)(rnd(s) % (30 * 86400));
	if (done_at > s->now)
		done_at = s->now;
	st = hv_sql(s->c, "INSERT INTO completions (account_id, course_id, completed_at, unit_code, province_code) "
	                  "VALUES ($1, $2, $3, $4, $5)");
	hv_bind_i64(st, 1, id);
	hv_bind_i64(st, 2, s->courses[rnd(s) % s->ncourses]);
	hv_bind_i64(st, 3, done_at);
	hv_bind_text(st, 4, w->code);
	hv_bind_text(st, 5, w->province_code);
	rc = hv_step(st);
	hv_stmt_done(st);
	if (rc >= 0)
		rc = hv_learner_count(s->c, w->code, done_at, group, "courses_completed", HV_IN_QUARTER | HV_IN_YEAR);
	if (rc >= 0)
		rc = hv_learner_count(s->c, w->code, done_at, group, "people_certified", HV_IN_QUARTER | HV_IN_YEAR);
	return rc < 0 ? rc : HV_OK;
}

static int assist(struct scale *s, long i)
{
	(void)i; /* assists need no number: their ids are random UUIDs */
	size_t k = rnd(s) % s->ncommunes;
	const struct hv_unit *w = s->communes[k];
	int services_mask = 0, first = (int)(rnd(s) % 10), n = 1 + (int)(rnd(s) % 2);
	char list[160] = "";
	for (int j = 0; j < n; j++) {
		int svc = (first + j * 3) % 10;
		services_mask |= 1 << svc;
	}
	for (int j = 0, len = 0; j < 10; j++)
		if (services_mask & (1 << j))
			len += snprintf(list + len, sizeof list - (size_t)len, "%s\"%s\"", len ? "," : "", services[j]);
	const char *age = ages[rnd(s) % 5], *gender = rnd(s) % 2 ? "f" : "m", *group = assist_groups[rnd(s) % 6];
	bool phone = rnd(s) % 5 != 0, done = rnd(s) % 10 != 0;
	int64_t at = when(s);
	char id[37], body[640];
	hv_uuid_new(id);
	/* The same JSON as the API stores (keys sorted, see outreach.c). */
	snprintf(body, sizeof body,
	         "{\"created_at\":%lld,\"has_smartphone\":%s,\"id\":\"%s\",\"outcome\":\"%s\",\"person\":{\"age_band\":\"%s\","
	         "\"gender\":\"%s\",\"group\":\"%s\"},\"services\":[%s],\"touch_point\":null,\"unit\":\"%s\",\"volunteer\":%lld}",
	         (long long)at, phone ? "true" : "false", id, done ? "done" : "referred", age, gender, group, list, w->code,
	         (long long)s->volunteer[k]);
	struct hv_stmt *st = hv_sql(s->c, "INSERT INTO assists (id, unit_code, province_code, volunteer_id, services, age_band, gender, "
	                                  "person_group, outcome, has_smartphone, body, created_at, updated_at) "
	                                  "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)");
	hv_bind_text(st, 1, id);
	hv_bind_text(st, 2, w->code);
	hv_bind_text(st, 3, w->province_code);
	hv_bind_i64(st, 4, s->volunteer[k]);
	hv_bind_i64(st, 5, services_mask);
	hv_bind_text(st, 6, age);
	hv_bind_text(st, 7, gender);
	hv_bind_text(st, 8, group);
	hv_bind_text(st, 9, done ? "done" : "referred");
	hv_bind_i64(st, 10, phone);
	hv_bind_text(st, 11, body);
	hv_bind_i64(st, 12, at);
	int rc = hv_step(st);
	hv_stmt_done(st);
	if (rc < 0)
		return rc;
	struct hv_assist_facts f = {.unit = w->code, .group = group, .at = at, .volunteer = s->volunteer[k],
	                            .services = services_mask, .has_smartphone = phone};
	return hv_assist_count(&f, +1, hv_agg_sink, s->c);
}

/* Runs make(s, i) for i in [from, to) in transactions of BATCH records. */
static int in_batches(struct scale *s, long from, long to, int (*make)(struct scale *, long), struct hv_error *e)
{
	for (long i = from; i < to;) {
		if (hv_begin(s->c) < 0)
			return hv_err_set(e, HV_EUNAVAIL, NULL, "database busy: %s", hv_conn_error(s->c));
		long end = i + BATCH < to ? i + BATCH : to, start = i;
		int rc = HV_OK;
		for (; i < end && rc >= 0; i++)
			rc = make(s, i);
		if (rc < 0) {
			hv_rollback(s->c);
			return hv_err_set(e, HV_EUNAVAIL, NULL, "cannot write: %s", hv_conn_error(s->c));
		}
		if (hv_commit(s->c) < 0)
			return hv_err_set(e, HV_EUNAVAIL, NULL, "cannot commit: %s", hv_conn_error(s->c));
		s->done += end - start;
		if (s->progress)
			s->progress(s->done, s->total);
	}
	return HV_OK;
}

int hv_demo_scale(struct hv_store *store, long learners, long assists, uint64_t seed, void (*progress)(long, long), long *made,
                  struct hv_error *e)
{
	struct scale s = {.c = hv_store_conn(store), .rng = seed * 0x9E3779B97F4A7C15ull | 1, .now = (int64_t)time(NULL),
	                  .progress = progress};
	if (!s.c)
		return hv_err_set(e, HV_EUNAVAIL, NULL, "cannot connect to the database");
	char q[8], y[8];
	hv_periods(s.now, q, y);
	struct tm tm = {.tm_year = atoi(y) - 1900, .tm_mday = 1};
	s.year_start = (int64_t)timegm(&tm) - 7 * 3600; /* 1 January, Vietnam time */
	if (s.now - s.year_start < 3600)
		s.year_start -= 3600;
	struct hv_units *u = hv_units_acquire();
	s.communes = calloc(8192, sizeof *s.communes);
	s.volunteer = calloc(8192, sizeof *s.volunteer);
	s.courses = calloc(256, sizeof *s.courses);
	int rc = HV_OK;
	if (!s.communes || !s.volunteer || !s.courses)
		abort();
	const struct hv_unit *root = hv_units_root(u);
	for (size_t i = 0; root && i < root->nchildren && s.ncommunes < 8000; i++)
		collect(&s, root->children[i]);
	if (!s.ncommunes) {
		rc = hv_err_set(e, HV_EINVAL, NULL, "no communes in the database; run `hocvuso init` first");
		goto out;
	}
	struct hv_stmt *st = hv_sql(s.c, "SELECT id FROM courses ORDER BY id");
	while (s.ncourses < 256 && hv_step(st) == 1)
		s.courses[s.ncourses++] = hv_col_i64(st, 0);
	hv_stmt_done(st);
	if (hv_begin(s.c) < 0 || volunteers(&s) < 0 || hv_commit(s.c) < 0) {
		hv_rollback(s.c);
		rc = hv_err_set(e, HV_EUNAVAIL, NULL, "cannot add the sample volunteers: %s", hv_conn_error(s.c));
		goto out;
	}
	s.total = learners + assists;
	/* Phones continue from the learners already there, so runs add up. */
	st = hv_sql(s.c, "SELECT COUNT(*) FROM accounts WHERE kind = 'learner'");
	long base = hv_step(st) == 1 ? (long)hv_col_i64(st, 0) : 0;
	hv_stmt_done(st);
	if ((rc = in_batches(&s, base, base + learners, learner, e)) < 0)
		goto out;
	if ((rc = in_batches(&s, 0, assists, assist, e)) < 0)
		goto out;
	*made = s.done;
out:
	hv_units_release(u);
	free(s.communes);
	free(s.volunteer);
	free(s.courses);
	return rc;
}
