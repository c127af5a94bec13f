"""generate(): named operators, watermarked and doubly signed files, ledger rows, all or nothing.

Changed from before this round: images are at least 256 px (the watermark needs it), so the tiny-model requests
that used 32 px use 256 px.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from data.schema import AiUsage
from generation import GenerationError, GenerationRequest

ROOT = Path(__file__).resolve().parents[2]
SIZE = 256


def request(models: dict[str, Path], **kw) -> GenerationRequest:
    base = {"operator": "山田 花子", "scene": "sunset", "model": str(models["scene"]), "steps": 2, "size": SIZE}
    return GenerationRequest(**{**base, **kw})


def run(session: Session, req: GenerationRequest, tmp_path: Path, keys: Path):
    from generation import generate

    return generate(session, request=req, assets=tmp_path / "assets", keys=keys)


def pixels(path: str | Path) -> np.ndarray:
    with Image.open(path) as img:
        return np.asarray(img.convert("RGB"))


def ledger_count(session: Session) -> int:
    return session.scalar(select(func.count(AiUsage.id)))


def files(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "assets").rglob("*.png")) if (tmp_path / "assets").exists() else []


def test_importing_generation_loads_no_torch() -> None:
    code = (
        "import sys, generation, generation.pipeline, generation.provenance, generation.cli, generation.catalog\n"
        "import generation.verification, generation.keys, generation.watermark, generation.cawg\n"
        "heavy = [m for m in ('torch', 'diffusers', 'transformers', 'c2pa', 'streamlit', 'cv2', 'imwatermark')\n"
        "         if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-2000:]


def test_scenes_are_deterministic_and_distinct() -> None:
    from generation.evaluate import classify
    from generation.scenes import draw_scene, scene_dataset

    a = np.asarray(draw_scene("forest", 3))
    assert np.array_equal(a, np.asarray(draw_scene("forest", 3)))
    assert not np.array_equal(a, np.asarray(draw_scene("forest", 4)))
    images, labels = scene_dataset(10, 32, seed=123)
    assert (classify(images) == labels).mean() >= 0.95
    with pytest.raises(ValueError, match="Unknown scene"):
        draw_scene("beach", 0)


def test_generate_writes_signed_files_and_ledger_rows(
    session: Session, studio, models, keys: Path, tmp_path: Path
) -> None:
    from generation import generate, verify
    from generation.provenance import TRAINED_ALGORITHMIC_MEDIA, read_png_text
    from generation.watermark import detect

    steps_seen: list[tuple[int, int]] = []
    result = generate(
        session,
        request=request(models, count=2, seed=11, production="犬と少年", cut="012"),
        assets=tmp_path / "assets",
        keys=keys,
        progress=lambda d, t: steps_seen.append((d, t)),
    )
    assert len(result.images) == 2 and steps_seen[-1] == (4, 4)
    assert [i.seed for i in result.images] == [11, 12]
    rows = session.scalars(select(AiUsage).order_by(AiUsage.id)).all()
    assert len(rows) == 2
    assert rows[0].watermark_id != rows[1].watermark_id
    for image, row in zip(result.images, rows, strict=True):
        data = Path(image.path).read_bytes()
        assert hashlib.sha256(data).hexdigest() == image.sha256 == row.asset_sha256
        assert (tmp_path / "assets" / row.asset_path).resolve() == Path(image.path).resolve()
        assert row.operator_id == studio["hanako"] and row.cut_id == studio["cut"]
        assert row.production_id == studio["production"]
        assert row.digital_source_type == TRAINED_ALGORITHMIC_MEDIA
        assert row.service.name == "tiny-scenes" and row.service.weights_sha256 == result.weights_sha256
        assert row.seed == image.seed and row.params["steps"] == 2 and row.params["device"] == "cpu"
        assert row.params["size"] == SIZE and row.params["scene"] == "sunset" and row.params["seconds"] > 0
        assert row.manifest_ref and row.manifest_ref.startswith("urn:c2pa:")
        assert row.params["identity"]["person_id"] == studio["hanako"]
        assert (image.width, image.height) == (SIZE, SIZE)
        text = read_png_text(data)
        assert text["operator"]["name"] == "山田 花子" and text["seed"] == image.seed
        assert text["digital_source_type"] == TRAINED_ALGORITHMIC_MEDIA
        assert text["production"] == {"title": "犬と少年", "episode": "1", "cut": "012"}
        assert text["watermark_id"] == row.watermark_id
        assert detect(Image.open(image.path)).mark_id == row.watermark_id
        v = verify(session, image.path, keys=keys)
        assert v.status == "trusted", v.problems
        assert v.ok and v.outcome == "trusted" and v.exit_code == 0, v.summary()
        assert v.operator == "山田 花子" and v.tool == "tiny-scenes"
        assert v.digital_source_type == TRAINED_ALGORITHMIC_MEDIA and v.generation["seed"] == image.seed
        assert v.production["cut"] == "012" and v.created_at
        assert [(c.name, c.person_id, c.ok) for c in v.identities] == [("山田 花子", studio["hanako"], True)]
        assert v.ledger.id == row.id and v.ledger.found_by == "manifest"
        assert v.watermark.mark_id == row.watermark_id and v.watermark.entry.id == row.id


def test_every_manifest_carries_cawg_training_mining(session: Session, models, keys: Path, tmp_path: Path) -> None:
    from generation.signing import read_manifest_store

    image = run(session, request(models), tmp_path, keys).images[0]
    store = read_manifest_store(Path(image.path).read_bytes())
    labels = [a["label"] for a in store["manifests"][store["active_manifest"]]["assertions"]]
    assert "cawg.training-mining" in labels and "c2pa.training-mining" not in labels
    assert "cawg.identity" in labels


def marked_sample(models: dict[str, Path], seed: int, mark_id: int, steps: int = 2) -> np.ndarray:
    """What generate() must deliver for ``seed``: the model's sample alone, plus the watermark ``mark_id``."""
    from generation import backends, watermark

    loaded = backends.load_scene_model_from(models["scene"])
    kw = {"batch_size": 1, "steps": steps, "guidance": 3.0, "size": SIZE, "scene_index": 1}
    image = backends.run(loaded, seeds=[seed], **kw)[0][0]
    return np.asarray(watermark.embed(image, mark_id))


def mark_of(session: Session, image) -> int:
    return session.scalar(select(AiUsage.watermark_id).where(AiUsage.asset_sha256 == image.sha256))


def test_same_seed_and_model_give_the_same_pixels(session: Session, models, keys: Path, tmp_path: Path) -> None:
    first = run(session, request(models, seed=5, count=1), tmp_path, keys).images[0]
    again = run(session, request(models, seed=5, count=1), tmp_path, keys).images[0]
    other = run(session, request(models, seed=6, count=1), tmp_path, keys).images[0]
    # Each image carries its own watermark id: the pixels are the seed's sample plus that image's mark, exactly.
    assert mark_of(session, first) != mark_of(session, again)
    assert np.array_equal(pixels(first.path), marked_sample(models, 5, mark_of(session, first)))
    assert np.array_equal(pixels(again.path), marked_sample(models, 5, mark_of(session, again)))
    assert not np.array_equal(pixels(other.path), marked_sample(models, 5, mark_of(session, other)))
    # One image per seed by default: seed 6 as the second image of a request equals seed 6 alone.
    pair = run(session, request(models, seed=5, count=2), tmp_path, keys).images
    assert np.array_equal(pixels(pair[1].path), marked_sample(models, 6, mark_of(session, pair[1])))
    assert np.array_equal(pixels(other.path), marked_sample(models, 6, mark_of(session, other)))
    batched = run(session, request(models, seed=5, count=2, batch_size=2), tmp_path, keys).images
    rows = {r.asset_sha256: r for r in session.scalars(select(AiUsage))}
    assert [rows[i.sha256].params["batch_index"] for i in batched] == [0, 1]
    assert rows[batched[0].sha256].params["batch_size"] == 2


def test_commit_failure_leaves_no_files(
    session: Session, models, keys: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_commit() -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr(session, "commit", broken_commit)
    with pytest.raises(RuntimeError, match="database went away"):
        run(session, request(models, count=3), tmp_path, keys)
    monkeypatch.undo()
    assert files(tmp_path) == []
    assert ledger_count(session) == 0


def test_file_write_failure_leaves_no_rows(
    session: Session, models, keys: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generation import pipeline

    real_write, calls = pipeline.write_atomic, []

    def failing_second_write(path: Path, data: bytes) -> None:
        calls.append(path)
        if len(calls) == 2:
            raise OSError("disk full")
        real_write(path, data)

    monkeypatch.setattr(pipeline, "write_atomic", failing_second_write)
    with pytest.raises(OSError, match="disk full"):
        run(session, request(models, count=3), tmp_path, keys)
    assert files(tmp_path) == []
    assert ledger_count(session) == 0


def test_missing_signing_key_refuses_before_generating(session: Session, models, tmp_path: Path) -> None:
    from generation.errors import ProvenanceError

    with pytest.raises(ProvenanceError, match="python -m generation keys"):
        run(session, request(models), tmp_path, tmp_path / "no-keys")
    assert ledger_count(session) == 0


def test_an_operator_without_a_credential_is_refused_before_generating(
    session: Session, studio, models, keys: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generation import backends
    from generation.errors import CredentialError

    sampled: list[int] = []
    monkeypatch.setattr(backends, "run", lambda *a, **k: sampled.append(1) or [])
    import shutil

    lone = tmp_path / "keys-without-people"
    shutil.copytree(keys, lone, ignore=shutil.ignore_patterns("people"))
    with pytest.raises(CredentialError) as info:
        run(session, request(models), tmp_path, lone)
    assert "山田 花子" in str(info.value) and "keys issue --person" in str(info.value)
    assert "--" not in info.value.message("page") and "Issue a signing credential" in info.value.message("page")
    assert sampled == [] and ledger_count(session) == 0 and files(tmp_path) == []


def test_bad_requests_are_explained(session: Session, models, keys: Path, tmp_path: Path) -> None:
    with pytest.raises(GenerationError, match="choose one"):
        run(session, request(models, scene=None), tmp_path, keys)
    with pytest.raises(ValueError, match="Unknown scene"):
        run(session, request(models, scene="beach"), tmp_path, keys)
    with pytest.raises(GenerationError, match="no cut"):
        run(session, request(models, production="犬と少年", cut="999"), tmp_path, keys)
    with pytest.raises(GenerationError, match="No production"):
        run(session, request(models, production="Nope", cut="012"), tmp_path, keys)
    with pytest.raises(GenerationError, match="count"):
        request(models, count=0)
    with pytest.raises(GenerationError, match="watermark") as info:
        request(models, size=128)
    assert "256" in str(info.value)


def test_concurrent_calls_share_the_cached_pipeline_safely(
    gen_engine: Engine, studio, models, keys: Path, tmp_path: Path
) -> None:
    from generation import generate

    results: dict[int, list] = {}
    errors: list[BaseException] = []

    def worker(seed: int) -> None:
        try:
            with Session(gen_engine, expire_on_commit=False) as s:
                results[seed] = generate(
                    s, request=request(models, seed=seed, count=2, steps=3), assets=tmp_path / "assets", keys=keys
                ).images
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(seed,)) for seed in (100, 200, 100)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    with Session(gen_engine) as s:
        alone = generate(
            s, request=request(models, seed=200, count=2, steps=3), assets=tmp_path / "assets", keys=keys
        ).images
    with Session(gen_engine) as s:
        for image in (results[200][1], alone[1]):
            assert np.array_equal(pixels(image.path), marked_sample(models, 201, mark_of(s, image), steps=3))
        assert ledger_count(s) == 8
        assert len(set(s.scalars(select(AiUsage.watermark_id)))) == 8
