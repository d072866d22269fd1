/*
 * github.c — GitHub Actions workflow commands, one per finding:
 *
 *   ::error file=blueprints/x.yaml,line=12,col=5,title=VG117 unknown-key::message%0Adetail
 *
 * error → ::error, warning → ::warning, info → ::notice. Escaped as the runner expects
 * (actions/toolkit, command.ts): in the message '%', CR and LF; in property values also
 * ':' and ','. Other control bytes and malformed UTF-8 become U+FFFD so that no finding
 * can start a command of its own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "writers.h"

static void put_escaped(FILE *out, const char *s, int property)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	while (*p) {
		size_t n = vg_utf8_sequence_length(p);
		if (*p == '%')
			fputs("%25", out);
		else if (*p == '\r')
			fputs("%0D", out);
		else if (*p == '\n')
			fputs("%0A", out);
		else if (property && *p == ':')
			fputs("%3A", out);
		else if (property && *p == ',')
			fputs("%2C", out);
		else if (n == 0 || (*p < 0x20 && *p != '\t') || *p == 0x7f)
			fputs("\xef\xbf\xbd", out);
		else
			fwrite(p, 1, n, out);
		p += n ? n : 1;
	}
}

static const char *command_of(vigil_severity severity)
{
	switch (severity) {
	case VIGIL_SEVERITY_ERROR: return "error";
	case VIGIL_SEVERITY_WARNING: return "warning";
	case VIGIL_SEVERITY_INFO: return "notice";
	}
	return "notice";
}

static int write_command(FILE *out, const vigil_finding *f)
{
	const char *uri = vigil_finding_uri(f);
	char *text = vg_view_full_message(f);
	char title[256];
	int first = 1;

	if (!text)
		return VIGIL_ENOMEM;
	fprintf(out, "::%s ", command_of(vigil_finding_severity(f)));
	if (uri && uri[0] != '/') {
		fputs("file=", out);
		put_escaped(out, uri, 1);
		first = 0;
		if (vigil_finding_line(f)) {
			fprintf(out, ",line=%u", vigil_finding_line(f));
			if (vigil_finding_column(f))
				fprintf(out, ",col=%u", vigil_finding_column(f));
		}
	}
	snprintf(title, sizeof title, "%s %s", vigil_finding_code(f),
	         vigil_finding_rule(f) ? vigil_finding_rule(f) : "");
	fputs(first ? "title=" : ",title=", out);
	put_escaped(out, title, 1);
	fputs("::", out);
	put_escaped(out, text, 0);
	free(text);
	if (vigil_finding_database(f) || vigil_finding_object(f)) {
		fputs("%0A(", out);
		put_escaped(out, vigil_finding_database(f) ? vigil_finding_database(f) : "", 0);
		if (vigil_finding_object(f)) {
			fputs(vigil_finding_database(f) ? "." : "", out);
			put_escaped(out, vigil_finding_object(f), 0);
		}
		fputs(")", out);
	}
	if (vigil_finding_proposal(f)) {
		fprintf(out, "%%0AProposed SQL (%s):%%0A", vigil_risk_name(vigil_finding_risk(f)));
		put_escaped(out, vigil_finding_proposal(f), 0);
	}
	fputc('\n', out);
	return VIGIL_OK;
}

int vg_write_github(const vigil_report *report, FILE *out, const vigil_write_options *options)
{
	size_t count = vigil_report_finding_count(report);

	(void)options;
	for (size_t i = 0; i < count; i++) {
		const vigil_finding *f = vigil_report_finding(report, i);
		if (vigil_finding_known(f) || vigil_finding_suppressed(f))
			continue; /* accepted: an annotation would ask for action again */
		int rc = write_command(out, f);
		if (rc != VIGIL_OK)
			return rc;
	}
	if (fflush(out) != 0 || ferror(out))
		return VIGIL_EIO;
	return VIGIL_OK;
}
