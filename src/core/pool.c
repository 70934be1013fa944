/* pool.c: worker threads over one FIFO queue (see pool.h). */
#include "core/pool.h"

#include <pthread.h>
#include <stdlib.h>

#include "core/buf.h"

struct job {
	void (*fn)(void *);
	void *arg;
	struct job *next;
};

struct hv_pool {
	pthread_mutex_t lock;
	pthread_cond_t ready;
	struct job *head, *tail;
	bool stopping;
	int n;
	pthread_t *threads;
};

static void *worker(void *arg)
{
	struct hv_pool *p = arg;
	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (!p->head && !p->stopping)
			pthread_cond_wait(&p->ready, &p->lock);
		struct job *j = p->head;
		if (!j)
			break; /* stopping and nothing left */
		p->head = j->next;
		if (!p->head)
			p->tail = NULL;
		pthread_mutex_unlock(&p->lock);
		j->fn(j->arg);
		free(j);
		pthread_mutex_lock(&p->lock);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

struct hv_pool *hv_pool_new(int n)
{
	if (n < 1 || n > 256)
		return NULL;
	struct hv_pool *p = hv_xcalloc(1, sizeof *p);
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->ready, NULL);
	p->threads = hv_xcalloc((size_t)n, sizeof *p->threads);
	for (; p->n < n; p->n++)
		if (pthread_create(&p->threads[p->n], NULL, worker, p) != 0)
			break;
	if (p->n == 0) {
		hv_pool_free(p);
		return NULL;
	}
	return p;
}

bool hv_pool_submit(struct hv_pool *p, void (*fn)(void *), void *arg, void (*before)(void *), void *before_arg)
{
	struct job *j = hv_xmalloc(sizeof *j);
	*j = (struct job){fn, arg, NULL};
	pthread_mutex_lock(&p->lock);
	if (p->stopping) {
		pthread_mutex_unlock(&p->lock);
		free(j);
		return false;
	}
	if (before)
		before(before_arg);
	if (p->tail)
		p->tail->next = j;
	else
		p->head = j;
	p->tail = j;
	pthread_cond_signal(&p->ready);
	pthread_mutex_unlock(&p->lock);
	return true;
}

void hv_pool_stop(struct hv_pool *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->stopping = true;
	pthread_cond_broadcast(&p->ready);
	pthread_mutex_unlock(&p->lock);
	for (int i = 0; i < p->n; i++)
		pthread_join(p->threads[i], NULL);
	p->n = 0;
}

void hv_pool_free(struct hv_pool *p)
{
	if (!p)
		return;
	hv_pool_stop(p);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->ready);
	free(p->threads);
	free(p);
}
