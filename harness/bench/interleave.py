#!/usr/bin/python3
"""interleave.py - times commands side by side, alternating them run after run (forwards, then
backwards), so that a change in a shared machine's load reaches each alike; for comparing two
builds of forklab, where hyperfine would run all of one before the other.

  python3 harness/bench/interleave.py RUNS 'CMD1 ARG...' 'CMD2 ARG...' ...

Each command (split on spaces, no shell) runs once untimed, then RUNS times; prints the mean,
median and standard deviation of each one's wall time and its ratio to the first command's."""
import subprocess, sys, time, statistics as st
if len(sys.argv) < 3 or not sys.argv[1].isdigit() or int(sys.argv[1]) < 2:
    sys.exit("usage: interleave.py RUNS CMD...  (RUNS at least 2)")
n = int(sys.argv[1]); cmds = [c.split() for c in sys.argv[2:]]
times = [[] for _ in cmds]
for c in cmds:  # warm-up
    subprocess.run(c, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
for i in range(n):
    order = list(range(len(cmds))) if i % 2 == 0 else list(reversed(range(len(cmds))))
    for k in order:
        t = time.perf_counter()
        subprocess.run(cmds[k], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times[k].append(time.perf_counter() - t)
for k, c in enumerate(cmds):
    print("%-60s mean %8.1f ms  median %8.1f ms  sd %6.1f  (x%.2f mean, x%.2f median of the first)" % (
        " ".join(c)[-60:], 1000*st.mean(times[k]), 1000*st.median(times[k]), 1000*st.stdev(times[k]),
        st.mean(times[k])/st.mean(times[0]), st.median(times[k])/st.median(times[0])))
