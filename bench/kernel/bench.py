"""Cold start and execute round trip: kqlkernel against Debian's ipykernel, same client code.

Cold start: spawn (KernelManager.start_kernel) to the first kernel_info_reply, through
jupyter_client. Round trip: execute_request sent to status idle received, for a trivial cell.

    JUPYTER_PATH=.venv/share/jupyter .venv/bin/python bench/kernel/bench.py [--starts 20] [--executes 500]
"""

import argparse
import json
import os
import signal
import statistics
import sys
import tempfile
import time
from queue import Empty

from jupyter_client.manager import KernelManager

# kernel name -> a trivial cell with a result
KERNELS = {
    "kql": "print 1",
    "debian-ipykernel": "1",
}


def debian_ipykernel_spec(root):
    """A kernelspec for Debian's ipykernel (/usr/bin/python3), so the venv's doesn't shadow it."""
    d = os.path.join(root, "kernels", "debian-ipykernel")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "kernel.json"), "w") as f:
        json.dump(
            {
                "argv": ["/usr/bin/python3", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "Debian ipykernel",
                "language": "python",
            },
            f,
        )


def wait_reply(kc, msg_id, timeout=60):
    while True:
        m = kc.get_shell_msg(timeout=timeout)
        if m["parent_header"].get("msg_id") == msg_id:
            return m


def wait_idle(kc, msg_id, timeout=60):
    while True:
        m = kc.get_iopub_msg(timeout=timeout)
        if (
            m["parent_header"].get("msg_id") == msg_id
            and m["msg_type"] == "status"
            and m["content"]["execution_state"] == "idle"
        ):
            return


def cold_start(name):
    t0 = time.perf_counter()
    km = KernelManager(kernel_name=name)
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    # Like jupyter_client's wait_for_ready, ask again each second: a request sent before the
    # kernel listens can be lost (Debian's ipykernel under load lost one for a minute).
    sent = set()
    deadline = time.time() + 60
    while True:
        sent.add(kc.kernel_info())
        try:
            m = kc.get_shell_msg(timeout=1)
        except Empty:
            if time.time() > deadline:
                raise
            continue
        if m["parent_header"].get("msg_id") in sent:
            break
    elapsed = time.perf_counter() - t0
    return elapsed, km, kc


def stop(km, kc):
    kc.stop_channels()
    km.shutdown_kernel(now=False)


def round_trips(km, kc, code, n, warmup=20):
    """Round trip times of n executes, and how many lost their idle status (counted, not
    timed: under heavy load Debian's ipykernel 6.17 once dropped one)."""
    times, lost = [], 0
    for i in range(n + warmup):
        t0 = time.perf_counter()
        msg_id = kc.execute(code)
        try:
            wait_idle(kc, msg_id)
        except Empty:
            lost += 1
            print(f"{km.kernel_name}: no idle for execute {i} within 60 s", file=sys.stderr)
            if km.kernel_name == "kql":  # a Go kernel dumps its goroutines on SIGQUIT
                os.kill(km.provisioner.pid, signal.SIGQUIT)
                raise
        dt = time.perf_counter() - t0
        reply = wait_reply(kc, msg_id)
        if reply["content"]["status"] != "ok":
            sys.exit(f"{code!r} failed: {reply['content']}")
        if i >= warmup:
            times.append(dt)
    return times, lost


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--starts", type=int, default=20)
    ap.add_argument("--executes", type=int, default=500)
    args = ap.parse_args()

    root = tempfile.mkdtemp(prefix="kqlbench-")
    debian_ipykernel_spec(root)
    os.environ["JUPYTER_PATH"] = root + os.pathsep + os.environ.get("JUPYTER_PATH", "")

    results = {}
    for name, code in KERNELS.items():
        starts = []
        for _ in range(args.starts):
            t, km, kc = cold_start(name)
            starts.append(t)
            stop(km, kc)
        _, km, kc = cold_start(name)
        rts, lost = round_trips(km, kc, code, args.executes)
        stop(km, kc)
        results[name] = {
            "start_p50_ms": statistics.median(starts) * 1e3,
            "start_min_ms": min(starts) * 1e3,
            "start_p90_ms": pct(starts, 90) * 1e3,
            "rt_p50_ms": pct(rts, 50) * 1e3,
            "rt_p99_ms": pct(rts, 99) * 1e3,
            "starts": len(starts),
            "executes": len(rts),
            "lost_idle": lost,
            "code": code,
        }
        print(name, json.dumps(results[name]), flush=True)
    k, p = results["kql"], results["debian-ipykernel"]
    print(
        "ratios: start %.1fx faster, round trip p50 %.1fx faster"
        % (p["start_p50_ms"] / k["start_p50_ms"], p["rt_p50_ms"] / k["rt_p50_ms"])
    )
    print(json.dumps(results))


if __name__ == "__main__":
    main()
