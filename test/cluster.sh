# test/cluster.sh: sourced by test/check, test/demo and test/bench/run.
# Installs what is missing (as root), builds and installs the extension,
# and starts a throwaway PostgreSQL cluster unless PGHOST or PGPORT name
# a server to use.  The cluster is removed when the calling script exits.
# PG_BIN names another installation's bin directory (a private copy, say).

set -euo pipefail

PG_MAJOR=${PG_MAJOR:-15}
ROOT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PG_BIN=${PG_BIN:-/usr/lib/postgresql/$PG_MAJOR/bin}
PATH=$PG_BIN:$PATH
export PATH

# Runs a command as the postgres user when we are root, else as ourselves.
as_server_user() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

# Installs the Debian packages named, when root and any is missing.
ensure_packages() {
	local missing=()
	local pkg
	for pkg in "$@"; do
		dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" != 0 ]; then
		echo "missing packages: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})" >&2
		exit 1
	fi
	echo "installing ${missing[*]}" >&2
	if [ -z "${QUOTA_APT_UPDATED:-}" ]; then
		apt-get update -qq
		QUOTA_APT_UPDATED=1
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# Builds the extension with warnings as errors and installs it.
build_and_install() {
	local sudo=()
	[ -w "$(pg_config --pkglibdir)" ] || sudo=(sudo)
	make -C "$ROOT_DIR" -s PG_CONFIG="$PG_BIN/pg_config" with_llvm=no \
		PG_CFLAGS="-Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers -Werror"
	"${sudo[@]}" make -C "$ROOT_DIR" -s PG_CONFIG="$PG_BIN/pg_config" with_llvm=no install
}

# Starts a throwaway cluster (unless PGHOST/PGPORT are set) and exports
# the libpq variables that point at it.
start_cluster() {
	if [ -n "${PGHOST:-}${PGPORT:-}" ]; then
		echo "using the server at ${PGHOST:-local socket}:${PGPORT:-5432}" >&2
		return 0
	fi
	CLUSTER_DIR=$(mktemp -d /tmp/quota_ext_cluster.XXXXXX)
	chmod 755 "$CLUSTER_DIR"
	[ "$(id -u)" = 0 ] && chown postgres: "$CLUSTER_DIR"
	export PGHOST=$CLUSTER_DIR
	export PGPORT=$((54000 + RANDOM % 900))
	export PGDATABASE=postgres
	if [ "$(id -u)" = 0 ]; then export PGUSER=postgres; else export PGUSER=$(id -un); fi
	trap stop_cluster EXIT
	as_server_user initdb -D "$CLUSTER_DIR/data" -U "$PGUSER" -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
	cat >>"$CLUSTER_DIR/data/postgresql.conf" <<-CONF
		listen_addresses = ''
		unix_socket_directories = '$CLUSTER_DIR'
		port = $PGPORT
		max_connections = 60
		shared_buffers = 512MB
		max_prepared_transactions = 4
		fsync = ${QUOTA_FSYNC:-off}
		log_min_messages = warning
		timezone = 'UTC'
		CONF
	as_server_user pg_ctl -D "$CLUSTER_DIR/data" -l "$CLUSTER_DIR/server.log" -w start >/dev/null
	echo "started a throwaway cluster in $CLUSTER_DIR (port $PGPORT)" >&2
}

# Stops and removes the throwaway cluster.
stop_cluster() {
	[ -n "${CLUSTER_DIR:-}" ] || return 0
	as_server_user pg_ctl -D "$CLUSTER_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
	rm -rf "$CLUSTER_DIR"
}
