"""Read references.bib with pandoc's own reader, as the build's pandoc calls do.

pybtex (which the other bib checks use) accepts syntax that pandoc rejects,
such as ``@misc(key, ...)`` or ``@string (...)`` with parentheses; the build
then dies in pandoc, cited or not, because the References page hands pandoc
the whole file.  Asking pandoc itself is the only way to agree with it: it
names the line and column of the first thing it cannot read.  It takes about
a second of CPU for 5,000 entries, so the hash of a file pandoc has read
without complaint is kept (``.cache/``), and the same file is not read again.

pandoc reads a ``.bib`` file as BibLaTeX (the References page and the content API's
CSL-JSON), so this reads it so too, to CSL-JSON: the content API uses that output
instead of a second reading of the whole file (about 1.5 s of CPU at 5,000 entries).
"""

from __future__ import annotations

import hashlib
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ipt_site.codes import Code
from ipt_site.problems import Problem

CODE = Code.BIB011.name

# pandoc: 'Error at "references.bib" (line 2, column 6):\nunexpected '('\n...'
_ERROR_RE = re.compile(r"\(line (\d+), column (\d+)\):\s*\n(.*)")
_PAREN_COMMAND_RE = re.compile(r"@\s*(\w+)\s*\($")
_COMMAND_START_RE = re.compile(r"^[ \t]*@", re.MULTILINE)
MAX_REPORTED = 20  # pandoc runs at most this many times on a broken file
READ_AS = ["--from", "biblatex", "--to", "csljson"]  # as hooks/content_api.py reads it


def _blank_command(text: str, line: int) -> str:
    """``text`` with the command around ``line`` turned to spaces (lines kept, so positions stay)."""
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    offset = starts[min(line, len(starts)) - 1]
    begin = max((m.start() for m in _COMMAND_START_RE.finditer(text, 0, offset + 1)), default=offset)
    following = _COMMAND_START_RE.search(text, offset + 1)
    end = following.start() if following else len(text)
    return text[:begin] + re.sub(r"[^\n]", " ", text[begin:end]) + text[end:]


@dataclass
class PandocRead:
    """A pandoc run started in the background: the other checks run meanwhile."""

    process: subprocess.Popen[bytes] | None
    path: str
    data: bytes
    error: str = ""
    known_good: Path | None = None  # where to note that pandoc read this file without complaint
    read_before: bool = False  # it did, the last time: pandoc was not run
    pandoc: str = "pandoc"  # the executable that reads it
    csl_json: str | None = None  # what pandoc wrote, once it has read the file without complaint

    def problems(self) -> list[Problem]:
        """BIB011 for the first thing pandoc cannot read, or nothing."""
        if self.read_before:
            return []
        if self.process is None:
            return self._unstartable()
        try:
            stdout, stderr = self.process.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.communicate()
            return [Problem(self.path, 0, 0, CODE, "pandoc took more than 2 minutes to read the bibliography",
                            "look for a very long or unclosed field")]
        if self.process.returncode == 0:
            self._remember()
            # Given to the content API only where reading the file is reading the text it reads
            # (universal newlines: pandoc does not end a line at a lone carriage return) and
            # pandoc had nothing to say (its run_pandoc call logs what pandoc says).
            if b"\r" not in self.data and not stderr.strip():
                self.csl_json = stdout.decode("utf-8", errors="replace")
            return []
        return self._all_problems(stderr.decode("utf-8", errors="replace"))

    def close(self) -> None:
        """Stop pandoc if it is still running (the checks stopped before asking for its result)."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.communicate()

    def _all_problems(self, stderr: str) -> list[Problem]:
        """pandoc stops at its first error: blank that command out and ask again, to report them all."""
        pandoc = self.pandoc
        text = self.data.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")
        problems: list[Problem] = []
        for _ in range(MAX_REPORTED):
            problem = pandoc_problem(self.path, self.data, stderr)
            if problems and (problem.line, problem.column) <= (problems[-1].line, problems[-1].column):
                break  # no progress: stop rather than loop
            problems.append(problem)
            if problem.line <= 0:
                break
            text = _blank_command(text, problem.line)
            rerun = subprocess.run([pandoc, *READ_AS], input=text.encode("utf-8"),
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120)
            if rerun.returncode == 0:
                break
            stderr = rerun.stderr.decode("utf-8", errors="replace")
        return problems

    def _remember(self) -> None:
        if self.known_good is None or self.process is None:
            return
        try:
            self.known_good.parent.mkdir(parents=True, exist_ok=True)
            self.known_good.write_text(_digest(self.data, self.pandoc), encoding="utf-8")
        except OSError:
            pass  # only the next check's speed depends on it

    def _unstartable(self) -> list[Problem]:
        return [Problem(self.path, 0, 0, CODE, f"pandoc could not be started: {self.error}",
                        "reinstall the project (./dev test sets it up): pypandoc-binary ships pandoc")]


def start_pandoc_read(file: Path, data: bytes, path: str, known_good: Path | None = None) -> PandocRead:
    """Start pandoc on ``file`` (whose bytes are ``data``); call ``.problems()`` for the result.

    ``known_good``: a file noting the last bibliography pandoc read without complaint
    (written on success); when it names these bytes, pandoc is not run at all.
    """
    try:
        import pypandoc

        pandoc = str(pypandoc.get_pandoc_path())
        if known_good is not None and known_good.is_file() and \
                known_good.read_text(encoding="utf-8") == _digest(data, pandoc):
            return PandocRead(None, path, data, read_before=True)
        process = subprocess.Popen(
            [pandoc, *READ_AS, str(file)], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except (OSError, ImportError) as error:
        return PandocRead(None, path, data, str(error))
    return PandocRead(process, path, data, known_good=known_good, pandoc=pandoc)


def _digest(data: bytes, pandoc: str) -> str:
    """The bibliography's bytes and the pandoc that read them, and how (a pandoc upgrade reads again)."""
    try:
        binary = f"{pandoc} {Path(pandoc).stat().st_mtime_ns}"
    except OSError:
        binary = pandoc
    return hashlib.sha256(" ".join([binary, *READ_AS]).encode() + b"\0" + data).hexdigest()


def pandoc_problem(path: str, data: bytes, stderr: str) -> Problem:
    """pandoc's error message as a located problem, with a hint for the usual causes."""
    match = _ERROR_RE.search(stderr)
    if match is None:
        message = " ".join(stderr.split())[:300] or "pandoc could not read it"
        return Problem(path, 0, 0, CODE, f"pandoc cannot read the bibliography: {message}",
                       "fix the BibTeX syntax: pandoc renders the References page from this file")
    line, column, what = int(match[1]), int(match[2]), match[3].strip()
    text = data.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    before = lines[line - 1][:column] if 0 < line <= len(lines) else ""
    hint = "fix the BibTeX syntax here: pandoc renders the References page from this file"
    command = _PAREN_COMMAND_RE.search(before)
    if command:
        name = command[1]
        if name.lower() == "string":
            hint = "write it with braces, @string{name = {value}}: pandoc reads only braces"
        else:
            hint = f"write the entry with braces, @{name}{{key, ...}}, and end it with '}}': pandoc reads only braces"
    return Problem(path, line, column, CODE, f"pandoc cannot read the bibliography here: {what}", hint)
