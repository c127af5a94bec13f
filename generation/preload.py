"""The model loaded before anyone presses Generate: importing torch and diffusers and loading a pipeline takes
about 5 s on a quiet 2-core machine and 13-17 s under load (issue 22), which the first click used to pay.

:func:`preload` starts a daemon thread, once per model and process, that goes through the same
:func:`generation.backends.load` a generation calls. That function's cache and lock make a click that comes early
wait only for what is left of the load, never load twice. Nothing is downloaded: the bundled model is in the
package, and a local folder is checked by :func:`generation.backends.validate_model_folder` first.
"""

from __future__ import annotations

import importlib
import logging
import os
import threading
from dataclasses import dataclass, field

from data.i18n import N_
from generation.request import BUNDLED_MODEL

log = logging.getLogger(__name__)

# What each step of a preload does, as the page says it while a click waits for it.
STEPS = (N_("Loading torch…"), N_("Loading diffusers…"), N_("Loading the model's weights…"))
THREAD_NAME = "endroll-generation-preload"


@dataclass
class Preload:
    """One model's load in the background: ``step`` of ``len(STEPS)`` done; ``error`` when it failed (the click
    then tries again and shows the error as a generation would)."""

    model: str
    step: int = 0
    error: BaseException | None = None
    done: threading.Event = field(default_factory=threading.Event)

    @property
    def steps(self) -> int:
        return len(STEPS)

    @property
    def ready(self) -> bool:
        """True once the model is loaded and cached for every generation of this process."""
        return self.done.is_set() and self.error is None

    @property
    def doing(self) -> str:
        """The step under way (a catalog message), or the last one when done."""
        return STEPS[min(self.step, len(STEPS) - 1)]

    def wait(self, seconds: float | None = None) -> bool:
        """Wait up to ``seconds`` (None: until done) for the load to end; True when it has ended."""
        return self.done.wait(seconds)


_preloads: dict[str, Preload] = {}
_lock = threading.Lock()


def preload(model: str | os.PathLike = BUNDLED_MODEL) -> Preload:
    """The background load of ``model`` (the bundled model's name or a local diffusers folder), started on the first
    call in this process; later calls return the same one. A folder that is not a loadable model raises
    :class:`~generation.errors.ModelPathError` at once, and nothing starts."""
    from generation.backends import validate_model_folder

    key = os.fspath(model)
    if key != BUNDLED_MODEL:
        key = str(validate_model_folder(key).resolve())
    with _lock:
        found = _preloads.get(key)
        if found is None or (found.done.is_set() and found.error is not None):
            found = _preloads[key] = Preload(key)
            threading.Thread(target=_load, args=(found,), name=THREAD_NAME, daemon=True).start()
        return found


def forget() -> None:
    """Forget every preload (tests; the loaded models stay in :mod:`generation.backends`' cache until it is
    cleared)."""
    with _lock:
        _preloads.clear()


def _load(job: Preload) -> None:
    try:
        from generation import backends

        backends._torch_setup()
        job.step = 1
        importlib.import_module("diffusers")  # here, so the click finds it imported

        job.step = 2
        backends.load(job.model)
        job.step = 3
    except BaseException as exc:  # kept for the page; the click's own load raises it again, in the reader's words
        log.warning("preloading %s failed: %s", job.model, exc)
        job.error = exc
    finally:
        job.done.set()
