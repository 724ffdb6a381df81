"""Running a child Python that reports its saves line by line, and killing it mid-way."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def run_and_kill(code: str, args: list[str], kill_after: int, extra: float) -> list[list[str]]:
    """Run `python -c code args...`; SIGKILL it `extra` seconds after it has reported
    `kill_after` lines. Returns the whole lines it printed, split into words; the first must be
    "open" (the child started)."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE, text=True, env=env)
    lines: list[list[str]] = []
    reached = threading.Event()

    def read() -> None:
        assert child.stdout is not None
        for line in child.stdout:
            # Only a whole line is a report: with PYTHONUNBUFFERED set, print() writes its parts
            # one by one, and a kill can leave a torn last line ("note <id>" without its text).
            if line.endswith("\n"):
                lines.append(line.split())
            if len(lines) >= kill_after:
                reached.set()
        reached.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reached.wait(timeout=30)
    time.sleep(extra)
    if child.poll() is None:
        os.kill(child.pid, signal.SIGKILL)
    child.wait()
    reader.join(timeout=5)
    assert lines and lines[0] == ["open"], f"child did not start (exit {child.returncode})"
    return lines
