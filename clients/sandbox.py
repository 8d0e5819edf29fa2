"""Running a repository's own check command on a fixed tree, without network and out of reach of
the worker's secrets.

The command comes from the repository (its `.pr-agent/config.toml` on the target branch) and runs
code of the pull request, so it gets: a copy of the tree in a temporary folder (never the clone), an
environment with nothing of the worker's but PATH (no tokens, no database URL, proxies emptied), a
network namespace of its own (`unshare --net`), a non-root user when the worker runs as root
(`setpriv`), a time limit after which its whole process group is killed, and the last few
kilobytes of its output. Where `unshare` cannot cut the network the result says so plainly.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tarfile
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path

OUTPUT_TAIL_CHARS = 4_000
NOBODY = 65534
_PROXIES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")


@dataclass(frozen=True)
class SandboxResult:
    exit_code: int | None
    timed_out: bool
    seconds: float
    output_tail: str
    isolation: str


def export_tree(repo_dir: Path, commit: str, target: Path) -> None:
    """Write the files of `commit` (from a bare clone) into `target`, which must exist."""
    if not commit or commit.startswith("-"):
        raise ValueError(f"refusing revision {commit!r}")
    archive = subprocess.Popen(
        ["git", "archive", "--format=tar", commit], cwd=repo_dir, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert archive.stdout is not None  # PIPE was asked for
    with tarfile.open(fileobj=archive.stdout, mode="r|") as tar:
        tar.extractall(target, filter="data")  # "data": no absolute paths, links out of the tree or devices
    _, stderr = archive.communicate(timeout=120)
    if archive.returncode != 0:
        raise RuntimeError(f"git archive {commit} failed: {stderr.decode('utf-8', 'replace').strip()}")


def run_isolated(command: str, workdir: Path, timeout: float) -> SandboxResult:
    """Run `command` (a shell command line) in `workdir` as described in the module docstring."""
    prefix, isolation, as_nobody = _isolation()
    if as_nobody:
        _hand_to_nobody(workdir)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(workdir), "LANG": "C.UTF-8", "CI": "true"}
    env |= dict.fromkeys(_PROXIES, "")
    started = time.monotonic()
    process = subprocess.Popen(
        [*prefix, "sh", "-c", command],
        cwd=workdir,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: a timeout kills everything it started
    )
    try:
        output, _ = process.communicate(timeout=timeout)
        timed_out = False
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        output, _ = process.communicate()
        timed_out = True
    tail = output.decode("utf-8", "replace")[-OUTPUT_TAIL_CHARS:]
    code = None if timed_out else process.returncode
    return SandboxResult(code, timed_out, time.monotonic() - started, tail, isolation)


@cache
def _isolation() -> tuple[list[str], str, bool]:
    """The command prefix that takes the network away, the sentence that says how, and whether the
    command runs as nobody (its folder must then be nobody's)."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return [], "network NOT isolated: `unshare` is not installed on this worker; proxies were emptied", False
    if os.geteuid() == 0 and _works([unshare, "--net", "--", "true"]):
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            return [unshare, "--net", "--"], "no network (as root: `setpriv` is not installed)", False
        drop = [setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", "--no-new-privs", "--"]
        return [unshare, "--net", "--", *drop], "no network, as user nobody", True
    if os.geteuid() != 0 and _works([unshare, "--user", "--map-root-user", "--net", "--", "true"]):
        return [unshare, "--user", "--map-root-user", "--net", "--"], "no network (own user namespace)", False
    return [], "network NOT isolated: this worker may not create a network namespace; proxies were emptied", False


def _works(argv: list[str]) -> bool:
    try:
        return subprocess.run(argv, capture_output=True, timeout=10, check=False).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def _hand_to_nobody(workdir: Path) -> None:
    for folder, dirs, files in os.walk(workdir):
        for name in (folder, *(os.path.join(folder, d) for d in dirs), *(os.path.join(folder, f) for f in files)):
            os.chown(name, NOBODY, NOBODY, follow_symlinks=False)
