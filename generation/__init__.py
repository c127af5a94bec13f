"""Endroll's image generator: every generated image names the person who operated the tool.

Importing this package is cheap (no torch, no diffusers): the heavy modules load when ``generate`` or
``train`` is first called, so the dashboard starts fast.

    from generation import GenerationRequest, generate
    result = generate(GenerationRequest(operator="山田 花子", scene="sunset", count=4, seed=7), session=session)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from generation.errors import GenerationError, ModelPathError, OperatorError, ProvenanceError
from generation.request import BUNDLED_MODEL, GeneratedImage, GenerationRequest, GenerationResult
from generation.scenes import SCENE_LABELS, SCENES

if TYPE_CHECKING:
    from generation.keys import create_dev_keys, issue_credential
    from generation.paint_over import record_paint_over
    from generation.pipeline import generate
    from generation.verification import Verification, verify

__all__ = [
    "BUNDLED_MODEL",
    "SCENES",
    "SCENE_LABELS",
    "GeneratedImage",
    "GenerationError",
    "GenerationRequest",
    "GenerationResult",
    "ModelPathError",
    "OperatorError",
    "ProvenanceError",
    "Verification",
    "create_dev_keys",
    "generate",
    "issue_credential",
    "record_paint_over",
    "verify",
]

_LAZY = {
    "generate": "generation.pipeline",
    "record_paint_over": "generation.paint_over",
    "verify": "generation.verification",
    "create_dev_keys": "generation.keys",
    "issue_credential": "generation.keys",
    "Verification": "generation.verification",
}


def __getattr__(name: str) -> Any:
    # The data layer (SQLAlchemy models) and torch load on first use, not on `import generation`.
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'generation' has no attribute {name!r}")
