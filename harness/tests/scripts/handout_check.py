#!/usr/bin/env python3
"""handout_check.py - what the handout test asks of a students' tree, in two commands:

  handout_check.py solutions ROOT TREE
      Searches TREE for each reference solution of ROOT (solutions/NN-topic/FILE.c): for every
      line the solution has where the starter (labs/NN-topic/FILE.c) differs, that line with
      the lines around it (whitespace aside), unless ROOT's labs/ or docs/ hand it out on
      purpose (a later lab's starter may give an earlier answer away). Prints each file of TREE holding one and exits 1;
      exits 2 when a solution gives nothing to search for (the search would prove nothing).
  handout_check.py workflow FILE
      Reads the GitHub workflow FILE (YAML): GitHub Classroom's names (the workflow "Autograding
      Tests", the job "run-autograding-tests"), every step named, the grading reporter fed by
      a step whose run calls forklab grade --format classroom. Prints each run step's command,
      NUL-terminated, for the test to run in order."""
import difflib
import os
import sys


def norm(lines):
    return [l.strip() for l in lines]


def windows(solution, starter):
    sol = norm(open(solution, errors="replace").read().splitlines())
    old = norm(open(starter, errors="replace").read().splitlines()) if os.path.exists(starter) else []
    found = []
    sm = difflib.SequenceMatcher(None, old, sol, autojunk=False)
    for tag, _i1, _i2, j1, j2 in sm.get_opcodes():
        if tag in ("replace", "insert"):
            lo, hi = max(0, j1 - 1), min(len(sol), j2 + 1)
            found.append("\n".join(sol[lo:hi]))
    return found


def tree_files(tree):
    for top, dirs, files in os.walk(tree):
        dirs[:] = [d for d in dirs if d not in (".git", "build")]
        for f in files:
            path = os.path.join(top, f)
            try:
                with open(path, errors="replace") as fh:
                    yield path, "\n".join(norm(fh.read().splitlines()))
            except OSError:
                continue


def check_solutions(root, tree):
    # What the course hands out on purpose (a later lab's starter may give an earlier answer
    # away) is no secret: such a window is not searched for.
    given = [t for d in ("labs", "docs") for _p, t in tree_files(os.path.join(root, d))]
    sols = []
    soldir = os.path.join(root, "solutions")
    for lab in sorted(os.listdir(soldir)):
        if not lab[:2].isdigit() or not os.path.isdir(os.path.join(soldir, lab)):
            continue
        for f in sorted(os.listdir(os.path.join(soldir, lab))):
            if f.endswith(".c"):
                w = windows(os.path.join(soldir, lab, f), os.path.join(root, "labs", lab, f))
                w = [x for x in w if not any(x in t for t in given)]
                if not w:
                    print("nothing to search for in solutions/%s/%s" % (lab, f))
                    return 2
                sols.append(("%s/%s" % (lab, f), w))
    status = 0
    for path, text in tree_files(tree):
        for name, ws in sols:
            if any(w in text for w in ws):
                print("%s holds lines of solutions/%s" % (path, name))
                status = 1
    return status


def check_workflow(path):
    import yaml
    wf = yaml.safe_load(open(path))
    assert wf.get("name") == "Autograding Tests", "the workflow is not named Autograding Tests"
    job = wf.get("jobs", {}).get("run-autograding-tests")
    assert job, "no job run-autograding-tests"
    steps = job.get("steps", [])
    assert steps, "no steps"
    grading, reporter = None, None
    for s in steps:
        assert s.get("name"), "a step without a name: %r" % s
        if "forklab grade" in s.get("run", "") and "--format classroom" in s["run"]:
            grading = s
        if s.get("uses", "").startswith("classroom-resources/autograding-grading-reporter@"):
            reporter = s
    assert grading and grading.get("id"), "no step (with an id) runs forklab grade --format classroom"
    assert reporter, "no grading reporter step"
    runners = reporter.get("with", {}).get("runners", "")
    for r in runners.split(","):
        r = r.strip()
        want = "${{ steps.%s.outputs.result }}" % grading["id"]
        assert reporter.get("env", {}).get(r.upper() + "_RESULTS") == want, \
            "the reporter's %s_RESULTS is not %s" % (r.upper(), want)
    for s in steps:
        if "run" in s:
            sys.stdout.write(s["run"] + "\0")
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "solutions":
        sys.exit(check_solutions(sys.argv[2], sys.argv[3]))
    if len(sys.argv) == 3 and sys.argv[1] == "workflow":
        try:
            sys.exit(check_workflow(sys.argv[2]))
        except AssertionError as e:
            print("workflow: %s" % e, file=sys.stderr)
            sys.exit(1)
    print(__doc__, file=sys.stderr)
    sys.exit(2)
