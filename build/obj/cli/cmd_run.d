build/obj/cli/cmd_run.o: harness/cli/cmd_run.c harness/cli/cli.h
harness/cli/cli.h:
