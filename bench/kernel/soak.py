"""Soak: many executes and interrupts of long-running cells through jupyter_client.

No hang (every wait is bounded and fails loudly), no lost reply (each request gets its own
reply and idle), and the kernel's resident memory sampled every 100 executes.

    JUPYTER_PATH=.venv/share/jupyter .venv/bin/python bench/kernel/soak.py \
        [--executes 10000] [--interrupts 100] [--code 'print 1'] [--long-code '...']
"""

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import time

from jupyter_client.manager import KernelManager

TIMEOUT = 30  # seconds; a reply later than this counts as a hang


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


GC_LINE = re.compile(r"^gc \d+ @.*?(\d+)->(\d+)->(\d+) MB")


def live_heap_mb(path):
    """Live heap (MB) after the latest GC in a GODEBUG=gctrace=1 log, or None."""
    last = None
    with open(path) as f:
        for line in f:
            m = GC_LINE.match(line)
            if m:
                last = int(m.group(3))
    return last


def live_heap_floor(path):
    """The smallest live heap after GC in the first and in the last tenth of the GCs: the
    kernel's own baseline, without the garbage of a cell caught mid-run."""
    live = []
    with open(path) as f:
        for line in f:
            m = GC_LINE.match(line)
            if m:
                live.append(int(m.group(3)))
    if len(live) < 10:
        return None, None
    tenth = len(live) // 10
    return min(live[:tenth]), min(live[-tenth:])


def kernel_pid(km):
    p = km.provisioner
    return getattr(p, "pid", None) or p.process.pid


def reply_to(kc, msg_id):
    while True:
        m = kc.get_shell_msg(timeout=TIMEOUT)
        if m["parent_header"].get("msg_id") == msg_id:
            return m
        if m["msg_type"] == "kernel_info_reply":
            continue  # a late answer to wait_for_ready's repeated kernel_info
        sys.exit(f"lost reply: got a reply to {m['parent_header'].get('msg_id')} while waiting for {msg_id}")


def iopub_until(kc, msg_id, pred):
    while True:
        m = kc.get_iopub_msg(timeout=TIMEOUT)
        if m["parent_header"].get("msg_id") == msg_id and pred(m):
            return m


def is_idle(m):
    return m["msg_type"] == "status" and m["content"]["execution_state"] == "idle"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", default="kql")
    ap.add_argument("--executes", type=int, default=10000)
    ap.add_argument("--interrupts", type=int, default=100)
    ap.add_argument("--code", default="print 1")
    ap.add_argument("--long-code", default="range i from 1 to 1000000000000 step 1 | summarize count()")
    args = ap.parse_args()

    km = KernelManager(kernel_name=args.kernel)
    # Go's GC trace gives the live heap after each collection: a leak shows there first.
    gclog = tempfile.NamedTemporaryFile(prefix="kql-gctrace-", suffix=".log", delete=False)
    env = dict(os.environ, GODEBUG="gctrace=1")
    km.start_kernel(env=env, stderr=gclog)
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=TIMEOUT)
    pid = kernel_pid(km)

    every = max(1, args.executes // max(1, args.interrupts))
    rss = []
    heap = []
    interrupt_latency = []
    errors = 0
    t0 = time.perf_counter()
    for i in range(1, args.executes + 1):
        msg_id = kc.execute(args.code)
        r = reply_to(kc, msg_id)
        iopub_until(kc, msg_id, is_idle)
        if r["content"]["status"] != "ok":
            errors += 1
        if i % every == 0 and len(interrupt_latency) < args.interrupts:
            long_id = kc.execute(args.long_code)
            iopub_until(kc, long_id, lambda m: m["msg_type"] == "execute_input")
            ti = time.perf_counter()
            km.interrupt_kernel()
            r = reply_to(kc, long_id)
            interrupt_latency.append(time.perf_counter() - ti)
            iopub_until(kc, long_id, is_idle)
            if r["content"]["status"] != "error":
                sys.exit(f"long cell was not interrupted: {r['content']}")
        if i % 100 == 0:
            rss.append((i, rss_kib(pid)))
            heap.append((i, live_heap_mb(gclog.name)))
        if i % 1000 == 0:
            print(f"{i} executes, {len(interrupt_latency)} interrupts, rss {rss[-1][1]} KiB", flush=True)
    elapsed = time.perf_counter() - t0
    # The heartbeat still answers and the kernel shuts down on request.
    alive = km.is_alive()
    kc.stop_channels()
    ts = time.perf_counter()
    km.shutdown_kernel(now=False)
    shutdown_s = time.perf_counter() - ts
    lat = sorted(interrupt_latency)
    # RSS is noisy (an interrupted cell leaves garbage until the next GC), so compare the
    # median of the samples in the first thousand executes with that of the last thousand.
    first = [r for i, r in rss if i <= 1000]
    last = [r for i, r in rss if i > args.executes - 1000]
    summary = {
        "kernel": args.kernel,
        "executes": args.executes,
        "failed_executes": errors,
        "interrupts": len(lat),
        "elapsed_s": round(elapsed, 2),
        "rss_kib_median_first_1000": statistics.median(first) if first else None,
        "rss_kib_median_last_1000": statistics.median(last) if last else None,
        "rss_kib_min": min(r for _, r in rss) if rss else None,
        "live_heap_mb_floor_first_last_tenth": live_heap_floor(gclog.name),
        "live_heap_mb_max": max((h for _, h in heap if h is not None), default=None),
        "gc_log": gclog.name,
        "rss_kib_max": max(r for _, r in rss) if rss else None,
        "interrupt_p50_ms": round(statistics.median(lat) * 1e3, 2) if lat else None,
        "interrupt_max_ms": round(lat[-1] * 1e3, 2) if lat else None,
        "alive_at_end": alive,
        "shutdown_s": round(shutdown_s, 3),
    }
    print(json.dumps(summary))
    if errors:
        sys.exit(f"{errors} executes of {args.code!r} did not succeed")


if __name__ == "__main__":
    main()
