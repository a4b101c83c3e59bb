#!/usr/bin/python3
"""gitlab_job.py - the GitLab CI job docs/instructors.md gives (the yaml block after
".gitlab-ci.yml"), read with Debian's YAML parser and run here as a GitLab runner would run it.

  gitlab_job.py DOC DIR
      checks the job: one job, `grade`, with a `script` list and a JUnit report artifact kept
      `when: always`; then runs each script line in DIR as the runner does (sh -e, in order,
      stopping at the first that fails), skipping the image's own preparation (lines that start
      with apt-get: the packages are already here). Then reads the JUnit file the artifact names
      and prints "suites N tests T failures F". Exit status 1 when the job is malformed, a
      line fails or the report is not a JUnit file.
"""
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import yaml


def fail(msg):
    print("gitlab_job: " + msg, file=sys.stderr)
    sys.exit(1)


def job_from(doc):
    with open(doc) as f:
        text = f.read()
    m = re.search(r"`\.gitlab-ci\.yml`:\s*\n\s*```yaml\n(.*?)\n```", text, re.S)
    if not m:
        fail(doc + ": no yaml block after `.gitlab-ci.yml`")
    conf = yaml.safe_load(m.group(1))
    if not isinstance(conf, dict) or list(conf) != ["grade"]:
        fail("the jobs are %r, not the one 'grade'" % (list(conf) if isinstance(conf, dict) else conf))
    job = conf["grade"]
    script = job.get("script")
    if not isinstance(script, list) or not all(isinstance(s, str) for s in script):
        fail("the job's script is not a list of lines")
    art = job.get("artifacts") or {}
    if art.get("when") != "always":
        fail("the report is not kept when the job fails (artifacts: when: always)")
    junit = (art.get("reports") or {}).get("junit")
    if not isinstance(junit, str):
        fail("no artifacts: reports: junit")
    return script, junit


def main():
    if len(sys.argv) != 3:
        fail("usage: gitlab_job.py DOC DIR")
    script, junit = job_from(sys.argv[1])
    workdir = sys.argv[2]
    for line in script:
        if line.startswith("apt-get"):
            continue
        r = subprocess.run(["sh", "-e", "-c", line], cwd=workdir)
        if r.returncode != 0:
            fail("the line %r failed with status %d" % (line, r.returncode))
    try:
        root = ET.parse(os.path.join(workdir, junit)).getroot()
    except (OSError, ET.ParseError) as e:
        fail("%s: %s" % (junit, e))
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    if root.tag not in ("testsuites", "testsuite") or not suites:
        fail("%s: no testsuite" % junit)
    cases = [c for s in suites for c in s.findall("testcase")]
    failures = [c for c in cases if c.find("failure") is not None]
    print("suites %d tests %d failures %d" % (len(suites), len(cases), len(failures)))


main()
