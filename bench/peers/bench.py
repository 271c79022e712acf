"""kqlkernel against Kqlmagic, the same jupyter_client code driving both, in one run.

Both query the same `kqlkernel serve` over the Log Analytics API (URL and key from run.sh).
Per repetition (scenarios interleaved, so machine load falls on both alike), each scenario:

  1. spawns its kernel and runs its cells; time to first result = start_kernel() to the first
     iopub output of the last cell that shows the `SecurityEvent | take 1` row, and to idle;
  2. in the same kernel, warm round trips (execute_request sent -> status idle) of
     `SecurityEvent | summarize count() by EventID` and `SecurityEvent | take 10000`;
  3. the kernel process's peak RSS (VmHWM) and CPU time (utime+stime) after those queries;
  4. what each displayed: data rows in the HTML, the row count each states, output size.

    .venv/bin/python bench/peers/bench.py --url http://127.0.0.1:PORT --key KEY [--reps 5]

Kqlmagic runs in ipykernel from .venv-kqlmagic (a kernelspec written into a temp JUPYTER_PATH)
with its defaults, except the two start-up fetches from the internet (PyPI version check,
GitHub HISTORY.md), which are switched off so that a run makes no outside requests; and a
second time "tuned" (KQLMAGIC_TUNED below) to show its best case.
"""

import argparse
import html
import json
import os
import re
import statistics
import sys
import tempfile
import time
from html.parser import HTMLParser
from queue import Empty

from jupyter_client.manager import KernelManager

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
KEY_COLUMN = "EventID"  # a column of SecurityEvent both tables show in their header
QUERIES = {
    "summarize": "SecurityEvent | summarize count() by EventID",
    "take10k": "SecurityEvent | take 10000",
}
CELL_TIMEOUT = 600


# Kqlmagic's defaults, minus the two start-up fetches from the internet.
KQLMAGIC_DEFAULTS = "check_magic_version=False;show_what_new=False"
# And set up like kqlkernel's defaults: 100 rows displayed, and no Help-menu items, whose
# NOTEBOOK_URL discovery sleeps up to 5 s in the first %kql (kql_magic_core.py:1300).
KQLMAGIC_TUNED = KQLMAGIC_DEFAULTS + ";enable_add_items_to_help=False;display_limit=100"


def kqlmagic_spec(root, python, home, name="kqlmagic", config=KQLMAGIC_DEFAULTS):
    d = os.path.join(root, "kernels", name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "kernel.json"), "w") as f:
        json.dump(
            {
                "argv": [python, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "Python (Kqlmagic venv)",
                "language": "python",
                "env": {
                    "MPLBACKEND": "Agg",
                    "HOME": home,
                    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
                    "KQLMAGIC_CONFIGURATION": config,
                },
            },
            f,
        )


def scenarios(url, key):
    la = "loganalytics://workspace='DEMO_WORKSPACE';appkey='%s'" % key
    return {
        "kqlkernel-demo": ("kql", ["SecurityEvent | take 1"], lambda q: q),
        "kqlkernel-la": ("kql", ["%%kql %s;endpoint='%s/v1'" % (la, url), "SecurityEvent | take 1"], lambda q: q),
        "kqlmagic-la": (
            "kqlmagic",
            ["%reload_ext Kqlmagic", "%%kql %s;alias='served';data_source_url='%s'" % (la, url), "%kql SecurityEvent | take 1"],
            lambda q: "%kql " + q,
        ),
        "kqlmagic-la-tuned": (
            "kqlmagic-tuned",
            ["%reload_ext Kqlmagic", "%%kql %s;alias='served';data_source_url='%s'" % (la, url), "%kql SecurityEvent | take 1"],
            lambda q: "%kql " + q,
        ),
    }


class Rows(HTMLParser):
    """Counts table rows with data cells, and keeps the cell texts of the first few."""

    def __init__(self, keep=100):
        super().__init__()
        self.rows, self.keep, self.cells, self.row, self.cell, self.header = 0, keep, [], None, None, []
        self.in_th = False

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.row = []
        elif tag == "td" and self.row is not None:
            self.cell = []
        elif tag == "th":
            self.in_th, self.cell = True, []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            text = "".join(self.cell).strip()
            if self.in_th:
                self.header.append(text)
            elif self.row is not None:
                self.row.append(text)
            self.cell, self.in_th = None, False
        elif tag == "tr" and self.row is not None:
            if self.row:
                self.rows += 1
                if len(self.cells) < self.keep:
                    self.cells.append(self.row)
            self.row = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def text_of(content):
    data = content.get("data", {})
    return data.get("text/html") or data.get("text/plain") or ""


def run_cell(kc, code, t_origin=None):
    """Executes code; returns the time from t_origin (or the send) to the first output showing
    KEY_COLUMN and to idle, the outputs, and errors."""
    t0 = time.perf_counter()
    origin = t0 if t_origin is None else t_origin
    msg_id = kc.execute(code)
    first, outputs, errors = None, [], []
    while True:
        m = kc.get_iopub_msg(timeout=CELL_TIMEOUT)
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        t, c = m["msg_type"], m["content"]
        if t in ("display_data", "execute_result", "update_display_data"):
            outputs.append(c)
            if first is None and KEY_COLUMN in text_of(c):
                first = time.perf_counter() - origin
        elif t == "stream":
            outputs.append({"data": {"text/plain": c["text"]}})
        elif t == "error":
            errors.append("%s: %s" % (c["ename"], c["evalue"]))
        elif t == "status" and c["execution_state"] == "idle":
            idle = time.perf_counter() - origin
            break
    while True:
        r = kc.get_shell_msg(timeout=CELL_TIMEOUT)
        if r["parent_header"].get("msg_id") == msg_id:
            break
    if r["content"]["status"] != "ok":
        errors.append("reply status %s" % r["content"]["status"])
    return {"first": first, "idle": idle, "outputs": outputs, "errors": errors}


def start(kernel, cwd):
    t0 = time.perf_counter()
    km = KernelManager(kernel_name=kernel)
    km.start_kernel(cwd=cwd)
    kc = km.client()
    kc.start_channels()
    # As bench/kernel/bench.py: ask again each second, a request sent before the kernel
    # listens can be lost.
    sent = set()
    deadline = time.time() + 120
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
    return t0, time.perf_counter() - t0, km, kc


def proc_stats(pid):
    """Peak and current RSS (MB) and CPU seconds of a process."""
    out = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in ("VmHWM", "VmRSS"):
                out[k] = int(v.split()[0]) / 1024
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    out["cpu_s"] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return out


def describe(cell):
    """What a cell displayed: data rows in its HTML tables, the row counts it states, bytes."""
    rows, stated, size, notes, sample = 0, [], 0, [], None
    for c in cell["outputs"]:
        t = text_of(c)
        size += len(t.encode())
        p = Rows()
        p.feed(t)
        if p.rows and KEY_COLUMN in t:
            rows += p.rows
            sample = sample or {"header": p.header, "rows": p.cells}
        plain = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", t)))
        for pat in (r"showing \d+ of \d+ rows", r"\d[\d,]* records?", r"\d+ rows, truncated[^.<]*", r"\d[\d,]* rows?\b"):
            for s in re.findall(pat, plain):
                if s not in stated:
                    stated.append(s)
        if "Truncated" in plain or "truncat" in plain.lower():
            notes.append("mentions truncation")
    return {"html_rows": rows, "stated": stated[:6], "bytes": size, "errors": cell["errors"], "notes": sorted(set(notes)), "sample": sample}


def counts_by_eventid(sample):
    """{EventID: count} from a summarize table's displayed cells."""
    if not sample:
        return {}
    h = sample["header"]
    rows = sample["rows"]
    # Kqlmagic's prettytable HTML may number its rows; find the two columns by the header.
    try:
        i = h.index("EventID")
        j = len(h) - 1
    except ValueError:
        return {}
    off = len(rows[0]) - len(h) if rows else 0
    return {r[i + off].replace(",", ""): r[j + off].replace(",", "") for r in rows if len(r) > j + off}


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def load():
    with open("/proc/loadavg") as f:
        return [float(x) for x in f.read().split()[:3]]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True, help="kqlkernel serve base URL, without /v1")
    ap.add_argument("--key", required=True)
    ap.add_argument("--reps", type=int, default=5, help="cold starts per scenario")
    ap.add_argument("--warm", type=int, default=3, help="timed warm executes per query per start")
    ap.add_argument("--only", default="", help="comma-separated scenario names")
    ap.add_argument("--serve-pid", type=int, default=0)
    ap.add_argument("--kqlmagic-python", default=os.path.join(ROOT, ".venv-kqlmagic", "bin", "python"))
    ap.add_argument("--json", default="", help="write all measurements here")
    args = ap.parse_args()

    root = tempfile.mkdtemp(prefix="kqlpeers-")
    home = os.path.join(root, "home")
    cwd = os.path.join(root, "cwd")
    os.makedirs(home)
    os.makedirs(cwd)
    kqlmagic_spec(root, args.kqlmagic_python, home)
    kqlmagic_spec(root, args.kqlmagic_python, home, "kqlmagic-tuned", KQLMAGIC_TUNED)
    os.environ["JUPYTER_PATH"] = root + os.pathsep + os.environ.get("JUPYTER_PATH", os.path.join(ROOT, ".venv", "share", "jupyter"))

    sc = scenarios(args.url.rstrip("/"), args.key)
    if args.only:
        sc = {k: v for k, v in sc.items() if k in args.only.split(",")}
    res = {k: {"first": [], "idle": [], "ready": [], "rt": {q: [] for q in QUERIES}, "rss": [], "rss_first": [], "rss_summarize": [], "cpu": [], "cpu_first": [], "shown": {}} for k in sc}
    loads = [("start", time.strftime("%H:%M:%S", time.gmtime()), load())]

    # rep 0 warms caches (IPython's profile in HOME, .pyc files, the page cache) and is not counted.
    for rep in range(args.reps + 1):
        for name, (kernel, cells, wrap) in sc.items():
            serve0 = proc_stats(args.serve_pid)["cpu_s"] if args.serve_pid else 0
            t0, ready, km, kc = start(kernel, cwd)
            try:
                setup = []
                for code in cells[:-1]:
                    c = run_cell(kc, code)
                    if c["errors"]:
                        sys.exit("%s: %r failed: %s" % (name, code, c["errors"]))
                    setup.append({"idle_ms": round(c["idle"] * 1e3), "outputs": len(c["outputs"]), "bytes": sum(len(text_of(o).encode()) for o in c["outputs"]),
                                  "text": re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", " ".join(text_of(o) for o in c["outputs"]))))[:300]})
                last = run_cell(kc, cells[-1], t_origin=t0)
                if last["errors"] or last["first"] is None:
                    sys.exit("%s: no result from %r: %s %s" % (name, cells[-1], last["errors"], describe(last)))
                shown = {"take1": describe(last)}
                phase = {"first": proc_stats(km.provisioner.pid)}
                rts = {}
                for q, code in QUERIES.items():
                    rts[q] = []
                    for i in range(args.warm + 1):  # the first is a warm-up
                        c = run_cell(kc, wrap(code))
                        if c["errors"]:
                            sys.exit("%s: %r failed: %s" % (name, code, c["errors"]))
                        if i:
                            rts[q].append(c["idle"])
                    shown[q] = describe(c)
                    phase[q] = proc_stats(km.provisioner.pid)
                st = phase[q]
            finally:
                kc.stop_channels()
                km.shutdown_kernel(now=False)
            serve_cpu = (proc_stats(args.serve_pid)["cpu_s"] - serve0) if args.serve_pid else None
            r = res[name]
            line = {
                "rep": rep,
                "ready_ms": round(ready * 1e3),
                "first_ms": round(last["first"] * 1e3),
                "idle_ms": round(last["idle"] * 1e3),
                "rt_ms": {q: [round(x * 1e3) for x in v] for q, v in rts.items()},
                "peak_rss_mb": {k: round(v["VmHWM"]) for k, v in phase.items()},
                "kernel_cpu_s": {k: round(v["cpu_s"], 2) for k, v in phase.items()},
                "serve_cpu_s": serve_cpu,
                "load": load()[0],
                "setup": setup,
            }
            print(name, json.dumps(line), flush=True)
            if rep == 0:
                continue
            r["ready"].append(ready)
            r["first"].append(last["first"])
            r["idle"].append(last["idle"])
            for q in QUERIES:
                r["rt"][q] += rts[q]
            r["rss"].append(st["VmHWM"])
            r["rss_first"].append(phase["first"]["VmHWM"])
            r["rss_summarize"].append(phase["summarize"]["VmHWM"])
            r["cpu"].append(st["cpu_s"])
            r["cpu_first"].append(phase["first"]["cpu_s"])
            r["shown"] = shown
        loads.append(("rep %d" % rep, time.strftime("%H:%M:%S", time.gmtime()), load()))

    summary = {}
    for name, r in res.items():
        if not r["first"]:
            continue
        s = {
            "n": len(r["first"]),
            "ready_p50_ms": statistics.median(r["ready"]) * 1e3,
            "first_p50_ms": statistics.median(r["first"]) * 1e3,
            "first_max_ms": max(r["first"]) * 1e3,
            "idle_p50_ms": statistics.median(r["idle"]) * 1e3,
            "peak_rss_p50_mb": statistics.median(r["rss"]),
            "peak_rss_max_mb": max(r["rss"]),
            "peak_rss_after_first_p50_mb": statistics.median(r["rss_first"]),
            "peak_rss_after_summarize_p50_mb": statistics.median(r["rss_summarize"]),
            "kernel_cpu_p50_s": statistics.median(r["cpu"]),
            "kernel_cpu_to_first_p50_s": statistics.median(r["cpu_first"]),
        }
        for q, xs in r["rt"].items():
            s[q + "_n"] = len(xs)
            s[q + "_p50_ms"] = pct(xs, 50) * 1e3
            s[q + "_max_ms"] = max(xs) * 1e3
        summary[name] = s
        print("SUMMARY", name, json.dumps({k: round(v, 1) if isinstance(v, float) else v for k, v in s.items()}), flush=True)
        for q, d in r["shown"].items():
            print("SHOWN", name, q, json.dumps({k: v for k, v in d.items() if k != "sample"}), flush=True)
    # Fidelity: the summarize's (EventID, count) pairs as each displayed them.
    by = {n: counts_by_eventid(r["shown"].get("summarize", {}).get("sample")) for n, r in res.items() if r["shown"]}
    names = [n for n in by if by[n]]
    for a in names:
        for b in names:
            if a < b:
                print("AGREE summarize %s vs %s: %s (%d vs %d groups)" % (a, b, by[a] == by[b], len(by[a]), len(by[b])))
    # Fidelity: the `take 1` row's cells as each displayed them (same server, same row).
    for a, b in (("kqlkernel-la", "kqlmagic-la"), ("kqlkernel-la", "kqlmagic-la-tuned")):
        sa, sb = (res[n]["shown"].get("take1", {}).get("sample") if n in res else None for n in (a, b))
        if sa and sb and sa["header"] == sb["header"]:
            diff = [(h, x, y) for h, x, y in zip(sa["header"], sa["rows"][0], sb["rows"][0]) if x != y]
            print("TAKE1 %s vs %s: %d columns, %d displayed differently" % (a, b, len(sa["header"]), len(diff)))
            for h, x, y in diff:
                print("  %s: %r | %r" % (h, x[:80], y[:80]))
        elif sa and sb:
            print("TAKE1 %s vs %s: headers differ: %r | %r" % (a, b, sa["header"][:10], sb["header"][:10]))
    print("LOAD", json.dumps(loads))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"summary": summary, "raw": res, "loads": loads, "eventid_counts": by}, f, default=str)


if __name__ == "__main__":
    main()
