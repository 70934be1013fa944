#!/bin/sh
# pg.sh start|stop DIR PORT: a private PostgreSQL cluster on loopback for
# tests (initdb in DIR, non-default PORT). Prints the connection URL on start.
# Runs the server as the 'postgres' system user when started as root.
set -eu
cmd=${1:?start|stop}; dir=${2:?dir}; port=${3:-55432}
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bindir/initdb" ] || { echo "pg.sh: PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }
as_pg() { if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
case "$cmd" in
start)
	mkdir -p "$dir"
	[ "$(id -u)" -eq 0 ] && chown postgres "$dir"
	if [ ! -f "$dir/PG_VERSION" ]; then
		as_pg "'$bindir/initdb' -D '$dir' -U hocvuso --auth=trust -E UTF8 --locale=C.UTF-8" >/dev/null
	fi
	as_pg "'$bindir/pg_ctl' -D '$dir' -l '$dir/log' -w -o \"-p $port -k /tmp -c listen_addresses=127.0.0.1 -c fsync=on\" start" >/dev/null
	as_pg "'$bindir/createdb' -h 127.0.0.1 -p $port -U hocvuso hocvuso_test" 2>/dev/null || true
	echo "postgres://hocvuso@127.0.0.1:$port/hocvuso_test"
	;;
replica)
	# pg.sh replica DIR PORT PRIMARY_PORT: a streaming standby of the primary.
	primary=${4:?primary port}
	mkdir -p "$dir"
	[ "$(id -u)" -eq 0 ] && chown postgres "$dir" && chmod 700 "$dir"
	as_pg "'$bindir/pg_basebackup' -h 127.0.0.1 -p $primary -U hocvuso -D '$dir' -R -X stream" >/dev/null
	as_pg "'$bindir/pg_ctl' -D '$dir' -l '$dir/log' -w -o \"-p $port -k /tmp -c listen_addresses=127.0.0.1 -c hot_standby=on\" start" >/dev/null
	echo "postgres://hocvuso@127.0.0.1:$port/hocvuso_test"
	;;
stop)
	as_pg "'$bindir/pg_ctl' -D '$dir' -m fast -w stop" >/dev/null 2>&1 || true
	;;
esac
