"""The example notebook run in real front ends, in Debian's Chromium: JupyterLab 4 and
Notebook 7 from the venv, and Debian's classic Notebook 6. Every query cell must show its
output (tables, status lines, PNG charts that load) and no error."""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "examples" / "azure-sentinel.ipynb"
BROWSER = ROOT / "tests" / "browser"
VENV_BIN = Path(sys.executable).parent


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def query_cells():
    """Code cells that run a query (a cell of only `let` statements sets parameters)."""
    nb = json.loads(NOTEBOOK.read_text())
    cells = ["".join(c["source"]).strip() for c in nb["cells"] if c["cell_type"] == "code"]
    return len(cells), [c for c in cells if not all(
        line.strip().startswith("let ") or not line.strip() for line in c.splitlines())]


FRONTENDS = {
    "lab": ([str(VENV_BIN / "jupyter"), "lab", "--LabApp.expose_app_in_browser=True"],
            "/lab/tree/azure-sentinel.ipynb"),
    "notebook7": ([str(VENV_BIN / "jupyter"), "notebook",
                   "--JupyterNotebookApp.expose_app_in_browser=True"],
                  "/notebooks/azure-sentinel.ipynb"),
    "notebook6": (["/usr/bin/jupyter-notebook"], "/notebooks/azure-sentinel.ipynb"),
}


def lab_settings(where):
    """Render every cell (no windowing: the test reads the whole page) and ask for no news."""
    settings = {
        "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
        "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false"},
    }
    for name, value in settings.items():
        f = where / name
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(json.dumps(value))


@pytest.mark.parametrize("flavour", list(FRONTENDS))
def test_example_notebook_in_browser(flavour, tmp_path):
    argv, path = FRONTENDS[flavour]
    root = tmp_path / "root"
    root.mkdir()
    shutil.copy(NOTEBOOK, root / NOTEBOOK.name)
    port, token = free_port(), uuid.uuid4().hex
    common = ["--no-browser", "--allow-root", f"--port={port}", "--ip=127.0.0.1"]
    if flavour == "notebook6":
        extra = [f"--NotebookApp.token={token}", f"--notebook-dir={root}"]
    else:
        extra = [f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}"]
    env = dict(os.environ)
    env.setdefault("JUPYTER_PATH", str(ROOT / ".venv" / "share" / "jupyter"))
    env["JUPYTER_CONFIG_DIR"] = str(tmp_path / "config")
    lab_settings(tmp_path / "config" / "lab" / "user-settings")
    env["JUPYTER_RUNTIME_DIR"] = str(tmp_path / "runtime")
    log = open(tmp_path / "server.log", "w")
    proc = subprocess.Popen(argv + common + extra, stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.time() + 90
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if time.time() > deadline or proc.poll() is not None:
                    pytest.fail(f"{flavour} server did not start:\n" + (tmp_path / "server.log").read_text()[-3000:])
                time.sleep(0.5)
        total, queries = query_cells()
        shot = tmp_path / f"{flavour}.png"
        done = subprocess.run(
            ["node", str(BROWSER / "frontend.mjs"), flavour, f"{base}{path}?token={token}", str(shot),
             str(len(queries))],
            capture_output=True, text=True, timeout=400, cwd=BROWSER)
        assert done.returncode == 0, f"browser run failed:\n{done.stderr[-3000:]}\nserver log:\n" + \
            (tmp_path / "server.log").read_text()[-3000:]
        found = json.loads(done.stdout.strip().splitlines()[-1])
        keep = os.environ.get("KQLKERNEL_SCREENSHOTS")
        if keep:
            Path(keep).mkdir(parents=True, exist_ok=True)
            shutil.copy(shot, Path(keep) / shot.name)
        charts = sum(1 for q in queries if "render " in q)
        assert found["codeCells"] == total, found
        assert found["cellsWithOutput"] >= len(queries), found
        assert found["errors"] == [], found
        assert found["tables"] >= len(queries) - charts, found
        assert found["images"] >= charts, found
        assert found["imagesLoaded"] == found["images"], found
        assert found["doneLines"] >= len(queries), found
        assert found["scripts"] == [], found
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
