#!/usr/bin/env python3
"""Per-module figures of a cargo-mutants run, for TESTING.md.

    scripts/mutants-summary.py target/mutants/core/mutants.out

Prints a Markdown table: mutants tried, caught, missed, timed out, unviable and the
share caught (of the viable ones), per file, then every missed mutant."""
import collections
import json
import sys

out = sys.argv[1] if len(sys.argv) > 1 else "target/mutants/core/mutants.out"
data = json.load(open(f"{out}/outcomes.json"))
rows = collections.OrderedDict()
missed = []
for o in data["outcomes"]:
    m = o["scenario"]
    if not isinstance(m, dict) or "Mutant" not in m:
        continue  # the unmutated baseline
    m = m["Mutant"]
    f = m["file"]
    r = rows.setdefault(f, collections.Counter())
    kind = {"CaughtMutant": "caught", "MissedMutant": "missed", "Timeout": "timeout", "Unviable": "unviable"}.get(o["summary"], o["summary"])
    r[kind] += 1
    r["tried"] += 1
    if kind == "missed":
        missed.append(m["name"])

print("| module | tried | caught | missed | timed out | unviable | caught of viable |")
print("|---|---:|---:|---:|---:|---:|---:|")
total = collections.Counter()
for f in sorted(rows):
    r = rows[f]
    total.update(r)
    viable = r["tried"] - r["unviable"]
    share = f"{100 * (r['caught'] + r['timeout']) / viable:.0f}%" if viable else "–"
    print(f"| `{f}` | {r['tried']} | {r['caught']} | {r['missed']} | {r['timeout']} | {r['unviable']} | {share} |")
viable = total["tried"] - total["unviable"]
share = f"{100 * (total['caught'] + total['timeout']) / viable:.1f}%" if viable else "–"
print(f"| **all** | {total['tried']} | {total['caught']} | {total['missed']} | {total['timeout']} | {total['unviable']} | {share} |")
print()
for name in sorted(missed):
    print(f"- missed: {name}")
