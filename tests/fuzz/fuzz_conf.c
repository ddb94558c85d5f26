/*
 * fuzz_conf.c - conf_agent_load on the input as the agent's config file,
 * then conf_coord_load on it as the coordinator's (libconfig reads only
 * from a file, so the input goes to a memfd first).
 *
 * Inputs with an @include directive are skipped: it makes libconfig open
 * whatever path the input names (/dev/stdin blocks the fuzzer), and an
 * include is the admin's choice, not outside input to conf.c.
 *
 * Besides the sanitizers: -1 comes with at least one message, 0 with none,
 * and every message is a terminated line that starts with the path.  An
 * agent config that loads also goes through conf_agent_finish; in a
 * coordinator config that loads, every listed pool lies in a managed zone
 * and is found by conf_coord_min_members.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "fuzz_util.h"

/*
 * libconfig 1.5 (Debian 12) leaks the text of a string token when a syntax
 * error follows it (the input '""' is enough, with libconfig alone): not
 * conf.c's to fix, and small and once per failed load.  Only the
 * scanner's string allocations are ignored, so that leaks of settings
 * conf.c forgets to free are still found.
 */
const char *__lsan_default_suppressions(void);

const char *
__lsan_default_suppressions(void)
{
	return "leak:strbuf_append\n" "leak:libconfig_yylex\n";
}

static void
check_diag(int rc, const struct diag *d, const char *path)
{
	size_t i;

	if ((rc == 0) != (d->n == 0) || d->n > CONF_MAX_ERRORS)
		abort();
	for (i = 0; i < d->n; i++)
		if (memchr(d->lines[i], '\0', sizeof(d->lines[i])) == NULL ||
		    strncmp(d->lines[i], path, strlen(path)) != 0)
			abort();
}

static void
agent(const char *path)
{
	static struct agent_conf c;	/* 64 pools of 32 addresses: 100 kB+ */
	static struct diag d;
	int rc;

	memset(&d, 0, sizeof(d));
	rc = conf_agent_load(path, &c, &d);
	check_diag(rc, &d, path);
	if (rc == -1)
		return;
	if (c.npools > CONF_MAX_POOLS || c.net.nservers > CONF_MAX_SERVERS)
		abort();
	/* the checks the agent runs after command-line overrides */
	memset(&d, 0, sizeof(d));
	check_diag(conf_agent_finish(&c, &d), &d, path);
}

static void
coordinator(const char *path)
{
	static struct coord_conf c;
	static struct diag d;
	size_t i;
	int rc;

	memset(&d, 0, sizeof(d));
	rc = conf_coord_load(path, &c, &d);
	check_diag(rc, &d, path);
	if (rc == -1) {
		if (c.pools != NULL || c.aliases != NULL || c.npools != 0)
			abort();	/* "*c cleaned" */
		return;
	}
	if (c.nzones == 0 || c.nzones > CONF_MAX_ZONES)
		abort();
	for (i = 0; i < c.npools; i++)
		if (conf_coord_zone_of(&c, c.pools[i].name) == NULL ||
		    conf_coord_min_members(&c, c.pools[i].name) !=
		    c.pools[i].min_members)
			abort();
	for (i = 0; i < c.naliases; i++)
		if (conf_coord_zone_of(&c, c.aliases[i].name) == NULL ||
		    c.aliases[i].ntargets == 0 ||
		    c.aliases[i].ntargets > CONF_MAX_TARGETS)
			abort();
	conf_coord_clean(&c);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path;

	if (fuzz_contains_ci(data, size, "@include"))
		return -1;	/* keep it out of the corpus */
	path = fuzz_file(data, size);
	agent(path);
	coordinator(path);
	return 0;
}
