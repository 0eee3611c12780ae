"""Builds run with Python's cyclic garbage collector paused (issue #12).

A build allocates tens of thousands of objects that live until it ends (models, issues,
XML proxies); each full collection the allocations trigger walks all of them, and every
object the interpreter has loaded, to find almost nothing (about 140 unreachable objects
after a build of 2,000 items). Pausing the collector during a build saves that work;
the few cycles wait for the next collection. Reference counting frees memory as usual.
"""

from __future__ import annotations

import gc
from functools import wraps
from typing import Callable, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


def collector_paused(function: Callable[P, R]) -> Callable[P, R]:
    """Return ``function`` running with the cyclic collector paused (if it was on: a
    nested or concurrent call leaves the switch to the outermost one)."""
    @wraps(function)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        if not gc.isenabled():
            return function(*args, **kwargs)
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            gc.enable()
    return paused
