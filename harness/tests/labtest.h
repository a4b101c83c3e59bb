/* labtest.h - grade a lab's program in a test and assert exactly which checks it fails. */
#ifndef FORKLAB_LABTEST_H
#define FORKLAB_LABTEST_H

/* Grades lab (a spec for lab_lookup): the test program labprogs/NN/<prog> when prog is set,
 * else the lab's sources under labs_dir. Asserts that exactly the checks in failed failed
 * (comma-separated ids in table order, "" for full marks) and that no run left a process
 * behind. */
void labtest_expect(const char *lab, const char *prog, const char *labs_dir, const char *failed);
/* The same, and when check_id is set, the verdict of check_id must contain needle. */
void labtest_expect_verdict(const char *lab, const char *prog, const char *labs_dir,
			    const char *failed, const char *check_id, const char *needle);

#endif
