/* Unit tests of the located YAML tree: positions, every refusal, aliases, helpers. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "yaml_tree.h"

#include "check.h"

static vg_node *parse_n(vg_arena *a, const char *text, size_t len, vg_yaml_error *err)
{
	return vg_yaml_parse(a, "t.yaml", text, len, err);
}

static vg_node *parse(vg_arena *a, const char *text, vg_yaml_error *err)
{
	return parse_n(a, text, strlen(text), err);
}

/* Parses `text` expecting failure of `kind`; returns the error for more checks. */
static vg_yaml_error refused(const char *text, size_t len, vg_yaml_error_kind kind)
{
	vg_arena *a = vg_arena_new();
	vg_yaml_error err;
	vg_node *root = parse_n(a, text, len, &err);
	CHECK(root == NULL);
	CHECK_MSG(err.kind == kind, "got kind %d: %s", err.kind, err.message);
	vg_arena_free(a);
	return err;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void test_positions(void)
{
	vg_arena *a = vg_arena_new();
	vg_yaml_error err;
	const char *y = "a:\n"
	                "  b:\n"
	                "    - x\n"
	                "    - {c: 1, d: [2, 3]}\n";
	vg_node *root = parse(a, y, &err);
	CHECK(root && root->kind == VG_NODE_MAP && err.kind == VG_YAML_OK);
	CHECK(root->line == 1 && root->column == 1);
	CHECK(strcmp(root->file, "t.yaml") == 0);
	const vg_node *av = vg_map_get(root, "a");
	CHECK(av && av->kind == VG_NODE_MAP && av->line == 2 && av->column == 3);
	const vg_node *bv = vg_map_get(av, "b");
	CHECK(bv && bv->kind == VG_NODE_SEQ && bv->line == 3 && bv->column == 5);
	CHECK(bv->u.seq.count == 2);
	const vg_node *x = bv->u.seq.items[0];
	CHECK(x->kind == VG_NODE_SCALAR && x->line == 3 && x->column == 7);
	const vg_node *m = bv->u.seq.items[1];
	CHECK(m->kind == VG_NODE_MAP && m->line == 4 && m->column == 7 && m->u.map.count == 2);
	const vg_pair *c = vg_map_pair(m, "c");
	CHECK(c && c->key->line == 4 && c->key->column == 8);
	CHECK(c && c->value->column == 11);
	const vg_node *d = vg_map_get(m, "d");
	CHECK(d && d->kind == VG_NODE_SEQ && d->line == 4 && d->column == 17 && d->u.seq.count == 2);
	CHECK(d->u.seq.items[1]->column == 21);
	CHECK(d->file == root->file); /* one shared copy */
	vg_arena_free(a);
}

static void test_scalars(void)
{
	vg_arena *a = vg_arena_new();
	vg_yaml_error err;
	const char *y = "plain: hello\n"
	                "single: 'q'\n"
	                "double: \"a\\0b\"\n"
	                "block: |\n  line1\n  line2\n"
	                "folded: >\n  x\n  y\n"
	                "tagged: &anc !!str 12\n"
	                "ref: *anc\n"
	                "empty:\n";
	vg_node *root = parse(a, y, &err);
	CHECK(root != NULL);
	const vg_node *n = vg_map_get(root, "plain");
	CHECK(n && n->u.scalar.style == VG_SCALAR_PLAIN && strcmp(vg_scalar(n), "hello") == 0);
	CHECK(vg_map_get(root, "single")->u.scalar.style == VG_SCALAR_QUOTED);
	n = vg_map_get(root, "double");
	CHECK(n->u.scalar.style == VG_SCALAR_QUOTED && n->u.scalar.length == 3 && n->u.scalar.text[1] == 0);
	n = vg_map_get(root, "block");
	CHECK(n->u.scalar.style == VG_SCALAR_BLOCK && strcmp(vg_scalar(n), "line1\nline2\n") == 0);
	CHECK(vg_map_get(root, "folded")->u.scalar.style == VG_SCALAR_BLOCK);
	n = vg_map_get(root, "tagged");
	CHECK(n->tag && strcmp(n->tag, "!!str") == 0);
	CHECK(n->anchor && strcmp(n->anchor, "anc") == 0);
	CHECK(strcmp(vg_node_describe(n), "string") == 0);
	CHECK(vg_map_get(root, "ref") == n); /* an alias shares the anchored node */
	CHECK(vg_is_null(vg_map_get(root, "empty")));
	CHECK(vg_map_get(root, "missing") == NULL);
	CHECK(vg_scalar(root) == NULL);
	vg_arena_free(a);
}

static void test_helpers(void)
{
	vg_arena *a = vg_arena_new();
	vg_yaml_error err;
	const char *y = "t1: true\nt2: YES\nt3: Off\nt4: \"true\"\nt5: truthy\n"
	                "i1: 42\ni2: \"-17\"\ni3: 9223372036854775807\ni4: 9223372036854775808\n"
	                "i5: -9223372036854775808\ni6: 1.5\ni7: +3\ni8: ' 4'\ni9: 0x1F\n"
	                "f1: 2.5\nf2: -1e3\nf3: .inf\nf4: '.5'\nf5: abc\n"
	                "n1: ~\nn2: null\nn3: NULL\nn4: 'null'\nn5: Null\n"
	                "m: {}\ns: []\n";
	vg_node *root = parse(a, y, &err);
	CHECK(root != NULL);
	int b = -1;
	CHECK(vg_scalar_bool(vg_map_get(root, "t1"), &b) == 0 && b == 1);
	CHECK(vg_scalar_bool(vg_map_get(root, "t2"), &b) == 0 && b == 1);
	CHECK(vg_scalar_bool(vg_map_get(root, "t3"), &b) == 0 && b == 0);
	CHECK(vg_scalar_bool(vg_map_get(root, "t4"), &b) == -1); /* quoted: a string */
	CHECK(vg_scalar_bool(vg_map_get(root, "t5"), &b) == -1);
	CHECK(vg_scalar_bool(vg_map_get(root, "m"), &b) == -1);
	long long v = 0;
	CHECK(vg_scalar_long(vg_map_get(root, "i1"), &v) == 0 && v == 42);
	CHECK(vg_scalar_long(vg_map_get(root, "i2"), &v) == 0 && v == -17);
	CHECK(vg_scalar_long(vg_map_get(root, "i3"), &v) == 0 && v == 9223372036854775807LL);
	CHECK(vg_scalar_long(vg_map_get(root, "i4"), &v) == -1); /* overflow */
	CHECK(vg_scalar_long(vg_map_get(root, "i5"), &v) == 0 && v == (-9223372036854775807LL - 1));
	CHECK(vg_scalar_long(vg_map_get(root, "i6"), &v) == -1);
	CHECK(vg_scalar_long(vg_map_get(root, "i7"), &v) == 0 && v == 3);
	CHECK(vg_scalar_long(vg_map_get(root, "i8"), &v) == -1);
	CHECK(vg_scalar_long(vg_map_get(root, "i9"), &v) == -1); /* decimal only */
	double d = 0;
	CHECK(vg_scalar_double(vg_map_get(root, "f1"), &d) == 0 && d == 2.5);
	CHECK(vg_scalar_double(vg_map_get(root, "f2"), &d) == 0 && d == -1000.0);
	CHECK(vg_scalar_double(vg_map_get(root, "f3"), &d) == 0 && d > 1e308);
	CHECK(vg_scalar_double(vg_map_get(root, "f4"), &d) == 0 && d == 0.5);
	CHECK(vg_scalar_double(vg_map_get(root, "f5"), &d) == -1);
	CHECK(vg_scalar_double(vg_map_get(root, "i1"), &d) == 0 && d == 42.0);
	CHECK(vg_is_null(vg_map_get(root, "n1")) && vg_is_null(vg_map_get(root, "n2")));
	CHECK(vg_is_null(vg_map_get(root, "n3")) && vg_is_null(vg_map_get(root, "n5")));
	CHECK(!vg_is_null(vg_map_get(root, "n4")));
	CHECK(!vg_is_null(NULL));
	CHECK(strcmp(vg_node_describe(vg_map_get(root, "m")), "mapping") == 0);
	CHECK(strcmp(vg_node_describe(vg_map_get(root, "s")), "sequence") == 0);
	CHECK(strcmp(vg_node_describe(vg_map_get(root, "n1")), "null") == 0);
	CHECK(strcmp(vg_node_describe(vg_map_get(root, "t2")), "boolean") == 0);
	CHECK(strcmp(vg_node_describe(vg_map_get(root, "t4")), "string") == 0);
	CHECK(strcmp(vg_node_describe(vg_map_get(root, "i1")), "number") == 0);
	CHECK(strcmp(vg_node_describe(vg_map_get(root, "i9")), "number") == 0);
	CHECK(strcmp(vg_node_describe(vg_map_get(root, "f2")), "number") == 0);
	CHECK(strcmp(vg_node_describe(vg_map_get(root, "i2")), "string") == 0);
	CHECK(strcmp(vg_node_describe(vg_map_get(root, "f5")), "string") == 0);
	vg_arena_free(a);
}

static void test_duplicate_keys_kept(void)
{
	vg_arena *a = vg_arena_new();
	vg_yaml_error err;
	vg_node *root = parse(a, "a: 1\nb: 2\na: 3\n", &err);
	CHECK(root && root->u.map.count == 3);
	CHECK(strcmp(vg_scalar(vg_map_get(root, "a")), "1") == 0); /* the first */
	CHECK(root->u.map.pairs[2].key->line == 3);
	/* non-scalar keys are kept too */
	root = parse(a, "? [x, y]\n: 1\n", &err);
	CHECK(root && root->u.map.count == 1 && root->u.map.pairs[0].key->kind == VG_NODE_SEQ);
	vg_arena_free(a);
}

static void test_size(void)
{
	size_t n = (size_t)VG_YAML_MAX_BYTES + 1;
	char *big = malloc(n);
	CHECK(big != NULL);
	if (!big)
		return;
	memset(big, 'a', n);
	vg_yaml_error e = refused(big, n, VG_YAML_ETOO_LARGE);
	CHECK(e.line == 0);
	free(big);

	/* read_file refuses a large file from its size, before reading it (a sparse file) */
	char path[] = "/tmp/vigil_yaml_big_XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	if (fd < 0)
		return;
	CHECK(ftruncate(fd, (off_t)VG_YAML_MAX_BYTES + 10) == 0);
	close(fd);
	char *buf = (char *)1;
	size_t len = 7;
	vg_yaml_error err;
	CHECK(vg_yaml_read_file(&buf, &len, path, &err) == VG_YAML_ETOO_LARGE);
	CHECK(err.kind == VG_YAML_ETOO_LARGE && buf == NULL && len == 0);
	unlink(path);
}

static void test_read_file(void)
{
	char path[] = "/tmp/vigil_yaml_small_XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	if (fd < 0)
		return;
	CHECK(write(fd, "a: 1\n", 5) == 5);
	close(fd);
	char *buf = NULL;
	size_t len = 0;
	vg_yaml_error err;
	CHECK(vg_yaml_read_file(&buf, &len, path, &err) == 0);
	CHECK(buf && len == 5 && buf[5] == '\0' && strcmp(buf, "a: 1\n") == 0);
	free(buf);
	unlink(path);
	CHECK(vg_yaml_read_file(&buf, &len, "/nonexistent/vigil.yaml", &err) == VG_YAML_EIO);
	CHECK(err.kind == VG_YAML_EIO && strstr(err.message, "/nonexistent/vigil.yaml"));
	CHECK(vg_yaml_read_file(&buf, &len, "/tmp", &err) == VG_YAML_EIO);
}

static void test_encoding(void)
{
	vg_yaml_error e;
	/* overlong NUL at line 2, column 4, offset 8 */
	e = refused("a: b\nc: \xC0\x80\n", 11, VG_YAML_EENCODING);
	CHECK(e.line == 2 && e.column == 4);
	CHECK(strstr(e.message, "0xC0") && strstr(e.message, "offset 8") && strstr(e.message, "overlong"));
	/* columns count characters: "é" is one */
	e = refused("a: \xC3\xA9\xFF\n", 7, VG_YAML_EENCODING);
	CHECK(e.line == 1 && e.column == 5);
	e = refused("a: \xE0\x80\x80\n", 7, VG_YAML_EENCODING); /* overlong 3-byte */
	CHECK(strstr(e.message, "overlong") != NULL);
	e = refused("a: \xED\xA0\x80\n", 7, VG_YAML_EENCODING); /* surrogate */
	CHECK(strstr(e.message, "surrogate") != NULL);
	e = refused("a: \xF4\x90\x80\x80\n", 8, VG_YAML_EENCODING); /* above U+10FFFF */
	CHECK(strstr(e.message, "10FFFF") != NULL);
	e = refused("a: \xE2\x82", 5, VG_YAML_EENCODING); /* truncated at the end */
	CHECK(e.column == 4);
	e = refused("a: b\r\nc\0: d\n", 11, VG_YAML_EENCODING); /* NUL, CRLF line */
	CHECK(e.line == 2 && e.column == 2 && strstr(e.message, "NUL"));
	e = refused("\xFF\xFE" "a\0:\0 \0" "1\0", 10, VG_YAML_EENCODING);
	CHECK(strstr(e.message, "UTF-16LE") != NULL && e.line == 1);
	e = refused("\xFE\xFF\0a\0:", 6, VG_YAML_EENCODING);
	CHECK(strstr(e.message, "UTF-16BE") != NULL);
	e = refused("\xFF\xFE\0\0a\0\0\0", 8, VG_YAML_EENCODING);
	CHECK(strstr(e.message, "UTF-32LE") != NULL);
	e = refused("a: \"x\x01\"\n", 8, VG_YAML_EENCODING); /* control character (libyaml's reader) */
	CHECK(e.line == 1 && e.column == 6);

	/* a UTF-8 BOM is fine and does not shift columns; valid 4-byte characters pass */
	vg_arena *a = vg_arena_new();
	vg_yaml_error err;
	vg_node *root = parse(a, "\xEF\xBB\xBF" "a: \xF0\x9F\x98\x80 x\nb: 1\n", &err);
	CHECK(root && root->kind == VG_NODE_MAP);
	const vg_pair *p = vg_map_pair(root, "b");
	CHECK(p && p->key->line == 2 && p->key->column == 1);
	p = vg_map_pair(root, "a");
	CHECK(p && p->key->column == 1 && p->value->column == 4);
	vg_arena_free(a);
}

static void test_syntax_errors(void)
{
	vg_yaml_error e = refused("a:\n  b: 1\n c: 2\n", 16, VG_YAML_ESYNTAX);
	CHECK(e.line == 3 && e.column == 2);
	CHECK(strcmp(e.message, "did not find expected key while parsing a block mapping") == 0);
	e = refused("a: [1, 2\nb: 3\n", 14, VG_YAML_ESYNTAX);
	CHECK(e.line == 2 && strstr(e.message, "flow sequence"));
	e = refused("a: b: c\n", 8, VG_YAML_ESYNTAX);
	CHECK(e.line == 1 && e.column == 5);
	e = refused("a: \"unterminated\n", 17, VG_YAML_ESYNTAX);
	CHECK(e.line >= 1);
}

static void test_aliases(void)
{
	/* billion laughs: 9^9 nodes if expanded; refused after a few thousand events */
	char bomb[4096];
	size_t k = (size_t)snprintf(bomb, sizeof bomb, "a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
	for (int i = 1; i <= 9; i++)
		k += (size_t)snprintf(bomb + k, sizeof bomb - k,
		                      "a%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d]\n",
		                      i, i, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1);
	double t0 = now_ms();
	vg_yaml_error e = refused(bomb, k, VG_YAML_EALIAS);
	double took = now_ms() - t0;
	CHECK(took < 1000.0);
	CHECK(strstr(e.message, "billion-laughs") != NULL && strstr(e.message, "2000000") != NULL);
	CHECK(e.line >= 7 && e.column > 1);

	e = refused("a: *nope\n", 9, VG_YAML_EALIAS);
	CHECK(e.line == 1 && e.column == 4 && strstr(e.message, "*nope"));
	e = refused("a: &x [1, *x]\n", 14, VG_YAML_EALIAS);
	CHECK(strstr(e.message, "recursive") != NULL);
	e = refused("a: &x {k: {j: *x}}\n", 19, VG_YAML_EALIAS);
	CHECK(strstr(e.message, "recursive") != NULL);

	/* ordinary aliases, and a redefined anchor refers to its latest node */
	vg_arena *a = vg_arena_new();
	vg_yaml_error err;
	vg_node *root = parse(a, "a: &x {k: v}\nb: *x\nc: &x [1]\nd: *x\n", &err);
	CHECK(root && vg_map_get(root, "b") == vg_map_get(root, "a"));
	CHECK(root && vg_map_get(root, "d") == vg_map_get(root, "c"));
	/* many aliases of a small anchor stay under the bound */
	char many[8192];
	k = (size_t)snprintf(many, sizeof many, "base: &b {x: 1, y: 2}\nlist:\n");
	for (int i = 0; i < 500; i++)
		k += (size_t)snprintf(many + k, sizeof many - k, "  - *b\n");
	root = parse_n(a, many, k, &err);
	CHECK(root && vg_map_get(root, "list")->u.seq.count == 500);
	vg_arena_free(a);
}

static void test_depth(void)
{
	char deep[1024];
	size_t n = 0;
	for (unsigned i = 0; i < VG_YAML_MAX_DEPTH + 1; i++)
		deep[n++] = '[';
	for (unsigned i = 0; i < VG_YAML_MAX_DEPTH + 1; i++)
		deep[n++] = ']';
	vg_yaml_error e = refused(deep, n, VG_YAML_EDEPTH);
	CHECK(e.line == 1 && e.column == VG_YAML_MAX_DEPTH + 1);
	/* exactly the bound is fine */
	vg_arena *a = vg_arena_new();
	vg_yaml_error err;
	vg_node *root = parse_n(a, deep + 1, n - 2, &err);
	CHECK(root && root->kind == VG_NODE_SEQ);
	/* a much deeper flow never reaches libyaml's own limits */
	size_t big = 100000;
	char *huge = malloc(big);
	if (huge) {
		memset(huge, '[', big);
		refused(huge, big, VG_YAML_EDEPTH);
		free(huge);
	}
	vg_arena_free(a);
}

static void test_documents(void)
{
	vg_yaml_error e = refused("a: 1\n---\nb: 2\n", 14, VG_YAML_EMULTI);
	CHECK(e.line == 2);
	e = refused("---\na: 1\n...\n---\nb: 2\n", 22, VG_YAML_EMULTI);
	CHECK(e.line == 4);
	refused("", 0, VG_YAML_EEMPTY);
	refused("# only a comment\n", 17, VG_YAML_EEMPTY);
	refused("---\n", 4, VG_YAML_EEMPTY);
	refused("~\n", 2, VG_YAML_EEMPTY);
	refused("null\n", 5, VG_YAML_EEMPTY);
	/* a scalar root is not empty: the structure validator says it is not a mapping */
	vg_arena *a = vg_arena_new();
	vg_yaml_error err;
	vg_node *root = parse(a, "hello\n", &err);
	CHECK(root && root->kind == VG_NODE_SCALAR);
	vg_arena_free(a);
}

/* A 10,000-component blueprint parses in tens of milliseconds (more under sanitizers). */
static void test_speed(void)
{
	size_t cap = 8u << 20, n = 0;
	char *y = malloc(cap);
	if (!y)
		return;
	n += (size_t)snprintf(y + n, cap - n, "schema_version: \"1.0.0\"\nsystem:\n  name: big\n  components:\n");
	for (int i = 0; i < 10000; i++)
		n += (size_t)snprintf(y + n, cap - n,
		                      "    - name: component_%d\n      type: Transformer\n"
		                      "      description: a component that transforms records number %d\n"
		                      "      config: {port: %d, table: tasks_%d, retries: 3, timeout_ms: 2000}\n"
		                      "      inputs: [{name: input, schema: TaskRecord, required: true}]\n"
		                      "      outputs: [{name: output, schema: TaskRecord}]\n",
		                      i, i, 1000 + i % 60000, i);
	n += (size_t)snprintf(y + n, cap - n, "  bindings:\n");
	for (int i = 0; i + 1 < 10000; i++)
		n += (size_t)snprintf(y + n, cap - n, "    - {from: component_%d.output, to: component_%d.input}\n",
		                      i, i + 1);
	vg_arena *a = vg_arena_new();
	vg_yaml_error err;
	double t0 = now_ms();
	vg_node *root = parse_n(a, y, n, &err);
	double took = now_ms() - t0;
	CHECK(root != NULL);
#if defined(__SANITIZE_ADDRESS__)
	CHECK(took < 30000.0); /* sanitizers: about ten times slower */
#else
	CHECK(took < 3000.0);
#endif
	printf("speed: %zu bytes parsed in %.1f ms (arena %zu bytes)\n", n, took, vg_arena_used(a));
	vg_arena_free(a);
	free(y);
}

int main(void)
{
	test_positions();
	test_scalars();
	test_helpers();
	test_duplicate_keys_kept();
	test_size();
	test_read_file();
	test_encoding();
	test_syntax_errors();
	test_aliases();
	test_depth();
	test_documents();
	test_speed();
	return CHECK_SUMMARY();
}
