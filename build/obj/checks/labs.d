build/obj/checks/labs.o: harness/checks/labs.c harness/grade/lab.h \
 harness/lib/record.h harness/lib/trace.h harness/lib/record.h
harness/grade/lab.h:
harness/lib/record.h:
harness/lib/trace.h:
harness/lib/record.h:
