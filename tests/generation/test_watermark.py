"""The invisible watermark: what it carries, that it is the library's rule, and what survives on the bundled model.

The detection rates over 100 images per transformation are measured by ``bench/bench_watermark.py`` and quoted in
docs/generation.md; here, a few images of the bundled model go through each transformation and must still lead to
their ledger row and operator, and the same images without the mark must lead nowhere.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from sqlalchemy.orm import Session

from generation import BUNDLED_MODEL, GenerationRequest
from tests.generation.fixtures import TRANSFORMS


def test_payload_is_the_id_and_its_check_bits() -> None:
    from generation import watermark as wm

    for mark_id in (0, 1, 2**31, 2**32 - 1, 123456789):
        bits = wm.payload(mark_id)
        assert len(bits) == wm.PAYLOAD_BITS == 63 and wm._parse(bits) == mark_id
        broken = bits.copy()
        broken[5] ^= 1
        assert wm._parse(broken) is None
    with pytest.raises(ValueError):
        wm.payload(2**32)


def test_embedding_is_the_librarys_rule_and_invisible() -> None:
    from generation import watermark as wm
    from generation.scenes import draw_scene

    image = draw_scene("night_city", 4).resize((256, 256), Image.Resampling.LANCZOS).convert("RGB")
    fast, reference = wm.embed(image, 3141592653), wm.embed(image, 3141592653, reference=True)
    assert np.array_equal(np.asarray(fast), np.asarray(reference))
    before, after = np.asarray(image, dtype=float), np.asarray(fast, dtype=float)
    assert fast.size == image.size and fast.mode == "RGB"
    assert 10 * np.log10(255**2 / np.mean((before - after) ** 2)) > 38  # PSNR in dB
    assert wm.detect(fast).mark_id == 3141592653 and wm.detect(fast).how == "as is"
    assert wm.detect(image) is None
    with pytest.raises(ValueError, match="too small"):
        wm.embed(image.resize((200, 200)), 1)


@pytest.fixture(scope="module")
def bundled_samples() -> list[Image.Image]:
    """Three unmarked images of the bundled model, as generate() samples them (256 px, 25 steps, guidance 3)."""
    from generation import backends
    from generation.scenes import scene_index

    loaded = backends.load(BUNDLED_MODEL)
    return [
        backends.run(
            loaded, seeds=[seed], batch_size=1, steps=25, guidance=3.0, size=256, scene_index=scene_index(scene)
        )[0][0]
        for seed, scene in ((21, "night_city"), (22, "forest"), (23, "sunset"))
    ]


def _save(image: Image.Image, path: Path, name: str) -> Path:
    target = path / (name.replace(" ", "_").replace("%", "pc").replace("→", "-") + ".jpg")
    if "JPEG" in name or "screenshot" in name:
        buf = io.BytesIO()
        # Stored as the JPEG file it would be: a second, milder compression, so the check is if anything harsher.
        image.save(buf, format="JPEG", quality=95)
        target.write_bytes(buf.getvalue())
    else:
        target = target.with_suffix(".png")
        image.save(target, format="PNG")
    return target


@pytest.mark.parametrize("transform", list(TRANSFORMS))
def test_bundled_model_images_are_traced_after_each_transformation(
    session: Session, studio, keys: Path, tmp_path: Path, transform: str, bundled_samples
) -> None:
    from generation import generate, verify

    images = []
    for seed, scene in ((21, "night_city"), (22, "forest"), (23, "sunset")):
        req = GenerationRequest(operator="山田 花子", scene=scene, seed=seed)
        images += generate(session, request=req, assets=tmp_path / "assets", keys=keys).images
    for k, (image, unmarked) in enumerate(zip(images, bundled_samples, strict=True)):
        with Image.open(image.path) as original:
            changed = TRANSFORMS[transform](original.convert("RGB"), k)
        v = verify(session, _save(changed, tmp_path, f"{transform}-{k}"), keys=keys)
        assert v.outcome == "traced", (transform, k, v.summary())
        assert v.watermark.entry.id == image.ai_usage_id and v.watermark.entry.operator == "山田 花子"
        # The same picture without the mark leads nowhere: what was found was the mark, not the picture.
        bare = verify(session, _save(TRANSFORMS[transform](unmarked, k), tmp_path, f"bare-{transform}-{k}"), keys=keys)
        assert bare.outcome == "no_manifest" and bare.watermark is None, (transform, k, bare.summary())
