#!/usr/bin/env python3
"""Statements of a dispatch bench run by kind, from the cluster's log of a `--pg-log` run kept with BENCH_KEEP=1:
   python3 bench/dispatch/pg-statements.py /tmp/survey-dispatch-bench-PID/pg.log INVITATIONS
Counts the executions (extended protocol: execute; simple protocol: statement) and their server-side time; the bench's own
polling (bench_set) and the ALTER SYSTEM lines are left out. INVITATIONS: how many were sent while logging (warm-up, A and B)."""
import re, sys, collections
log, sent = sys.argv[1], int(sys.argv[2])
count, ms = collections.Counter(), collections.Counter()
for line in open(log, errors='replace'):
    m = re.search(r'duration: ([\d.]+) ms\s+(execute|statement)[^:]*:\s*(.*)', line)
    if not m or 'bench_set' in line or 'alter system' in line or 'pg_reload_conf' in line: continue
    key = re.sub(r'\s+', ' ', m.group(3))[:100]
    count[key] += 1; ms[key] += float(m.group(1))
print(f"| statement | executions | per invitation | server ms per invitation |\n| --- | ---: | ---: | ---: |")
for key, c in sorted(count.items(), key=lambda kv: -ms[kv[0]])[:15]:
    print(f"| `{key}` | {c:,} | {c / sent:.3f} | {ms[key] / sent:.3f} |")
print(f"| **all** | {sum(count.values()):,} | **{sum(count.values()) / sent:.2f}** | **{sum(ms.values()) / sent:.3f}** |")
