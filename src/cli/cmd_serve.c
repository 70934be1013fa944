/* cmd_serve.c: `hocvuso serve`: the web server, until SIGINT or SIGTERM. */
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/log.h"
#include "core/metrics.h"
#include "domain/people/auth.h"
#include "domain/learn/content.h"
#include "domain/learn/credential.h"
#include "domain/learn/issuer.h"
#include "domain/learn/status_list.h"
#include "domain/people/secrets.h"
#include "domain/people/audit.h"
#include "domain/learn/learning.h"
#include "domain/places/units.h"
#include "http/server.h"
#include "views/tmpl.h"

static const char usage[] =
	"usage: hocvuso serve [--db PATH|URL] [--db-read URL] [--listen HOST:PORT] [--threads N]\n"
	"                     [--io-threads N] [--access-log -|off|FILE] [--public-url URL] [--config FILE]\n"
	"\n"
	"Serves the web site and the JSON API. Defaults: --db data/hocvuso.db,\n"
	"--listen 127.0.0.1:8080, --threads 16 (workers for writes, PDFs and\n"
	"spreadsheets, which wait), --io-threads 0 (threads that own the connections\n"
	"and answer reads: one per core, four per core on PostgreSQL). Port 0 picks\n"
	"a free port; the chosen address is printed as 'listening on http://HOST:PORT'.\n"
	"Stops on Ctrl-C.\n";

int hv_cmd_serve(int argc, char **argv)
{
	const char *db = NULL, *db_read = NULL, *listen = NULL, *threads = NULL, *io_threads = NULL, *log = NULL, *config = NULL,
	           *pos[1];
	const char *public_url = NULL;
	int npos, code;
	struct hv_opt opts[] = {{"db", &db, NULL},         {"db-read", &db_read, NULL}, {"listen", &listen, NULL},
	                        {"threads", &threads, NULL}, {"access-log", &log, NULL},  {"config", &config, NULL},
	                        {"public-url", &public_url, NULL}, {"io-threads", &io_threads, NULL}, {0}};
	if (hv_cli_parse("serve", usage, argc, argv, 2, opts, pos, 0, 0, &npos, &code) < 0)
		return code;
	struct hv_config cfg;
	if ((code = hv_cli_config("serve", config, db, &cfg)) != 0)
		return code;
	struct hv_error e = {0};
	if ((listen && hv_config_set(&cfg, "listen", listen, &e) < 0) || (threads && hv_config_set(&cfg, "threads", threads, &e) < 0) ||
	    (io_threads && hv_config_set(&cfg, "io_threads", io_threads, &e) < 0) ||
	    (log && hv_config_set(&cfg, "access_log", log, &e) < 0) || (db_read && hv_config_set(&cfg, "db_read", db_read, &e) < 0) ||
	    (public_url && hv_config_set(&cfg, "public_url", public_url, &e) < 0))
		return hv_cli_usage_error("serve", "%s", e.msg);
	if (!strchr(cfg.listen, ':'))
		return hv_cli_usage_error("serve", "--listen must be HOST:PORT, for example 127.0.0.1:8080");
	/* Request bodies of 256 KiB and more come from mmap and go back to
	 * the system when freed.  glibc's default raises this threshold after
	 * the first large free, so later large bodies stayed in the heap and
	 * the process kept hundreds of MiB after a burst of them. */
	mallopt(M_MMAP_THRESHOLD, 256 * 1024);
	char errbuf[256];
	if (!hv_tmpl_init(errbuf, sizeof errbuf)) {
		fprintf(stderr, "hocvuso serve: templates: %s\n", errbuf);
		hv_tmpl_shutdown();
		return HV_EXIT_FAIL;
	}
	int rc = HV_EXIT_FAIL;
	struct hv_server *srv = NULL;
	struct hv_store *s = hv_cli_open("serve", &cfg, true);
	if (!s)
		goto out_tmpl;
	struct hv_app app = {.store = s, .cfg = &cfg, .started = hv_now()};
	if (hv_server_secret(s, app.secret) < 0) {
		fprintf(stderr, "hocvuso serve: cannot read the server secret (run hocvuso init)\n");
		goto out_store;
	}
	char keypath[512];
	hv_config_key_path(&cfg, "issuer_key", keypath, sizeof keypath);
	if (hv_issuer_load(keypath, false, &e) < 0) {
		fprintf(stderr, "hocvuso serve: %s\n", e.msg);
		goto out_store;
	}
	if (hv_cli_secrets("serve", &cfg, s, false) < 0)
		goto out_store;
	hv_issuer_configure(cfg.public_url, cfg.issuer_name);
	if (hv_issuer_register(s, &e) < 0) {
		fprintf(stderr, "hocvuso serve: %s\n", e.msg);
		goto out_store;
	}
	if (hv_issuer_demo())
		fprintf(stderr, "hocvuso serve: public_url %s is a loopback address: certificates issued now are marked as demo "
		                "ones; set public_url (HOCVUSO_PUBLIC_URL) to the site's address\n", cfg.public_url);
	if (hv_catalog_load(hv_store_conn(s), &e) < 0) {
		fprintf(stderr, "hocvuso serve: %s\n", e.msg);
		goto out_store;
	}
	if (hv_accesslog_open(cfg.access_log) < 0) {
		fprintf(stderr, "hocvuso serve: cannot open access log %s\n", cfg.access_log);
		goto out_store;
	}
	/* Block the stop signals before threads start so only sigwait sees them. */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	hv_store_start_writer(s);
	/* One connection thread per core: with SQLite they never wait.  With
	 * PostgreSQL each read waits for a network round trip: four per core. */
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	cores = cores < 1 ? 1 : cores > 64 ? 64 : cores;
	int io = cfg.io_threads ? cfg.io_threads : (int)(hv_store_kind(s) == HV_DB_PG ? 4 * cores : cores);
	if (hv_server_start(&app, cfg.listen, io, cfg.threads, &srv, &e) < 0) {
		fprintf(stderr, "hocvuso serve: %s\n", e.msg);
		goto out_log;
	}
	char host[128];
	snprintf(host, sizeof host, "%.*s", (int)(strrchr(cfg.listen, ':') - cfg.listen), cfg.listen);
	fprintf(stderr, "hocvuso: listening on http://%s:%u (database %s, %d connection threads, %d workers)\n",
	        strcmp(host, "0.0.0.0") ? host : "localhost", hv_server_port(srv), cfg.db, io, cfg.threads);
	int sig = 0;
	sigwait(&set, &sig);
	fprintf(stderr, "hocvuso: stopping (signal %d)\n", sig);
	hv_server_stop(srv);
	rc = HV_EXIT_OK;
out_log:
	hv_accesslog_close();
out_store:
	hv_catalog_shutdown();
	hv_issuer_unload();
	hv_status_list_forget();
	hv_secrets_unload();
	hv_units_shutdown();
	hv_store_close(s);
out_tmpl:
	hv_tmpl_shutdown();
	return rc;
}
