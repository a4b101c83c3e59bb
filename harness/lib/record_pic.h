/* record_pic.h - a record as pictures: one self-contained HTML page (the process tree and a
 * timeline with one lane per process, drawn in inline SVG) and Graphviz DOT of the tree. They
 * only read the record (record.h). Everything that came from the program (argv, output bytes,
 * file names) is escaped, so no program can put markup into the page or statements into the
 * graph. */
#ifndef FORKLAB_RECORD_PIC_H
#define FORKLAB_RECORD_PIC_H

#include <stdbool.h>
#include <stdio.h>
#include "record.h"

/* Above this many processes the timeline folds lanes: the middle children of a large fan-out,
 * then whatever comes after this many lanes, each run of folded processes drawn as one lane. */
#define REC_PIC_MAX_LANES 120
/* Up to this many processes the tree is also drawn as boxes and lines. */
#define REC_PIC_MAX_TREE 64

struct rec_pic_opts {
	const char *id;        /* prefix of the element ids, unique within the page ("" or NULL:
	                          the picture is alone in its page) */
	const bool *highlight; /* r->nprocs flags in r->procs order: processes to highlight (they
	                          and their ancestors are never folded away), or NULL */
	bool output;           /* also show everything the program printed */
};

/* A whole page: the run's outcome, its tree, its timeline, a table of its processes and its
 * output. 0, or -1 when out was not written. */
int record_html_page(const struct record *r, FILE *out);

/* The same picture as a fragment of a page (a <div>) that includes record_html_css() in its
 * <style>; for pages made of several runs (forklab grade --format html). */
int record_html_picture(const struct record *r, FILE *out, const struct rec_pic_opts *o);
const char *record_html_css(void);

/* Writes data[0..len) as HTML/XML text, valid whatever the bytes: & < > " ' as references,
 * invalid UTF-8 as U+FFFD, control bytes as their visible pictures (U+2400...); newlines are
 * kept when keep_nl. */
void record_html_text(FILE *out, const char *data, size_t len, bool keep_nl);

/* The tree as a Graphviz digraph (`dot -Tsvg`): a box per process with its pid, what it exec'd
 * and how it ended; an edge from each creator to each child, a dashed one from a reaper that
 * was not the creator. 0, or -1 when out was not written. */
int record_to_dot(const struct record *r, FILE *out);

#endif
