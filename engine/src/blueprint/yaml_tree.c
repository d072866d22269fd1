/*
 * yaml_tree.c — builds the located YAML tree from libyaml's event stream.
 *
 * The input is checked as strict UTF-8 before libyaml sees it, so an encoding problem is
 * reported at the first bad byte rather than wherever libyaml's reader notices it. Children
 * of the container being built are collected on one malloc'ed scratch stack and copied into
 * exact-size arena arrays when the container ends, so the tree costs one allocation per node
 * plus one per container.
 */
#define _POSIX_C_SOURCE 200809L

#include "yaml_tree.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yaml.h>

#include "strmap.h"

static void set_error(vg_yaml_error *err, vg_yaml_error_kind kind, unsigned line, unsigned column,
                      const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void set_error(vg_yaml_error *err, vg_yaml_error_kind kind, unsigned line, unsigned column,
                      const char *fmt, ...)
{
	if (!err)
		return;
	err->kind = kind;
	err->line = line;
	err->column = column;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof err->message, fmt, ap);
	va_end(ap);
}

static void clear_error(vg_yaml_error *err)
{
	if (!err)
		return;
	err->kind = VG_YAML_OK;
	err->line = 0;
	err->column = 0;
	err->message[0] = '\0';
}

/* ---- encoding ---------------------------------------------------------------------------- */

/* Line and column (1-based, in characters as libyaml counts them) of byte `offset`. */
static void position_of(const unsigned char *s, size_t offset, unsigned *line, unsigned *column)
{
	unsigned l = 1, c = 1;
	for (size_t i = 0; i < offset; i++) {
		if (s[i] == '\n' || (s[i] == '\r' && (i + 1 >= offset || s[i + 1] != '\n'))) {
			l++;
			c = 1;
		} else if (s[i] == '\r') {
			/* the '\n' of "\r\n" ends the line */
		} else if ((s[i] & 0xC0) != 0x80) {
			c++;
		}
	}
	*line = l;
	*column = c;
}

static int refuse_bom(const unsigned char *s, size_t n, vg_yaml_error *err)
{
	const char *what = NULL;
	if (n >= 4 && s[0] == 0xFF && s[1] == 0xFE && s[2] == 0 && s[3] == 0)
		what = "UTF-32LE";
	else if (n >= 4 && s[0] == 0 && s[1] == 0 && s[2] == 0xFE && s[3] == 0xFF)
		what = "UTF-32BE";
	else if (n >= 2 && s[0] == 0xFF && s[1] == 0xFE)
		what = "UTF-16LE";
	else if (n >= 2 && s[0] == 0xFE && s[1] == 0xFF)
		what = "UTF-16BE";
	if (!what)
		return 0;
	set_error(err, VG_YAML_EENCODING, 1, 1,
	          "the file starts with a %s byte-order mark; blueprints must be UTF-8", what);
	return -1;
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 with `why` set. */
static size_t utf8_sequence(const unsigned char *s, size_t avail, const char **why)
{
	unsigned char b = s[0];
	if (b < 0x80)
		return 1;
	size_t len;
	uint32_t cp;
	if (b >= 0xC2 && b <= 0xDF) {
		len = 2;
		cp = b & 0x1F;
	} else if (b >= 0xE0 && b <= 0xEF) {
		len = 3;
		cp = b & 0x0F;
	} else if (b >= 0xF0 && b <= 0xF4) {
		len = 4;
		cp = b & 0x07;
	} else {
		*why = (b == 0xC0 || b == 0xC1) ? "overlong encoding"
		       : (b >= 0x80 && b <= 0xBF) ? "unexpected continuation byte"
		                                  : "byte never valid in UTF-8";
		return 0;
	}
	if (avail < len) {
		*why = "truncated multi-byte sequence";
		return 0;
	}
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			*why = "truncated multi-byte sequence";
			return 0;
		}
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)) {
		*why = "overlong encoding";
		return 0;
	}
	if (cp >= 0xD800 && cp <= 0xDFFF) {
		*why = "UTF-16 surrogate code point";
		return 0;
	}
	if (cp > 0x10FFFF) {
		*why = "code point above U+10FFFF";
		return 0;
	}
	return len;
}

static int check_utf8(const unsigned char *s, size_t n, vg_yaml_error *err)
{
	if (refuse_bom(s, n, err) != 0)
		return -1;
	size_t i = 0;
	while (i < n) {
		/* ASCII fast path: most of a blueprint. */
		if (s[i] != 0 && s[i] < 0x80) {
			i++;
			continue;
		}
		const char *why = NULL;
		size_t len = s[i] == 0 ? 0 : utf8_sequence(s + i, n - i, &why);
		if (len == 0) {
			unsigned line, column;
			position_of(s, i, &line, &column);
			if (s[i] == 0)
				set_error(err, VG_YAML_EENCODING, line, column,
				          "the file holds a NUL byte at offset %zu (binary or UTF-16 data?)", i);
			else
				set_error(err, VG_YAML_EENCODING, line, column,
				          "byte 0x%02X at offset %zu is not valid UTF-8 (%s)", s[i], i, why);
			return -1;
		}
		i += len;
	}
	return 0;
}

/* ---- tree building ------------------------------------------------------------------------ */

typedef struct anchor_def {
	vg_node *node;
	size_t count;    /* nodes in its subtree, aliases counted expanded */
	int building;    /* still open: an alias to it now would be recursive */
} anchor_def;

/* The map holds one slot per anchor name; a redefinition replaces `current`. */
typedef struct anchor_slot {
	anchor_def *current;
} anchor_slot;

typedef struct frame {
	vg_node *node;
	size_t first_item; /* index into the scratch stack */
	size_t count;      /* nodes in the subtree so far, including the container */
	anchor_def *anchor;
} frame;

typedef struct builder {
	vg_arena *arena;      /* the tree's */
	vg_arena *scratch;    /* anchors; freed at the end */
	vg_strmap *anchors;
	const char *file;
	frame *frames;
	size_t depth, frame_cap;
	vg_node **items;
	size_t item_count, item_cap;
	size_t expanded;      /* nodes added by alias expansion */
	vg_node *root;
	unsigned documents;
	vg_yaml_error *err;
	/* libyaml's marks count characters; node ranges are bytes. A cursor converts, moving
	 * mostly forward since marks arrive in document order. */
	const unsigned char *bytes;
	size_t length;
	size_t bom;          /* a UTF-8 BOM libyaml skipped without counting it */
	size_t cursor_chars; /* characters after the BOM before `cursor_bytes` */
	size_t cursor_bytes;
} builder;

static int oom(builder *b)
{
	set_error(b->err, VG_YAML_ENOMEM, 0, 0, "out of memory while reading the YAML");
	return -1;
}

static int push_item(builder *b, vg_node *node)
{
	if (b->item_count == b->item_cap) {
		size_t cap = b->item_cap ? b->item_cap * 2 : 256;
		vg_node **items = realloc(b->items, cap * sizeof *items);
		if (!items)
			return oom(b);
		b->items = items;
		b->item_cap = cap;
	}
	b->items[b->item_count++] = node;
	return 0;
}

/* Hands a finished node (or an alias target) to its parent, or makes it the root. */
static int attach(builder *b, vg_node *node, size_t count)
{
	if (b->depth == 0) {
		b->root = node;
		return 0;
	}
	b->frames[b->depth - 1].count += count;
	return push_item(b, node);
}

/* The byte offset of the character libyaml's mark index `chars` counts to. */
static size_t byte_offset(builder *b, size_t chars)
{
	while (b->cursor_chars < chars && b->bom + b->cursor_bytes < b->length) {
		size_t at = b->bom + b->cursor_bytes + 1;
		while (at < b->length && (b->bytes[at] & 0xC0) == 0x80)
			at++;
		b->cursor_bytes = at - b->bom;
		b->cursor_chars++;
	}
	while (b->cursor_chars > chars && b->cursor_bytes > 0) {
		size_t at = b->bom + b->cursor_bytes - 1;
		while (at > b->bom && (b->bytes[at] & 0xC0) == 0x80)
			at--;
		b->cursor_bytes = at - b->bom;
		b->cursor_chars--;
	}
	return b->bom + b->cursor_bytes;
}

static const char *copy_tag(builder *b, const yaml_char_t *tag)
{
	if (!tag)
		return NULL;
	static const char core[] = "tag:yaml.org,2002:";
	const char *t = (const char *)tag;
	if (strncmp(t, core, sizeof core - 1) == 0)
		return vg_arena_printf(b->arena, "!!%s", t + sizeof core - 1);
	return vg_arena_strdup(b->arena, t);
}

static vg_node *new_node(builder *b, vg_node_kind kind, yaml_mark_t mark, const yaml_char_t *tag,
                         const yaml_char_t *anchor)
{
	vg_node *n = vg_arena_alloc(b->arena, sizeof *n);
	if (!n)
		return NULL;
	n->kind = kind;
	n->line = mark.line + 1 > UINT_MAX ? UINT_MAX : (unsigned)(mark.line + 1);
	n->column = mark.column + 1 > UINT_MAX ? UINT_MAX : (unsigned)(mark.column + 1);
	n->file = b->file;
	n->start = byte_offset(b, mark.index);
	n->end = n->start;
	if (tag && !(n->tag = copy_tag(b, tag)))
		return NULL;
	if (anchor && !(n->anchor = vg_arena_strdup(b->arena, (const char *)anchor)))
		return NULL;
	return n;
}

/* Records the anchor a node defines; aliases met from now on refer to it. */
static int define_anchor(builder *b, vg_node *node, size_t count, int building, anchor_def **out)
{
	anchor_def *def = vg_arena_alloc(b->scratch, sizeof *def);
	if (!def)
		return oom(b);
	def->node = node;
	def->count = count;
	def->building = building;
	anchor_slot *slot = vg_strmap_get(b->anchors, node->anchor);
	if (!slot) {
		slot = vg_arena_alloc(b->scratch, sizeof *slot);
		if (!slot || vg_strmap_put(b->anchors, node->anchor, slot, NULL) < 0)
			return oom(b);
	}
	slot->current = def;
	if (out)
		*out = def;
	return 0;
}

static int on_scalar(builder *b, const yaml_event_t *ev)
{
	vg_node *n = new_node(b, VG_NODE_SCALAR, ev->start_mark, ev->data.scalar.tag,
	                      ev->data.scalar.anchor);
	if (!n)
		return oom(b);
	size_t len = ev->data.scalar.length;
	char *text = vg_arena_strndup(b->arena, (const char *)ev->data.scalar.value, len);
	if (!text)
		return oom(b);
	n->u.scalar.text = text;
	n->u.scalar.length = len;
	n->end = byte_offset(b, ev->end_mark.index);
	switch (ev->data.scalar.style) {
	case YAML_SINGLE_QUOTED_SCALAR_STYLE:
	case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
		n->u.scalar.style = VG_SCALAR_QUOTED;
		break;
	case YAML_LITERAL_SCALAR_STYLE:
	case YAML_FOLDED_SCALAR_STYLE:
		n->u.scalar.style = VG_SCALAR_BLOCK;
		break;
	default:
		n->u.scalar.style = VG_SCALAR_PLAIN;
		break;
	}
	if (n->anchor && define_anchor(b, n, 1, 0, NULL) != 0)
		return -1;
	return attach(b, n, 1);
}

static int on_start(builder *b, const yaml_event_t *ev, vg_node_kind kind)
{
	if (b->depth >= VG_YAML_MAX_DEPTH) {
		set_error(b->err, VG_YAML_EDEPTH, (unsigned)ev->start_mark.line + 1,
		          (unsigned)ev->start_mark.column + 1,
		          "the YAML nests more than %u levels deep", VG_YAML_MAX_DEPTH);
		return -1;
	}
	const yaml_char_t *tag = kind == VG_NODE_MAP ? ev->data.mapping_start.tag
	                                             : ev->data.sequence_start.tag;
	const yaml_char_t *anchor = kind == VG_NODE_MAP ? ev->data.mapping_start.anchor
	                                                : ev->data.sequence_start.anchor;
	vg_node *n = new_node(b, kind, ev->start_mark, tag, anchor);
	if (!n)
		return oom(b);
	if (b->depth == b->frame_cap) {
		size_t cap = b->frame_cap ? b->frame_cap * 2 : 32;
		frame *frames = realloc(b->frames, cap * sizeof *frames);
		if (!frames)
			return oom(b);
		b->frames = frames;
		b->frame_cap = cap;
	}
	frame *f = &b->frames[b->depth++];
	f->node = n;
	f->first_item = b->item_count;
	f->count = 1;
	f->anchor = NULL;
	if (n->anchor && define_anchor(b, n, 0, 1, &f->anchor) != 0)
		return -1;
	return 0;
}

static int on_end(builder *b, const yaml_event_t *ev)
{
	if (b->depth == 0)
		return 0; /* libyaml never sends an unmatched end; be safe anyway */
	frame f = b->frames[--b->depth];
	vg_node *n = f.node;
	n->end = byte_offset(b, ev->end_mark.index);
	if (n->end < n->start)
		n->end = n->start;
	size_t count = b->item_count - f.first_item;
	/* No children yet means no scratch array yet: NULL + 0 is undefined behaviour. */
	vg_node **children = count ? b->items + f.first_item : NULL;
	if (n->kind == VG_NODE_MAP) {
		size_t pairs = count / 2;
		if (pairs) {
			vg_pair *p = vg_arena_array(b->arena, pairs, sizeof *p);
			if (!p)
				return oom(b);
			for (size_t i = 0; i < pairs; i++) {
				p[i].key = children[2 * i];
				p[i].value = children[2 * i + 1];
			}
			n->u.map.pairs = p;
		}
		n->u.map.count = pairs;
	} else {
		if (count) {
			vg_node **items = vg_arena_array(b->arena, count, sizeof *items);
			if (!items)
				return oom(b);
			memcpy(items, children, count * sizeof *items);
			n->u.seq.items = items;
		}
		n->u.seq.count = count;
	}
	b->item_count = f.first_item;
	if (f.anchor) {
		f.anchor->count = f.count;
		f.anchor->building = 0;
	}
	return attach(b, n, f.count);
}

static int on_alias(builder *b, const yaml_event_t *ev)
{
	const char *name = (const char *)ev->data.alias.anchor;
	unsigned line = (unsigned)ev->start_mark.line + 1, column = (unsigned)ev->start_mark.column + 1;
	anchor_slot *slot = name ? vg_strmap_get(b->anchors, name) : NULL;
	if (!slot) {
		set_error(b->err, VG_YAML_EALIAS, line, column, "alias *%.200s names no anchor defined before it",
		          name ? name : "");
		return -1;
	}
	anchor_def *def = slot->current;
	if (def->building) {
		set_error(b->err, VG_YAML_EALIAS, line, column,
		          "alias *%.200s refers to a node that contains it (recursive alias)", name);
		return -1;
	}
	if (def->count > VG_YAML_MAX_NODES - b->expanded) {
		set_error(b->err, VG_YAML_EALIAS, line, column,
		          "alias *%.200s expands to more than %u nodes (billion-laughs guard)", name,
		          VG_YAML_MAX_NODES);
		return -1;
	}
	b->expanded += def->count;
	return attach(b, def->node, def->count);
}

static int on_document_start(builder *b, const yaml_event_t *ev)
{
	if (++b->documents > 1) {
		set_error(b->err, VG_YAML_EMULTI, (unsigned)ev->start_mark.line + 1,
		          (unsigned)ev->start_mark.column + 1,
		          "the file holds more than one YAML document; a blueprint is one document");
		return -1;
	}
	return 0;
}

/* Turns libyaml's error into ours; marks are 0-based there. */
static void libyaml_error(const yaml_parser_t *p, const unsigned char *data, size_t length,
                          vg_yaml_error *err)
{
	const char *problem = p->problem ? p->problem : "malformed YAML";
	if (p->error == YAML_MEMORY_ERROR) {
		set_error(err, VG_YAML_ENOMEM, 0, 0, "out of memory while reading the YAML");
	} else if (p->error == YAML_READER_ERROR) {
		unsigned line, column;
		size_t offset = p->problem_offset < length ? p->problem_offset : length;
		position_of(data, offset, &line, &column);
		if (p->problem_value >= 0)
			set_error(err, VG_YAML_EENCODING, line, column, "%s (U+%04X)", problem,
			          (unsigned)p->problem_value);
		else
			set_error(err, VG_YAML_EENCODING, line, column, "%s", problem);
	} else {
		unsigned line = (unsigned)p->problem_mark.line + 1;
		unsigned column = (unsigned)p->problem_mark.column + 1;
		if (p->context)
			set_error(err, VG_YAML_ESYNTAX, line, column, "%s %s", problem, p->context);
		else
			set_error(err, VG_YAML_ESYNTAX, line, column, "%s", problem);
	}
}

static int is_null_text(const char *t, size_t len)
{
	return len == 0 || strcmp(t, "~") == 0 || strcmp(t, "null") == 0 || strcmp(t, "Null") == 0 ||
	       strcmp(t, "NULL") == 0;
}

vg_node *vg_yaml_parse(vg_arena *arena, const char *file, const char *data, size_t length,
                       vg_yaml_error *err)
{
	clear_error(err);
	if (!arena || (!data && length)) {
		set_error(err, VG_YAML_EIO, 0, 0, "no input");
		return NULL;
	}
	if (length > VG_YAML_MAX_BYTES) {
		set_error(err, VG_YAML_ETOO_LARGE, 0, 0,
		          "the file is %zu bytes; vigil reads blueprints of at most %u bytes (16 MiB)", length,
		          VG_YAML_MAX_BYTES);
		return NULL;
	}
	const unsigned char *bytes = (const unsigned char *)(data ? data : "");
	if (check_utf8(bytes, length, err) != 0)
		return NULL;

	builder b;
	memset(&b, 0, sizeof b);
	b.arena = arena;
	b.err = err;
	b.file = vg_arena_strdup(arena, file ? file : "<input>");
	b.bytes = bytes;
	b.length = length;
	b.bom = length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
	b.scratch = vg_arena_new();
	b.anchors = b.scratch ? vg_strmap_new(b.scratch, 16) : NULL;
	if (!b.file || !b.anchors) {
		vg_arena_free(b.scratch);
		set_error(err, VG_YAML_ENOMEM, 0, 0, "out of memory while reading the YAML");
		return NULL;
	}

	yaml_parser_t parser;
	if (!yaml_parser_initialize(&parser)) {
		vg_arena_free(b.scratch);
		set_error(err, VG_YAML_ENOMEM, 0, 0, "out of memory while reading the YAML");
		return NULL;
	}
	yaml_parser_set_input_string(&parser, bytes, length);

	int failed = 0, done = 0;
	while (!done && !failed) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&parser, &ev)) {
			libyaml_error(&parser, bytes, length, err);
			failed = 1;
			break;
		}
		switch (ev.type) {
		case YAML_DOCUMENT_START_EVENT:
			failed = on_document_start(&b, &ev) != 0;
			break;
		case YAML_SCALAR_EVENT:
			failed = on_scalar(&b, &ev) != 0;
			break;
		case YAML_SEQUENCE_START_EVENT:
			failed = on_start(&b, &ev, VG_NODE_SEQ) != 0;
			break;
		case YAML_MAPPING_START_EVENT:
			failed = on_start(&b, &ev, VG_NODE_MAP) != 0;
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			failed = on_end(&b, &ev) != 0;
			break;
		case YAML_ALIAS_EVENT:
			failed = on_alias(&b, &ev) != 0;
			break;
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	free(b.items);
	free(b.frames);
	vg_arena_free(b.scratch);
	if (failed)
		return NULL;

	vg_node *root = b.root;
	if (b.documents == 0 || !root) {
		set_error(err, VG_YAML_EEMPTY, 0, 0, "the file holds no YAML document");
		return NULL;
	}
	if (root->kind == VG_NODE_SCALAR && !root->tag && root->u.scalar.style == VG_SCALAR_PLAIN &&
	    is_null_text(root->u.scalar.text, root->u.scalar.length)) {
		set_error(err, VG_YAML_EEMPTY, 0, 0, "the YAML document is empty");
		return NULL;
	}
	return root;
}

int vg_yaml_read_file(char **out, size_t *out_len, const char *path, vg_yaml_error *err)
{
	clear_error(err);
	*out = NULL;
	*out_len = 0;
	char reason[128];
	int fd = open(path, O_RDONLY);
	if (fd < 0) {
		if (strerror_r(errno, reason, sizeof reason) != 0)
			snprintf(reason, sizeof reason, "error %d", errno);
		set_error(err, VG_YAML_EIO, 0, 0, "cannot open %.250s: %s", path, reason);
		return VG_YAML_EIO;
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
		int e = S_ISDIR(st.st_mode) ? EISDIR : errno;
		if (strerror_r(e, reason, sizeof reason) != 0)
			snprintf(reason, sizeof reason, "error %d", e);
		close(fd);
		set_error(err, VG_YAML_EIO, 0, 0, "cannot read %.250s: %s", path, reason);
		return VG_YAML_EIO;
	}
	if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > VG_YAML_MAX_BYTES) {
		close(fd);
		set_error(err, VG_YAML_ETOO_LARGE, 0, 0,
		          "the file is %jd bytes; vigil reads blueprints of at most %u bytes (16 MiB)",
		          (intmax_t)st.st_size, VG_YAML_MAX_BYTES);
		return VG_YAML_ETOO_LARGE;
	}
	/* Regular files: their size (+1 to notice growth); pipes grow as they deliver. */
	size_t cap = S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 64 * 1024;
	size_t len = 0;
	char *buf = malloc(cap + 1);
	if (!buf) {
		close(fd);
		set_error(err, VG_YAML_ENOMEM, 0, 0, "out of memory reading %.250s", path);
		return VG_YAML_ENOMEM;
	}
	for (;;) {
		if (len == cap) {
			if (cap > VG_YAML_MAX_BYTES)
				break;
			size_t ncap = cap * 2 > (size_t)VG_YAML_MAX_BYTES + 1 ? (size_t)VG_YAML_MAX_BYTES + 1
			                                                     : cap * 2;
			char *nbuf = realloc(buf, ncap + 1);
			if (!nbuf) {
				free(buf);
				close(fd);
				set_error(err, VG_YAML_ENOMEM, 0, 0, "out of memory reading %.250s", path);
				return VG_YAML_ENOMEM;
			}
			buf = nbuf;
			cap = ncap;
		}
		ssize_t got = read(fd, buf + len, cap - len);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			if (strerror_r(e, reason, sizeof reason) != 0)
				snprintf(reason, sizeof reason, "error %d", e);
			free(buf);
			close(fd);
			set_error(err, VG_YAML_EIO, 0, 0, "cannot read %.250s: %s", path, reason);
			return VG_YAML_EIO;
		}
		if (got == 0)
			break;
		len += (size_t)got;
	}
	close(fd);
	if (len > VG_YAML_MAX_BYTES) {
		free(buf);
		set_error(err, VG_YAML_ETOO_LARGE, 0, 0,
		          "the file is over %u bytes; vigil reads blueprints of at most 16 MiB",
		          VG_YAML_MAX_BYTES);
		return VG_YAML_ETOO_LARGE;
	}
	buf[len] = '\0';
	*out = buf;
	*out_len = len;
	return 0;
}

/* ---- helpers ------------------------------------------------------------------------------ */

static int key_is(const vg_node *key, const char *name)
{
	return key && key->kind == VG_NODE_SCALAR && key->u.scalar.length == strlen(name) &&
	       memcmp(key->u.scalar.text, name, key->u.scalar.length) == 0;
}

const vg_pair *vg_map_pair(const vg_node *map, const char *key)
{
	if (!map || map->kind != VG_NODE_MAP || !key)
		return NULL;
	for (size_t i = 0; i < map->u.map.count; i++)
		if (key_is(map->u.map.pairs[i].key, key))
			return &map->u.map.pairs[i];
	return NULL;
}

const vg_node *vg_map_get(const vg_node *map, const char *key)
{
	const vg_pair *p = vg_map_pair(map, key);
	return p ? p->value : NULL;
}

const char *vg_scalar(const vg_node *node)
{
	return node && node->kind == VG_NODE_SCALAR ? node->u.scalar.text : NULL;
}

/* Whether a scalar's text is open to typing (null/bool/number): plain and untagged, or
 * tagged with a non-string type. */
static int typed_scalar(const vg_node *node)
{
	if (!node || node->kind != VG_NODE_SCALAR)
		return 0;
	if (node->tag)
		return strcmp(node->tag, "!!str") != 0 && strcmp(node->tag, "!") != 0;
	return node->u.scalar.style == VG_SCALAR_PLAIN;
}

int vg_is_null(const vg_node *node)
{
	return typed_scalar(node) && is_null_text(node->u.scalar.text, node->u.scalar.length);
}

static int equals_nocase(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = *a >= 'A' && *a <= 'Z' ? (char)(*a - 'A' + 'a') : *a;
		if (x != *b)
			return 0;
	}
	return *a == *b;
}

int vg_scalar_bool(const vg_node *node, int *out)
{
	if (!typed_scalar(node))
		return -1;
	static const char *const truths[] = {"true", "yes", "on"};
	static const char *const lies[] = {"false", "no", "off"};
	const char *t = node->u.scalar.text;
	for (size_t i = 0; i < 3; i++) {
		if (equals_nocase(t, truths[i])) {
			if (out)
				*out = 1;
			return 0;
		}
		if (equals_nocase(t, lies[i])) {
			if (out)
				*out = 0;
			return 0;
		}
	}
	return -1;
}

/* A scalar whose text may be read as a number: plain/quoted (not block), no embedded NUL. */
static const char *numeric_text(const vg_node *node)
{
	if (!node || node->kind != VG_NODE_SCALAR || node->u.scalar.style == VG_SCALAR_BLOCK)
		return NULL;
	if (strlen(node->u.scalar.text) != node->u.scalar.length)
		return NULL;
	return node->u.scalar.text;
}

static int parse_decimal(const char *t, long long *out)
{
	int negative = 0;
	if (*t == '+' || *t == '-')
		negative = *t++ == '-';
	if (!*t)
		return -1;
	unsigned long long v = 0;
	const unsigned long long limit = negative ? (unsigned long long)LLONG_MAX + 1 : LLONG_MAX;
	for (; *t; t++) {
		if (*t < '0' || *t > '9')
			return -1;
		unsigned d = (unsigned)(*t - '0');
		if (v > (limit - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	if (out)
		*out = negative ? (v == (unsigned long long)LLONG_MAX + 1 ? LLONG_MIN : -(long long)v)
		                : (long long)v;
	return 0;
}

int vg_scalar_long(const vg_node *node, long long *out)
{
	const char *t = numeric_text(node);
	return t ? parse_decimal(t, out) : -1;
}

/* YAML 1.2 core-schema float: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? */
static int is_decimal_float(const char *t)
{
	if (*t == '+' || *t == '-')
		t++;
	size_t int_digits = 0, frac_digits = 0;
	while (*t >= '0' && *t <= '9') {
		t++;
		int_digits++;
	}
	if (*t == '.') {
		t++;
		while (*t >= '0' && *t <= '9') {
			t++;
			frac_digits++;
		}
	}
	if (int_digits == 0 && frac_digits == 0)
		return 0;
	if (*t == 'e' || *t == 'E') {
		t++;
		if (*t == '+' || *t == '-')
			t++;
		if (!(*t >= '0' && *t <= '9'))
			return 0;
		while (*t >= '0' && *t <= '9')
			t++;
	}
	return *t == '\0';
}

static int special_float(const char *t, double *out)
{
	int negative = 0;
	const char *u = t;
	if (*u == '+' || *u == '-')
		negative = *u++ == '-';
	if (strcmp(u, ".inf") == 0 || strcmp(u, ".Inf") == 0 || strcmp(u, ".INF") == 0) {
		if (out)
			*out = negative ? -HUGE_VAL : HUGE_VAL;
		return 0;
	}
	if (u == t && (strcmp(u, ".nan") == 0 || strcmp(u, ".NaN") == 0 || strcmp(u, ".NAN") == 0)) {
		if (out)
			*out = NAN;
		return 0;
	}
	return -1;
}

int vg_scalar_double(const vg_node *node, double *out)
{
	const char *t = numeric_text(node);
	if (!t)
		return -1;
	if (is_decimal_float(t)) {
		double v = strtod(t, NULL);
		if (out)
			*out = v;
		return 0;
	}
	if (typed_scalar(node))
		return special_float(t, out);
	return -1;
}

static int is_prefixed_int(const char *t)
{
	if (t[0] != '0' || (t[1] != 'x' && t[1] != 'o') || !t[2])
		return 0;
	int hex = t[1] == 'x';
	for (t += 2; *t; t++) {
		int ok = hex ? ((*t >= '0' && *t <= '9') || (*t >= 'a' && *t <= 'f') ||
		                (*t >= 'A' && *t <= 'F'))
		             : (*t >= '0' && *t <= '7');
		if (!ok)
			return 0;
	}
	return 1;
}

const char *vg_node_describe(const vg_node *node)
{
	if (!node)
		return "null";
	if (node->kind == VG_NODE_MAP)
		return "mapping";
	if (node->kind == VG_NODE_SEQ)
		return "sequence";
	if (!typed_scalar(node))
		return "string";
	if (vg_is_null(node))
		return "null";
	if (vg_scalar_bool(node, NULL) == 0)
		return "boolean";
	const char *t = node->u.scalar.text;
	if (strlen(t) == node->u.scalar.length &&
	    (is_decimal_float(t) || is_prefixed_int(t) || special_float(t, NULL) == 0))
		return "number";
	return "string";
}
