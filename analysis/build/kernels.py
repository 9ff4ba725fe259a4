"""Jupyter kernels that cannot collide: papermill talks to each over Unix sockets in a folder of its own.

By default jupyter_client gives a kernel five TCP ports that it found free by binding port 0 and
closing the socket again; the kernel binds them a moment later, once it has started. A process
that takes one of those ports in between (another kernel starting: `make report` runs two
notebooks at once, and the tests start kernels of their own) makes the kernel die with 'Address
already in use' and the notebook run fail (papermill issue 511). jupyter_client's IPC transport
without a folder of its own is no better: it picks the first unused name ``kernel-ipc-N`` in the
working directory, which two kernels started at once can both pick. Sockets in a new temporary
folder leave no such window, as no other process can choose the same path.

``python -m analysis.build.kernels`` is papermill's command line with the engine ``ipc`` registered
(``--engine ipc``), which runs notebooks with :class:`IPCKernelManager`; ``make report`` uses it.
From Python, pass ``kernel_manager_class=IPCKernelManager`` to ``papermill.execute_notebook``.
"""

from __future__ import annotations

import os
import shutil
import tempfile

from jupyter_client.manager import AsyncKernelManager
from papermill.engines import NBClientEngine, papermill_engines


class IPCKernelManager(AsyncKernelManager):
    """A kernel manager whose kernel listens on Unix sockets ``socket-1`` to ``socket-5`` in a new
    temporary folder, removed when the kernel shuts down."""

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


class IPCEngine(NBClientEngine):
    """papermill's default engine (nbclient), with kernels started by :class:`IPCKernelManager`."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, **kwargs):
        return super().execute_managed_notebook(nb_man, kernel_name, kernel_manager_class=IPCKernelManager, **kwargs)


papermill_engines.register("ipc", IPCEngine)

if __name__ == "__main__":
    from papermill.cli import papermill

    papermill(prog_name="papermill")
