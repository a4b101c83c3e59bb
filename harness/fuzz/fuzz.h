/* fuzz.h - forklab's fuzz targets: each is one function over arbitrary bytes, run by libFuzzer
 * (`make fuzz`, harness/tools/fuzz.sh) and, on the inputs kept in harness/fuzz/corpus/, by the
 * test suite (test_fuzz_corpus.c). A broken property aborts. */
#ifndef FORKLAB_FUZZ_H
#define FORKLAB_FUZZ_H
#include <stddef.h>
#include <stdint.h>

int fuzz_reports(const uint8_t *data, size_t size);
int fuzz_expand(const uint8_t *data, size_t size);
int fuzz_procfs(const uint8_t *data, size_t size);

/* Under libFuzzer, the file's target is its entry point. */
#ifdef FORKLAB_FUZZ_TARGET
#define FUZZ_ENTRY(fn) \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) { return fn(data, size); }
#else
#define FUZZ_ENTRY(fn)
#endif

/* data as a NUL-terminated string (malloc'd; aborts when out of memory). */
char *fuzz_string(const uint8_t *data, size_t size);

#endif
