"""A call run in a thread of its own, for a step that waits on the file system while the build goes on.

Reading and hashing (hashlib lets go of the interpreter's lock for large inputs), syncing a file and closing one
all wait in the kernel, not in Python, so another thread runs meanwhile. Each use says what it overlaps and what
that saves; `result` is where the build waits for it, and raises what the call raised.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class InThread(Generic[T]):
    """`function(*arguments)`, started now in a thread of its own."""

    def __init__(self, function: Callable[..., T], *arguments: object) -> None:
        self._outcome: list[T | BaseException] = []
        self._thread = threading.Thread(target=self._run, args=(function, arguments))
        self._thread.start()

    def _run(self, function: Callable[..., T], arguments: tuple) -> None:
        try:
            self._outcome.append(function(*arguments))
        except BaseException as error:  # handed to the caller of result()
            self._outcome.append(error)

    def result(self) -> T:
        """What the call returned, once it has; what it raised is raised here."""
        self._thread.join()
        [outcome] = self._outcome
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome
