"""examples/charts.ipynb through `jupyter nbconvert --to html --execute` with the installed
kql kernel: the export must succeed and the page must hold the tables and one PNG chart per
`render` cell, each a real PNG of the default chart size."""

import base64
import json
import os
import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "examples" / "charts.ipynb"


def chart_cells():
    nb = json.loads(NOTEBOOK.read_text())
    return [
        "".join(c["source"])
        for c in nb["cells"]
        if c["cell_type"] == "code" and re.search(r"\|\s*render\s+\w+", "".join(c["source"]))
    ]


def png_size(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


BROWSER = ROOT / "tests" / "browser"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="module")
def page_path(tmp_path_factory):
    out = tmp_path_factory.mktemp("nbconvert")
    export(out)
    return out / "charts.html"


def export(tmp_path, *extra):
    env = dict(os.environ)
    env.setdefault("JUPYTER_PATH", str(ROOT / ".venv" / "share" / "jupyter"))
    cmd = [
        sys.executable, "-m", "jupyter", "nbconvert", "--to", "html", "--execute",
        "--ExecutePreprocessor.timeout=300", "--ExecutePreprocessor.kernel_name=kql",
        "--output-dir", str(tmp_path), *extra, str(NOTEBOOK),
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=900)
    assert done.returncode == 0, f"nbconvert failed:\n{done.stderr[-4000:]}"
    return (tmp_path / "charts.html").read_text()


def test_nbconvert_html_holds_tables_and_charts(page_path):
    page = page_path.read_text()

    # tables: `print x = 6 * 7` and a SecurityEvent sample, typed headers with types on hover
    assert 'title="x: long"' in page
    assert re.search(r">42</td>", page)
    assert 'title="TimeGenerated: datetime"' in page
    assert "<script>alert" not in page

    # one PNG per render cell, each decodable and of the default size (900 x 450; a card
    # is 900 x 180)
    images = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=\s]+)"', page)
    charts = chart_cells()
    assert len(charts) >= 14, "the notebook lost chart cells"
    assert len(images) == len(charts), f"{len(images)} images for {len(charts)} render cells"
    sizes = [png_size(base64.b64decode(b64)) for b64 in images]
    cards = sum("render card" in c for c in charts)
    assert sorted(sizes) == sorted([(900, 180)] * cards + [(900, 450)] * (len(charts) - cards))

    # no chart fell back to a table, and no cell failed
    assert "showing the table instead" not in page
    assert "Traceback" not in page


def test_every_kind_in_the_notebook():
    kinds = {re.search(r"\|\s*render\s+(\w+)", c).group(1) for c in chart_cells()}
    want = {"timechart", "linechart", "areachart", "stackedareachart", "barchart", "columnchart",
            "scatterchart", "piechart", "anomalychart", "card", "ladderchart", "timepivot",
            "pivotchart", "treemap"}
    assert want <= kinds, f"missing: {sorted(want - kinds)}"


def test_page_in_chromium(page_path, tmp_path):
    """The exported page in Debian's Chromium: every image loads at its size. Set
    KQL_SCREENSHOT_DIR to keep the screenshots (the whole page and viewport slices) to look at."""
    if shutil.which("node") is None or not Path(CHROMIUM).exists():
        pytest.skip("needs node and Chromium (apt-get install nodejs chromium)")
    if not (BROWSER / "node_modules" / "playwright-core").exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=BROWSER, check=True, timeout=600)
    shots = Path(os.environ.get("KQL_SCREENSHOT_DIR", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["node", "screenshot.mjs", str(page_path), str(shots / "charts.png")],
        cwd=BROWSER, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    charts = chart_cells()
    assert found["broken"] == 0
    assert found["images"] == len(charts)
    assert all(w == 900 for w, _ in found["imageSizes"])
    assert found["tables"] >= 3
    assert found["scripts"] == 0, "outputs must not carry scripts"
    assert (shots / "charts.png").stat().st_size > 100_000
