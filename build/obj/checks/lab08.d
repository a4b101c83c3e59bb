build/obj/checks/lab08.o: harness/checks/lab08.c harness/grade/lab.h \
 harness/lib/record.h harness/lib/trace.h harness/lib/record.h
harness/grade/lab.h:
harness/lib/record.h:
harness/lib/trace.h:
harness/lib/record.h:
