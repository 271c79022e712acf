"""Kqlmagic (the Jupyter magic this kernel's syntax follows) against `kqlkernel serve`.

Kqlmagic needs IPython, pandas, plotly and older matplotlib/prettytable, so it lives in a
venv of its own; this test runs that venv's Python with a script that drives `%kql` in an
IPython shell. Verified with (python3 -m venv .venv-kqlmagic; pip install ...):

    Kqlmagic==0.1.114.post26 prettytable==3.11.0 matplotlib==3.8.4 nbformat==5.10.4

(newer prettytable drops the DEFAULT style and newer matplotlib drops cm.get_cmap, both of
which Kqlmagic uses; plotly needs nbformat). The test is skipped when that venv is missing:
point KQLMAGIC_PYTHON at its python, or create .venv-kqlmagic at the repository root.

Kqlmagic sends `Prefer: ai.response-thinning=false` and reads the Kusto v1 layout, so this
covers the server's second wire format, with an API key (x-api-key) over plain http.
"""

import json
import os
import re
import subprocess
import threading
import time

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
KEY = "kqlmagic-key"

SCRIPT = r'''
import json, re, sys, html
from IPython.core.interactiveshell import InteractiveShell
ip = InteractiveShell.instance()
shown = []
def publish(data, metadata=None, **kw):
    t = data.get("text/html") or data.get("text/plain") or ""
    text = html.unescape(re.sub(r"<[^>]+>", " ", t)).replace("\xa0", " ")
    shown.append(re.sub(r"\s+", " ", text))
ip.display_pub.publish = publish
ip.run_line_magic("reload_ext", "Kqlmagic")
ip.run_line_magic("config", "Kqlmagic.auto_popup_schema=False")
ip.run_line_magic("config", "Kqlmagic.short_errors=False")
url, key = sys.argv[1], sys.argv[2]
out = {}
r = ip.run_line_magic("kql", "loganalytics://workspace='DEMO_WORKSPACE';appkey='%s';alias='served';data_source_url='%s' "
                      "SecurityEvent | summarize n=count() by EventID | top 3 by n" % (key, url))
out["top"] = r.to_dataframe().to_dict("records")
r = ip.run_line_magic("kql", "print l=9007199254740993, dt=datetime(2024-01-02 03:04:05.1234567), ts=time(1.02:03:04), "
                      "d=dynamic({'a':[1,{'b':null}]}), g=guid(74be27de-1e4e-49d9-b579-fe0b331d3642), r=2.0, b=true")
row = r.to_dataframe().iloc[0].to_dict()
out["types"] = {k: [type(v).__name__, str(v)] for k, v in row.items()}
out["dynamic"] = row["d"]
r = ip.run_line_magic("kql", "SecurityEvent | summarize n=count() by bin(TimeGenerated, 1d) | render timechart with (title='Daily')")
out["chart"] = [r.visualization, r.title, len(r)]
shown.clear()
ip.run_line_magic("kql", "SecurityEvent | wher EventID == 4625")
out["error"] = " ".join(shown)
print("RESULT " + json.dumps(out))
'''


def _kqlmagic_python():
    for p in (os.environ.get("KQLMAGIC_PYTHON"), os.path.join(ROOT, ".venv-kqlmagic", "bin", "python")):
        if p and os.path.exists(p):
            return p
    return None


@pytest.fixture(scope="module")
def served():
    exe = os.path.join(ROOT, "bin", "kqlkernel")
    if not os.path.exists(exe):
        pytest.fail("bin/kqlkernel is not built (make build)")
    proc = subprocess.Popen([exe, "serve", "--addr", "127.0.0.1:0", "--api-key", KEY, "--quiet"], stderr=subprocess.PIPE, text=True)
    url = None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        m = re.search(r"listening on (http://\S+)/v1", line)
        if m:
            url = m.group(1)
            break
    if url is None:
        proc.kill()
        pytest.fail("kqlkernel serve did not start")
    threading.Thread(target=proc.stderr.read, daemon=True).start()
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def test_kqlmagic_against_serve(served, tmp_path):
    py = _kqlmagic_python()
    if py is None:
        pytest.fail("no Kqlmagic venv (.venv-kqlmagic or KQLMAGIC_PYTHON): make kqlmagic-venv")
    script = tmp_path / "drive_kqlmagic.py"
    script.write_text(SCRIPT)
    env = dict(os.environ, HOME=str(tmp_path), MPLBACKEND="Agg")
    proc = subprocess.run([py, str(script), served, KEY], capture_output=True, text=True, timeout=300, env=env, cwd=str(tmp_path))
    lines = [l for l in proc.stdout.splitlines() if l.startswith("RESULT ")]
    assert lines, "Kqlmagic script failed:\n" + proc.stdout[-3000:] + proc.stderr[-3000:]
    out = json.loads(lines[-1][len("RESULT "):])

    assert len(out["top"]) == 3 and all(r["n"] > 0 for r in out["top"])
    assert out["top"][0]["n"] >= out["top"][1]["n"] >= out["top"][2]["n"]
    t = out["types"]
    assert t["l"] == ["int", "9007199254740993"]
    assert t["dt"] == ["Timestamp", "2024-01-02 03:04:05.123456700+00:00"]
    assert t["ts"] == ["Timedelta", "1 days 02:03:04"]
    assert t["g"][1] == "74be27de-1e4e-49d9-b579-fe0b331d3642"
    assert t["r"] == ["float", "2.0"] and t["b"] == ["bool", "True"]
    assert out["dynamic"] == {"a": [1, {"b": None}]}
    assert out["chart"][0] == "timechart" and out["chart"][1] == "Daily" and out["chart"][2] > 0
    assert "SYN0002" in out["error"] and '"line": 1' in out["error"] and '"pos": 16' in out["error"]
