"""The installed "kql" kernel through jupyter_client 8: transports, interrupt, restart, shutdown."""

import json
import socket
import subprocess
import sys
import time

import pytest
import zmq
from jupyter_client.blocking import BlockingKernelClient
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager

TIMEOUT = 30
# A cell that runs until interrupted (the engine checks its context between batches).
LONG_CELL = "range i from 1 to 1000000000000 step 1 | summarize count()"


def has_ipv6_loopback():
    try:
        with open("/proc/net/if_inet6") as f:
            return "00000000000000000000000000000001" in f.read()
    except OSError:
        return False


def start(**kw):
    km = KernelManager(kernel_name="kql", **kw)
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=TIMEOUT)
    return km, kc


def reply_to(kc, msg_id):
    while True:
        m = kc.get_shell_msg(timeout=TIMEOUT)
        if m["parent_header"].get("msg_id") == msg_id:
            return m


def ping(km, payload=b"ping"):
    """One heartbeat round trip with a plain pyzmq REQ socket, as jupyter_client's HBChannel."""
    ctx = zmq.Context.instance()
    req = ctx.socket(zmq.REQ)
    req.linger = 0
    try:
        req.connect(km._make_url("hb"))
        req.send(payload)
        assert req.poll(TIMEOUT * 1000), "no heartbeat echo"
        return req.recv()
    finally:
        req.close()


def shutdown(km, kc):
    """Shut down by request; return the process's exit status (negative: killed by a signal)."""
    proc = km.provisioner.process
    kc.stop_channels()
    km.shutdown_kernel(now=False)
    return proc.wait(timeout=TIMEOUT)


def check_kernel_info(kc):
    info = reply_to(kc, kc.kernel_info())["content"]
    assert info["language_info"]["name"] == "kql"
    assert info["language_info"]["mimetype"] == "text/x-kql"
    assert info["protocol_version"] == "5.3"
    assert isinstance(info["help_links"], list)


@pytest.mark.parametrize("transport", ["tcp", "ipc"])
def test_transport(transport, tmp_path):
    kw = {"transport": transport}
    if transport == "ipc":
        kw["ip"] = str(tmp_path / "kernel-ipc")
    km, kc = start(**kw)
    try:
        check_kernel_info(kc)
        assert ping(km, b"beat-1") == b"beat-1"
    finally:
        assert shutdown(km, kc) == 0


def test_ipv6(tmp_path):
    """jupyter_client's launcher only allows IPv4 interfaces, so start the kernel from its
    kernelspec by hand on ::1 and connect a client whose ZeroMQ context has IPv6 enabled."""
    if not has_ipv6_loopback():
        pytest.skip("no IPv6 loopback")
    ports = []
    for _ in range(5):
        with socket.socket(socket.AF_INET6) as s:
            s.bind(("::1", 0))
            ports.append(s.getsockname()[1])
    cf = tmp_path / "kernel-v6.json"
    names = ["shell_port", "iopub_port", "stdin_port", "control_port", "hb_port"]
    info = dict(zip(names, ports), transport="tcp", ip="::1", key="k6", signature_scheme="hmac-sha256")
    cf.write_text(json.dumps(info))
    argv = [a.replace("{connection_file}", str(cf)) for a in KernelSpecManager().get_kernel_spec("kql").argv]
    proc = subprocess.Popen(argv)
    ctx = zmq.Context()
    ctx.setsockopt(zmq.IPV6, 1)
    kc = BlockingKernelClient(context=ctx)
    kc.load_connection_file(str(cf))
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=TIMEOUT)
        check_kernel_info(kc)
        kc.shutdown()
        assert proc.wait(timeout=TIMEOUT) == 0
    finally:
        kc.stop_channels()
        if proc.poll() is None:
            proc.kill()
        ctx.term()


def test_shutdown_exits_by_itself():
    km, kc = start()
    # Exit status 0, not -9: the kernel left on shutdown_request before jupyter_client's
    # shutdown_wait_time ran out and it had to kill it.
    assert shutdown(km, kc) == 0


def test_restart():
    km, kc = start()
    try:
        pid = km.provisioner.pid
        km.restart_kernel(now=False)
        assert km.provisioner.pid != pid
        kc.wait_for_ready(timeout=TIMEOUT)
        msg_id = kc.kernel_info()
        assert reply_to(kc, msg_id)["content"]["status"] == "ok"
    finally:
        shutdown(km, kc)


def test_interrupt_long_cell():
    km, kc = start()
    try:
        msg_id = kc.execute(LONG_CELL)
        while True:  # wait until the cell runs
            m = kc.get_iopub_msg(timeout=TIMEOUT)
            if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "execute_input":
                break
        # The heartbeat answers while the cell runs.
        assert ping(km) == b"ping"
        km.interrupt_kernel()
        reply = reply_to(kc, msg_id)["content"]
        assert reply["status"] == "error"
        # The kernel goes on serving.
        ok = reply_to(kc, kc.execute("print 1"))["content"]
        assert ok["status"] == "ok"
    finally:
        shutdown(km, kc)


def test_exits_when_launcher_dies(tmp_path):
    """A launcher that dies without shutting the kernel down must not leave it running."""
    script = tmp_path / "launch.py"
    pidfile = tmp_path / "kernel.pid"
    script.write_text(
        "import os, sys\n"
        "from jupyter_client.manager import KernelManager\n"
        "km = KernelManager(kernel_name='kql')\n"
        "km.start_kernel()\n"
        "open(sys.argv[1], 'w').write(str(km.provisioner.pid))\n"
        "os._exit(0)\n"
    )
    # No pipes: the kernel inherits the launcher's stdout and stderr.
    subprocess.run([sys.executable, str(script), str(pidfile)], stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=4 * TIMEOUT, check=True)
    pid = int(pidfile.read_text())
    deadline = time.time() + TIMEOUT
    while process_running(pid):
        assert time.time() < deadline, f"kernel {pid} outlived its launcher"
        time.sleep(0.1)


def process_running(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            state = next(line for line in f if line.startswith("State:"))
    except (FileNotFoundError, StopIteration):
        return False
    return "Z" not in state.split()[1]  # a zombie has exited
