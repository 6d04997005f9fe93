"""`mkdocs serve` looks for saved files every 0.1 s, not MkDocs' fixed 0.5 s (ipt_site.live_preview)."""

from __future__ import annotations

from pathlib import Path

import watchdog.events
import watchdog.observers.polling

from ipt_site.live_preview import POLL_SECONDS, poll_faster


def test_the_watcher_mkdocs_serve_makes_polls_faster_for_old_and_new_paths(tmp_path: Path) -> None:
    # The observer MkDocs' LiveReloadServer creates, with its default interval.
    observer = watchdog.observers.polling.PollingObserver(timeout=0.5)
    handler = watchdog.events.FileSystemEventHandler()
    (tmp_path / "docs").mkdir()
    observer.schedule(handler, str(tmp_path / "docs"), recursive=True)
    assert [emitter.timeout for emitter in observer.emitters] == [0.5]
    assert poll_faster(observer)
    (tmp_path / "references.bib").write_text("", encoding="utf-8")
    observer.schedule(handler, str(tmp_path / "references.bib"), recursive=False)  # watched after the hook
    assert observer.timeout == POLL_SECONDS == 0.1
    assert sorted(emitter.timeout for emitter in observer.emitters) == [0.1, 0.1]


def test_a_watcher_of_another_shape_is_left_as_it_is() -> None:
    class Other:
        def __init__(self) -> None:
            self.emitters: list[object] = []

    other = Other()
    assert not poll_faster(other)
    assert not hasattr(other, "_timeout")
