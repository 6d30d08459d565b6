/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdio.h>
#include <string.h>

#include "cry_ipsecmb.h"
#include "cry_openssl.h"
#include "test_cry.h"

static struct cry_openssl *ossl;
static struct cry_ipsecmb *imb;

int
test_cry_open(const char *driver, struct cry_ops *ops)
{
	memset(ops, 0, sizeof(*ops));
	ossl = cry_openssl_create();
	if (ossl == NULL) {
		fprintf(stderr, "cry_openssl_create failed\n");
		return -1;
	}
	cry_openssl_bind(ossl, ops);
	if (strcmp(driver, "openssl") == 0)
		return 0;
	if (strcmp(driver, "ipsecmb") == 0) {
		imb = cry_ipsecmb_create(CRY_IPSECMB_AUTO);
		if (imb == NULL) {
			fprintf(stderr, "cry_ipsecmb_create failed\n");
			test_cry_close();
			return -1;
		}
		cry_ipsecmb_bind(imb, ops);
		return 0;
	}
	fprintf(stderr, "unknown crypto driver '%s' (openssl or ipsecmb)\n", driver);
	test_cry_close();
	return -1;
}

void
test_cry_close(void)
{
	if (imb != NULL)
		cry_ipsecmb_destroy(imb);
	if (ossl != NULL)
		cry_openssl_destroy(ossl);
	imb = NULL;
	ossl = NULL;
}

int
test_cry_main(int argc, char **argv, const char *prefix, const struct CMUnitTest *tests, size_t n,
	      CMFixtureFunction group_setup, struct cry_ops *ops, const char **vec_dir)
{
	char name[64];
	int rc;

	if (argc != 3) {
		fprintf(stderr, "usage: %s openssl|ipsecmb VECTOR_DIR\n", argv[0]);
		return 2;
	}
	*vec_dir = argv[2];
	if (test_cry_open(argv[1], ops) != 0)
		return 1;
	snprintf(name, sizeof(name), "%s-%s", prefix, argv[1]);
	/* what cmocka_run_group_tests_name() expands to, for a count known at run time */
	rc = _cmocka_run_group_tests(name, tests, n, group_setup, NULL);
	test_cry_close();
	return rc;
}
