build/obj/checks/lab03.o: harness/checks/lab03.c harness/grade/lab.h \
 harness/lib/record.h harness/lib/trace.h harness/lib/record.h
harness/grade/lab.h:
harness/lib/record.h:
harness/lib/trace.h:
harness/lib/record.h:
