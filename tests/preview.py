"""A real ``mkdocs serve`` of a project copy on a free port: for the live-preview tests and
benchmarks/preview_reload.py."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What ./dev serve runs (conftest.BUILDER says why; IPT_BUILDER=mkdocs for MkDocs itself).
BUILDER = os.environ.get("IPT_BUILDER", "properdocs")


def copy_project_files(dest: Path) -> Path:
    """A scratch copy of the project: pages, bib, config, hooks and theme overrides."""
    for name in ("docs", "hooks", "overrides"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("mkdocs.yml", "references.bib", "evidence.yml"):
        shutil.copy2(ROOT / name, dest / name)
    return dest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        body: bytes = response.read()
        return body.decode("utf-8")


class Preview:
    """``mkdocs serve`` in ``project``, its terminal output in ``serve.log``."""

    def __init__(self, project: Path, env: dict[str, str] | None = None) -> None:
        self.project = project
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log_file = project / "serve.log"
        with self.log_file.open("w") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", BUILDER, "serve", "--dev-addr", f"127.0.0.1:{self.port}"],
                cwd=project, stdout=out, stderr=subprocess.STDOUT,
                env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true",
                     "IPT_CITATION_CACHE": "off", **(env or {})},
            )

    def log(self) -> str:
        return self.log_file.read_text(encoding="utf-8", errors="replace")

    def builds(self) -> int:
        """Rebuilds finished so far: the server logs this line after each one it serves."""
        return self.log().count("Reloading browsers")

    def wait_until(self, condition: Callable[[], bool], what: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"mkdocs serve exited while waiting for {what}:\n{self.log()}")
            try:
                if condition():
                    return
            except OSError:
                pass  # not serving yet
            time.sleep(0.2)
        raise AssertionError(f"timed out waiting for {what}:\n{self.log()}")

    def started(self) -> Preview:
        self.wait_until(lambda: "Serving on" in self.log() and bool(fetch(self.url)), "the first build")
        return self

    def save(self, relative: str, text: str | bytes) -> None:
        """Write a file as an editor saves it, then wait for the rebuild it causes."""
        before = self.builds()
        path = self.project / relative
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        self.wait_until(lambda: self.builds() > before, f"a rebuild after saving {relative}")

    def page(self, path: str) -> str:
        return fetch(self.url + path)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
