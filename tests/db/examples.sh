# examples.sh — the example blueprints against the test servers, for the database test
# scripts. Source it after vigil_harness_begin (harness.sh), then:
#   vigil_examples_setup SED_EXPR   # roles and databases on the servers (shop_app owns shop,
#                                   # shop_reader may only read; blog_app may use blog,
#                                   # blog_reader only read), and $work/{tasks,shop,blog}.yaml:
#                                   # the examples with only their URLs at the test servers'
#                                   # ports and SED_EXPR (may be empty) applied
#   example_sql NAME                # runs standard input on the database as its app user
#   example_snapshot NAME           # the schema and every table's row count, as the
#                                   # database's own tools show them
#   example_drift NAME              # a missing table, column, index and foreign key, and a
#                                   # wrong type: exactly five differences
#   example_drift_codes NAME        # the schema findings that drift makes, "CODE object|..."

vigil_examples_setup() {
	local extra=${1:-}
	export SHOP_DB_PASSWORD=$VIGIL_TEST_PASSWORD BLOG_DB_PASSWORD=$VIGIL_TEST_PASSWORD
	pg_admin -d postgres >/dev/null <<-EOF || { echo "FAIL $VIGIL_HARNESS_NAME: PostgreSQL setup"; exit 1; }
		CREATE ROLE shop_app LOGIN PASSWORD '$VIGIL_TEST_PASSWORD';
		CREATE ROLE shop_reader LOGIN PASSWORD '$VIGIL_TEST_PASSWORD';
		CREATE DATABASE shop OWNER shop_app;
		\c shop
		GRANT USAGE ON SCHEMA public TO shop_reader;
		ALTER DEFAULT PRIVILEGES FOR ROLE shop_app IN SCHEMA public GRANT SELECT ON TABLES TO shop_reader;
	EOF
	my_admin <<-EOF || { echo "FAIL $VIGIL_HARNESS_NAME: MariaDB setup"; exit 1; }
		CREATE DATABASE blog CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
		CREATE USER 'blog_app'@'127.0.0.1' IDENTIFIED BY '$VIGIL_TEST_PASSWORD';
		GRANT SELECT, INSERT, UPDATE, DELETE, REFERENCES, CREATE, ALTER, DROP, INDEX ON blog.* TO 'blog_app'@'127.0.0.1';
		CREATE USER 'blog_reader'@'127.0.0.1' IDENTIFIED BY '$VIGIL_TEST_PASSWORD';
		GRANT SELECT ON blog.* TO 'blog_reader'@'127.0.0.1';
	EOF
	local e=(-e "${extra:-s/^//}")
	sed -e "s|@127.0.0.1:5432/|@127.0.0.1:$VIGIL_PG_PORT/|" "${e[@]}" \
		"$src/blueprints/examples/shop_postgresql.yaml" >"$work/shop.yaml"
	sed -e "s|@127.0.0.1:3306/|@127.0.0.1:$VIGIL_MYSQL_PORT/|" "${e[@]}" \
		"$src/blueprints/examples/blog_mysql.yaml" >"$work/blog.yaml"
	sed "${e[@]}" "$src/blueprints/examples/tasks_sqlite.yaml" >"$work/tasks.yaml"
	grep -q "127.0.0.1:$VIGIL_PG_PORT/" "$work/shop.yaml" &&
		grep -q "127.0.0.1:$VIGIL_MYSQL_PORT/" "$work/blog.yaml" ||
		{ echo "FAIL $VIGIL_HARNESS_NAME: the examples' URLs were not redirected"; exit 1; }
}

example_sql() {
	case $1 in
	tasks) sqlite3 -bail "$work/tasks.db" ;;
	shop) PGPASSWORD=$VIGIL_TEST_PASSWORD "$VIGIL_PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 \
		-p "$VIGIL_PG_PORT" -U shop_app -d shop >/dev/null ;;
	blog) mariadb --no-defaults -h 127.0.0.1 -P "$VIGIL_MYSQL_PORT" -ublog_app \
		-p"$VIGIL_TEST_PASSWORD" blog ;;
	esac
}

example_snapshot() {
	case $1 in
	tasks)
		sqlite3 "$work/tasks.db" .schema
		for t in $(sqlite3 "$work/tasks.db" "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"); do
			echo "$t $(sqlite3 "$work/tasks.db" "SELECT count(*) FROM \"$t\"")"
		done ;;
	shop)
		# (pg_dump's \restrict lines carry a random key per run.)
		"$VIGIL_PG_BIN/pg_dump" -s -h 127.0.0.1 -p "$VIGIL_PG_PORT" -U postgres shop |
			grep -v -e '^--' -e '^\\restrict' -e '^\\unrestrict'
		for t in $(pg_admin -d shop -At -c "SELECT tablename FROM pg_tables WHERE schemaname='public' ORDER BY 1"); do
			echo "$t $(pg_admin -d shop -At -c "SELECT count(*) FROM \"$t\"")"
		done ;;
	blog)
		mariadb-dump --no-defaults --protocol=socket --socket="$VIGIL_MYSQL_SOCKET" -uroot \
			--no-data --skip-dump-date blog | sed 's/ AUTO_INCREMENT=[0-9]*//'
		for t in $(my_admin -N -e "SELECT table_name FROM information_schema.tables WHERE table_schema='blog' ORDER BY 1"); do
			echo "$t $(my_admin -N -e "SELECT count(*) FROM blog.\`$t\`")"
		done ;;
	esac
}

example_drift() {
	case $1 in
	tasks) example_sql tasks <<-'EOF'
		DROP TABLE comments;
		ALTER TABLE projects DROP COLUMN created_at;
		CREATE TABLE tasks_new (
		  id INTEGER PRIMARY KEY AUTOINCREMENT,
		  project_id INTEGER NOT NULL,
		  title VARCHAR(200) NOT NULL,
		  done BOOLEAN NOT NULL DEFAULT FALSE,
		  priority TEXT NOT NULL DEFAULT 3,
		  due_date DATE,
		  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP);
		INSERT INTO tasks_new SELECT * FROM tasks;
		DROP TABLE tasks;
		ALTER TABLE tasks_new RENAME TO tasks;
		CREATE INDEX tasks_project_idx ON tasks (project_id);
	EOF
	;;
	shop) example_sql shop <<-'EOF'
		DROP TABLE order_items;
		ALTER TABLE customers DROP COLUMN full_name;
		ALTER TABLE products ALTER COLUMN name TYPE varchar(100);
		DROP INDEX orders_customer_placed_idx;
		ALTER TABLE orders DROP CONSTRAINT orders_customer_fk;
	EOF
	;;
	blog) example_sql blog <<-'EOF'
		DROP TABLE comments;
		ALTER TABLE authors DROP COLUMN bio;
		ALTER TABLE tags MODIFY name VARCHAR(80) NOT NULL;
		DROP INDEX posts_published_idx ON posts;
		ALTER TABLE posts DROP FOREIGN KEY posts_author_fk;
	EOF
	;;
	esac
}

example_drift_codes() {
	case $1 in
	tasks) echo "VG520 comments|VG522 projects.created_at|VG524 tasks.priority|VG531 tasks.tasks_open_due_idx|VG534 tasks.tasks_project_fk" ;;
	shop) echo "VG520 order_items|VG522 customers.full_name|VG524 products.name|VG531 orders.orders_customer_placed_idx|VG534 orders.orders_customer_fk" ;;
	blog) echo "VG520 comments|VG522 authors.bio|VG524 tags.name|VG531 posts.posts_published_idx|VG534 posts.posts_author_fk" ;;
	esac
}
