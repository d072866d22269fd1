# harness.sh — what the database test scripts share. Source it, then:
#   vigil_harness_begin NAME SOURCE_DIR   # starts the servers (servers.sh), makes $work,
#                                         # sets the counters; a server that cannot start
#                                         # ends the script with a FAIL (never a skip)
#   ok / fail "what"                      # count a result (fail prints it)
#   pg_admin ARGS / my_admin ARGS         # psql / mariadb as the servers' admin
#   vigil_harness_end                     # prints "NAME: P passed, F failed"; its status is
#                                         # the script's verdict (nothing passed: a failure)
# $work lives inside the servers' folder and is removed with them on exit.

vigil_harness_begin() {
	VIGIL_HARNESS_NAME=$1
	# LeakSanitizer (ASan builds): the client libraries' one-time allocations, see the file.
	export LSAN_OPTIONS="suppressions=$2/tests/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
	# shellcheck source=servers.sh
	source "$2/tests/db/servers.sh"
	if ! vigil_servers_start; then
		echo "FAIL $1: the test servers did not start (see above)"
		exit 1
	fi
	work=$VIGIL_SERVERS_DIR/$1
	mkdir -p "$work"
	passed=0
	failed=0
}

ok() { passed=$((passed + 1)); }
fail() {
	echo "FAIL $*"
	failed=$((failed + 1))
}

pg_admin() { "${VIGIL_PG_ADMIN[@]}" "$@"; }
my_admin() { "${VIGIL_MYSQL_ADMIN[@]}" "$@"; }

vigil_harness_end() {
	echo "$VIGIL_HARNESS_NAME: $passed passed, $failed failed"
	[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
}
