"""The seed notebook's queries (../shared/seed/azure-sentinel-notebook.txt) in %kql and %%kql
cells, through jupyter_client against the installed "kql" kernel, on the demo workspace that
answers when no connection is made; then the same cells against `kqlkernel serve` through a
loganalytics:// connection string with endpoint=.

Run with `make test-python` (the kernelspec is installed into the venv first).
"""

import os
import re
import shutil
import subprocess
import time

import pytest
from jupyter_client.manager import start_new_kernel

STATUS = re.compile(r"Done \(\d\d:\d\d\.\d{3}\): (\d+) records")


class Cell:
    """What one execute produced: the reply and the IOPub outputs, in order."""

    def __init__(self, reply, outputs):
        self.reply = reply
        self.outputs = outputs

    @property
    def ok(self):
        return self.reply["content"]["status"] == "ok"

    def __repr__(self):
        errs = [o["content"].get("evalue") for o in self.outputs if o["msg_type"] == "error"]
        return "Cell(status=%s, errors=%r, displays=%r)" % (self.reply["content"]["status"], errs, self.display_texts())

    def of(self, msg_type):
        return [o for o in self.outputs if o["msg_type"] == msg_type]

    def result_text(self):
        res = self.of("execute_result")
        assert len(res) == 1, self.outputs
        return res[0]["content"]["data"]["text/plain"]

    def display_texts(self):
        """display_data and update_display_data texts, in order (a long query's status line
        starts as "Running (...)" and is replaced in place by "Done (...)")."""
        return [
            o["content"]["data"].get("text/plain", "")
            for o in self.outputs
            if o["msg_type"] in ("display_data", "update_display_data")
        ]

    def status_records(self):
        for t in reversed(self.display_texts()):
            m = STATUS.search(t)
            if m:
                return int(m.group(1))
        raise AssertionError("no status line in %r" % self.display_texts())

    def stdout(self):
        return "".join(o["content"]["text"] for o in self.of("stream") if o["content"]["name"] == "stdout")


@pytest.fixture(scope="module")
def kernel():
    km, kc = start_new_kernel(kernel_name="kql")
    try:
        yield kc
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def run(kc, code, timeout=120):
    msg_id = kc.execute(code)
    reply = kc.get_shell_msg(timeout=timeout)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = kc.get_shell_msg(timeout=timeout)
    outputs = []
    while True:
        msg = kc.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
        if msg["msg_type"] in ("execute_result", "display_data", "update_display_data", "stream", "error", "clear_output"):
            outputs.append(msg)
    return Cell(reply, outputs)


def rows(table_text):
    """Data rows of a text table: the lines after the header and the dashes."""
    lines = table_text.splitlines()
    return [l.split() for l in lines[2:] if l.strip() and not l.startswith("(")]


def test_native_kqlmagic_take_1(kernel):
    # %kql SecurityEvent | take 1 (the seed's "Native Kqlmagic interface" cell)
    cell = run(kernel, "%kql SecurityEvent | take 1")
    assert cell.ok, cell
    text = cell.result_text()
    header = text.splitlines()[0].split()
    for col in ("TenantId", "TimeGenerated", "Account", "Computer", "EventID", "Activity", "_ResourceId"):
        assert col in header, header[:20]
    assert cell.status_records() == 1
    # No connection yet: the status line says the demo workspace answered.
    assert any("local demo workspace" in t for t in cell.display_texts())
    html = cell.of("execute_result")[0]["content"]["data"]["text/html"]
    assert "<table" in html and "<script" not in html


def test_security_alert_take_10(kernel):
    cell = run(kernel, "%%kql\nSecurityAlert \n| take 10")
    assert cell.ok, cell
    header = cell.result_text().splitlines()[0].split()
    for col in ("TimeGenerated", "DisplayName", "AlertName", "AlertSeverity", "ProviderName", "Entities"):
        assert col in header
    assert cell.status_records() == 10


def test_events_by_id_last_day(kernel):
    cell = run(
        kernel,
        "%%kql\nSecurityEvent\n| where TimeGenerated between (ago(1d) .. now())\n| summarize EventCount=count() by EventID",
    )
    assert cell.ok, cell
    text = cell.result_text()
    assert text.splitlines()[0].split() == ["EventID", "EventCount"]
    got = {int(r[0]): int(r[1]) for r in rows(text)}
    assert 4688 in got and 4624 in got, got
    assert all(n > 0 for n in got.values())
    assert cell.status_records() == len(got)


def test_parameterized_query(kernel):
    # The seed formats {start} and {end} into the query; here they are session parameters.
    params = run(kernel, "let end = now();\nlet start = end - 3d;")
    assert params.ok and not params.of("execute_result"), params
    cell = run(
        kernel,
        "%%kql\nSecurityEvent\n| where TimeGenerated between (datetime({start}) .. datetime({end}))\n"
        "| summarize EventCount=count() by EventID",
    )
    assert cell.ok, cell
    three_days = {int(r[0]): int(r[1]) for r in rows(cell.result_text())}
    one_day = run(
        kernel, "SecurityEvent | where TimeGenerated between (ago(1d) .. now()) | summarize EventCount=count() by EventID"
    )
    day = {int(r[0]): int(r[1]) for r in rows(one_day.result_text())}
    # Three days hold at least as many events of each id as the last day.
    assert three_days[4688] >= day[4688] > 0


def test_named_result_then_local_query(kernel):
    cell = run(kernel, "%%kql --as Suspicious\nSecurityEvent\n| where EventID == 4688\n| take 50")
    assert cell.ok, cell
    again = run(kernel, "Suspicious | summarize n = count()")
    assert rows(again.result_text()) == [["50"]]


def test_stdout_and_chart(kernel):
    cell = run(kernel, '%kql --stdout print "hello, world"')
    assert cell.ok and "hello, world" in cell.stdout()
    chart = run(kernel, "SecurityEvent | summarize EventCount=count() by tostring(EventID) | render columnchart")
    assert chart.ok, chart
    data = chart.of("execute_result")[0]["content"]["data"]
    assert "image/png" in data and len(data["image/png"]) > 1000


def test_error_has_caret(kernel):
    cell = run(kernel, "SecurityEvent\n| where EventIDD == 4624")
    assert not cell.ok
    errs = cell.of("error")
    assert len(errs) == 1
    tb = "\n".join(errs[0]["content"]["traceback"])
    assert "2:9" in tb and "^" in tb and "EventID" in tb, tb


def test_connection_string_masked_and_switch(kernel):
    cell = run(kernel, "%kql loganalytics://workspace='DEMO_WORKSPACE';appkey='DEMO_KEY';alias='myworkspace'")
    assert cell.ok, cell
    assert "myworkspace@loganalytics" in cell.result_text()
    listing = run(kernel, "%kql --list").result_text()
    assert "DEMO_KEY" not in listing and "appkey='***'" in listing
    back = run(kernel, "%kql demo@local")
    assert back.ok
    again = run(kernel, "print x = 1")
    assert again.ok and again.status_records() == 1


def test_complete_and_inspect(kernel):
    kernel.complete("SecurityEvent | where Acc", 25)
    reply = kernel.get_shell_msg(timeout=30)
    assert "Account" in reply["content"]["matches"]
    kernel.inspect("SecurityEvent | summarize count()", 18)
    reply = kernel.get_shell_msg(timeout=30)
    assert reply["content"]["found"]
    assert "summarize" in reply["content"]["data"]["text/plain"]


@pytest.fixture(scope="module")
def served():
    """`kqlkernel serve` on a free loopback port; yields its /v1 URL."""
    exe = shutil.which("kqlkernel") or os.path.join(os.path.dirname(__file__), "..", "..", "bin", "kqlkernel")
    assert os.path.exists(exe), "kqlkernel is neither on PATH nor in bin/ (make build)"
    # --quiet: nothing reads stderr after start-up, so a request log could fill the pipe.
    proc = subprocess.Popen([exe, "serve", "--quiet", "--addr", "127.0.0.1:0", "--api-key", "SERVEKEY"],
                            stderr=subprocess.PIPE, text=True)
    url = None
    deadline = time.time() + 30
    while time.time() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        m = re.search(r"listening on (http://\S+)", line)
        if m:
            url = m.group(1)
            break
    if url is None:
        proc.kill()
        pytest.fail("kqlkernel serve did not start")
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_seed_cells_against_serve(kernel, served):
    conn = "%%kql loganalytics://workspace='DEMO_WORKSPACE';appkey='SERVEKEY';alias='served';endpoint='{}'\n".format(served)
    cell = run(kernel, conn + "SecurityEvent | take 1")
    assert cell.ok, cell
    assert cell.status_records() == 1
    assert any("served@loganalytics" in t for t in cell.display_texts())
    cell = run(kernel, "SecurityEvent\n| where TimeGenerated between (ago(1d) .. now())\n| summarize EventCount=count() by EventID")
    assert cell.ok, cell
    assert 4688 in {int(r[0]) for r in rows(cell.result_text())}
    # A named result from the demo goes to the service as an inline datatable.
    run(kernel, "%kql -conn demo@local --as Few print a = 1, b = 'x'")
    cell = run(kernel, "Few | extend c = a + 1")
    assert cell.ok, cell
    assert rows(cell.result_text()) == [["1", "x", "2"]]
    # A service error comes back with the query line and a caret; the key never shows.
    cell = run(kernel, "SecurityEvent | where EventIDD == 1")
    assert not cell.ok
    text = "\n".join(cell.of("error")[0]["content"]["traceback"])
    assert "^" in text and "SERVEKEY" not in text
    run(kernel, "%kql demo@local")


def test_history_never_holds_a_connection_secret(kernel):
    """A key typed into a connection string is masked in everything the kernel keeps."""
    secret = "S3cr3tAppKey-" + str(int(time.time()))
    cell = run(kernel, "%kql loganalytics://workspace='W1';appkey='{}';alias='leaky';endpoint='http://127.0.0.1:9/v1'".format(secret))
    shown = repr(cell.outputs)
    assert secret not in shown, shown
    msg_id = kernel.history(raw=True, output=True, hist_access_type="tail", n=50)
    reply = kernel.get_shell_msg(timeout=30)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = kernel.get_shell_msg(timeout=30)
    entries = reply["content"]["history"]
    assert any("leaky" in str(e) for e in entries), entries
    assert secret not in repr(entries), entries
    # put the session back on the demo workspace for any later test
    run(kernel, "%kql local://demo")
