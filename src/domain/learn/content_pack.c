/* content_pack.c: a whole course pack: every file parsed and checked
 * together (folder names, slugs unique across the pack, lesson order,
 * quiz per course, images present and harmless), before anything is
 * written.  The pack comes from a folder on disk or from the copy of
 * content/ compiled into the binary. */
#include "domain/learn/content.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/arena.h"
#include "core/assets.h"
#include "core/buf.h"
#include "core/utf8.h"

#define MAX_FILES 4000
#define MAX_FILE_BYTES (512 * 1024)

struct file {
	char *path;     /* relative to the pack root: "vneid/01-cai-dat.md" */
	const char *data;
	size_t len;
};

struct files {
	struct file *f;
	int n;
	struct hv_arena *a;
};

static int cmp_file(const void *x, const void *y)
{
	return strcmp(((const struct file *)x)->path, ((const struct file *)y)->path);
}

static int add_file(struct files *fs, const char *rel, const char *data, size_t len, struct hv_error *e)
{
	if (fs->n >= MAX_FILES)
		return hv_err_set(e, HV_EINVAL, "dir", "more than %d files in the pack", MAX_FILES);
	if (len > MAX_FILE_BYTES)
		return hv_err_set(e, HV_EINVAL, rel, "%s: larger than %d KiB", rel, MAX_FILE_BYTES / 1024);
	fs->f[fs->n++] = (struct file){hv_arena_strdup(fs->a, rel), data, len};
	return HV_OK;
}

static int read_tree(struct files *fs, const char *root, const char *rel, int depth, struct hv_error *e)
{
	char path[1024];
	snprintf(path, sizeof path, "%s%s%s", root, *rel ? "/" : "", rel);
	DIR *d = opendir(path);
	if (!d)
		return hv_err_set(e, HV_EINVAL, "dir", "cannot read the folder %s", path);
	int rc = HV_OK;
	struct dirent *de;
	while (rc == HV_OK && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		char sub[1024], full[1200];
		snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", de->d_name);
		snprintf(full, sizeof full, "%s/%s", root, sub);
		struct stat st;
		if (stat(full, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			if (depth >= 2)
				rc = hv_err_set(e, HV_EINVAL, sub, "%s: folders nest too deep (course/img/ at most)", sub);
			else
				rc = read_tree(fs, root, sub, depth + 1, e);
			continue;
		}
		if (!S_ISREG(st.st_mode))
			continue;
		if (st.st_size > MAX_FILE_BYTES) {
			rc = hv_err_set(e, HV_EINVAL, sub, "%s: larger than %d KiB", sub, MAX_FILE_BYTES / 1024);
			break;
		}
		FILE *f = fopen(full, "rb");
		if (!f) {
			rc = hv_err_set(e, HV_EINVAL, sub, "%s: cannot be read", sub);
			break;
		}
		char *buf = hv_arena_alloc(fs->a, (size_t)st.st_size + 1);
		size_t got = fread(buf, 1, (size_t)st.st_size, f);
		fclose(f);
		rc = add_file(fs, sub, buf, got, e);
	}
	closedir(d);
	return rc;
}

static const char *mime_of(const char *path)
{
	const char *dot = strrchr(path, '.');
	if (dot && !strcmp(dot, ".svg"))
		return "image/svg+xml";
	if (dot && !strcmp(dot, ".png"))
		return "image/png";
	if (dot && !strcmp(dot, ".jpg"))
		return "image/jpeg";
	if (dot && !strcmp(dot, ".webp"))
		return "image/webp";
	return NULL;
}

/* SVG is served from our origin: refuse anything that could run. */
static bool svg_harmless(const char *s, size_t n)
{
	if (!hv_utf8_valid(s, n))
		return false;
	struct hv_buf low;
	hv_buf_init(&low);
	for (size_t i = 0; i < n; i++)
		hv_buf_putc(&low, (char)((s[i] >= 'A' && s[i] <= 'Z') ? s[i] + 32 : s[i]));
	bool bad = strstr(low.data, "<script") || strstr(low.data, "javascript:") || strstr(low.data, "<foreignobject") ||
	           strstr(low.data, "<!entity") || strstr(low.data, "xlink:href=\"http") || strstr(low.data, "href=\"http");
	for (const char *p = low.data; !bad && (p = strstr(p, " on")) != NULL; p += 3) {
		const char *q = p + 3;
		while (*q >= 'a' && *q <= 'z')
			q++;
		bad = *q == '=' && q > p + 3;
	}
	hv_buf_free(&low);
	return !bad;
}

static int cmp_lesson(const void *x, const void *y)
{
	const struct hv_lesson *a = *(const struct hv_lesson *const *)x, *b = *(const struct hv_lesson *const *)y;
	return a->position - b->position;
}

static int cmp_course(const void *x, const void *y)
{
	const struct hv_course *a = x, *b = y;
	return a->position != b->position ? a->position - b->position : strcmp(a->slug, b->slug);
}

/* A simulation, thuc-hanh/NN-slug.md: numbered like lessons, its slug
 * unique in the pack (its screens are checked once the images are in). */
static int add_sim(struct hv_pack *p, struct hv_course *c, const struct file *f, struct hv_error *e)
{
	const char *name = strrchr(f->path, '/') + 1;
	size_t nl = strlen(name);
	if (nl < 6 || name[0] < '0' || name[0] > '9' || name[1] < '0' || name[1] > '9' || name[2] != '-' || strcmp(name + nl - 3, ".md"))
		return hv_err_set(e, HV_EINVAL, f->path, "%s: simulation files are named thuc-hanh/NN-slug.md", f->path);
	struct hv_sim *s = &p->sims[p->nsims];
	int rc = hv_parse_sim(p->arena, hv_arena_strdup(p->arena, f->path), f->data, f->len, s, e);
	if (rc)
		return rc;
	if ((name[0] - '0') * 10 + (name[1] - '0') != s->position)
		return hv_err_set(e, HV_EINVAL, f->path, "%s: the file number does not match order %d", f->path, s->position);
	if (strncmp(name + 3, s->slug, nl - 6) || strlen(s->slug) != nl - 6)
		return hv_err_set(e, HV_EINVAL, f->path, "%s: the file must be named %02d-%s.md", f->path, s->position, s->slug);
	for (int k = 0; k < p->nsims; k++)
		if (!strcmp(p->sims[k].slug, s->slug))
			return hv_err_set(e, HV_EINVAL, f->path, "%s: simulation slug '%s' is already used by %s", f->path, s->slug, p->sims[k].file);
	s->course = c;
	p->nsims++;
	return HV_OK;
}

/* Builds and checks the pack from a sorted file list. */
static int assemble(struct files *fs, struct hv_pack *p, struct hv_error *e)
{
	struct hv_arena *a = p->arena;
	qsort(fs->f, (size_t)fs->n, sizeof *fs->f, cmp_file);
	int ncourse = 0, nlesson = 0, nimage = 0, nsim = 0;
	for (int i = 0; i < fs->n; i++) {
		const char *base = strrchr(fs->f[i].path, '/');
		if (!base)
			continue;
		if (!strcmp(base, "/course.md"))
			ncourse++;
		else if (strstr(fs->f[i].path, "/img/"))
			nimage++;
		else if (strstr(fs->f[i].path, "/thuc-hanh/"))
			nsim++;
		else
			nlesson++;
	}
	p->courses = hv_arena_alloc(a, (size_t)(ncourse + 1) * sizeof *p->courses);
	p->lessons = hv_arena_alloc(a, (size_t)(nlesson + 1) * sizeof *p->lessons);
	p->images = hv_arena_alloc(a, (size_t)(nimage + 1) * sizeof *p->images);
	p->sims = hv_arena_alloc(a, (size_t)(nsim + 1) * sizeof *p->sims);
	/* Pass 1: courses. */
	for (int i = 0; i < fs->n; i++) {
		struct file *f = &fs->f[i];
		const char *slash = strchr(f->path, '/');
		if (!slash) {
			if (!strcmp(f->path, "README.md"))
				continue;
			return hv_err_set(e, HV_EINVAL, f->path, "%s: unexpected file at the top of the pack (put it in a course folder)", f->path);
		}
		if (strcmp(slash, "/course.md") != 0)
			continue;
		struct hv_course *c = &p->courses[p->ncourses];
		int rc = hv_parse_course(a, f->path, f->data, f->len, c, e);
		if (rc)
			return rc;
		if (strlen(c->slug) != (size_t)(slash - f->path) || strncmp(c->slug, f->path, (size_t)(slash - f->path)) != 0)
			return hv_err_set(e, HV_EINVAL, f->path, "%s:2: course '%s' must be in a folder named %s", f->path, c->slug, c->slug);
		for (int k = 0; k < p->ncourses; k++)
			if (p->courses[k].position == c->position)
				return hv_err_set(e, HV_EINVAL, f->path, "%s: order %d is also used by course %s", f->path, c->position, p->courses[k].slug);
		c->lessons = hv_arena_alloc(a, (size_t)(nlesson + 1) * sizeof *c->lessons);
		c->sims = hv_arena_alloc(a, (size_t)(nsim + 1) * sizeof *c->sims);
		p->ncourses++;
	}
	if (p->ncourses == 0)
		return hv_err_set(e, HV_EINVAL, "dir", "no course found: each course is a folder with a course.md");
	/* Pass 2: lessons, quizzes, images. */
	for (int i = 0; i < fs->n; i++) {
		struct file *f = &fs->f[i];
		const char *slash = strchr(f->path, '/');
		if (!slash || !strcmp(slash, "/course.md"))
			continue;
		struct hv_course *c = NULL;
		for (int k = 0; k < p->ncourses && !c; k++)
			if (strlen(p->courses[k].slug) == (size_t)(slash - f->path) && !strncmp(p->courses[k].slug, f->path, (size_t)(slash - f->path)))
				c = &p->courses[k];
		if (!c)
			return hv_err_set(e, HV_EINVAL, f->path, "%s: the folder has no course.md", f->path);
		const char *name = slash + 1;
		if (!strncmp(name, "img/", 4)) {
			const char *mime = mime_of(name);
			if (!mime || strchr(name + 4, '/'))
				return hv_err_set(e, HV_EINVAL, f->path, "%s: images must be .svg, .png, .jpg or .webp", f->path);
			if (!strcmp(mime, "image/svg+xml") && !svg_harmless(f->data, f->len))
				return hv_err_set(e, HV_EINVAL, f->path, "%s: SVG with script, event handlers or outside links is not allowed", f->path);
			struct hv_image *im = &p->images[p->nimages++];
			im->path = hv_arena_strdup(a, f->path);
			im->mime = hv_arena_strdup(a, mime);
			im->data = (unsigned char *)hv_arena_strndup(a, f->data, f->len);
			im->len = f->len;
			continue;
		}
		if (!strncmp(name, "thuc-hanh/", 10)) {
			int rc = add_sim(p, c, f, e);
			if (rc)
				return rc;
			continue;
		}
		if (!strcmp(name, "quiz.md")) {
			struct hv_quiz *q = hv_arena_alloc(a, sizeof *q);
			int rc = hv_parse_quiz(a, f->path, f->data, f->len, q, e);
			if (rc)
				return rc;
			c->quiz = q;
			continue;
		}
		size_t nl = strlen(name);
		if (nl < 6 || name[0] < '0' || name[0] > '9' || name[1] < '0' || name[1] > '9' || name[2] != '-' || strcmp(name + nl - 3, ".md"))
			return hv_err_set(e, HV_EINVAL, f->path, "%s: lesson files are named NN-slug.md (or course.md, quiz.md, img/…)", f->path);
		struct hv_lesson *l = &p->lessons[p->nlessons];
		int rc = hv_parse_lesson(a, f->path, f->data, f->len, l, e);
		if (rc)
			return rc;
		int nn = (name[0] - '0') * 10 + (name[1] - '0');
		if (nn != l->position)
			return hv_err_set(e, HV_EINVAL, f->path, "%s: the file number %02d does not match order %d", f->path, nn, l->position);
		for (int k = 0; k < p->nlessons; k++)
			if (!strcmp(p->lessons[k].slug, l->slug))
				return hv_err_set(e, HV_EINVAL, f->path, "%s: lesson slug '%s' is already used by %s", f->path, l->slug, p->lessons[k].file);
		l->course = c;
		l->file = hv_arena_strdup(a, f->path);
		p->nlessons++;
	}
	for (int k = 0; k < p->ncourses; k++) {
		struct hv_course *c = &p->courses[k];
		for (int i = 0; i < p->nlessons; i++)
			if (p->lessons[i].course == c)
				c->lessons[c->nlessons++] = &p->lessons[i];
		if (c->nlessons == 0)
			return hv_err_set(e, HV_EINVAL, c->slug, "%s/: the course has no lessons", c->slug);
		if (!c->quiz)
			return hv_err_set(e, HV_EINVAL, c->slug, "%s/quiz.md: every course ends with a quiz; the file is missing", c->slug);
		qsort(c->lessons, (size_t)c->nlessons, sizeof *c->lessons, cmp_lesson);
		for (int i = 0; i < p->nsims; i++)
			if (p->sims[i].course == c) {
				int rc = hv_sim_check(p, c->slug, &p->sims[i], e);
				if (rc)
					return rc;
				c->sims[c->nsims++] = &p->sims[i];
			}
		if (c->needs_practice && c->nsims == 0)
			return hv_err_set(e, HV_EINVAL, c->slug, "%s/course.md: 'practice: required' but the course has no simulation (thuc-hanh/)",
			                  c->slug);
		/* Images declared by lessons must be in the pack. */
		for (int i = 0; i < c->nlessons; i++) {
			struct hv_lesson *l = c->lessons[i];
			for (int m = 0; m < l->nimages; m++) {
				char want[256];
				snprintf(want, sizeof want, "%s/%s", c->slug, l->images[m]);
				bool found = false;
				for (int n = 0; n < p->nimages && !found; n++)
					found = !strcmp(p->images[n].path, want);
				if (!found)
					return hv_err_set(e, HV_EINVAL, l->file, "%s: image %s is listed but the file %s is missing", l->file, l->images[m], want);
			}
		}
	}
	/* Sorting courses moves them: fix the lessons' back pointers after. */
	struct hv_course *before = hv_arena_alloc(a, (size_t)p->ncourses * sizeof *before);
	memcpy(before, p->courses, (size_t)p->ncourses * sizeof *before);
	qsort(p->courses, (size_t)p->ncourses, sizeof *p->courses, cmp_course);
	for (int i = 0; i < p->nlessons; i++) {
		const char *slug = before[p->lessons[i].course - p->courses].slug;
		for (int k = 0; k < p->ncourses; k++)
			if (!strcmp(p->courses[k].slug, slug)) {
				p->lessons[i].course = &p->courses[k];
				break;
			}
	}
	for (int i = 0; i < p->nsims; i++) {
		const char *slug = before[p->sims[i].course - p->courses].slug;
		for (int k = 0; k < p->ncourses; k++)
			if (!strcmp(p->courses[k].slug, slug))
				p->sims[i].course = &p->courses[k];
	}
	return HV_OK;
}

int hv_pack_load_dir(const char *dir, struct hv_pack **out, struct hv_error *e)
{
	struct hv_pack *p = hv_xcalloc(1, sizeof *p);
	p->arena = hv_arena_new();
	struct files fs = {.a = p->arena};
	fs.f = hv_arena_alloc(p->arena, MAX_FILES * sizeof *fs.f);
	int rc = read_tree(&fs, dir, "", 0, e);
	if (!rc)
		rc = assemble(&fs, p, e);
	if (rc) {
		hv_pack_free(p);
		return rc;
	}
	*out = p;
	return HV_OK;
}

int hv_pack_load_builtin(struct hv_pack **out, struct hv_error *e)
{
	struct hv_pack *p = hv_xcalloc(1, sizeof *p);
	p->arena = hv_arena_new();
	struct files fs = {.a = p->arena};
	fs.f = hv_arena_alloc(p->arena, MAX_FILES * sizeof *fs.f);
	int rc = HV_OK;
	for (unsigned i = 0; i < hv_assets_count && !rc; i++)
		if (!strncmp(hv_assets[i].name, "content/", 8))
			rc = add_file(&fs, hv_assets[i].name + 8, (const char *)hv_assets[i].data, hv_assets[i].len, e);
	if (!rc)
		rc = assemble(&fs, p, e);
	if (rc) {
		hv_pack_free(p);
		return rc;
	}
	*out = p;
	return HV_OK;
}

void hv_pack_free(struct hv_pack *p)
{
	if (!p)
		return;
	hv_arena_free(p->arena);
	free(p);
}
