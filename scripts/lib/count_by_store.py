"""Prints how many tests ran on each store, from pytest's JUnit XML."""

import sys
import xml.etree.ElementTree as ET

counts: dict[str, dict[str, int]] = {}
for case in ET.parse(sys.argv[1]).getroot().iter("testcase"):
    name = case.get("name", "")
    store = "sqlite" if "[sqlite" in name else "postgres" if "[postgres" in name else "no store"
    outcome = "failed" if case.find("failure") is not None or case.find("error") is not None \
        else "skipped" if case.find("skipped") is not None else "passed"
    counts.setdefault(store, {"passed": 0, "failed": 0, "skipped": 0})[outcome] += 1
for store, c in sorted(counts.items()):
    print(f"tests on {store}: {c['passed']} passed, {c['failed']} failed, {c['skipped']} skipped")
