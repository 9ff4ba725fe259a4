"""Jupyter kernels that cannot collide: papermill talks to each over Unix sockets in a folder of its own.

By default jupyter_client gives a kernel five TCP ports that it found free by binding port 0 and
closing the socket again; the kernel binds them a moment later, once it has started. A process
that takes one of those ports in between (another kernel starting: `make report` runs two
notebooks at once, and the tests start kernels of their own) makes the kernel die with 'Address
already in use' and the notebook run fail (papermill issue 511). jupyter_client's IPC transport
without a folder of its own is no better: it picks the first unused name ``kernel-ipc-N`` in the
working directory, which two kernels started at once can both pick. Sockets in a new temporary
folder leave no such window, as no other process can choose the same path.

The client papermill talks to the kernel with (:class:`SteadyKernelClient`) never waits on a single
wake-up. zmq.asyncio learns that a message has arrived from an edge-triggered file descriptor, and
under load that wake-up is sometimes lost (pyzmq 27.3, libzmq 4.3.5): the kernel has run the cell
and sent its reply, the reply sits in the client's socket, and the client sleeps on. Seen here twice
in 27 runs of 05_explore's widgets with five other builds on the machine (and once in the test
suite): each run stalled until papermill's time limit, when pyzmq looked at the socket again and
found the reply that had been there all along (the kernel's execution count showed the cell done).
:class:`SteadyChannel` waits in slices of :data:`WAKE_CHECK` seconds, and each slice ends by asking
the socket itself whether a message is waiting, so a lost wake-up costs at most one slice instead of
the whole run.

``python -m analysis.report.kernels`` is papermill's command line with the engine ``ipc`` registered
(``--engine ipc``), which runs notebooks with :class:`IPCKernelManager`; ``make report`` uses it.
From Python, pass ``kernel_manager_class=IPCKernelManager`` to ``papermill.execute_notebook``.

The engine also lets a notebook end early and cleanly: a cell that shows an output marked
:data:`analysis.notebook.about.END_NOTEBOOK` (``analysis.notebook.about.end_here(message)``, e.g. "this corpus has
no codebook") is the last one run; the cells after it are dropped from the executed copy. Its
kernels have :data:`analysis.notebook.about.ENDS_EARLY` set, by which ``end_here`` knows not to stop the run
itself (as it does in JupyterLab).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from queue import Empty

import zmq
from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.channels import AsyncZMQSocketChannel
from jupyter_client.manager import AsyncKernelManager
from nbclient.exceptions import CellExecutionError
from nbclient.util import run_sync
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.iorw import LocalHandler, papermill_io
from traitlets import DottedObjectName, Type

from ..io import write_text
from ..notebook.about import END_NOTEBOOK, ENDS_EARLY

# Seconds a channel waits on the socket's wake-up before it asks the socket directly.
WAKE_CHECK = 0.5


class SteadyChannel(AsyncZMQSocketChannel):
    """A kernel channel whose ``get_msg`` cannot sleep through a message that has arrived."""

    async def get_msg(self, timeout: float | None = None) -> dict:
        """The next message; ``Empty`` if none came within ``timeout`` seconds (None: wait for one)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = WAKE_CHECK if deadline is None else min(WAKE_CHECK, deadline - time.monotonic())
            if await self.socket.poll(max(0, int(left * 1000))) or self.socket.getsockopt(zmq.EVENTS) & zmq.POLLIN:
                return await self._recv()
            if deadline is not None and time.monotonic() >= deadline:
                raise Empty


class SteadyKernelClient(AsyncKernelClient):
    """The asyncio kernel client, its shell and IOPub channels made :class:`SteadyChannel`."""

    shell_channel_class = Type(SteadyChannel)
    iopub_channel_class = Type(SteadyChannel)


class IPCKernelManager(AsyncKernelManager):
    """A kernel manager whose kernel listens on Unix sockets ``socket-1`` to ``socket-5`` in a new
    temporary folder, removed when the kernel shuts down; its clients are :class:`SteadyKernelClient`."""

    client_class = DottedObjectName("analysis.report.kernels.SteadyKernelClient")
    client_factory = Type(SteadyKernelClient, klass=AsyncKernelClient)

    def __init__(self, **kwargs):
        folder = None
        if kwargs.setdefault("transport", "ipc") == "ipc" and "ip" not in kwargs:
            folder = tempfile.mkdtemp(prefix="kernel-")
            kwargs["ip"] = os.path.join(folder, "socket")
        super().__init__(**kwargs)
        self.socket_folder = folder

    def cleanup_connection_file(self) -> None:
        """Remove the connection file and the sockets' folder this manager made (on shutdown; a
        restart keeps both). A folder given by the caller through ``ip`` is left alone."""
        super().cleanup_connection_file()
        if self.socket_folder:
            shutil.rmtree(self.socket_folder, ignore_errors=True)


def ends_notebook(cell) -> bool:
    """Whether an executed cell showed an output marked :data:`END_NOTEBOOK`."""
    return any(END_NOTEBOOK in (out.get("metadata") or {}) for out in cell.get("outputs", []))


class EndingNotebookClient(PapermillNotebookClient):
    """papermill's client, which stops after a cell that :func:`ends_notebook` and drops the rest;
    its kernels are told so (:data:`analysis.notebook.about.ENDS_EARLY`)."""

    async def async_start_new_kernel(self, **kwargs):
        kwargs["env"] = {**kwargs.get("env", os.environ), ENDS_EARLY: "1"}
        await super().async_start_new_kernel(**kwargs)

    start_new_kernel = run_sync(async_start_new_kernel)  # nbclient binds the sync one to its own

    def papermill_execute_cells(self):
        for index, cell in enumerate(self.nb.cells):
            try:
                self.nb_man.cell_start(cell, index)
                self.execute_cell(cell, index)
            except CellExecutionError as ex:
                self.nb_man.cell_exception(self.nb.cells[index], cell_index=index, exception=ex)
                break
            finally:
                self.nb_man.cell_complete(self.nb.cells[index], cell_index=index)
            if ends_notebook(self.nb.cells[index]):
                del self.nb.cells[index + 1 :]
                break


class IPCEngine(NBClientEngine):
    """papermill's default engine (nbclient), with kernels started by :class:`IPCKernelManager`,
    and notebooks that may end early (:class:`EndingNotebookClient`)."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, **kwargs):
        import papermill.engines as engines

        client = engines.PapermillNotebookClient
        engines.PapermillNotebookClient = EndingNotebookClient
        try:
            return super().execute_managed_notebook(
                nb_man, kernel_name, kernel_manager_class=IPCKernelManager, **kwargs
            )
        finally:
            engines.PapermillNotebookClient = client


papermill_engines.register("ipc", IPCEngine)


class AtomicLocalHandler(LocalHandler):
    """papermill's handler of local files, whose writes are atomic (:func:`analysis.io.write_text`).

    papermill rewrites the executed notebook after every cell by opening it for writing and
    writing it out: on a full disk that left a truncated file, which ``make report`` then kept as
    ``<run>.failed.ipynb`` and which would not open. Written to a temporary file and renamed, the
    notebook is always the last copy that was written whole; a write that fails leaves it as it was
    (and papermill stops with the error)."""

    def write(self, buf, path):
        folder = os.path.dirname(os.path.join(self._cwd or "", path))
        if folder and not os.path.isdir(folder):
            raise FileNotFoundError(f"output folder {folder} doesn't exist.")
        write_text(buf, os.path.join(self._cwd or "", path))


def use_atomic_local_writes() -> None:
    """Make :class:`AtomicLocalHandler` papermill's handler of local paths. papermill looks the
    handler up by the scheme ``local`` and takes the last so registered, so the entry is replaced
    in place rather than registered again."""
    papermill_io._handlers = [
        (scheme, AtomicLocalHandler() if scheme == "local" else handler) for scheme, handler in papermill_io._handlers
    ]


def stop_as_on_ctrl_c(signum, frame):
    """A SIGTERM handler that stops papermill as Ctrl-C does (KeyboardInterrupt), so that it shuts
    its kernel down on the way out. By default SIGTERM ended papermill at once and left the kernel
    running: a kernel stuck in a cell that holds the GIL (a regular expression backtracking) never
    notices that its parent is gone, and ran on at full CPU."""
    raise KeyboardInterrupt(f"stopped by signal {signum}")


if __name__ == "__main__":
    import signal

    from papermill.cli import papermill

    signal.signal(signal.SIGTERM, stop_as_on_ctrl_c)
    use_atomic_local_writes()
    papermill(prog_name="papermill")
