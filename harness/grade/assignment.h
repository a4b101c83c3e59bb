/* assignment.h - an assignment file: which labs a course grades, the points of each, and which
 * checks are left out or hidden until the deadline. An INI file, parsed with inih:
 *
 *   [assignment]
 *   labs = 01 04                    ; the labs graded, in this order (any lab_lookup() spelling)
 *
 *   [lab 04]                        ; optional: changes to one of those labs
 *   points.reaped = 3               ; a check's points (0 to 1000)
 *   skip = exit                     ; checks left out (space-separated ids)
 *   hidden = shape                  ; checks graded but shown only after the deadline
 *   weight = 20                     ; the lab's points scaled to add up to this (1 to 10000)
 *
 * The labs an assignment grades are copies of labs_all[]'s, with their own check tables. */
#ifndef FORKLAB_ASSIGNMENT_H
#define FORKLAB_ASSIGNMENT_H

#include <stddef.h>
#include "lab.h"

struct assignment {
	char *path;
	const struct lab **labs;     /* nlabs pointers to the copies below, then NULL */
	size_t nlabs;
	struct lab *copies;          /* the labs as the assignment grades them */
};

/* Reads path. NULL when the file is bad, with one line in err: "FILE:LINE: KEY: why" (or
 * "FILE: why" when no line is to blame); nothing is half-loaded. */
struct assignment *assignment_load(const char *path, char *err, size_t errlen);
void assignment_free(struct assignment *a);

/* The assignment's copy of the lab spec names (any lab_lookup() spelling), or NULL when the
 * lab is not one of the assignment's. */
const struct lab *assignment_lab(const struct assignment *a, const char *spec);

#endif
