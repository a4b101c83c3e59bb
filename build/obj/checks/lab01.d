build/obj/checks/lab01.o: harness/checks/lab01.c harness/grade/lab.h \
 harness/lib/record.h harness/lib/trace.h harness/lib/record.h
harness/grade/lab.h:
harness/lib/record.h:
harness/lib/trace.h:
harness/lib/record.h:
