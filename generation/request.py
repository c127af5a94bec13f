"""The request and result types of :func:`generation.generate`. No torch here."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from data.i18n import N_
from generation.errors import GenerationError

BUNDLED_MODEL = "endroll-scenes-32"
"""Name of the model that ships in ``generation/weights/`` (also the default ``model``)."""

MIN_SIZE = 256
"""Smallest image side: the invisible watermark needs 256 × 256 pixels to be read back reliably (see
``generation/watermark.py``), and every generated image carries it."""


@dataclass(frozen=True)
class GenerationRequest:
    """What to generate, with what, by whom, for which cut.

    ``model`` is :data:`BUNDLED_MODEL` or the path of a local diffusers text-to-image folder. The bundled
    model takes a ``scene`` (see :data:`generation.scenes.SCENES`); a text-to-image folder takes a ``prompt``.
    ``None`` for ``steps``, ``guidance`` or ``size`` means the model's default. Image ``i`` uses seed
    ``seed + i`` and is generated alone (``batch_size`` 1) unless ``batch_size`` says otherwise; the batch size
    and position are recorded, because the same seed can give slightly different pixels in another batch.
    """

    operator: str | int
    """Display name, alias or id of the Person who operates the tool. Never "AI", "human" or empty."""
    scene: str | None = None
    prompt: str | None = None
    model: str = BUNDLED_MODEL
    count: int = 1
    seed: int = 0
    steps: int | None = None
    guidance: float | None = None
    size: int | None = None
    batch_size: int = 1
    production: str | int | None = None
    """Production title (native, romaji or English) or id."""
    episode: str | None = None
    """Episode label; optional when ``cut`` is unambiguous within the production."""
    cut: str | int | None = None
    """Cut number as written on the sheet (e.g. ``"012"``), or cut id."""
    negative_prompt: str | None = None

    def __post_init__(self) -> None:
        if self.count < 1 or self.count > 64:
            raise GenerationError(N_("count must be between 1 and 64, got {count}"), count=self.count)
        if self.batch_size < 1:
            raise GenerationError(N_("batch_size must be at least 1, got {batch_size}"), batch_size=self.batch_size)
        if self.steps is not None and not 1 <= self.steps <= 200:
            raise GenerationError(N_("steps must be between 1 and 200, got {steps}"), steps=self.steps)
        if self.size is not None and not MIN_SIZE <= self.size <= 2048:
            raise GenerationError(
                N_(
                    "size must be between {low} and 2048 pixels, got {size} (every image carries an invisible "
                    "watermark, which needs at least {low} × {low} pixels)"
                ),
                low=MIN_SIZE,
                size=self.size,
            )
        if self.seed < 0 or self.seed >= 2**63 - 64:
            raise GenerationError(N_("seed must be a non-negative 63-bit integer, got {seed}"), seed=self.seed)
        if self.cut is not None and self.production is None:
            raise GenerationError(
                N_("a cut needs its production"),
                fix={"cli": N_("pass --production as well"), "page": N_("choose the production first")},
            )


@dataclass
class GeneratedImage:
    path: str
    sha256: str
    seed: int
    batch_index: int
    ai_usage_id: int
    width: int
    height: int
    seconds: float


@dataclass
class GenerationResult:
    images: list[GeneratedImage]
    model: str
    weights_sha256: str
    device: str
    steps: int
    guidance: float
    operator: str
    operator_id: int
    seconds: float
    params: dict[str, Any] = field(default_factory=dict)
