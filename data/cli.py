"""What every command line shares: a closed pipe (``… | head``) ends it quietly."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import TypeVar

F = TypeVar("F", bound=Callable[..., int])


def quiet_pipes(main: F) -> F:
    """Wrap a command line's ``main``: when whoever reads its output stops reading (``python -m … | head``), stop
    writing and exit 0 instead of printing a BrokenPipeError traceback."""

    @functools.wraps(main)
    def run(*args: object, **kwargs: object) -> int:
        try:
            status = main(*args, **kwargs)
            sys.stdout.flush()  # inside the guard: an unread pipe fails here, not at interpreter exit
            return status
        except BrokenPipeError:
            # Python flushes stdout once more at exit; point it at /dev/null so that flush cannot fail again.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            return 0

    return run  # type: ignore[return-value]
