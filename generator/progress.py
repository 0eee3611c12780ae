"""Optional progress reports from long loops, without the library printing anything.

The library wraps a loop in `track`; by default nothing happens. A front end (the CLI)
installs an observer with `observe` for the duration of one call and draws what it hears.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from typing import Callable, Iterator, Protocol, Sequence, TypeVar

T = TypeVar("T")


class Observer(Protocol):
    """Receives the start, each step and the end of a tracked loop."""

    def start(self, label: str, total: int) -> None: ...

    def step(self, label: str, item: object) -> None: ...

    def stop(self, label: str) -> None: ...


_observer: ContextVar[Observer | None] = ContextVar("nianbao_progress", default=None)


def track(items: Sequence[T], label: str) -> Iterator[T]:
    """Yield ``items``, telling the current observer (if any) about each one."""
    observer = _observer.get()
    if observer is None:
        yield from items
        return
    observer.start(label, len(items))
    try:
        for item in items:
            observer.step(label, item)
            yield item
    finally:
        observer.stop(label)


@contextmanager
def observe(observer: Observer | None) -> Iterator[None]:
    """Install ``observer`` for the loops tracked inside the ``with`` block."""
    token = _observer.set(observer)
    try:
        yield
    finally:
        _observer.reset(token)



_notice: ContextVar[Callable[[str], None] | None] = ContextVar("nianbao_notice", default=None)


def notify(text: str) -> None:
    """Pass a one-line notice (such as 「另一个 PDF 转换正在进行…」) to the front end, if any."""
    listener = _notice.get()
    if listener is not None:
        listener(text)


@contextmanager
def noticing(listener: Callable[[str], None] | None) -> Iterator[None]:
    """Install ``listener`` for the notices sent inside the ``with`` block."""
    token = _notice.set(listener)
    try:
        yield
    finally:
        _notice.reset(token)
