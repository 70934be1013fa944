/* guard.c: connection phases, deadlines and the cap on connections whose
 * request headers are not complete (see guard.h).
 *
 * One table of slots, one per open connection, under one mutex: a
 * connection's slot is taken when MHD reports it started and given back
 * when MHD reports it closed, which MHD does before it closes the socket,
 * so a descriptor the watchdog shuts down under the mutex is always the
 * connection's own.  Waiting slots also sit on a list in the order they
 * began waiting, so the oldest is found at once. */
#include "http/guard.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#include "core/err.h"
#include "core/limits.h"
#include "core/metrics.h"

enum phase { FREE, WAITING, BODY, WORKING, IDLE };
#define NPHASES 5

struct slot {
	int fd;
	enum phase phase;
	bool closing;    /* shut down by us; MHD will report it closed */
	double deadline; /* 0: none */
	int prev, next;  /* waiting or idle list, or free list (next only) */
};

struct hv_guard {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_t watchdog;
	bool stop;
	double header_seconds;
	unsigned max_waiting, nslots;
	struct slot *slots;
	int free_head;
	int head[NPHASES], tail[NPHASES]; /* waiting and idle lists, oldest first */
	unsigned count[NPHASES];
};

static bool listed(enum phase p)
{
	return p == WAITING || p == IDLE;
}

static void unlink_slot(struct hv_guard *g, int i)
{
	struct slot *s = &g->slots[i];
	if (s->prev >= 0)
		g->slots[s->prev].next = s->next;
	else
		g->head[s->phase] = s->next;
	if (s->next >= 0)
		g->slots[s->next].prev = s->prev;
	else
		g->tail[s->phase] = s->prev;
	s->prev = s->next = -1;
}

static void set_phase(struct hv_guard *g, int i, enum phase p, double deadline)
{
	struct slot *s = &g->slots[i];
	if (listed(s->phase))
		unlink_slot(g, i);
	g->count[s->phase]--;
	s->phase = p;
	s->deadline = deadline;
	g->count[p]++;
	if (listed(p)) {
		s->prev = g->tail[p];
		s->next = -1;
		if (g->tail[p] >= 0)
			g->slots[g->tail[p]].next = i;
		else
			g->head[p] = i;
		g->tail[p] = i;
	}
}

/* Ends a connection from outside its thread: MHD sees the socket closed
 * and cleans up as if the client had gone.  Its slot stays until then,
 * off the waiting list so that it is not chosen twice. */
static void cut(struct hv_guard *g, int i, bool evicted)
{
	struct slot *s = &g->slots[i];
	if (s->closing)
		return;
	if (listed(s->phase))
		set_phase(g, i, WORKING, 0); /* off its list and count */
	s->closing = true;
	shutdown(s->fd, SHUT_RDWR);
	hv_metrics_conn_closed(evicted);
}

static void *watchdog(void *arg)
{
	struct hv_guard *g = arg;
	pthread_mutex_lock(&g->lock);
	while (!g->stop) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 250 * 1000 * 1000;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&g->wake, &g->lock, &ts);
		double now = hv_now();
		for (unsigned i = 0; i < g->nslots; i++) {
			struct slot *s = &g->slots[i];
			if (s->phase != FREE && !s->closing && s->deadline > 0 && now > s->deadline)
				cut(g, (int)i, false);
		}
		hv_metrics_connections(g->count[WAITING], g->count[BODY], g->count[WORKING] + g->count[IDLE]);
	}
	pthread_mutex_unlock(&g->lock);
	return NULL;
}

struct hv_guard *hv_guard_new(unsigned header_seconds, unsigned max_waiting, unsigned max_conns)
{
	struct hv_guard *g = calloc(1, sizeof *g);
	if (!g)
		return NULL;
	g->slots = calloc(max_conns, sizeof *g->slots);
	if (!g->slots) {
		free(g);
		return NULL;
	}
	g->header_seconds = header_seconds;
	g->max_waiting = max_waiting;
	g->nslots = max_conns;
	for (unsigned i = 0; i < max_conns; i++) {
		g->slots[i].phase = FREE;
		g->slots[i].prev = -1;
		g->slots[i].next = i + 1 < max_conns ? (int)i + 1 : -1;
	}
	g->count[FREE] = max_conns;
	g->free_head = 0;
	for (int p = 0; p < NPHASES; p++)
		g->head[p] = g->tail[p] = -1;
	pthread_mutex_init(&g->lock, NULL);
	pthread_cond_init(&g->wake, NULL);
	if (pthread_create(&g->watchdog, NULL, watchdog, g) != 0) {
		pthread_mutex_destroy(&g->lock);
		pthread_cond_destroy(&g->wake);
		free(g->slots);
		free(g);
		return NULL;
	}
	return g;
}

void hv_guard_free(struct hv_guard *g)
{
	if (!g)
		return;
	pthread_mutex_lock(&g->lock);
	g->stop = true;
	pthread_cond_signal(&g->wake);
	pthread_mutex_unlock(&g->lock);
	pthread_join(g->watchdog, NULL);
	pthread_mutex_destroy(&g->lock);
	pthread_cond_destroy(&g->wake);
	free(g->slots);
	free(g);
}

/* The slot index kept in MHD's socket context (index + 1; 0 = none). */
static int slot_of(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci ? (int)(intptr_t)ci->socket_context - 1 : -1;
}

void hv_guard_notify(void *cls, struct MHD_Connection *conn, void **socket_context, enum MHD_ConnectionNotificationCode code)
{
	struct hv_guard *g = cls;
	pthread_mutex_lock(&g->lock);
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
		int fd = ci ? ci->connect_fd : -1;
		/* Table full: the longest-idle kept-alive connection makes room. */
		if (g->free_head < 0 && g->head[IDLE] >= 0)
			cut(g, g->head[IDLE], true);
		int i = g->free_head;
		if (i < 0 || fd < 0) {
			/* No slot (the daemon's limit is the table's size, so this
			 * should not happen): refuse the newcomer. */
			if (fd >= 0)
				shutdown(fd, SHUT_RDWR);
			*socket_context = NULL;
			pthread_mutex_unlock(&g->lock);
			return;
		}
		g->free_head = g->slots[i].next;
		g->slots[i].fd = fd;
		g->slots[i].closing = false;
		g->slots[i].prev = g->slots[i].next = -1;
		set_phase(g, i, WAITING, hv_now() + g->header_seconds);
		*socket_context = (void *)(intptr_t)(i + 1);
		/* Over the cap: the connection that has waited longest makes room
		 * (a client that sends its headers at once is never the oldest). */
		while (g->count[WAITING] > g->max_waiting && g->head[WAITING] >= 0 && g->head[WAITING] != i)
			cut(g, g->head[WAITING], true);
	} else if (code == MHD_CONNECTION_NOTIFY_CLOSED && *socket_context) {
		int i = (int)(intptr_t)*socket_context - 1;
		struct slot *s = &g->slots[i];
		if (listed(s->phase))
			unlink_slot(g, i);
		g->count[s->phase]--;
		s->phase = FREE;
		g->count[FREE]++;
		s->fd = -1;
		s->closing = false;
		s->next = g->free_head;
		g->free_head = i;
		*socket_context = NULL;
	}
	pthread_mutex_unlock(&g->lock);
}

void hv_guard_headers_done(struct hv_guard *g, struct MHD_Connection *conn, size_t body_bytes)
{
	int i = slot_of(conn);
	if (!g || i < 0)
		return;
	pthread_mutex_lock(&g->lock);
	if (g->slots[i].phase != FREE && !g->slots[i].closing) {
		if (body_bytes)
			set_phase(g, i, BODY, hv_now() + HV_BODY_GRACE_SECONDS + (double)body_bytes / HV_BODY_MIN_RATE);
		else
			set_phase(g, i, WORKING, 0);
	}
	pthread_mutex_unlock(&g->lock);
}

void hv_guard_request_done(struct hv_guard *g, struct MHD_Connection *conn)
{
	int i = slot_of(conn);
	if (!g || i < 0)
		return;
	pthread_mutex_lock(&g->lock);
	/* Kept alive, an established client: not counted among the waiting
	 * (it is not made to room for newcomers unless the table is full);
	 * the next request may come after the idle time. */
	if (g->slots[i].phase != FREE && !g->slots[i].closing)
		set_phase(g, i, IDLE, hv_now() + HV_IDLE_SECONDS + g->header_seconds);
	pthread_mutex_unlock(&g->lock);
}
