build/obj/checks/lab04.o: harness/checks/lab04.c harness/grade/lab.h \
 harness/lib/record.h harness/lib/trace.h harness/lib/record.h
harness/grade/lab.h:
harness/lib/record.h:
harness/lib/trace.h:
harness/lib/record.h:
