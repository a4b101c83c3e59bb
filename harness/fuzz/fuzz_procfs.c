/* fuzz_procfs.c - the /proc parsers fed odd content: a stat line with any command name (spaces,
 * parentheses, newlines), a status file, an fdinfo file, descriptor link targets. They must not
 * read past the text, and what they return must be consistent. */
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
#include "procfs.h"

int fuzz_procfs(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size);
	struct procfs_statline sl;
	if (procfs_parse_stat(s, &sl) == 0 && strrchr(s, ')') == NULL)
		abort(); /* a stat line without the command's ')' cannot parse */
	procfs_parse_field(s, "VmPeak");
	procfs_parse_field(s, "Tgid");
	procfs_parse_field(s, "");
	procfs_parse_flags(s);
	char kind = procfs_fd_kind(s);
	if (!strchr("psntfo", kind))
		abort();
	unsigned long ino = procfs_link_inode(s);
	if (ino != 0 && kind != 'p' && kind != 's')
		abort(); /* only pipes and sockets have an inode in their name */
	free(s);
	return 0;
}

FUZZ_ENTRY(fuzz_procfs)
