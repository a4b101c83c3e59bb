/* A stand-in for Criterion's assertions, so that the test fixtures (test_grade_fixture.c) build
 * into the fuzz targets: a failed assertion aborts, which libFuzzer reports as a crash. */
#ifndef FORKLAB_FUZZ_CRITERION_SHIM_H
#define FORKLAB_FUZZ_CRITERION_SHIM_H
#include <stdlib.h>
#define cr_assert(cond, ...) do { if (!(cond)) abort(); } while (0)
#define cr_assert_not_null(p, ...) cr_assert((p) != NULL)
#define cr_assert_eq(a, b, ...) cr_assert((a) == (b))
#endif
