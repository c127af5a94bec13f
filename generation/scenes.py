"""Procedural background scenes: the bundled model's only training data.

Every training image is drawn here from code, so no third-party artwork is involved in the bundled
model. Scenes are drawn at twice the target size with PIL shapes, blurred slightly and
Lanczos-downsampled, which gives soft edges close to a painted background. Drawing is deterministic
for a given (class, seed, size).

Only numpy and PIL are needed: the dashboard can show reference scenes without importing torch.
"""

from __future__ import annotations

import math

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from data.i18n import N_

SCENES: tuple[str, ...] = ("sky_clouds", "sunset", "hills_field", "night_city", "forest", "interior_room")
"""Class names, in class-index order. The model's class ``len(SCENES)`` is the "null" class used for guidance."""

SCENE_LABELS: dict[str, str] = {
    "sky_clouds": N_("Sky with clouds"),
    "sunset": N_("Sunset"),
    "hills_field": N_("Fields and hills"),
    "night_city": N_("Night city"),
    "forest": N_("Forest"),
    "interior_room": N_("Interior room"),
}


def scene_index(name: str) -> int:
    """The class index of a scene name; :class:`~generation.errors.UnknownSceneError` (a ``ValueError``) for others."""
    try:
        return SCENES.index(name)
    except ValueError:
        from generation.errors import UnknownSceneError

        raise UnknownSceneError(
            N_("Unknown scene {name!r}; choose one of: {scenes}"), name=name, scenes=", ".join(SCENES)
        ) from None


def _jitter(rng: np.random.Generator, rgb: tuple[int, int, int], amount: int) -> tuple[int, int, int]:
    return tuple(int(np.clip(c + rng.integers(-amount, amount + 1), 0, 255)) for c in rgb)  # type: ignore[return-value]


def _gradient(size: int, top: tuple[int, int, int], bottom: tuple[int, int, int], stop: float = 1.0) -> Image.Image:
    """Vertical gradient from ``top`` to ``bottom`` reached at fraction ``stop`` of the height."""
    t = np.clip(np.linspace(0.0, 1.0, size) / max(stop, 1e-6), 0.0, 1.0)[:, None, None]
    arr = (1 - t) * np.array(top, dtype=np.float32) + t * np.array(bottom, dtype=np.float32)
    arr = np.broadcast_to(arr, (size, size, 3))
    return Image.fromarray(arr.astype(np.uint8), "RGB")


def _cloud(draw: ImageDraw.ImageDraw, rng: np.random.Generator, cx: float, cy: float, w: float, colour) -> None:
    # A cloud is a flat-bottomed cluster of overlapping ellipses, the way anime skies are usually painted.
    puffs = int(rng.integers(4, 8))
    for _ in range(puffs):
        px = cx + rng.uniform(-w / 2, w / 2)
        r = w * rng.uniform(0.18, 0.32)
        py = cy - rng.uniform(0, r * 0.8)
        draw.ellipse([px - r, py - r, px + r, py + r * 0.6], fill=colour)
    draw.rectangle([cx - w / 2 - w * 0.1, cy - w * 0.05, cx + w / 2 + w * 0.1, cy + w * 0.12], fill=colour)


def _sky_clouds(rng: np.random.Generator, s: int) -> Image.Image:
    top = _jitter(rng, (30, 100, 215), 20)
    bottom = _jitter(rng, (150, 205, 245), 15)
    img = _gradient(s, top, bottom)
    draw = ImageDraw.Draw(img)
    for _ in range(int(rng.integers(2, 5))):
        shade = int(rng.integers(235, 256))
        _cloud(
            draw,
            rng,
            rng.uniform(0, s),
            rng.uniform(0.2 * s, 0.9 * s),
            rng.uniform(0.25, 0.55) * s,
            (shade, shade, min(255, shade + 5)),
        )
    return img


def _sunset(rng: np.random.Generator, s: int) -> Image.Image:
    horizon = rng.uniform(0.6, 0.75) * s
    top = _jitter(rng, (70, 40, 120), 20)
    bottom = _jitter(rng, (255, 150, 50), 15)
    img = _gradient(s, top, bottom, stop=horizon / s)
    draw = ImageDraw.Draw(img)
    sun_x, sun_r = rng.uniform(0.2, 0.8) * s, rng.uniform(0.07, 0.13) * s
    draw.ellipse(
        [sun_x - sun_r, horizon - sun_r * 1.3, sun_x + sun_r, horizon + sun_r * 0.7],
        fill=_jitter(rng, (255, 225, 120), 10),
    )
    for _ in range(int(rng.integers(2, 5))):
        y = rng.uniform(0.15, 0.55) * s
        x = rng.uniform(-0.2, 0.8) * s
        w = rng.uniform(0.3, 0.6) * s
        draw.ellipse([x, y, x + w, y + rng.uniform(0.02, 0.05) * s], fill=_jitter(rng, (205, 90, 120), 20))
    # Dark ground or sea below the horizon: the silhouette is what makes a sunset read as one.
    ground = _jitter(rng, (45, 25, 50), 10)
    pts = [(0, s)]
    for i in range(9):
        x = i * s / 8
        pts.append((x, horizon + rng.uniform(-0.03, 0.04) * s))
    pts.append((s, s))
    draw.polygon(pts, fill=ground)
    return img


def _hills_field(rng: np.random.Generator, s: int) -> Image.Image:
    img = _gradient(s, _jitter(rng, (95, 165, 235), 15), _jitter(rng, (200, 230, 250), 10), stop=0.5)
    draw = ImageDraw.Draw(img)
    if rng.random() < 0.6:
        _cloud(draw, rng, rng.uniform(0, s), rng.uniform(0.1, 0.25) * s, rng.uniform(0.2, 0.35) * s, (250, 250, 250))
    greens = [(90, 150, 80), (110, 175, 75), (140, 195, 80)]
    for layer, base in enumerate(greens):
        y0 = (0.35 + 0.15 * layer + rng.uniform(-0.04, 0.04)) * s
        amp = rng.uniform(0.03, 0.09) * s
        freq = rng.uniform(0.8, 2.2)
        phase = rng.uniform(0, 2 * math.pi)
        pts = [(0, s)] + [(x, y0 - amp * math.sin(freq * 2 * math.pi * x / s + phase)) for x in range(0, s + 1, 4)]
        pts.append((s, s))
        draw.polygon(pts, fill=_jitter(rng, base, 15))
    flower = _jitter(rng, (245, 225, 90), 15) if rng.random() < 0.7 else _jitter(rng, (245, 245, 245), 5)
    for _ in range(int(rng.integers(15, 40))):
        x, y = rng.uniform(0, s), rng.uniform(0.75, 1.0) * s
        r = rng.uniform(0.006, 0.014) * s
        draw.ellipse([x - r, y - r, x + r, y + r], fill=flower)
    return img


def _night_city(rng: np.random.Generator, s: int) -> Image.Image:
    # Near-black buildings against a sky that glows towards the horizon: the silhouette has to stay
    # visible after downsampling to 32 px, otherwise the class collapses into "dark with dots".
    img = _gradient(s, _jitter(rng, (10, 12, 40), 6), _jitter(rng, (60, 50, 110), 12), stop=0.8)
    draw = ImageDraw.Draw(img)
    for _ in range(int(rng.integers(10, 25))):
        x, y = rng.uniform(0, s), rng.uniform(0, 0.4) * s
        draw.point((x, y), fill=(230, 230, 250))
    if rng.random() < 0.7:
        mx, my, mr = rng.uniform(0.1, 0.9) * s, rng.uniform(0.08, 0.25) * s, rng.uniform(0.04, 0.07) * s
        draw.ellipse([mx - mr, my - mr, mx + mr, my + mr], fill=(245, 240, 205))
    x = -rng.uniform(0, 0.05) * s
    while x < s:
        w = rng.uniform(0.12, 0.26) * s
        top = rng.uniform(0.25, 0.62) * s
        body = _jitter(rng, (18, 18, 30), 6)
        draw.rectangle([x, top, x + w, s], fill=body)
        lit = _jitter(rng, (255, 210, 100), 15)
        step = max(2.0, s * 0.065)
        wy = top + step * 0.6
        while wy < s - step:
            wx = x + step * 0.5
            while wx < x + w - step * 0.5:
                if rng.random() < 0.35:
                    draw.rectangle([wx, wy, wx + step * 0.5, wy + step * 0.55], fill=lit)
                wx += step
            wy += step
        x += w + rng.uniform(0.0, 0.03) * s
    return img


def _forest(rng: np.random.Generator, s: int) -> Image.Image:
    img = _gradient(s, _jitter(rng, (150, 195, 165), 15), _jitter(rng, (40, 80, 45), 10), stop=0.7)
    draw = ImageDraw.Draw(img)
    draw.rectangle([0, 0.8 * s, s, s], fill=_jitter(rng, (45, 70, 35), 10))
    # Far trees first, lighter and smaller, so depth reads through aerial perspective.
    for row, (base, scale) in enumerate([((70, 120, 75), 0.45), ((40, 95, 50), 0.65), ((20, 65, 30), 0.9)]):
        for _ in range(int(rng.integers(5, 9))):
            cx = rng.uniform(-0.05, 1.05) * s
            h = rng.uniform(0.5, 0.8) * scale * s
            base_y = (0.78 + 0.08 * row + rng.uniform(-0.02, 0.02)) * s
            w = h * rng.uniform(0.35, 0.5)
            trunk = _jitter(rng, (80, 50, 30), 10)
            draw.rectangle([cx - w * 0.06, base_y - h * 0.15, cx + w * 0.06, base_y], fill=trunk)
            colour = _jitter(rng, base, 12)
            for tier in range(3):
                ty = base_y - h * 0.15 - tier * h * 0.27
                tw = w * (1 - tier * 0.25) / 2
                draw.polygon([(cx - tw, ty), (cx + tw, ty), (cx, ty - h * 0.45)], fill=colour)
    return img


def _interior_room(rng: np.random.Generator, s: int) -> Image.Image:
    wall = _jitter(rng, (225, 205, 170), 15)
    img = Image.new("RGB", (s, s), wall)
    draw = ImageDraw.Draw(img)
    floor_y = rng.uniform(0.62, 0.72) * s
    draw.rectangle([0, floor_y, s, s], fill=_jitter(rng, (150, 100, 60), 15))
    for i in range(1, 5):
        y = floor_y + (s - floor_y) * i / 5
        draw.line([0, y, s, y], fill=_jitter(rng, (120, 80, 45), 10), width=max(1, s // 64))
    draw.rectangle([0, floor_y - 0.03 * s, s, floor_y], fill=_jitter(rng, (245, 240, 230), 8))
    # A window with daylight sky is the cue that separates a room from a flat beige field.
    wx0, wy0 = rng.uniform(0.08, 0.5) * s, rng.uniform(0.1, 0.2) * s
    ww, wh = rng.uniform(0.28, 0.4) * s, rng.uniform(0.25, 0.35) * s
    frame = _jitter(rng, (250, 250, 245), 5)
    draw.rectangle([wx0 - 0.02 * s, wy0 - 0.02 * s, wx0 + ww + 0.02 * s, wy0 + wh + 0.02 * s], fill=frame)
    draw.rectangle([wx0, wy0, wx0 + ww, wy0 + wh], fill=_jitter(rng, (135, 195, 240), 15))
    draw.line([wx0 + ww / 2, wy0, wx0 + ww / 2, wy0 + wh], fill=frame, width=max(1, s // 48))
    draw.line([wx0, wy0 + wh / 2, wx0 + ww, wy0 + wh / 2], fill=frame, width=max(1, s // 48))
    # Table or shelf in the foreground.
    tx0 = rng.uniform(0.0, 0.6) * s
    tw = rng.uniform(0.3, 0.45) * s
    ty = floor_y - rng.uniform(0.05, 0.12) * s
    wood = _jitter(rng, (110, 70, 40), 12)
    draw.rectangle([tx0, ty, tx0 + tw, ty + 0.04 * s], fill=wood)
    draw.rectangle([tx0 + 0.02 * s, ty, tx0 + 0.05 * s, floor_y + 0.12 * s], fill=wood)
    draw.rectangle([tx0 + tw - 0.05 * s, ty, tx0 + tw - 0.02 * s, floor_y + 0.12 * s], fill=wood)
    return img


_DRAWERS = {
    "sky_clouds": _sky_clouds,
    "sunset": _sunset,
    "hills_field": _hills_field,
    "night_city": _night_city,
    "forest": _forest,
    "interior_room": _interior_room,
}


def draw_scene(scene: str, seed: int, size: int = 32) -> Image.Image:
    """Draw one scene of class ``scene`` as an RGB image of ``size``×``size`` pixels."""
    index = scene_index(scene)
    rng = np.random.default_rng([index, int(seed)])
    big = _DRAWERS[scene](rng, size * 2)
    big = big.filter(ImageFilter.GaussianBlur(radius=0.6))
    return big.resize((size, size), Image.Resampling.LANCZOS)


def scene_dataset(per_class: int, size: int = 32, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(images uint8 [N, H, W, 3], labels int64 [N])`` with ``per_class`` images of every scene."""
    images = np.empty((per_class * len(SCENES), size, size, 3), dtype=np.uint8)
    labels = np.empty(per_class * len(SCENES), dtype=np.int64)
    i = 0
    for label, scene in enumerate(SCENES):
        for k in range(per_class):
            images[i] = np.asarray(draw_scene(scene, seed * 1_000_003 + k, size))
            labels[i] = label
            i += 1
    return images, labels


def reference_grid(per_class: int = 8, size: int = 32, scale: int = 2) -> Image.Image:
    """A grid of training scenes, one row per class, for the model card and the dashboard."""
    cell = size * scale
    grid = Image.new("RGB", (per_class * cell, len(SCENES) * cell), (0, 0, 0))
    for row, scene in enumerate(SCENES):
        for col in range(per_class):
            img = draw_scene(scene, col, size).resize((cell, cell), Image.Resampling.NEAREST)
            grid.paste(img, (col * cell, row * cell))
    return grid
