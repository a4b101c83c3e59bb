build/obj/cli/cmd_grade.o: harness/cli/cmd_grade.c harness/cli/cli.h
harness/cli/cli.h:
