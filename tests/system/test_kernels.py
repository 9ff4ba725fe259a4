"""Runs stopped from outside (SIGTERM, a full disk) leave no kernel running and a notebook that opens."""

import os
import resource
import signal
import subprocess
import sys
import time

import nbformat


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
