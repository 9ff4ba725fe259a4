"""Kernels for papermill on Unix sockets, each in a folder of its own (the notebook tests and
`make report` run notebooks with them)."""

import os

from papermill.engines import papermill_engines

from analysis.build.kernels import IPCEngine, IPCKernelManager


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
