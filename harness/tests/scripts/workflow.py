#!/usr/bin/python3
"""workflow.py - forklab's GitHub Classroom workflow (harness/tools/classroom.yml) read with
Debian's YAML parser and run here as a runner would run it.

  workflow.py check FILE
      the names GitHub Classroom requires (workflow "Autograding Tests", one job
      "run-autograding-tests"), and the grading reporter's step wired to a step that writes
      the runner result: for each runner R of its `runners`, an env R_RESULTS (upper case)
      reading that step's output.
  workflow.py run FILE DIR [NAME=VALUE...]
      runs each `run:` step in DIR as GitHub does (bash --noprofile --norc -eo pipefail, the
      workflow's, job's and step's env with NAME=VALUE overriding, GITHUB_OUTPUT), then does
      what the reporter does with what they wrote: decodes each runner's result and prints
      "points SCORE/MAX status STATUS tests N" (sum of tests[].score over max_score, as it
      reports to GitHub Classroom). Exit status 1 when a step or the result fails.
"""
import base64
import json
import os
import re
import subprocess
import sys
import tempfile

import yaml

REPORTER = "autograding-grading-reporter@"


def fail(msg):
    print("workflow: " + msg, file=sys.stderr)
    sys.exit(1)


def load(path):
    with open(path) as f:
        wf = yaml.safe_load(f)
    if not isinstance(wf, dict):
        fail(path + ": not a mapping")
    return wf


def the_job(wf):
    if wf.get("name") != "Autograding Tests":
        fail("the workflow is named %r, not 'Autograding Tests'" % wf.get("name"))
    jobs = wf.get("jobs") or {}
    if list(jobs) != ["run-autograding-tests"]:
        fail("the jobs are %r, not the one 'run-autograding-tests'" % list(jobs))
    return jobs["run-autograding-tests"]


def reporter_step(job):
    steps = [s for s in job.get("steps", []) if REPORTER in str(s.get("uses", ""))]
    if len(steps) != 1:
        fail("%d grading reporter steps, not 1" % len(steps))
    return steps[0]


def wiring(job):
    """Per runner: (the step id, the output name) its R_RESULTS env reads."""
    rep = reporter_step(job)
    runners = str((rep.get("with") or {}).get("runners", "")).split(",")
    if not re.fullmatch(r"([a-zA-Z0-9]+,)*[a-zA-Z0-9]+", ",".join(r.strip() for r in runners)):
        fail("runners %r is not a comma-separated list of ids" % runners)
    env = rep.get("env") or {}
    ids = [s.get("id") for s in job["steps"]]
    out = {}
    for r in runners:
        r = r.strip()
        val = env.get(r.upper() + "_RESULTS")
        m = re.fullmatch(r"\$\{\{\s*steps\.([\w-]+)\.outputs\.([\w-]+)\s*\}\}", str(val))
        if not m:
            fail("the reporter's %s_RESULTS is %r, not a step's output" % (r.upper(), val))
        if m.group(1) not in ids:
            fail("no step with id %s" % m.group(1))
        out[r] = (m.group(1), m.group(2))
    return out


def run(path, workdir, overrides):
    wf = load(path)
    job = the_job(wf)
    wired = wiring(job)
    outputs = {}
    for step in job["steps"]:
        if "run" not in step:
            continue
        env = dict(os.environ)
        for layer in (wf.get("env"), job.get("env"), step.get("env")):
            env.update({k: str(v) for k, v in (layer or {}).items()})
        env.update(overrides)
        with tempfile.NamedTemporaryFile("r", prefix="forklab-ghout-") as out:
            env["GITHUB_OUTPUT"] = out.name
            done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c",
                                   step["run"]], cwd=workdir, env=env)
            if done.returncode != 0:
                fail("step %r exited %d" % (step.get("name"), done.returncode))
            values = {}
            for line in out.read().splitlines():
                if "=" in line:
                    k, v = line.split("=", 1)
                    values[k] = v
            if step.get("id"):
                outputs[step["id"]] = values
    for runner, (sid, name) in wired.items():
        encoded = outputs.get(sid, {}).get(name)
        if not encoded:
            fail("step %s wrote no output %s" % (sid, name))
        result = json.loads(base64.b64decode(encoded, validate=True))
        tests = result["tests"]
        for t in tests:
            for key in ("name", "status", "score", "message"):
                if key not in t:
                    fail("a test of %s has no %s" % (runner, key))
        score = sum(t["score"] for t in tests)
        print("points %d/%d status %s tests %d" % (score, result["max_score"],
                                                   result["status"], len(tests)))


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "check":
        wiring(the_job(load(sys.argv[2])))
        print("ok")
    elif len(sys.argv) >= 4 and sys.argv[1] == "run":
        run(sys.argv[2], sys.argv[3], dict(a.split("=", 1) for a in sys.argv[4:]))
    else:
        fail("usage: workflow.py check FILE | run FILE DIR [NAME=VALUE...]")


main()
