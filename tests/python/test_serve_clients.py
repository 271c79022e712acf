"""Python's azure-monitor-query (the official Log Analytics client) against `kqlkernel serve`:
the built binary (bin/kqlkernel) on a free loopback port, over TLS with a self-signed
certificate (azure-core refuses bearer tokens over plain http) and an API key that the
client sends as its bearer token. Every answer must come back typed as the real service's
would: longs exact, datetimes as datetime, timespans and guids as strings, dynamic as JSON
text; errors as HttpResponseError with the service's code, line and position.

Run with `make test-python`.
"""

import json
import os
import re
import shutil
import subprocess
import threading
import time
from datetime import datetime, timedelta, timezone

import pytest

pytest.importorskip("azure.monitor.query")

from azure.core.credentials import AccessToken  # noqa: E402
from azure.core.exceptions import ClientAuthenticationError, HttpResponseError  # noqa: E402
from azure.monitor.query import LogsQueryClient, LogsQueryStatus  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
KEY = "py-serve-key"


class KeyCredential:
    """A TokenCredential handing out the server's API key as the bearer token."""

    def __init__(self, token):
        self.token = token

    def get_token(self, *scopes, **kwargs):
        return AccessToken(self.token, int(time.time()) + 3600)


def _binary():
    exe = os.path.join(ROOT, "bin", "kqlkernel")
    if os.path.exists(exe):
        return exe
    return shutil.which("kqlkernel")


@pytest.fixture(scope="module")
def served():
    """`kqlkernel serve --tls-self-signed --api-key KEY`; yields (url, cert path)."""
    exe = _binary()
    if not exe:
        pytest.fail("bin/kqlkernel is not built (make build)")
    proc = subprocess.Popen(
        [exe, "serve", "--addr", "127.0.0.1:0", "--tls-self-signed", "--api-key", KEY, "--quiet"],
        stderr=subprocess.PIPE,
        text=True,
    )
    url = cert = None
    lines = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and url is None:
        line = proc.stderr.readline()
        if not line:
            break
        lines.append(line)
        m = re.search(r"self-signed certificate: (\S+)", line)
        if m:
            cert = m.group(1)
        m = re.search(r"listening on (https://\S+/v1)", line)
        if m:
            url = m.group(1)
    if url is None or cert is None:
        proc.kill()
        pytest.fail("kqlkernel serve did not start: %s" % "".join(lines))
    # Keep draining stderr so the server never blocks on a full pipe.
    threading.Thread(target=proc.stderr.read, daemon=True).start()
    yield url, cert
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def client(served):
    url, cert = served
    return LogsQueryClient(KeyCredential(KEY), endpoint=url, connection_verify=cert, retry_total=0)


TYPES_QUERY = """print l=9007199254740993, r=2.0, b=true, i=int(7), s='héllo "q"',
 dt=datetime(2024-01-02 03:04:05.1234567), ts=time(1.02:03:04.5),
 g=guid(74be27de-1e4e-49d9-b579-fe0b331d3642), m=todecimal('1.5'),
 d=dynamic({"a":[1,{"b":null}],"big":9007199254740993}), n=long(null)"""


def test_every_type_comes_back_typed(client):
    res = client.query_workspace("DEMO_WORKSPACE", TYPES_QUERY, timespan=None)
    assert res.status == LogsQueryStatus.SUCCESS
    t = res.tables[0]
    assert t.name == "PrimaryResult"
    assert t.columns == ["l", "r", "b", "i", "s", "dt", "ts", "g", "m", "d", "n"]
    assert t.columns_types == ["long", "real", "bool", "int", "string", "datetime", "timespan", "guid", "decimal", "dynamic", "long"]
    row = t.rows[0]
    assert row["l"] == 9007199254740993 and isinstance(row["l"], int)
    assert row["r"] == 2.0 and isinstance(row["r"], float)
    assert row["b"] is True
    assert row["i"] == 7
    assert row["s"] == 'héllo "q"'
    assert row["dt"] == datetime(2024, 1, 2, 3, 4, 5, 123456, tzinfo=timezone.utc)
    assert row["ts"] == "1.02:03:04.5000000"
    assert row["g"] == "74be27de-1e4e-49d9-b579-fe0b331d3642"
    assert row["m"] == "1.5"
    assert json.loads(row["d"]) == {"a": [1, {"b": None}], "big": 9007199254740993}
    assert row["n"] is None


def test_demo_workspace_query_with_timespan(client):
    query = "SecurityEvent | summarize n=count(), lo=min(TimeGenerated), hi=max(TimeGenerated)"
    res = client.query_workspace("DEMO_WORKSPACE", query, timespan=timedelta(days=1))
    row = res.tables[0].rows[0]
    assert row["n"] > 0
    assert row["hi"] - row["lo"] <= timedelta(days=1)
    assert row["lo"] >= datetime.now(timezone.utc) - timedelta(days=1, minutes=5)


def test_visualization_and_statistics(client):
    query = "SecurityEvent | summarize n=count() by EventID | top 5 by n | render columnchart with (title='Top events', ytitle='Count')"
    res = client.query_workspace(
        "DEMO_WORKSPACE", query, timespan=None, include_visualization=True, include_statistics=True
    )
    assert res.visualization["visualization"] == "columnchart"
    assert res.visualization["title"] == "Top events"
    assert res.visualization["yTitle"] == "Count"
    assert res.statistics["query"]["executionTime"] >= 0
    assert res.statistics["query"]["datasetStatistics"][0]["tableRowCount"] == 5


def test_syntax_error_has_code_line_and_position(client):
    with pytest.raises(HttpResponseError) as info:
        client.query_workspace("DEMO_WORKSPACE", "SecurityEvent\n| wher EventID == 4625", timespan=None)
    err = info.value
    assert err.status_code == 400
    body = err.response.json()["error"]
    assert body["code"] == "BadArgumentError"
    inner = body["innererror"]["innererror"]
    assert (inner["code"], inner["line"], inner["pos"], inner["token"]) == ("SYN0002", 2, 2, "wher")
    assert "did you mean" in str(err)


def test_semantic_error(client):
    with pytest.raises(HttpResponseError) as info:
        client.query_workspace("DEMO_WORKSPACE", "SecurityEvent | where Nope == 1", timespan=None)
    inner = info.value.response.json()["error"]["innererror"]
    assert inner["code"] == "SemanticError"
    assert inner["innererror"]["pos"] == len("SecurityEvent | where ")


def test_wrong_key_is_refused(served):
    url, cert = served
    bad = LogsQueryClient(KeyCredential("not-the-key"), endpoint=url, connection_verify=cert, retry_total=0)
    with pytest.raises((ClientAuthenticationError, HttpResponseError)) as info:
        bad.query_workspace("DEMO_WORKSPACE", "print 1", timespan=None)
    assert info.value.status_code == 401


def test_additional_workspaces_accepted(client):
    res = client.query_workspace("ws-a", "print x=1", timespan=None, additional_workspaces=["ws-b"])
    assert res.tables[0].rows[0]["x"] == 1


def test_server_timeout_is_a_504(client):
    query = "range x from 1 to 100000000000 step 1 | summarize count()"
    with pytest.raises(HttpResponseError) as info:
        client.query_workspace("DEMO_WORKSPACE", query, timespan=None, server_timeout=1)
    assert info.value.status_code == 504
    assert info.value.response.json()["error"]["code"] == "GatewayTimeout"


def test_query_batch(client):
    from azure.monitor.query import LogsBatchQuery, LogsQueryError

    results = client.query_batch(
        [
            LogsBatchQuery("DEMO_WORKSPACE", "print x=9007199254740993", timespan=None),
            LogsBatchQuery("DEMO_WORKSPACE", "SecurityEvent | wher x", timespan=None),
            LogsBatchQuery("DEMO_WORKSPACE", "SecurityEvent | count", timespan=timedelta(hours=1), include_statistics=True),
        ]
    )
    assert [type(r).__name__ for r in results] == ["LogsQueryResult", "LogsQueryError", "LogsQueryResult"]
    assert results[0].tables[0].rows[0]["x"] == 9007199254740993
    assert isinstance(results[1], LogsQueryError) and results[1].code == "BadArgumentError"
    assert "wher" in results[1].message
    assert results[2].tables[0].rows[0]["Count"] > 0
    assert results[2].statistics["query"]["executionTime"] >= 0


def test_timespan_as_start_and_end(client):
    end = datetime.now(timezone.utc).replace(microsecond=0)
    start = end - timedelta(hours=6)
    res = client.query_workspace(
        "DEMO_WORKSPACE", "SecurityEvent | summarize lo=min(TimeGenerated), hi=max(TimeGenerated)", timespan=(start, end)
    )
    row = res.tables[0].rows[0]
    assert start <= row["lo"] and row["hi"] < end
