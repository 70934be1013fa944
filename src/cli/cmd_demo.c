/* cmd_demo.c: `hocvuso demo`: fills a database with believable demo
 * activity for a few wards of Hồ Chí Minh City and Hà Nội — population,
 * targets, volunteers, touch points, learners who read lessons and pass
 * quizzes, and logged help — all through the same domain functions the
 * pages use, so the indicators are maintained exactly as in real use.
 * Runs once: the last step records a marker setting, and a run that finds
 * it changes nothing. */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "domain/demo_scale.h"
#include "core/buf.h"
#include "core/ids.h"
#include "core/num.h"
#include "domain/people/auth.h"
#include "domain/people/accounts.h"
#include "domain/people/audit.h"
#include "domain/learn/content.h"
#include "domain/learn/credential.h"
#include "domain/learn/issuer.h"
#include "domain/learn/learning.h"
#include "domain/learn/quiz.h"
#include "domain/help/outreach.h"
#include "domain/measure/targets.h"
#include "domain/places/units.h"

static const char usage[] =
	"usage: hocvuso demo [--learners N] [--assists M] [--seed N] [--db PATH|URL]\n"
	"\n"
	"Adds demo activity to an initialised database (run `hocvuso init` first):\n"
	"the first wards of Hồ Chí Minh City (79) and Hà Nội (01) get population\n"
	"figures, yearly targets, a volunteer account each (password printed once),\n"
	"a touch point, N learners (default 120, at most 5000) reading lessons and\n"
	"passing quizzes, and about six logged assists per learner's ward.\n"
	"The same seed gives the same data. A second run changes nothing.\n"
	"\n"
	"Benchmark scale: with --assists, or more than 5000 learners, N learners and\n"
	"M assists (each up to 50 million) are spread over every commune and this\n"
	"year, written in large transactions and counted like live records. Names\n"
	"say \"mẫu\" (sample); these learners have no PIN. Runs add up.\n";

#define DEMO_WARDS_HCMC 8
#define DEMO_WARDS_HANOI 4
#define DEMO_MAX_WARDS (DEMO_WARDS_HCMC + DEMO_WARDS_HANOI)

static const char *const services[] = {"vneid_install", "vneid_level2", "vssid", "etax", "ehealth_book", "digital_signature",
                                       "citizen_app", "public_service_portal", "cashless_payment", "scam_awareness"};
static const char *const ages[] = {"16-24", "25-39", "40-59", "60+", "60+"};
static const char *const groups[] = {"elderly", "worker", "pupil", "civil_servant", "small_business", "other"};

struct demo {
	struct hv_store *s;
	struct hv_units *u;
	struct hv_pack *pack;
	const struct hv_unit *wards[DEMO_MAX_WARDS];
	int nwards;
	struct hv_principal admin;
	uint64_t rng;
	char password[24];
	long certs, assists, learners;
};

static uint32_t next_random(struct demo *d)
{
	d->rng ^= d->rng << 13;
	d->rng ^= d->rng >> 7;
	d->rng ^= d->rng << 17;
	return (uint32_t)(d->rng >> 11);
}

static int pick(struct demo *d, int n)
{
	return (int)(next_random(d) % (uint32_t)n);
}

static void collect_wards(struct demo *d, const char *province, int max)
{
	const struct hv_unit *p = hv_units_get(d->u, province);
	for (size_t i = 0; p && i < p->nchildren && (int)i < max; i++)
		d->wards[d->nwards++] = p->children[i];
}

static int load_population_and_targets(struct demo *d, struct hv_error *e)
{
	struct hv_buf csv;
	hv_buf_init(&csv);
	hv_buf_puts(&csv, "unit_code,adults,civil_servants,pupils,year\n");
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	int year = tm.tm_year + 1900;
	for (int i = 0; i < d->nwards; i++) {
		int adults = 18000 + pick(d, 30000);
		hv_buf_printf(&csv, "%s,%d,%d,%d,%d\n", d->wards[i]->code, adults, adults / 60, adults / 5, year);
	}
	int rows = 0, rc = hv_population_import(d->s, csv.data, csv.len, "demo", NULL, &rows, e);
	hv_buf_free(&csv);
	if (rc < 0)
		return rc;
	char period[16];
	snprintf(period, sizeof period, "%d", year);
	for (int i = 0; i < d->nwards; i++) {
		if ((rc = hv_target_set(d->s, &d->admin, d->wards[i]->code, 0, "people_certified", period, 400, "demo", e)) < 0 ||
		    (rc = hv_target_set(d->s, &d->admin, d->wards[i]->code, 0, "assists", period, 1200, "demo", e)) < 0)
			return rc;
	}
	return HV_OK;
}

/* One volunteer and one touch point per ward; the volunteer's principal
 * goes to out[i] for logging help. */
static int add_volunteers(struct demo *d, struct hv_principal *out, struct hv_error *e)
{
	for (int i = 0; i < d->nwards; i++) {
		const struct hv_unit *w = d->wards[i];
		char login[32], name[64];
		snprintf(login, sizeof login, "demo-tnv-%s", w->code);
		snprintf(name, sizeof name, "Tình nguyện viên %s", w->code);
		struct hv_new_account n = {.kind = "staff", .login = login, .name = name, .home_unit = w->code,
		                           .secret = d->password, .role_kind = HV_ROLE_VOLUNTEER, .role_unit = w->code,
		                           .actor_id = d->admin.acct.id, .ip = "demo"};
		int rc = hv_account_create(d->s, &n, e);
		if (rc < 0)
			return rc;
		memset(&out[i], 0, sizeof out[i]);
		if ((rc = hv_account_by_id(hv_store_conn(d->s), n.out_id, &out[i].acct)) < 0)
			return hv_err_set(e, rc, NULL, "cannot read back %s", login);
		out[i].second_factor = true;
		struct hv_touch_point tp = {.free_wifi = true};
		snprintf(tp.name, sizeof tp.name, "Điểm chạm số — Trung tâm Phục vụ hành chính công %s", w->name);
		snprintf(tp.unit, sizeof tp.unit, "%s", w->code);
		snprintf(tp.address, sizeof tp.address, "Trụ sở UBND %s", w->name);
		snprintf(tp.hours, sizeof tp.hours, "Thứ Hai – Thứ Sáu, 7:30 – 17:00");
		int64_t tp_id;
		if ((rc = hv_touch_point_add(d->s, &d->admin, &tp, &tp_id, e)) < 0)
			return rc;
	}
	return HV_OK;
}

/* A learner reads every lesson of one to three courses and passes each
 * quiz with its correct answers (so earns the certificates). */
static int add_learner(struct demo *d, int i, struct hv_error *e)
{
	const struct hv_unit *w = d->wards[pick(d, d->nwards)];
	char phone[16], pin[8], name[64];
	snprintf(phone, sizeof phone, "098%07d", 1000000 + i);
	do
		snprintf(pin, sizeof pin, "%06d", pick(d, 1000000));
	while (hv_check_pin(pin, &(struct hv_error){0}) < 0);
	static const char *const family[] = {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi"};
	static const char *const given[] = {"Thị Lan", "Văn Hùng", "Thị Mai", "Văn Minh", "Thị Hoa", "Quốc Bảo", "Thu Hà"};
	snprintf(name, sizeof name, "%s %s", family[pick(d, 8)], given[pick(d, 7)]);
	struct hv_new_account n = {.kind = "learner", .phone = phone, .name = name, .home_unit = w->code, .secret = pin,
	                           .consent = true, .ip = "demo"};
	int rc = hv_account_create(d->s, &n, e);
	if (rc < 0)
		return rc;
	struct hv_account a;
	if ((rc = hv_account_by_id(hv_store_conn(d->s), n.out_id, &a)) < 0)
		return hv_err_set(e, rc, NULL, "cannot read back learner %s", phone);
	d->learners++;
	int ncourses = 1 + pick(d, 3);
	int first = pick(d, d->pack->ncourses);
	for (int k = 0; k < ncourses; k++) {
		const struct hv_course *c = &d->pack->courses[(first + k) % d->pack->ncourses];
		if (!c->published || !c->quiz)
			continue;
		bool finish = pick(d, 4) != 0;    /* one in four stops part-way */
		char cert[HV_CERT_CODE_MAX] = "";
		int read = finish ? c->nlessons : pick(d, c->nlessons + 1);
		for (int l = 0; l < read; l++) {
			if (c->lessons[l]->published && (rc = hv_learn_mark_read(d->s, &a, c->lessons[l], cert, e)) < 0)
				return rc;
		}
		if (!finish)
			continue;
		/* A draw of its own, answered right. */
		struct hv_learner_ref who = {.account = a.id};
		struct hv_quiz_status st;
		if ((rc = hv_quiz_status(hv_store_conn(d->s), &who, c->quiz, (int64_t)time(NULL), &st)) < 0)
			return hv_err_set(e, rc, NULL, "cannot read quiz attempts");
		unsigned char seed[32];
		for (size_t b = 0; b < sizeof seed; b++)
			seed[b] = (unsigned char)pick(d, 256);
		struct hv_draw dr;
		hv_quiz_draw(c->quiz, seed, &dr);
		uint32_t selected[HV_QUIZ_MAX_DRAW] = {0};
		for (int q = 0; q < dr.n; q++)
			for (int ans = 0; ans < c->quiz->questions[dr.items[q].q].nanswers; ans++)
				if (c->quiz->questions[dr.items[q].q].answers[ans].correct)
					selected[q] |= 1u << ans;
		struct hv_quiz_result r;
		hv_quiz_score(c, &dr, selected, &r);
		if ((rc = hv_quiz_record(d->s, &who, &a, c, st.attempts, &dr, selected, &r, NULL, NULL, cert, e)) < 0)
			return rc;
		if (cert[0])
			d->certs++;
	}
	return HV_OK;
}

static int add_assist(struct demo *d, const struct hv_principal *v, struct hv_error *e)
{
	char id[37];
	hv_uuid_new(id);
	json_t *svc = json_array();
	int first = pick(d, 10), n = 1 + pick(d, 2);
	for (int k = 0; k < n; k++)
		json_array_append_new(svc, json_string(services[(first + k * 3) % 10]));
	json_t *in = json_pack("{s:s, s:s, s:o, s:{s:s, s:s, s:s}, s:s, s:b}", "id", id, "unit", v->acct.home_unit,
	                       "services", svc, "person", "age_band", ages[pick(d, 5)], "gender", pick(d, 2) ? "f" : "m",
	                       "group", groups[pick(d, 6)], "outcome", pick(d, 10) ? "done" : "referred",
	                       "has_smartphone", pick(d, 5) != 0);
	if (!in)
		return hv_err_set(e, HV_EINTERNAL, NULL, "out of memory");
	struct hv_assist_result r = {0};
	int rc = hv_assist_submit(d->s, v, in, "demo", &r, e);
	json_decref(in);
	free(r.body);
	if (rc == HV_OK)
		d->assists++;
	return rc;
}

static int put_marker(struct hv_conn *c, void *arg, struct hv_error *e)
{
	(void)e;
	return hv_setting_put(c, "demo_loaded", arg);
}

static int run_demo(struct demo *d, long learners, struct hv_error *e)
{
	int rc = load_population_and_targets(d, e);
	if (rc < 0)
		return rc;
	struct hv_principal volunteers[DEMO_MAX_WARDS];
	if ((rc = add_volunteers(d, volunteers, e)) < 0)
		return rc;
	long assists = learners * 6 / 4 + d->nwards;
	long total = learners + assists, done = 0;
	for (long i = 0; i < learners; i++, done++) {
		if ((rc = add_learner(d, (int)i, e)) < 0)
			return rc;
		hv_cli_progress("demo", done + 1, total);
	}
	for (long i = 0; i < assists; i++, done++) {
		if ((rc = add_assist(d, &volunteers[pick(d, d->nwards)], e)) < 0)
			return rc;
		hv_cli_progress("demo", done + 1, total);
	}
	char when[24];
	snprintf(when, sizeof when, "%lld", (long long)time(NULL));
	return hv_store_write(d->s, put_marker, when, e);
}

static void demo_progress(long done, long total)
{
	hv_cli_progress("demo", done, total);
}

int hv_cmd_demo(int argc, char **argv)
{
	const char *db = NULL, *config = NULL, *learners_s = "120", *seed_s = "1", *assists_s = NULL, *pos[1];
	int npos, code;
	struct hv_opt opts[] = {{"db", &db, NULL}, {"config", &config, NULL}, {"learners", &learners_s, NULL},
	                        {"assists", &assists_s, NULL}, {"seed", &seed_s, NULL}, {0}};
	if (hv_cli_parse("demo", usage, argc, argv, 2, opts, pos, 0, 0, &npos, &code) < 0)
		return code;
	int64_t learners, seed, assists = -1;
	if (hv_parse_i64(learners_s, 0, 50000000, &learners) < 0)
		return hv_cli_usage_error("demo", "--learners must be a whole number from 0 to 50000000, not '%s'", learners_s);
	if (assists_s && hv_parse_i64(assists_s, 0, 50000000, &assists) < 0)
		return hv_cli_usage_error("demo", "--assists must be a whole number from 0 to 50000000, not '%s'", assists_s);
	if (hv_parse_i64(seed_s, 1, INT64_MAX, &seed) < 0)
		return hv_cli_usage_error("demo", "--seed must be a positive whole number, not '%s'", seed_s);
	struct hv_config cfg;
	if ((code = hv_cli_config("demo", config, db, &cfg)) != 0)
		return code;
	struct hv_store *s = hv_cli_open("demo", &cfg, true);
	if (!s)
		return HV_EXIT_FAIL;
	if (learners > 5000 || assists >= 0) {
		/* Benchmark scale: every commune, records written in bulk. */
		struct hv_error se = {0};
		long made = 0;
		int src = hv_demo_scale(s, (long)learners, assists < 0 ? 0 : (long)assists, (uint64_t)seed, demo_progress, &made, &se);
		if (src == HV_OK)
			src = hv_store_write(s, put_marker, "scale", &se);
		if (src < 0)
			fprintf(stderr, "hocvuso demo: stopped: %s (each batch written so far is whole)\n", se.msg);
		else
			printf("sample data: %ld records over every commune (names marked \"mẫu\"); learners cannot sign in\n", made);
		hv_units_shutdown();
		hv_store_close(s);
		return src < 0 ? HV_EXIT_FAIL : HV_EXIT_OK;
	}
	struct demo d = {.s = s, .rng = (uint64_t)seed * 0x9E3779B97F4A7C15ull};
	struct hv_error e = {0};
	int rc = HV_EXIT_FAIL;
	if (hv_catalog_load(hv_store_conn(s), &e) < 0 || !(d.pack = hv_catalog_acquire()) || d.pack->ncourses == 0) {
		fprintf(stderr, "hocvuso demo: no courses in the database; run `hocvuso init` first\n");
		goto out;
	}
	if (hv_account_by_login(hv_store_conn(s), "admin", &d.admin.acct) < 0 ||
	    hv_account_load_roles(hv_store_conn(s), &d.admin.acct) < 0) {
		fprintf(stderr, "hocvuso demo: no 'admin' account; run `hocvuso init` first\n");
		goto out;
	}
	d.admin.second_factor = true;
	d.u = hv_units_acquire();
	collect_wards(&d, "79", DEMO_WARDS_HCMC);
	collect_wards(&d, "01", DEMO_WARDS_HANOI);
	if (d.nwards == 0) {
		fprintf(stderr, "hocvuso demo: units 79 and 01 are missing; run `hocvuso init` first\n");
		goto out;
	}
	char loaded[24];
	if (hv_setting_get(hv_store_conn(s), "demo_loaded", loaded, sizeof loaded) == HV_OK) {
		printf("demo data is already there; nothing changed\n");
		rc = HV_EXIT_OK;
		goto out;
	}
	char keypath[512];
	hv_config_key_path(&cfg, "issuer_key", keypath, sizeof keypath);
	if (hv_issuer_load(keypath, false, &e) < 0) {
		fprintf(stderr, "hocvuso demo: %s\n", e.msg);
		goto out;
	}
	hv_issuer_configure(cfg.public_url, cfg.issuer_name);
	if (hv_issuer_register(s, &e) < 0) {
		fprintf(stderr, "hocvuso demo: %s\n", e.msg);
		goto out;
	}
	/* One random password for the demo volunteers, shown once. */
	unsigned char raw[12];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(d.password, sizeof d.password, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	if (run_demo(&d, (long)learners, &e) < 0) {
		fprintf(stderr, "hocvuso demo: stopped: %s%s%s\n", e.msg, e.field[0] ? " — field " : "", e.field);
		fprintf(stderr, "hocvuso demo: each record written so far is whole; start again on a fresh database "
		                "(hocvuso init --db NEW) to get the full demo\n");
		goto out;
	}
	printf("demo data: %d wards, %ld learners, %ld certificates, %ld assists\n", d.nwards, d.learners, d.certs, d.assists);
	printf("volunteer sign-in: demo-tnv-%s … demo-tnv-%s, password %s\n", d.wards[0]->code, d.wards[d.nwards - 1]->code,
	       d.password);
	rc = HV_EXIT_OK;
out:
	if (d.u)
		hv_units_release(d.u);
	if (d.pack)
		hv_catalog_release(d.pack);
	hv_units_shutdown();
	hv_store_close(s);
	return rc;
}
