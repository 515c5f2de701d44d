"""`deckgen watch`: rebuild whenever something under cards/, sources/ or templates/ is saved.

Changes are grouped (debounced) so that one save — or an editor's write-then-rename — gives one
build. A successful build is reported through `on_build`; a failed one prints its diagnostics and
leaves the last good deck and deck.lock exactly as they were (the pipeline replaces both or neither),
and the watch goes on. Ctrl-C or SIGTERM stops it between builds, never halfway through one; a second
Ctrl-C interrupts at once.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from .diagnostics import DeckgenFailure, Diagnostic, Location, display_path
from .lock import LockReuse

WATCHED = ("cards", "sources", "templates")
DEBOUNCE_MS = 1600  # the longest a burst of changes is gathered before building
QUIET_MS = 50  # a burst ends after this long without a further change (watchfiles' own default step)
POLL_MS = 500  # how often the watcher wakes up with no change (to notice that it should stop)


def watch(root: Path, *, on_build: Callable, out=None, err=None) -> int:
    """Build now, then again after every change, until stopped. Returns the exit status (0)."""
    import watchfiles

    out, err = out or sys.stdout, err or sys.stderr
    folders = [root / name for name in WATCHED if (root / name).is_dir()]
    if not folders:
        raise DeckgenFailure([Diagnostic(Location(display_path(root / "cards", root)), "nothing to watch",
                                         "run deckgen from the project root, or pass --project")])
    stop = threading.Event()
    reuse = LockReuse()  # what one build read and wrote of deck.lock, for the next
    with _stop_on_signals(stop):
        watching = False
        while not stop.is_set():
            # A watch follows a folder, not its name: when cards/ (or another) is deleted and made again,
            # or replaced by a moved one, the watcher is set up again on what the names now are.
            folders = [root / name for name in WATCHED if (root / name).is_dir()]
            identities = _identities(root)
            if not folders:  # all of them gone for the moment: look again shortly
                stop.wait(POLL_MS / 1000)
                continue
            changes = watchfiles.watch(*folders, stop_event=stop, debounce=DEBOUNCE_MS, step=QUIET_MS,
                                       rust_timeout=POLL_MS, yield_on_timeout=True, raise_interrupt=False)
            replaced = False
            for batch in changes:
                if not watching:  # the first wake-up: the watcher is in place, so no later save is missed
                    watching = True
                    _say(out, "building")
                    _attempt(root, on_build, out, err, reuse)
                    _say(out, f"watching {', '.join(display_path(f, root) + '/' for f in folders)} (Ctrl-C to stop)")
                    continue
                if _identities(root) != identities:
                    replaced = True
                    break
                lasting = _lasting(batch)
                if lasting and not stop.is_set():
                    _say(out, f"changed: {_shown(lasting, root)}; rebuilding")
                    _attempt(root, on_build, out, err, reuse)
            if not replaced:
                break
            # Rebuild only once the new watcher is in place (its first wake-up, as at the start), so
            # that a save made right after this rebuild is not missed.
            _say(out, "a watched folder was replaced; watching it again")
            watching = False
    _say(out, "stopped watching")
    return 0


def _identities(root: Path) -> tuple:
    """Which folders the watched names are now (device and inode; None for one that is missing)."""
    found = []
    for name in WATCHED:
        try:
            info = os.stat(root / name)
            found.append((info.st_dev, info.st_ino))
        except OSError:
            found.append(None)
    return tuple(found)


def _attempt(root: Path, on_build: Callable, out, err, reuse: LockReuse) -> bool:
    """One build. Errors are printed, never raised: the watch goes on."""
    from . import delta

    try:
        built = delta.build(root, reuse=reuse)
    except DeckgenFailure as failure:
        for diagnostic in failure.diagnostics:
            print(diagnostic.render(), file=err)
        noun = "problem" if len(failure.diagnostics) == 1 else "problems"
        print(f"deckgen: {len(failure.diagnostics)} {noun}; the last good deck and deck.lock are unchanged; "
              f"watching for the fix", file=err, flush=True)
        return False
    except Exception as exc:  # a bug in deckgen: say so, keep the last good deck, keep watching
        print(f"deckgen: internal error: {type(exc).__name__}: {exc}\n"
              f"    hint: this is a bug in deckgen; run `deckgen build` with DECKGEN_DEBUG=1 for details",
              file=err, flush=True)
        return False
    on_build(built)
    out.flush()
    return True


def _lasting(batch: set) -> set[str]:
    """Changed paths, less an editor's temporary files (added and deleted again within the batch)."""
    from watchfiles import Change

    by_path: dict[str, set] = {}
    for change, path in batch:
        by_path.setdefault(path, set()).add(change)
    return {path for path, kinds in by_path.items() if not {Change.added, Change.deleted} <= kinds
            or Path(path).exists()}


def _shown(paths: set[str], root: Path) -> str:
    shown = sorted(display_path(Path(path), root) for path in paths)
    return ", ".join(shown[:5]) + (f" and {len(shown) - 5} more" if len(shown) > 5 else "")


def _say(out, message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=out, flush=True)


@contextlib.contextmanager
def _stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """SIGINT/SIGTERM ask the loop to stop after the current build; a second SIGINT interrupts at once."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def request_stop(signum: int, frame: object) -> None:
        if stop.is_set() and signum == signal.SIGINT:
            raise KeyboardInterrupt
        stop.set()

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
