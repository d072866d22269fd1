# faults.sh — what the fault test scripts share (after harness.sh and benchmark.sh).

# faults_blueprint TYPE FILE TABLES [INDEXES] — items (id, name varchar(100)) with the
# indexes items_name_idx and, unless INDEXES is 1, items_name_id_idx; TABLES tables t1..tN.
faults_blueprint() {
	{
		item_system "$1" faults
		cat <<-EOF
			      benchmark: {clients: 2, warmup_ms: 0, duration_ms: 300}
			      schema:
			        tables:
			          - name: items
			            columns:
			              - {name: id, type: integer, primary_key: true}
			              - {name: name, type: varchar(100), nullable: false}
			            indexes:
			              - {name: items_name_idx, columns: [name]}
		EOF
		[ "${4:-2}" = 1 ] || echo "              - {name: items_name_id_idx, columns: [name, id]}"
		for i in $(seq 1 "$3"); do
			printf '          - name: t%s\n            columns:\n              - {name: id, type: integer, primary_key: true}\n' "$i"
		done
		item_schemas
	} >"$2"
}

# vigil_sessions TYPE — sessions of the user vigil on the server now.
vigil_sessions() {
	if [ "$1" = postgresql ]; then
		pg_admin -d postgres -At -c "SELECT count(*) FROM pg_stat_activity WHERE usename = 'vigil'"
	else
		my_admin -N -e "SELECT count(*) FROM information_schema.processlist WHERE user = 'vigil'"
	fi
}
