#!/usr/bin/env python3
"""Differential test of our parser against the official one (kusto-oracle.js).

Checks that `kqlcheck` (our parser's verdict) and Kusto.Language's syntax diagnostics agree
on: the shared corpus (Sentinel + conformance queries) and N mutations of it (token
deletions, insertions, swaps, truncations: mostly broken queries, to compare rejections).
Exit 1 when they disagree on any corpus query; mutations are reported (with a few
examples) but do not fail the run, since a handful of exotic forms (declare pattern
bodies, graph operators) are known to differ.

usage (module root): python3 bench/parser/differential.py [--mutations N] [--seed S]
needs node and: npm install --prefix /tmp/kustols @kusto/language-service-next@12.4.1
"""
import argparse, json, os, random, re, subprocess, sys, tempfile

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(os.path.dirname(here))
shared = os.environ.get("KQL_SHARED_DIR", os.path.join(os.path.dirname(root), "shared"))
ls_dir = os.environ.get("KUSTO_LS_DIR", "/tmp/kustols/node_modules/@kusto/language-service-next")

TOKEN = re.compile(r'\s+|//[^\n]*|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|[A-Za-z_$][\w-]*|\d+(?:\.\d+)?[a-z]*|==|!=|=~|!~|<=|>=|\.\.|=>|.', re.S)
NOISE = ['|', '(', ')', ',', ';', '=', '==', '.', '[', ']', '{', '}', 'by', 'on', 'with', 'and', 'or', 'in',
         'let', 'where', 'summarize', 'project', 'extend', '-', '*', '1', '"x"', 'x', 'kind=inner', 'asc',
         'desc', 'to', 'of', 'step', 'from', 'between', 'has', '!has', 'typeof', 'count', 'take', 'render',
         ':', 'datetime', 'dynamic']


def mutate(q, r):
    toks = TOKEN.findall(q)
    idx = [i for i, t in enumerate(toks) if t.strip() and not t.startswith('//')]
    if not idx:
        return q
    i = r.choice(idx)
    m = r.randrange(6)
    if m == 0:
        toks[i] = ''
    elif m == 1:
        toks[i] += ' ' + r.choice(NOISE)
    elif m == 2:
        toks[i] = r.choice(NOISE)
    elif m == 3:
        toks = toks[:i + 1]
    elif m == 4:
        j = r.choice(idx)
        toks[i], toks[j] = toks[j], toks[i]
    else:
        toks[i] = toks[i] + ' ' + toks[i]
    return ''.join(toks)


def verdicts(cmd, lines, env=None):
    out = subprocess.run(cmd, input=lines, capture_output=True, text=True, env=env, check=True).stdout
    return {r["id"]: r for r in map(json.loads, out.splitlines())}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mutations", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    corpus = [q["query"] for q in json.load(open(os.path.join(shared, "kql", "sentinel-queries.json")))["queries"]]
    corpus += [c["kql"] for c in json.load(open(os.path.join(shared, "kql", "conformance.json")))["cases"]]
    r = random.Random(a.seed)
    queries = [("c%d" % i, q) for i, q in enumerate(corpus)]
    queries += [("m%d" % i, mutate(r.choice(corpus), r)) for i in range(a.mutations)]
    lines = "".join(json.dumps({"id": i, "query": q}) + "\n" for i, q in queries)
    with tempfile.TemporaryDirectory() as d:
        exe = os.path.join(d, "kqlcheck")
        subprocess.run(["go", "build", "-o", exe, "./bench/parser/kqlcheck"], cwd=root, check=True)
        ours = verdicts([exe], lines)
    theirs = verdicts(["node", os.path.join(shared, "kql", "kusto-oracle.js")], lines,
                      env=dict(os.environ, KUSTO_LS_DIR=ls_dir))
    bad = {"c": [], "m": []}
    for i, q in queries:
        mine, official = ours[i]["ok"], not theirs[i]["syntax"]
        if mine != official:
            bad[i[0]].append((i, q, mine))
    for kind, name, n in (("c", "corpus", len(corpus)), ("m", "mutations", a.mutations)):
        print("%s: %d/%d agree" % (name, n - len(bad[kind]), n))
        for i, q, mine in bad[kind][:5]:
            print("  %s: we %s, the official parser %s: %r" % (i, "accept" if mine else "reject",
                  "rejects" if mine else "accepts", q[:160]))
    return 1 if bad["c"] else 0


if __name__ == "__main__":
    sys.exit(main())
