#!/usr/bin/env bash
# checks_vs_peers.sh — vigil's benchmark check beside the databases' own load tools, on the
# same workload, clients and duration, interleaved (A B A B ...), medians printed side by side.
#   bash tests/bench/checks_vs_peers.sh [build-dir] [seconds] [rounds]
#   (build-dir default: build; seconds per run default 3; rounds default 3)
# Not a test: tests/bench/*.sh are not registered with ctest (only tests/*.sh are).
#
# The workload: a table `items` of 10,000 rows (integer primary key, a text column), looked up
# by primary key.
#  - PostgreSQL: vigil's default workload (SELECT * FROM items WHERE id = ?, over the 1,000
#    keys it samples, ids 1..1000; extended protocol, one Parse/Bind/Execute per query) beside
#    pgbench -M extended running `\set id random(1, 1000)` + the same SELECT. pgbench's tps
#    excludes its connection time; its latency percentiles come from its per-transaction log
#    (--log), computed here.
#  - MariaDB: mariadb-slap runs a fixed number of queries with no duration and reports only
#    the seconds the whole run took, so its tps is queries / seconds and it has no latency
#    percentiles (mean = clients / tps, by Little's law). It sends text queries without
#    parameters, so the pair compared is vigil with benchmark.query
#    "SELECT * FROM items WHERE id = 500" against mariadb-slap with the same query, its
#    --number-of-queries calibrated from vigil's count in the same round so both run about
#    as long. vigil's default workload (a prepared statement per query, keys cycling) is
#    printed too, for what the driver's prepare/execute/close costs.
# vigil warms up 500 ms before measuring; the peers do not. sysbench is not installed here.
set -uo pipefail
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${1:-$src/build}
seconds=${2:-3}
rounds=${3:-3}
vigil=$build/engine/vigil
pgbench=${PGBENCH:-/usr/lib/postgresql/15/bin/pgbench}
if [ ! -x "$vigil" ]; then
	echo "checks_vs_peers.sh: build first: no $vigil" >&2
	exit 1
fi
for tool in "$pgbench" mariadb-slap python3; do
	if ! command -v "$tool" >/dev/null; then
		echo "checks_vs_peers.sh: $tool is not installed" >&2
		exit 1
	fi
done
# shellcheck source=../db/servers.sh
source "$src/tests/db/servers.sh"
vigil_servers_start || exit 1
work=$(mktemp -d /tmp/vigil-bench-peers.XXXXXX)
trap 'vigil_servers_stop; rm -rf "$work"' EXIT
results=$work/results.tsv
: >"$results"

# ------------------------------------------------------------------ the data

{ echo "SET ROLE vigil;"; cat <<-'EOF'; } | "${VIGIL_PG_ADMIN[@]}" -d vigil || exit 1
	CREATE TABLE items (id integer PRIMARY KEY, name text NOT NULL);
	INSERT INTO items SELECT i, 'item ' || i FROM generate_series(1, 10000) i;
	VACUUM ANALYZE items;
EOF
"${VIGIL_MYSQL_ADMIN[@]}" vigil <<-'EOF' || exit 1
	CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL) ENGINE = InnoDB;
	INSERT INTO items SELECT seq, CONCAT('item ', seq) FROM seq_1_to_10000;
	ANALYZE TABLE items;
EOF

fixed_query="SELECT * FROM items WHERE id = 500"
cat >"$work/pgbench.sql" <<-'EOF'
	\set id random(1, 1000)
	SELECT * FROM items WHERE id = :id;
EOF
echo "$fixed_query;" >"$work/slap.sql"

# ------------------------------------------------------------------ one run of each tool

# blueprint TYPE URL CLIENTS [QUERY] — the system, its database and the benchmark settings.
blueprint() {
	local type=$1 url=$2 clients=$3 query=${4:-}
	local extra=""
	[ -n "$query" ] && extra=", query: \"$query\""
	cat <<-EOF
		schema_version: "1.0.0"
		system:
		  name: bench_peers
		  description: vigil's benchmark check beside pgbench and mariadb-slap
		  version: 1.0.0
		  components:
		    - name: item_api
		      type: APIEndpoint
		      config: {port: 8080}
		      outputs: [{name: created, schema: ItemRecord}]
		    - name: item_store
		      type: Store
		      config: {database: main, table: items}
		      inputs: [{name: input, schema: ItemRecord}]
		  bindings:
		    - {from: item_api.created, to: item_store.input}
		  databases:
		    main:
		      type: $type
		      url: "$url"
		      benchmark: {clients: $clients, warmup_ms: 500, duration_ms: $((seconds * 1000))$extra}
		      schema:
		        tables:
		          - name: items
		            columns:
		              - {name: id, type: integer, primary_key: true}
		              - {name: name, type: text, nullable: false}
		schemas:
		  ItemRecord:
			    type: object
			    required: [id, name]
			    properties: {id: {type: integer}, name: {type: string}}
	EOF
}

# run_vigil DB TOOL-LABEL TYPE URL CLIENTS [QUERY] — appends a result line; prints the queries.
run_vigil() {
	local db=$1 label=$2 type=$3 url=$4 clients=$5 query=${6:-}
	blueprint "$type" "$url" "$clients" "$query" >"$work/bp.yaml"
	"$vigil" validate "$work/bp.yaml" --format json --max-level 3 >"$work/report.json" 2>/dev/null
	python3 - "$work/report.json" "$db" "$label" "$clients" >>"$results" <<-'PY' || return 1
		import json, sys
		report, db, label, clients = sys.argv[1:]
		check = [c for lv in json.load(open(report))["levels"] for c in lv.get("checks", [])
		         if c.get("name") == "benchmark"]
		if not check or check[0]["status"] != "passed":
		    sys.exit("vigil's benchmark did not pass: %r" % (check,))
		m = {x["name"]: x["value"] for x in check[0]["metrics"]}
		print("\t".join([db, label, clients, "%.2f" % (m["duration_ms"] / 1000)] +
		                ["%.6g" % m[k] for k in ("tps", "mean_ms", "p50_ms", "p95_ms", "p99_ms")] +
		                ["%d" % m["queries"]]))
	PY
	tail -1 "$results" | cut -f10
}

run_pgbench() {
	local clients=$1
	rm -rf "$work/pglog"
	mkdir -p "$work/pglog"
	PGPASSWORD=$VIGIL_TEST_PASSWORD "$pgbench" -n -M extended -f "$work/pgbench.sql" \
		-c "$clients" -j "$clients" -T "$seconds" -h 127.0.0.1 -p "$VIGIL_PG_PORT" -U vigil \
		--log --log-prefix="$work/pglog/log" vigil >"$work/pgbench.out" 2>&1 || {
		cat "$work/pgbench.out" >&2
		return 1
	}
	python3 - "$work/pgbench.out" "$work/pglog" "$clients" >>"$results" <<-'PY'
		import glob, math, re, sys
		out, logdir, clients = sys.argv[1:]
		text = open(out).read()
		tps = float(re.search(r"tps = ([0-9.]+) \(without initial connection time\)", text).group(1))
		# each log line: client_id transaction_no latency_us script_no epoch_s epoch_us
		lat = sorted(int(line.split()[2]) / 1000.0
		             for f in glob.glob(logdir + "/log*") for line in open(f))
		def rank(p):  # nearest rank, as vigil's histogram
		    return lat[max(0, math.ceil(p * len(lat)) - 1)]
		seconds = len(lat) / tps
		print("\t".join(["postgresql", "pgbench", clients, "%.2f" % seconds] +
		                ["%.6g" % v for v in (tps, sum(lat) / len(lat), rank(.5), rank(.95),
		                                      rank(.99))] + ["%d" % len(lat)]))
	PY
}

# run_slap CLIENTS QUERIES — mariadb-slap's whole-run seconds: tps = queries / seconds.
run_slap() {
	local clients=$1 queries=$2
	mariadb-slap --no-defaults -h 127.0.0.1 -P "$VIGIL_MYSQL_PORT" -u vigil \
		-p"$VIGIL_TEST_PASSWORD" --create-schema=vigil --query="$work/slap.sql" --delimiter=";" \
		--concurrency="$clients" --iterations=1 --number-of-queries="$queries" \
		>"$work/slap.out" 2>&1 || {
		cat "$work/slap.out" >&2
		return 1
	}
	python3 - "$work/slap.out" "$clients" "$queries" >>"$results" <<-'PY'
		import re, sys
		out, clients, queries = sys.argv[1:]
		secs = float(re.search(r"Average number of seconds to run all queries: ([0-9.]+)",
		                       open(out).read()).group(1))
		tps = int(queries) / secs
		print("\t".join(["mariadb", "mariadb-slap", clients, "%.2f" % secs, "%.6g" % tps,
		                 "%.6g" % (int(clients) / tps * 1000), "-", "-", "-", queries]))
	PY
}

# ------------------------------------------------------------------ interleaved rounds

# Load figures swing with what else runs on the machine: say how busy it was.
load_start=$(cut -d' ' -f1-3 /proc/loadavg)

# The URLs stay as written (${VIGIL_PG_URL}): vigil expands them from the environment.
# shellcheck disable=SC2016
for round in $(seq 1 "$rounds"); do
	for clients in 1 4; do
		echo "round $round/$rounds, $clients client(s) ..." >&2
		run_vigil postgresql "vigil (pk lookup)" postgresql '${VIGIL_PG_URL}' "$clients" \
			>/dev/null || exit 1
		run_pgbench "$clients" || exit 1
		run_vigil mariadb "vigil (pk lookup, prepared)" mysql '${VIGIL_MYSQL_URL}' "$clients" \
			>/dev/null || exit 1
		queries=$(run_vigil mariadb "vigil (fixed id, text)" mysql '${VIGIL_MYSQL_URL}' \
			"$clients" "$fixed_query") || exit 1
		run_slap "$clients" "$queries" || exit 1
	done
done

# ------------------------------------------------------------------ the table of medians

load_end=$(cut -d' ' -f1-3 /proc/loadavg)
python3 - "$results" "$rounds" "$load_start" "$load_end" "$(nproc)" <<-'PY'
	import collections, statistics, sys
	rows = collections.OrderedDict()
	for line in open(sys.argv[1]):
	    f = line.rstrip("\n").split("\t")
	    rows.setdefault((f[0], f[1], int(f[2])), []).append(f[3:])
	def med(values, col, fmt):
	    xs = [float(v[col]) for v in values if v[col] != "-"]
	    return fmt % statistics.median(xs) if xs else "-"
	head = ("database", "tool", "clients", "duration s", "tps", "tps range", "mean ms",
	        "p50 ms", "p95 ms", "p99 ms")
	table = [head]
	for (db, tool, clients), values in sorted(rows.items(), key=lambda kv: (kv[0][0], kv[0][2])):
	    tps = [float(v[1]) for v in values]
	    table.append((db, tool, str(clients), med(values, 0, "%.2f"), med(values, 1, "%.0f"),
	                  "%.0f-%.0f" % (min(tps), max(tps)), med(values, 2, "%.3f"),
	                  med(values, 3, "%.3f"), med(values, 4, "%.3f"), med(values, 5, "%.3f")))
	widths = [max(len(r[i]) for r in table) for i in range(len(head))]
	print("medians of %s interleaved rounds" % sys.argv[2])
	for i, r in enumerate(table):
	    cells = zip(r, widths)
	    print("  ".join(c.ljust(w) if j < 2 else c.rjust(w) for j, (c, w) in enumerate(cells)))
	    if i == 0:
	        print("  ".join("-" * w for w in widths))
	print("mariadb-slap gives no per-query latency: its mean is clients / tps.")
	print("load average (1, 5, 15 min) at the start: %s, at the end: %s; %s CPUs"
	      % (sys.argv[3], sys.argv[4], sys.argv[5]))
PY
