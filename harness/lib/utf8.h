/* utf8.h - turning arbitrary bytes (what student programs print) into valid UTF-8 for JSON. */
#ifndef FORKLAB_UTF8_H
#define FORKLAB_UTF8_H

#include <stddef.h>

/* A malloc'd copy of data[0..len) where every byte that does not start a valid UTF-8 sequence
 * becomes U+FFFD; NUL bytes are kept (the result is *outlen bytes long, plus a final NUL). */
char *utf8_sanitize(const char *data, size_t len, size_t *outlen);

struct json_t;
/* A JSON string for those bytes (valid whatever they are), or NULL when out of memory. */
struct json_t *utf8_json_string(const char *data, size_t len);

#endif
