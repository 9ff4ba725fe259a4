"""Kernels for papermill on Unix sockets, each in a folder of its own (the notebook tests and
`make report` run notebooks with them)."""

import asyncio
import os
import resource
import signal
import subprocess
import sys
import time

import nbformat
import zmq
import zmq.asyncio
from jupyter_client.channels import AsyncZMQSocketChannel
from jupyter_client.session import Session
from papermill.engines import papermill_engines

from analysis.report.kernels import IPCEngine, IPCKernelManager, SteadyChannel, SteadyKernelClient


def test_each_kernel_gets_its_own_socket_folder_removed_at_shutdown():
    one, two = IPCKernelManager(kernel_name="python3"), IPCKernelManager(kernel_name="python3")
    assert one.transport == two.transport == "ipc"
    assert os.path.isabs(one.ip) and os.path.dirname(one.ip) != os.path.dirname(two.ip)
    for km in (one, two):
        folder = os.path.dirname(km.ip)
        assert os.path.isdir(folder)
        km.cleanup_connection_file()
        assert not os.path.exists(folder)


def test_papermill_knows_the_ipc_engine():
    assert papermill_engines.get_engine("ipc") is IPCEngine


def test_a_socket_path_given_by_the_caller_is_used_and_its_folder_kept(tmp_path):
    km = IPCKernelManager(kernel_name="python3", ip=str(tmp_path / "socket"))
    assert km.transport == "ipc" and km.ip == str(tmp_path / "socket")
    km.cleanup_connection_file()
    assert tmp_path.is_dir()


def test_clients_made_by_the_manager_wait_on_steady_channels():
    client = IPCKernelManager(kernel_name="python3").client()
    assert isinstance(client, SteadyKernelClient)
    assert isinstance(client.shell_channel, SteadyChannel) and isinstance(client.iopub_channel, SteadyChannel)


async def wait_after_lost_wake_up(channel_class, folder) -> str | None:
    """The type of the message a channel returns within 3 s when the wake-up of its arrival was
    taken before the channel saw it (None: it slept through it). Reading the socket's events
    consumes the edge its file descriptor signals, as happened under load in notebook runs."""
    context = zmq.asyncio.Context()
    receiver = context.socket(zmq.PAIR)
    receiver.bind(f"ipc://{folder}/socket")
    sender = zmq.Context.instance().socket(zmq.PAIR)
    sender.connect(f"ipc://{folder}/socket")
    session = Session()
    waiting = asyncio.ensure_future(channel_class(receiver, session).get_msg(timeout=None))
    await asyncio.sleep(0.1)  # the channel is waiting for its socket
    session.send(sender, "execute_reply", {"status": "ok"})
    for _ in range(100):  # until the reply is in the receiving socket: its events say so
        if receiver.getsockopt(zmq.EVENTS) & zmq.POLLIN:
            break
        time.sleep(0.01)
    try:
        return (await asyncio.wait_for(waiting, 3))["msg_type"]
    except TimeoutError:
        return None
    finally:
        receiver.close(0)
        sender.close(0)
        context.term()


def test_a_reply_whose_wake_up_was_lost_is_still_read(tmp_path):
    # jupyter_client's own channel sleeps through it (this is how notebook runs stalled);
    # the channel the project's kernels use finds it at the end of its slice.
    assert asyncio.run(wait_after_lost_wake_up(AsyncZMQSocketChannel, tmp_path)) is None
    assert asyncio.run(wait_after_lost_wake_up(SteadyChannel, tmp_path)) == "execute_reply"


def _alive(pid: int) -> bool:
    """Whether process ``pid`` runs (a zombie waiting to be reaped does not)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_a_run_stopped_by_sigterm_shuts_its_kernel_down(tmp_path):
    """SIGTERM to a notebook run (what `kill`, a CI timeout or a service manager sends) stops it as
    Ctrl-C does: the kernel is shut down too. It used to run on at full CPU when its cell held the
    GIL (a backtracking regular expression), never noticing that its parent was gone."""
    pid_file = tmp_path / "kernel.pid"
    stuck = f"import os, re\nopen({str(pid_file)!r}, 'w').write(str(os.getpid()))\nre.match(r'(a+)+$', 'a' * 60 + 'b')"
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(stuck)])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, tmp_path / "stuck.ipynb")
    run = subprocess.Popen(
        [sys.executable, "-m", "analysis.report.kernels", "--engine", "ipc", "--log-level", "ERROR",
         str(tmp_path / "stuck.ipynb"), str(tmp_path / "out.ipynb")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    kernel = None
    try:
        while run.poll() is None and not (pid_file.is_file() and pid_file.read_text()):
            time.sleep(0.1)  # until the kernel has started the stuck cell
        kernel = int(pid_file.read_text())
        run.send_signal(signal.SIGTERM)
        assert run.wait(timeout=120) != 0
        assert not _alive(kernel)
    finally:
        run.kill()
        if kernel is not None and _alive(kernel):
            os.kill(kernel, signal.SIGKILL)


def test_a_run_that_fills_the_disk_leaves_a_notebook_that_opens(tmp_path):
    """papermill rewrites the executed notebook after every cell; on a full disk (here a file-size
    limit of 64 KB) the rewrite after a big output used to leave it truncated, and make report kept
    that as <run>.failed.ipynb, which would not open. It is now the last copy written whole."""
    cells = ["print('first cell done')", "print('x' * 200_000)", "print('never reached')"]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, tmp_path / "big.ipynb")

    def small_disk():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write beyond the limit fails with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (64_000, 64_000))

    run = subprocess.run(
        [sys.executable, "-m", "analysis.report.kernels", "--engine", "ipc", "--log-level", "ERROR",
         str(tmp_path / "big.ipynb"), str(tmp_path / "out.ipynb")],
        capture_output=True, text=True, preexec_fn=small_disk, timeout=300,
    )  # fmt: skip
    assert run.returncode != 0 and "File too large" in run.stderr
    kept = nbformat.read(tmp_path / "out.ipynb", as_version=4)  # opens: complete JSON
    assert kept.cells[0].outputs[0]["text"] == "first cell done\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left
