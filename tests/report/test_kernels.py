"""Kernels for papermill on Unix sockets, each in a folder of its own (the notebook tests and
`make report` run notebooks with them)."""

import asyncio
import os
import time

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
