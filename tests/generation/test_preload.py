"""The Generation page loads torch, diffusers and the model in the background as it opens: by the click the model
is loaded, and the click loads nothing again (the bundled tiny model; nothing is downloaded)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

import generation.keys  # noqa: F401  (see tests/generation/test_page.py: AppTest's sys.path)
from generation import BUNDLED_MODEL, backends
from generation import preload as pre
from tests.generation.test_page import _generate, page  # noqa: F401  (the page fixture)

LIMIT = 600  # seconds before the test calls the load hung (a guard, never a measure of speed)


def test_the_model_is_loaded_before_the_click(page, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    backends.clear_cache()
    pre.forget()
    loads: list[str] = []
    real = backends._load_bundled

    def counted(device: str, folder: Path | None = None) -> backends.LoadedModel:
        loads.append(threading.current_thread().name)
        return real(device, folder)

    monkeypatch.setattr(backends, "_load_bundled", counted)
    page.run()
    assert not page.exception, page.exception
    job = pre._preloads.get(BUNDLED_MODEL)
    assert job is not None  # started by opening the page, before anything was clicked
    assert job.wait(LIMIT) and job.ready, job.error
    assert loads == [pre.THREAD_NAME] and job.step == job.steps
    assert any(key[0] == BUNDLED_MODEL for key in backends._cache)

    _generate(page)  # development keys, then Generate: the cached model, loaded once
    assert loads == [pre.THREAD_NAME]
    assert len(list((tmp_path / "home" / "assets").rglob("*.png"))) == 1
