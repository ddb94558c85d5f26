/* One CUnit suite per module; each test_<module>.c defines one of these. */
#ifndef RC_TEST_SUITES_H
#define RC_TEST_SUITES_H

#include <CUnit/CUnit.h>

void	suite_tsig(void);
void	suite_key(void);
void	suite_transport(void);
void	suite_numparse(void);
void	suite_regrecord(void);
void	suite_dnsmsg(void);
void	suite_conf(void);
void	suite_plan(void);
void	suite_apply(void);
void	suite_zonedata(void);
void	suite_coordconf(void);
void	suite_cplan(void);
void	suite_json(void);
void	suite_metrics(void);
void	suite_monitor(void);

/* Adds a suite or aborts the runner: a suite that fails to register must
 * not turn into a silent pass. */
CU_pSuite	test_add_suite(const char *name);
void		test_add(CU_pSuite s, const char *name, CU_TestFunc fn);

#endif
