/* test.h: the unit-test harness for the *_test.c files beside the code.
 * Each test file is its own program: TEST(name) functions registered in
 * main with RUN(name); CHECK records a failure with file and line and goes
 * on.  The last line, "RESULT passed=N failed=M skipped=K", is what
 * tests/run.sh adds up. */
#ifndef HV_TEST_H
#define HV_TEST_H

#include <stdio.h>
#include <string.h>

static int hv_test_failed_checks, hv_test_passed, hv_test_failed, hv_test_skipped;
static const char *hv_test_current;

#define CHECK(cond) do { \
	if (!(cond)) { \
		hv_test_failed_checks++; \
		fprintf(stderr, "  FAIL %s: %s:%d: %s\n", hv_test_current, __FILE__, __LINE__, #cond); \
	} \
} while (0)

#define CHECK_STR(a, b) do { \
	const char *hv_a_ = (a), *hv_b_ = (b); \
	if (!hv_a_ || !hv_b_ || strcmp(hv_a_, hv_b_) != 0) { \
		hv_test_failed_checks++; \
		fprintf(stderr, "  FAIL %s: %s:%d: \"%s\" != \"%s\"\n", hv_test_current, __FILE__, __LINE__, \
		        hv_a_ ? hv_a_ : "(null)", hv_b_ ? hv_b_ : "(null)"); \
	} \
} while (0)

#define TEST(name) static void test_##name(void)
#define RUN(name) do { \
	hv_test_current = #name; \
	int hv_before_ = hv_test_failed_checks; \
	test_##name(); \
	if (hv_test_failed_checks == hv_before_) { hv_test_passed++; printf("  ok   %s\n", #name); } \
	else { hv_test_failed++; printf("  FAIL %s\n", #name); } \
} while (0)
#define SKIP(name, why) do { hv_test_skipped++; printf("  skip %s (%s)\n", #name, why); } while (0)

#define TEST_DONE() ( \
	printf("RESULT passed=%d failed=%d skipped=%d\n", hv_test_passed, hv_test_failed, hv_test_skipped), \
	hv_test_failed ? 1 : 0)

#endif
