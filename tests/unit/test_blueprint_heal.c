/*
 * Unit tests of blueprint healing (engine/src/heal/blueprint_heal.c) on the fixtures of
 * blueprints/heal/: each X.yaml with a defect next to X.healed.yaml, the exact text expected.
 * Also the byte ranges the YAML reader records, CRLF input, and the diff applied by `patch`.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <vigil/vigil.h>

#include "blueprint_heal.h"
#include "yaml_tree.h"

#include "check.h"

static char *read_all(const char *path, size_t *len)
{
	char *data = NULL;
	vg_yaml_error err;
	if (vg_yaml_read_file(&data, len, path, &err) != 0) {
		fprintf(stderr, "cannot read %s: %s\n", path, err.message);
		return NULL;
	}
	return data;
}

static int write_all(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	int ok = fwrite(data, 1, len, f) == len;
	return fclose(f) == 0 && ok ? 0 : -1;
}

static char *fixture_path(const char *name)
{
	size_t cap = strlen(VIGIL_SOURCE_DIR) + strlen(name) + 32;
	char *p = malloc(cap);
	if (p)
		snprintf(p, cap, "%s/blueprints/heal/%s", VIGIL_SOURCE_DIR, name);
	return p;
}

/* LF → CRLF; malloc'ed. */
static char *to_crlf(const char *s, size_t len, size_t *out_len)
{
	char *out = malloc(2 * len + 1);
	size_t k = 0;
	for (size_t i = 0; out && i < len; i++) {
		if (s[i] == '\n')
			out[k++] = '\r';
		out[k++] = s[i];
	}
	if (out)
		out[k] = '\0';
	*out_len = k;
	return out;
}

/* A healing run on a text: parse, validate levels 1–2 as the pipeline does, heal. */
typedef struct run {
	vg_arena *arena;
	vigil_engine *engine;
	vigil_report *report;
	vg_blueprint_patch patch;
	int rc;
} run;

static int heal_text(run *r, const char *path, const char *text, size_t len)
{
	memset(r, 0, sizeof *r);
	r->arena = vg_arena_new();
	vg_yaml_error err;
	const vg_node *root = vg_yaml_parse(r->arena, path, text, len, &err);
	if (!CHECK_MSG(vigil_engine_new(&r->engine, NULL) == 0, "engine"))
		return -1;
	vigil_run_options options = VIGIL_RUN_OPTIONS_INIT;
	options.max_level = 2;
	if (!CHECK(vigil_validate_buffer(&r->report, r->engine, path, text, len, &options, NULL) ==
	           0))
		return -1;
	r->rc = vg_blueprint_heal(r->arena, path, text, len, root, r->report, &r->patch);
	return r->rc;
}

static void run_free(run *r)
{
	vigil_report_free(r->report);
	vigil_engine_free(r->engine);
	vg_arena_free(r->arena);
}

/* Level 1–2 findings of a text (errors and warnings). */
static size_t findings_of(const char *path, const char *text, size_t len)
{
	vigil_engine *engine = NULL;
	vigil_report *report = NULL;
	vigil_run_options options = VIGIL_RUN_OPTIONS_INIT;
	options.max_level = 2;
	options.keep_going = 1;
	size_t n = (size_t)-1;
	if (vigil_engine_new(&engine, NULL) == 0 &&
	    vigil_validate_buffer(&report, engine, path, text, len, &options, NULL) == 0) {
		n = 0;
		for (size_t i = 0; i < vigil_report_finding_count(report); i++) {
			const vigil_finding *f = vigil_report_finding(report, i);
			if (vigil_finding_level(f) <= 2) {
				fprintf(stderr, "  still: %s %u:%u %s\n", vigil_finding_code(f),
				        vigil_finding_line(f), vigil_finding_column(f),
				        vigil_finding_message(f));
				n++;
			}
		}
	}
	vigil_report_free(report);
	vigil_engine_free(engine);
	return n;
}

/*
 * The diff applied with `patch -p1` to a copy of the original named like it reproduces the
 * healed text byte for byte.
 */
static void check_patch_applies(const char *base, const char *original, size_t original_len,
                                const char *diff, const char *healed, size_t healed_len)
{
	char dir[] = "/tmp/vg_heal_XXXXXX";
	if (!CHECK(mkdtemp(dir) != NULL))
		return;
	char file[512], patch_file[512], cmd[1400];
	snprintf(file, sizeof file, "%s/%s", dir, base);
	snprintf(patch_file, sizeof patch_file, "%s/heal.diff", dir);
	CHECK(write_all(file, original, original_len) == 0);
	CHECK(write_all(patch_file, diff, strlen(diff)) == 0);
	snprintf(cmd, sizeof cmd,
	         "cd '%s' && patch -p1 --quiet --batch --no-backup-if-mismatch < heal.diff", dir);
	CHECK_MSG(system(cmd) == 0, "patch refused the diff for %s:\n%s", base, diff);
	size_t got_len = 0;
	char *got = read_all(file, &got_len);
	CHECK_MSG(got && got_len == healed_len && memcmp(got, healed, healed_len) == 0,
	          "patched %s differs from the healed text", base);
	free(got);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	CHECK(system(cmd) == 0);
}

/* Heals fixture `name` (text transformed to CRLF when asked): the result is `name`.healed.yaml,
 * with `edits` edits of `codes` (space-separated, in file order), and it validates clean. */
static void check_fixture(const char *name, size_t edits, const char *codes, int crlf)
{
	char healed_name[256];
	snprintf(healed_name, sizeof healed_name, "%.*s.healed.yaml", (int)(strlen(name) - 5),
	         name);
	char *path = fixture_path(name), *healed_path = fixture_path(healed_name);
	size_t len = 0, expected_len = 0;
	char *text = read_all(path, &len), *expected = read_all(healed_path, &expected_len);
	if (!CHECK(text && expected))
		goto out;
	if (crlf) {
		size_t n1, n2;
		char *t = to_crlf(text, len, &n1), *e = to_crlf(expected, expected_len, &n2);
		free(text);
		free(expected);
		text = t;
		expected = e;
		len = n1;
		expected_len = n2;
	}
	run r;
	if (heal_text(&r, path, text, len) == 0) {
		CHECK_MSG(r.patch.edit_count == edits, "%s: %zu edits, expected %zu", name,
		          r.patch.edit_count, edits);
		char got_codes[256] = "";
		for (size_t i = 0; i < r.patch.edit_count; i++) {
			const vg_blueprint_edit *e = &r.patch.edits[i];
			snprintf(got_codes + strlen(got_codes),
			         sizeof got_codes - strlen(got_codes), "%s%s", i ? " " : "",
			         e->code);
			CHECK(e->line >= 1 && e->column >= 1 && e->description && *e->description);
			CHECK(i == 0 || r.patch.edits[i - 1].offset + r.patch.edits[i - 1].length <=
			                        e->offset);
		}
		CHECK_MSG(strcmp(got_codes, codes) == 0, "%s: codes \"%s\", expected \"%s\"", name,
		          got_codes, codes);
		CHECK_MSG(r.patch.length == expected_len &&
		                  memcmp(r.patch.text, expected, expected_len) == 0,
		          "%s%s: healed text differs from %s:\n%s", name, crlf ? " (CRLF)" : "",
		          healed_name, r.patch.text);
		CHECK(r.patch.text[r.patch.length] == '\0');
		CHECK_MSG(findings_of(path, r.patch.text, r.patch.length) == 0,
		          "%s: the healed text still has findings", name);
		const char *base = strrchr(path, '/') + 1;
		char header[300];
		snprintf(header, sizeof header, "--- a/%s\n+++ b/%s.healed\n@@ ", base, base);
		CHECK_MSG(strncmp(r.patch.diff, header, strlen(header)) == 0, "diff header:\n%s",
		          r.patch.diff);
		check_patch_applies(base, text, len, r.patch.diff, r.patch.text, r.patch.length);
	} else {
		CHECK_MSG(0, "%s: vg_blueprint_heal returned %d", name, r.rc);
	}
	run_free(&r);
out:
	free(text);
	free(expected);
	free(path);
	free(healed_path);
}

/* Heals fixture `name` expecting no edit: the text comes back unchanged, the diff empty. */
static void check_untouched(const char *name, size_t min_skipped)
{
	char *path = fixture_path(name);
	size_t len = 0;
	char *text = read_all(path, &len);
	run r;
	if (CHECK(text) && heal_text(&r, path, text, len) == 0) {
		CHECK_MSG(r.patch.edit_count == 0, "%s: %zu edits (first: %s)", name,
		          r.patch.edit_count,
		          r.patch.edit_count ? r.patch.edits[0].description : "");
		CHECK(r.patch.length == len && memcmp(r.patch.text, text, len) == 0);
		CHECK_STR(r.patch.diff, "");
		CHECK_MSG(r.patch.skipped >= min_skipped, "%s: skipped %zu, expected at least %zu",
		          name, r.patch.skipped, min_skipped);
		run_free(&r);
	} else if (text) {
		CHECK_MSG(0, "%s: heal failed", name);
		run_free(&r);
	}
	free(text);
	free(path);
}

static void test_fixtures(void)
{
	check_fixture("schema_version_missing.yaml", 1, "VG130", 0);
	check_fixture("schema_version_short.yaml", 1, "VG113", 0);
	check_fixture("type_casing.yaml", 2, "VG116 VG116", 0);
	check_fixture("key_typo.yaml", 4, "VG117 VG117 VG117 VG117", 0);
	check_fixture("binding_spelling.yaml", 2, "VG112 VG112", 0);
	check_fixture("several.yaml", 9, "VG130 VG116 VG117 VG116 VG112 VG112 VG117 VG117 VG117",
	              0);
}

static void test_crlf(void)
{
	check_fixture("several.yaml", 9, "VG130 VG116 VG117 VG116 VG112 VG112 VG117 VG117 VG117",
	              1);
	check_fixture("schema_version_missing.yaml", 1, "VG130", 1);
}

static void test_left_alone(void)
{
	check_untouched("clean.yaml", 0);
	/* schema_version 2.0, type Stor, key to_portz: three left alone (Database is a type the
	 * generation pipeline knows). */
	check_untouched("ambiguous.yaml", 3);
	/* `store` → `Store` would add VG245 (a Store without a database): not offered. */
	check_untouched("unprovable.yaml", 1);
}

/* Heals an in-memory text; returns the healed text (malloc'ed) or NULL, and the edit count. */
static char *heal_string(const char *text, size_t *edits)
{
	run r;
	char *out = NULL;
	if (heal_text(&r, "/tmp/inline.yaml", text, strlen(text)) == 0) {
		out = strdup(r.patch.text);
		*edits = r.patch.edit_count;
	}
	run_free(&r);
	return out;
}

static void test_versions_and_styles(void)
{
	static const char body[] = "system:\n"
	                           "  name: tiny\n"
	                           "  components:\n"
	                           "    - {name: feed, type: source}\n"
	                           "    - name: sink\n"
	                           "      type: \"sink\"\n";
	const struct {
		const char *head, *want;
		size_t edits;
	} cases[] = {
		{ "schema_version: 1\n", "schema_version: 1.0.0\n", 3 }, /* plain stays plain */
		{ "schema_version: '1.2'\n", "schema_version: '1.2.0'\n", 3 }, /* quotes kept */
		{ "schema_version: \"1.0.0\"\n", "schema_version: \"1.0.0\"\n", 2 },
		{ "schema_version: \"01\"\n", "schema_version: \"01\"\n",
		  2 }, /* not a version: left */
		{ "schema_version: \"2\"\n", "schema_version: \"2\"\n",
		  2 }, /* another major: left */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char text[512], want[512];
		snprintf(text, sizeof text, "%s%s", cases[i].head, body);
		snprintf(want, sizeof want, "%s%s", cases[i].want, body);
		char *p = strstr(want, "type: source");
		memcpy(p, "type: Source", 12);
		p = strstr(want, "\"sink\"");
		memcpy(p, "\"Sink\"", 6);
		size_t edits = 0;
		char *got = heal_string(text, &edits);
		CHECK_MSG(got && strcmp(got, want) == 0, "case %zu: got\n%s\nwanted\n%s", i,
		          got ? got : "(null)", want);
		CHECK_INT(edits, cases[i].edits);
		free(got);
	}
}

/* A root mapping indented, or written in flow style: insert where it fits, or not at all. */
static void test_insert_positions(void)
{
	size_t edits = 9;
	char *got = heal_string("%YAML 1.1\n---\n# c\nsystem: {name: tiny, components: [{name: a, "
	                        "type: Source}]}\n",
	                        &edits);
	CHECK_STR(got, "%YAML 1.1\n---\n# c\nschema_version: \"1.0.0\"\nsystem: {name: tiny, "
	               "components: [{name: a, type: Source}]}\n");
	free(got);
	got = heal_string("{system: {name: tiny, components: [{name: a, type: Source}]}}\n",
	                  &edits);
	CHECK_STR(got, "{system: {name: tiny, components: [{name: a, type: Source}]}}\n");
	CHECK_INT(edits, 0);
	free(got);
}

static void test_offsets(void)
{
	vg_arena *a = vg_arena_new();
	vg_yaml_error err;
	/* BOM, multi-byte characters before and inside scalars, CRLF, flow and quoted. */
	static const char y[] = "\xEF\xBB\xBF"
	                        "k\xC3\xA9: \"\xC3\xA9t\xC3\xA9\"\r\n"
	                        "b: {c: 'd', e: [f, \xE2\x9C\x93]}\r\n"
	                        "g: |\r\n  x\r\n";
	const vg_node *root = vg_yaml_parse(a, "o.yaml", y, sizeof y - 1, &err);
	if (!CHECK_MSG(root != NULL, "%s", err.message)) {
		vg_arena_free(a);
		return;
	}
	const vg_pair *p0 = &root->u.map.pairs[0];
	CHECK_INT(p0->key->start, 3);
	CHECK_INT(p0->key->end, 6);
	CHECK_INT(p0->value->start, 8);
	CHECK_INT(p0->value->end, 15); /* "été" with its quotes: 1 + 5 + 1 bytes */
	const vg_node *b = vg_map_get(root, "b");
	CHECK(b && b->kind == VG_NODE_MAP);
	CHECK_INT(b->start, 20);
	CHECK(y[b->start] == '{' && y[b->end - 1] == '}');
	const vg_node *d = vg_map_get(b, "c");
	CHECK(d && y[d->start] == '\'' && d->end - d->start == 3);
	const vg_node *e = vg_map_get(b, "e");
	CHECK(e && e->kind == VG_NODE_SEQ && y[e->start] == '[' && y[e->end - 1] == ']');
	const vg_node *check = e->u.seq.items[1];
	CHECK(check->end - check->start == 3 && memcmp(y + check->start, "\xE2\x9C\x93", 3) == 0);
	const vg_node *g = vg_map_get(root, "g");
	CHECK(g && y[g->start] == '|' && g->end == sizeof y - 1);
	vg_arena_free(a);
}

/* The diff on its own: a last line without a newline, hunks far apart and near. */
static void test_diff(void)
{
	vg_arena *a = vg_arena_new();
	char text[2048] = "";
	for (int i = 1; i <= 30; i++)
		snprintf(text + strlen(text), sizeof text - strlen(text), "line%02d: v\n", i);
	snprintf(text + strlen(text), sizeof text - strlen(text), "last: end"); /* no final newline */
	size_t len = strlen(text);
	size_t at2 = (size_t)(strstr(text, "line02") - text);
	size_t at5 = (size_t)(strstr(text, "line05") - text);
	size_t at20 = (size_t)(strstr(text, "line20") - text);
	size_t at_last = (size_t)(strstr(text, "end") - text);
	vg_blueprint_edit edits[] = {
		{ at2, 6, "LINE02", "T", 2, 1, "x" },
		{ at5, 0, "new: line\n", "T", 5, 1, "x" },
		{ at20, 6, "LINE20", "T", 20, 1, "x" },
		{ at_last, 3, "END", "T", 31, 7, "x" },
	};
	const char *diff = vg_blueprint_diff(a, "dir/f.yaml", text, len, edits, 4);
	CHECK(diff != NULL);
	CHECK(contains(diff, "--- a/f.yaml\n+++ b/f.yaml.healed\n"));
	CHECK(contains(diff, "@@ -1,7 +1,8 @@\n"));
	CHECK(contains(diff, "@@ -17,7 +18,7 @@\n"));
	CHECK(contains(diff, "@@ -28,4 +29,4 @@\n"));
	CHECK(contains(diff,
	               "-last: end\n\\ No newline at end of file\n+last: END\n\\ No newline"));
	char healed[2048];
	size_t k = 0, from = 0;
	for (size_t i = 0; i < 4; i++) {
		memcpy(healed + k, text + from, edits[i].offset - from);
		k += edits[i].offset - from;
		memcpy(healed + k, edits[i].replacement, strlen(edits[i].replacement));
		k += strlen(edits[i].replacement);
		from = edits[i].offset + edits[i].length;
	}
	memcpy(healed + k, text + from, len - from);
	k += len - from;
	check_patch_applies("f.yaml", text, len, diff, healed, k);
	CHECK_STR(vg_blueprint_diff(a, "f.yaml", text, len, edits, 0), "");
	vg_arena_free(a);
}

static void test_arguments(void)
{
	vg_blueprint_patch patch;
	CHECK_INT(vg_blueprint_heal(NULL, "x", "", 0, NULL, NULL, &patch), VIGIL_EINVAL);
	CHECK_INT(vg_blueprint_heal(NULL, "x", "", 0, NULL, NULL, NULL), VIGIL_EINVAL);
}

int main(void)
{
	test_offsets();
	test_fixtures();
	test_crlf();
	test_left_alone();
	test_versions_and_styles();
	test_insert_positions();
	test_diff();
	test_arguments();
	return CHECK_SUMMARY();
}
