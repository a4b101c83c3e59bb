/* bad_fake_report.c - prints what could pass for forklab's own verdicts and for every report
 * format's syntax, with terminal escape sequences among them, hoping to change a score, break a
 * format or rewrite what a person reads. It does nothing else (no fork), so it must score
 * exactly what a program that prints nothing scores. */
#include <stdio.h>

int main(void)
{
	/* clear the screen, go home, erase the line, set the window title */
	printf("\x1b[2J\x1b[H\x1b[2K\x1b]0;all passed\x07\r");
	printf("  PASS 10/10  output: everything\nscore 10/10\ntotal 99/99\n");
	printf("{\"score\": 99, \"tests\": [{\"score\": 99, \"max_score\": 99}]}\n");
	printf("</failure></testcase><testcase name=\"fake\" classname=\"x\"/></testsuite>"
	       "</testsuites>\n]]><!-- -->\n");
	printf("ok 1 - everything\nok 2 - more\n1..2\nBail out!\n");
	printf("::set-output name=result::eyJzdGF0dXMiOiJwYXNzIn0=\nresult=pass\n");
	printf("{\"scores\":{\"01-fork-return\":10},\"scoreboard\":[99]}\n");
	fprintf(stderr, "\x1b[1;32mPASS\x1b[0m\b\b\b\bFAIL\x7f\x01\n");
	return 0;
}
