"""`deckgen watch` latency: from saving a card file to the replaced .apkg in build/.

    python benchmarks/watch_latency.py PROJECT_DIR [--saves 21] [--gap 1.0]

Starts `python -m deckgen --project PROJECT_DIR watch` (a fresh process, as a user starts it) and waits
for its first build. Then, `--saves` times: notes the .apkg's identity (inode, mtime, size), saves one
card file with one card's answer edited to a still-valid text (it loses, then regains, its final full
stop: every save is a real change and the deck stays valid), and polls the .apkg every 5 ms until it is
replaced. The figure is the wall time from just before the save to the poll that sees the new .apkg, so
it *includes* the watch's debounce (src/deckgen/watch.py: a burst of changes ends after QUIET_MS
without a further change) as well as the build. Before the next save it waits for the build's
summary line (the lock and memo are written by then) and a quiet gap of `--gap` seconds.

Where the time goes: the watch prints `[HH:MM:SS] changed: ...; rebuilding` just before it starts a
build, so the time that line arrives splits each latency into the wait (file-system events and the
debounce) and the build up to the replaced .apkg. The watch also prints each build's own time
(`... in 0.12 s`), which includes what it does after replacing the .apkg (the lock, the memo).

run.py calls `measure` for its `watch` case; this script alone prints the figures as JSON.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import queue
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

POLL_S = 0.005
# The last line of a build's summary, with the note an incremental package adds after its time.
BUILD_LINE = re.compile(r"\(([\d,]+) bytes\) in ([\d.]+) s(?:; not compressed: .*)?$")


def _identity(path: Path) -> tuple | None:
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    return info.st_ino, info.st_mtime_ns, info.st_size


def _output(project: Path) -> Path:
    match = re.search(r"(?m)^output:\s*\"?([^\"\n]+?)\"?\s*$", (project / "cards" / "deck.yaml").read_text("utf-8"))
    return project / "build" / (match.group(1) if match else "deck.apkg")


def _pump(stream, tag: str, lines: queue.Queue) -> None:
    for line in stream:
        lines.put((time.perf_counter(), tag, line.rstrip("\n")))


def distribution(values: list[float]) -> dict:
    ordered = sorted(values)
    return {"n": len(ordered), "min": ordered[0], "median": statistics.median(ordered),
            "p90": ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)], "max": ordered[-1]}


def measure(project: Path, saves: int, edit: Callable[[], None], *, gap: float = 1.0, timeout: float = 120.0,
            python: str = sys.executable, env: dict | None = None, log: Callable[[str], None] = print) -> dict:
    """Start `deckgen watch` on `project`, call `edit` (which saves a card file) `saves` times, and return
    the save-to-.apkg latencies (seconds) and the build times the watch printed."""
    apkg = _output(project)
    process = subprocess.Popen([python, "-m", "deckgen", "--project", str(project), "watch"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1, env=env,
                               start_new_session=True)  # so stopping it can't signal the benchmark
    lines: queue.Queue = queue.Queue()
    for stream, tag in ((process.stdout, "out"), (process.stderr, "err")):
        threading.Thread(target=_pump, args=(stream, tag, lines), daemon=True).start()
    seen: list[str] = []

    def wait_for(predicate: Callable[[str, str], bool], deadline: float) -> tuple[float, str] | None:
        while time.perf_counter() < deadline:
            try:
                at, tag, line = lines.get(timeout=0.05)
            except queue.Empty:
                if process.poll() is not None:
                    raise RuntimeError(f"deckgen watch exited {process.returncode}:\n" + "\n".join(seen[-30:]))
                continue
            seen.append(f"{tag}: {line}")
            if tag == "err" and line.startswith("deckgen:"):
                raise RuntimeError("deckgen watch reported a failed build:\n" + "\n".join(seen[-30:]))
            if predicate(tag, line):
                return at, line
        return None

    latencies: list[float] = []
    waits: list[float] = []  # from the save to the watch's "changed: ...; rebuilding"
    builds: list[float] = []  # the build's own time, as the watch prints it
    try:
        if wait_for(lambda tag, line: tag == "out" and "] watching " in line, time.perf_counter() + timeout) is None:
            raise RuntimeError("deckgen watch did not finish its first build:\n" + "\n".join(seen[-30:]))
        time.sleep(gap)
        for number in range(saves):
            before = _identity(apkg)
            started = time.perf_counter()
            edit()
            deadline = started + timeout
            while _identity(apkg) == before:
                if time.perf_counter() > deadline:
                    raise RuntimeError(f"save {number + 1}: {apkg} not replaced within {timeout:.0f} s:\n"
                                       + "\n".join(seen[-30:]))
                time.sleep(POLL_S)
            latencies.append(time.perf_counter() - started)
            changed = wait_for(lambda tag, line: tag == "out" and "] changed: " in line, time.perf_counter() + timeout)
            done = wait_for(lambda tag, line: tag == "out" and BUILD_LINE.search(line) is not None,
                            time.perf_counter() + timeout)
            if changed is not None:
                waits.append(changed[0] - started)
            if done is not None:
                builds.append(float(BUILD_LINE.search(done[1]).group(2)))
            log(f"    save {number + 1}/{saves}: .apkg replaced after {1000 * latencies[-1]:.0f} ms"
                + (f" (the build began after {1000 * waits[-1]:.0f} ms)" if changed is not None else "")
                + (f"; the whole build, as printed: {1000 * builds[-1]:.0f} ms" if done is not None else ""))
            time.sleep(gap)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)  # the watch stops between builds
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    to_apkg = [latency - wait for latency, wait in zip(latencies, waits)] if len(waits) == len(latencies) else []
    return {"saves": saves, "gap_s": gap, "latencies": latencies, "latency": distribution(latencies),
            "waits": waits, "wait": distribution(waits) if waits else None,
            "to_apkg": distribution(to_apkg) if to_apkg else None,
            "builds": builds, "build": distribution(builds) if builds else None}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--saves", type=int, default=21)
    parser.add_argument("--gap", type=float, default=1.0, help="quiet seconds between a build's end and the next save")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from run import OneCardEditor, child_env

    editor = OneCardEditor(args.project)
    try:
        result = measure(args.project, args.saves, editor, gap=args.gap, env=child_env(),
                         log=lambda text: print(text, file=sys.stderr, flush=True))
    finally:
        editor.restore()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
