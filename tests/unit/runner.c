/*
 * Unit test runner: `unit_tests` runs every suite, `unit_tests NAME...` only
 * the named ones (CTest runs one suite per test).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>

#include "suites.h"

static const struct {
	const char	*name;
	void		(*add)(void);
} suites[] = {
	{ "tsig", suite_tsig },
	{ "key", suite_key },
	{ "transport", suite_transport },
	{ "numparse", suite_numparse },
	{ "regrecord", suite_regrecord },
	{ "dnsmsg", suite_dnsmsg },
	{ "conf", suite_conf },
	{ "plan", suite_plan },
	{ "coordconf", suite_coordconf },
	{ "zonedata", suite_zonedata },
	{ "cplan", suite_cplan },
	{ "apply", suite_apply },
	{ "json", suite_json },
	{ "metrics", suite_metrics },
	{ "monitor", suite_monitor },
};

CU_pSuite
test_add_suite(const char *name)
{
	CU_pSuite s = CU_add_suite(name, NULL, NULL);

	if (s == NULL) {
		fprintf(stderr, "cannot add suite %s: %s\n", name, CU_get_error_msg());
		exit(2);
	}
	return s;
}

void
test_add(CU_pSuite s, const char *name, CU_TestFunc fn)
{
	if (CU_add_test(s, name, fn) == NULL) {
		fprintf(stderr, "cannot add test %s: %s\n", name, CU_get_error_msg());
		exit(2);
	}
}

int
main(int argc, char **argv)
{
	size_t i;
	int j, found, failed;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	for (i = 0; i < sizeof(suites) / sizeof(suites[0]); i++) {
		found = argc < 2;
		for (j = 1; j < argc; j++)
			if (strcmp(argv[j], suites[i].name) == 0)
				found = 1;
		if (found)
			suites[i].add();
	}
	if (CU_get_registry()->uiNumberOfSuites == 0) {
		fprintf(stderr, "no such suite\n");
		CU_cleanup_registry();
		return 2;
	}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failed = CU_get_number_of_failures() != 0 ||
	    CU_get_number_of_tests_failed() != 0 ||
	    CU_get_number_of_tests_run() == 0;
	CU_cleanup_registry();
	return failed ? 1 : 0;
}
