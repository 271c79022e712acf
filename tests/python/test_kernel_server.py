"""The kernel behind a real Jupyter Server (what JupyterLab and Notebook 7 talk to): start a
"kql" kernel through the REST API and run a cell over the kernel websocket. The server nudges
a new kernel with kernel_info requests on shell and control until IOPub answers, so this also
checks busy/idle around control requests."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid

import pytest
from tornado import ioloop, websocket

TIMEOUT = 60


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port, token = free_port(), uuid.uuid4().hex
    root = tmp_path_factory.mktemp("server-root")
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyter_server", "--no-browser", f"--ServerApp.port={port}",
         "--ServerApp.ip=127.0.0.1", "--allow-root", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=dict(os.environ),
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + TIMEOUT
    while True:
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
            break
        except OSError:
            if time.time() > deadline or proc.poll() is not None:
                proc.kill()
                pytest.fail("jupyter server did not start")
            time.sleep(0.2)
    yield base, token
    proc.terminate()
    proc.wait(TIMEOUT)


def api(base, token, method, path, body=None):
    req = urllib.request.Request(
        f"{base}{path}", method=method, data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"token {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=TIMEOUT) as r:
        data = r.read()
        return json.loads(data) if data else None


async def run_cell(ws_url, code):
    conn = await websocket.websocket_connect(ws_url)
    msg_id = uuid.uuid4().hex
    conn.write_message(json.dumps({
        "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": "t",
                   "session": uuid.uuid4().hex, "date": "", "version": "5.3"},
        "parent_header": {}, "metadata": {}, "channel": "shell",
        "content": {"code": code, "silent": False, "store_history": True,
                    "user_expressions": {}, "allow_stdin": False, "stop_on_error": True},
    }))
    got, reply = [], None
    while True:
        raw = await conn.read_message()
        assert raw is not None, "websocket closed"
        m = json.loads(raw)
        if m.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        if m["channel"] == "shell":
            reply = m
        else:
            got.append(m)
        if reply and got and got[-1]["msg_type"] == "status" and got[-1]["content"]["execution_state"] == "idle":
            conn.close()
            return reply, got


def test_cell_through_jupyter_server(server):
    base, token = server
    kernel = api(base, token, "POST", "/api/kernels", {"name": "kql"})
    try:
        ws_url = base.replace("http", "ws") + f"/api/kernels/{kernel['id']}/channels?token={token}"
        reply, iopub = ioloop.IOLoop.current().run_sync(lambda: run_cell(ws_url, "print x=6*7"), timeout=TIMEOUT)
        assert reply["content"]["status"] == "ok"
        types = [m["msg_type"] for m in iopub]
        assert types[0] == "status" and types[-1] == "status"
        assert "execute_input" in types and "execute_result" in types
        result = next(m for m in iopub if m["msg_type"] == "execute_result")
        assert "42" in result["content"]["data"]["text/plain"]
        assert "text/html" in result["content"]["data"]
        # The server reports the kernel idle afterwards.
        assert api(base, token, "GET", f"/api/kernels/{kernel['id']}")["execution_state"] == "idle"
    finally:
        api(base, token, "DELETE", f"/api/kernels/{kernel['id']}")
