build/obj/cli/forklab.o: harness/cli/forklab.c harness/cli/cli.h
harness/cli/cli.h:
