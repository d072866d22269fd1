# benchmark.sh — what the benchmark and fault test scripts share: a system with one Store on
# `items` (and, for the benchmark, an `events` table for writes) whose database is TYPE, at
# the test servers or the SQLite file $sqlite_file. Source it after harness.sh.

# db_sql TYPE  (SQL on stdin) — runs it on the test database as its owner.
db_sql() {
	case $1 in
	sqlite) sqlite3 -bail "$sqlite_file" ;;
	postgresql) { echo "SET ROLE vigil; SET client_min_messages = warning;"; cat; } |
		"${VIGIL_PG_ADMIN[@]}" -d vigil -At ;;
	mysql) "${VIGIL_MYSQL_ADMIN[@]}" -N vigil ;;
	esac
}

# The URL as written in the blueprint: vigil expands ${VAR} itself.
# shellcheck disable=SC2016
url_of() {
	case $1 in
	sqlite) echo "sqlite:///$sqlite_file" ;;
	postgresql) echo '${VIGIL_PG_URL}' ;;
	mysql) echo '${VIGIL_MYSQL_URL}' ;;
	esac
}

# item_system TYPE NAME — a system NAME with one Store on `items`, up to the database's url:
# (its benchmark:, schema: and the rest follow, indented six spaces); item_schemas closes it.
item_system() {
	cat <<-EOF
		schema_version: "1.0.0"
		system:
		  name: $2
		  description: a test system with one Store on items
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
		      type: $1
		      url: "$(url_of "$1")"
	EOF
}
item_schemas() {
	cat <<-EOF
		schemas:
		  ItemRecord:
		    type: object
		    required: [id, name]
		    properties: {id: {type: integer}, name: {type: string}}
	EOF
}

# blueprint TYPE FILE [BENCHMARK-YAML [ROOT-YAML]] — a system with one Store on `items`;
# BENCHMARK-YAML is the database's benchmark: mapping (flow style), ROOT-YAML extra root keys.
blueprint() {
	local type=$1 file=$2 bench=${3:-} root=${4:-}
	{
		item_system "$type" bench_test
		[ -n "$bench" ] && echo "      benchmark: $bench"
		cat <<-EOF
			      schema:
			        tables:
			          - name: events
			            columns:
			              - {name: note, type: text}
			          - name: items
			            columns:
			              - {name: id, type: integer, primary_key: true}
			              - {name: name, type: text, nullable: false}
		EOF
		item_schemas
		[ -n "$root" ] && echo "$root"
	} >"$file"
}
