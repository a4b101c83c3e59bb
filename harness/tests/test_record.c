/* test_record.c - unit tests of the record model: tree names, lookups, JSON that stays valid
 * whatever bytes a program printed, and the tree view. No tracing here. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "record.h"
#include "record_build.h"
#include "utf8.h"

/* P with children P.1 (which has P.1.1) and P.2. */
static struct record *small_tree(void)
{
	struct record *r = record_new();
	cr_assert_not_null(r);
	struct rec_proc *p = record_add_proc(r, NULL, 100, 0, 1);
	struct rec_proc *p1 = record_add_proc(r, p, 101, 1, 2);
	record_add_proc(r, p1, 103, 2, 3);
	record_add_proc(r, p, 102, 3, 4);
	cr_assert_not_null(p1);
	return r;
}

Test(record, names_follow_creation_order)
{
	struct record *r = small_tree();
	cr_assert_eq(r->nprocs, 4);
	cr_assert_str_eq(r->procs[0]->name, "P");
	cr_assert_str_eq(r->procs[1]->name, "P.1");
	cr_assert_str_eq(r->procs[2]->name, "P.1.1");
	cr_assert_str_eq(r->procs[3]->name, "P.2");
	cr_assert_eq(r->procs[2]->depth, 2);
	cr_assert_eq(r->procs[3]->index, 2);
	cr_assert_eq(r->root, r->procs[0]);
	cr_assert_eq(r->root_pid, 100);
	cr_assert_eq(r->procs[0]->nchildren, 2);
	cr_assert_eq(r->procs[0]->children[1], r->procs[3]);
	record_free(r);
}

Test(record, find_by_name_and_pid)
{
	struct record *r = small_tree();
	cr_assert_eq(record_find(r, "P.1.1")->pid, 103);
	cr_assert_null(record_find(r, "P.3"));
	cr_assert_str_eq(record_by_pid(r, 102)->name, "P.2");
	cr_assert_null(record_by_pid(r, 999));
	/* A reused pid: the latest process that had it. */
	record_add_proc(r, r->procs[3], 101, 5, 5);
	cr_assert_str_eq(record_by_pid(r, 101)->name, "P.2.1");
	record_free(r);
}

Test(record, very_deep_names_stay_bounded_and_distinct)
{
	struct record *r = record_new();
	struct rec_proc *p = record_add_proc(r, NULL, 1, 0, 1);
	for (int i = 0; i < 100; i++) {
		record_add_proc(r, p, 1000 + i, 0, 2); /* a sibling, so the last index varies */
		p = record_add_proc(r, p, 2000 + i, 0, 3);
		cr_assert_not_null(p);
		cr_assert_lt(strlen(p->name), sizeof(p->name));
	}
	cr_assert_str_eq(p->name + strlen(p->name) - 2, ".2");
	record_free(r);
}

Test(record, outcome_names)
{
	cr_assert_str_eq(outcome_name(OUT_EXITED), "exited");
	cr_assert_str_eq(outcome_name(OUT_PROC_LIMIT), "proc-limit");
	cr_assert_str_eq(outcome_name(OUT_OUTPUT_LIMIT), "output-limit");
	cr_assert_str_eq(outcome_name(OUT_INTERRUPTED), "interrupted");
}

Test(record, writes_are_attributed_and_ordered)
{
	struct record *r = small_tree();
	struct rec_proc *p1 = record_find(r, "P.1");
	cr_assert_eq(record_add_write(r, p1, 1, "ab", 2, 1.0, 10), 0);
	cr_assert_eq(record_add_write(r, p1, 2, "err", 3, 2.0, 11), 0);
	cr_assert_eq(record_add_write(r, p1, 1, "cd", 2, 3.0, 12), 0);
	cr_assert_eq(r->nwrites, 3);
	cr_assert_eq(p1->out.len, 4);
	cr_assert_str_eq(p1->out.data, "abcd");
	cr_assert_eq(r->writes[2].off, 2);
	cr_assert_eq(r->writes[1].stream, 2);
	record_free(r);
}

Test(utf8, invalid_bytes_become_replacement_chars)
{
	size_t n;
	char *s = utf8_sanitize("a\xff" "b\xc3\xa9" "\xe2\x82", 7, &n);
	cr_assert_str_eq(s, "a\xef\xbf\xbd" "b\xc3\xa9" "\xef\xbf\xbd\xef\xbf\xbd");
	free(s);
	/* Overlong encodings and surrogates are invalid too. */
	s = utf8_sanitize("\xc0\xaf\xed\xa0\x80", 5, &n);
	cr_assert_eq(n, 15);
	free(s);
}

Test(record, json_stays_valid_with_any_bytes)
{
	struct record *r = small_tree();
	struct rec_proc *p = r->root;
	const char nasty[] = "x\0y\xff\"\\\n\x01\xf0\x9f\x98\x80";
	cr_assert_eq(record_add_write(r, p, 1, nasty, sizeof(nasty) - 1, 0.5, 9), 0);
	rec_buf_append(&r->out, nasty, sizeof(nasty) - 1);
	record_set_detail(r, "detail \xfe");
	char *text = record_to_json(r);
	cr_assert_not_null(text);
	json_error_t e;
	json_t *j = json_loads(text, JSON_ALLOW_NUL, &e);
	cr_assert_not_null(j, "not valid JSON: %s", e.text);
	json_t *out = json_object_get(j, "stdout");
	cr_assert_eq(json_string_length(out), 1 + 1 + 1 + 3 + 1 + 1 + 1 + 1 + 4);
	cr_assert_eq(memcmp(json_string_value(out), "x\0y\xef\xbf\xbd\"\\\n\x01", 10), 0);
	json_t *w = json_array_get(json_object_get(j, "writes"), 0);
	cr_assert_str_eq(json_string_value(json_object_get(w, "stream")), "stdout");
	cr_assert_eq(json_integer_value(json_object_get(w, "pid")), 100);
	json_decref(j);
	free(text);
	record_free(r);
}

Test(record, json_fields)
{
	struct record *r = small_tree();
	struct rec_proc *p1 = record_find(r, "P.1");
	p1->exited = true;
	p1->exit_signal = 11;
	p1->reaped_by = REC_FORKLAB;
	p1->orphaned = true;
	p1->adopted_by = REC_FORKLAB;
	struct rec_proc *p2 = record_find(r, "P.2");
	p2->exited = true;
	p2->exit_code = 3;
	p2->reaped_by = 100;
	r->outcome = OUT_LINGER;
	char *text = record_to_json(r);
	json_t *j = json_loads(text, 0, NULL);
	cr_assert_not_null(j);
	cr_assert_str_eq(json_string_value(json_object_get(j, "outcome")), "linger");
	json_t *procs = json_object_get(j, "processes");
	cr_assert_eq(json_array_size(procs), 4);
	json_t *j0 = json_array_get(procs, 0), *j1 = json_array_get(procs, 1);
	json_t *j3 = json_array_get(procs, 3);
	cr_assert(json_is_null(json_object_get(j0, "parent")));
	cr_assert(json_is_null(json_object_get(j0, "exit")));
	cr_assert_eq(json_integer_value(json_object_get(j1, "parent")), 100);
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(j1, "exit"), "signal")), 11);
	cr_assert_str_eq(json_string_value(json_object_get(j1, "reaped_by")), "forklab");
	cr_assert_str_eq(json_string_value(json_object_get(j1, "adopted_by")), "forklab");
	cr_assert(json_is_true(json_object_get(j1, "orphaned")));
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(j3, "exit"), "code")), 3);
	cr_assert_eq(json_integer_value(json_object_get(j3, "reaped_by")), 100);
	json_decref(j);
	free(text);
	record_free(r);
}

Test(record, tree_view)
{
	struct record *r = small_tree();
	struct rec_proc *p11 = record_find(r, "P.1.1");
	p11->exited = true;
	p11->exit_signal = 11;
	p11->orphaned = true;
	p11->adopted_by = REC_FORKLAB;
	p11->reaped_by = REC_FORKLAB;
	struct rec_proc *p2 = record_find(r, "P.2");
	p2->exited = true;
	p2->reaped_by = 100;
	p2->reaper = r->root;
	p2->exited_ms = 1.0;
	p2->reaped_ms = 1.5;
	/* P wrote two lines, the first too long to show whole; P.2 one line without '\n', on
	 * stderr, with a control character. */
	cr_assert_eq(record_add_write(r, r->root, 1, "0123456789012345678901234567890123456789\n", 41,
				      0.1, 1), 0);
	cr_assert_eq(record_add_write(r, r->root, 1, "hello\n", 6, 0.2, 2), 0);
	cr_assert_eq(record_add_write(r, p2, 2, "oops\tno", 7, 0.3, 3), 0);
	/* P.1.1: a line of 40 two-byte characters, cut after 32 of them, none in two. */
	struct rec_proc *p111 = record_find(r, "P.1.1");
	char accents[81] = "";
	for (int i = 0; i < 40; i++)
		strcat(accents, "\xc3\xa9");
	cr_assert_eq(record_add_write(r, p111, 1, accents, 80, 0.4, 4), 0);
	record_set_detail(r, "timeout: still running");
	r->outcome = OUT_TIMEOUT;
	r->status = 124;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	cr_assert_eq(record_print_tree(r, f, false), 0);
	fclose(f);
	cr_assert(strstr(buf, "├─ P.1 101"), "%s", buf);
	cr_assert(strstr(buf, "│  └─ P.1.1 103"), "%s", buf);
	cr_assert(strstr(buf, "└─ P.2 102"), "%s", buf);
	cr_assert(strstr(buf, "P 100, wrote 2 lines, first \"01234567890123456789012345678901...\", "
			 "last \"hello\", still running"), "%s", buf);
	cr_assert(strstr(buf, "P.2 102, wrote \"oops?no\" on stderr, exited 0"), "%s", buf);
	char want[100];
	snprintf(want, sizeof want, "wrote \"%.64s...\"", accents);
	cr_assert(strstr(buf, want), "%s", buf);
	cr_assert_null(strstr(buf, "P.1 101, wrote"), "P.1 wrote nothing: %s", buf);
	cr_assert(strstr(buf, "killed by SIGSEGV"), "%s", buf);
	cr_assert(strstr(buf, "adopted by forklab"), "%s", buf);
	/* Half a millisecond as a zombie is not worth a look: not shown (test_tree.c). */
	cr_assert(strstr(buf, "reaped by P\n"), "%s", buf);
	cr_assert(strstr(buf, "\ntimeout: still running (status 124); 4 processes"), "%s", buf);
	cr_assert_null(strstr(buf, "\033["), "no colour was asked for");
	free(buf);
	record_free(r);
}
