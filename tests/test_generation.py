"""The generation module: named operators, provenance, all-or-nothing ledger writes, offline checkpoints.

Offline throughout (a socket guard fails any network connection) and fast: tiny in-code models for most tests,
the bundled model for the recognizability check.
"""

from __future__ import annotations

import hashlib
import io
import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from data.names import person_key
from data.schema import AiUsage, Cut, Episode, Person, PersonAlias, Production, Service, ai_usage_post_editor
from generation import (
    BUNDLED_MODEL,
    SCENES,
    GenerationError,
    GenerationRequest,
    ModelPathError,
    OperatorError,
)

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tests.generation_fixtures import build_tiny_scene_model, build_tiny_sd  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


# ---------------------------------------------------------------------------------------------------------------
# Fixtures


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to reach the network fails the test (local sockets such as SQLite's are unaffected)."""
    real_connect = socket.socket.connect

    def guarded_connect(sock: socket.socket, address) -> None:  # noqa: ANN001
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            raise AssertionError(f"network access attempted: {address!r}")
        return real_connect(sock, address)

    def guarded_getaddrinfo(host, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        raise AssertionError(f"DNS lookup attempted: {host!r}")

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket, "getaddrinfo", guarded_getaddrinfo)


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("models")
    return {
        "scene": build_tiny_scene_model(root / "tiny-scenes"),
        "sd": build_tiny_sd(root / "tiny-sd"),
        "turbo_fp16": build_tiny_sd(root / "tiny-sd-turbo", variant="fp16"),
    }


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from generation.provenance import create_dev_keys

    return create_dev_keys(tmp_path_factory.mktemp("keys"))


@pytest.fixture
def gen_engine(templates, tmp_path: Path) -> Iterator[Engine]:  # noqa: ANN001 - conftest's Templates
    # SQLite only: the ledger's SQL is plain, and both backends are covered by the schema tests.
    yield from templates.engine("sqlite", "empty", tmp_path)


@pytest.fixture
def studio(gen_engine: Engine) -> dict[str, int]:
    with Session(gen_engine) as s:
        hanako = Person(
            display_name="山田 花子",
            family_name="山田",
            given_name="花子",
            family_romaji="Yamada",
            given_romaji="Hanako",
        )
        hanako.aliases.append(
            PersonAlias(text="Yamada Hanako", kind="romanization", match_key=person_key("Yamada Hanako"))
        )
        ichiro = Person(display_name="佐藤 一郎")
        production = Production(title="犬と少年", title_romaji="Inu to Shonen", kind="tv")
        episode = Episode(production=production, label="1", number=1)
        cut = Cut(episode=episode, cut_number="012")
        # A credit placeholder waiting to be fixed: an alias linked to nobody must never resolve as an operator.
        placeholder = PersonAlias(
            text="背景 AI", kind="variant_spelling", match_key=person_key("背景 AI"), person_id=None
        )
        tool = Service(name="Midjourney", match_key=person_key("Midjourney"), version="6")
        s.add_all([hanako, ichiro, production, cut, placeholder, tool])
        s.commit()
        return {"hanako": hanako.id, "ichiro": ichiro.id, "production": production.id, "cut": cut.id}


@pytest.fixture
def session(gen_engine: Engine, studio: dict[str, int]) -> Iterator[Session]:
    with Session(gen_engine, expire_on_commit=False) as s:
        yield s


def _request(models: dict[str, Path], **kw) -> GenerationRequest:
    base = {"operator": "山田 花子", "scene": "sunset", "model": str(models["scene"]), "steps": 2, "size": 32}
    return GenerationRequest(**{**base, **kw})


def _run(session: Session, request: GenerationRequest, tmp_path: Path, keys: Path):
    from generation import generate

    return generate(request, session=session, assets=tmp_path / "assets", keys=keys)


def _pixels(path: str | Path) -> np.ndarray:
    with Image.open(path) as img:
        return np.asarray(img.convert("RGB"))


def _ledger_count(session: Session) -> int:
    return session.scalar(select(func.count(AiUsage.id)))


def _files(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "assets").rglob("*.png")) if (tmp_path / "assets").exists() else []


# ---------------------------------------------------------------------------------------------------------------
# Start-up cost and scenes


def test_importing_generation_loads_no_torch() -> None:
    code = (
        "import sys, generation, generation.pipeline, generation.provenance, generation.cli, generation.catalog\n"
        "heavy = [m for m in ('torch', 'diffusers', 'transformers', 'c2pa', 'streamlit') if m in sys.modules]\n"
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


# ---------------------------------------------------------------------------------------------------------------
# Operators


@pytest.mark.parametrize(
    "name",
    [
        "human",
        "Human",
        "AI",
        "A.I.",
        "",
        "   ",
        "AI (+Human)",
        "ＡＩ（＋Ｈｕｍａｎ）",
        "staff",
        "スタッフ",
        "不明",
        "???",
        "Midjourney",
        "背景 AI",
        "Nobody We Know",
    ],
)
def test_anonymous_or_unknown_operators_are_refused(
    session: Session, models, keys: Path, tmp_path: Path, name: str
) -> None:
    with pytest.raises(OperatorError) as info:
        _run(session, _request(models, operator=name), tmp_path, keys)
    assert "person" in str(info.value).lower() or "tool" in str(info.value).lower()
    assert _ledger_count(session) == 0
    assert _files(tmp_path) == []


def test_operator_resolves_by_display_name_alias_or_id(session: Session, studio: dict[str, int]) -> None:
    from generation.operators import resolve_operator

    assert resolve_operator(session, "山田 花子").id == studio["hanako"]
    assert resolve_operator(session, "yamada  hanako").id == studio["hanako"]
    assert resolve_operator(session, studio["ichiro"]).id == studio["ichiro"]
    with pytest.raises(OperatorError, match="No person with id"):
        resolve_operator(session, 99999)


# ---------------------------------------------------------------------------------------------------------------
# Generation, ledger and provenance


def test_generate_writes_signed_files_and_ledger_rows(
    session: Session, studio, models, keys: Path, tmp_path: Path
) -> None:
    from generation.provenance import TRAINED_ALGORITHMIC_MEDIA, read_png_text, verify

    steps_seen: list[tuple[int, int]] = []
    from generation import generate

    result = generate(
        _request(models, count=2, seed=11, production="犬と少年", cut="012"),
        session=session,
        assets=tmp_path / "assets",
        keys=keys,
        progress=lambda d, t: steps_seen.append((d, t)),
    )
    assert len(result.images) == 2 and steps_seen[-1] == (4, 4)
    assert [i.seed for i in result.images] == [11, 12]
    rows = session.scalars(select(AiUsage).order_by(AiUsage.id)).all()
    assert len(rows) == 2
    for image, row in zip(result.images, rows, strict=True):
        data = Path(image.path).read_bytes()
        assert hashlib.sha256(data).hexdigest() == image.sha256 == row.asset_sha256
        assert (tmp_path / "assets" / row.asset_path).resolve() == Path(image.path).resolve()
        assert row.operator_id == studio["hanako"] and row.cut_id == studio["cut"]
        assert row.production_id == studio["production"]
        assert row.digital_source_type == TRAINED_ALGORITHMIC_MEDIA
        assert row.service.name == "tiny-scenes" and row.service.weights_sha256 == result.weights_sha256
        assert row.seed == image.seed and row.params["steps"] == 2 and row.params["device"] == "cpu"
        assert row.params["size"] == 32 and row.params["scene"] == "sunset" and row.params["seconds"] > 0
        assert row.manifest_ref and row.manifest_ref.startswith("urn:c2pa:")
        text = read_png_text(data)
        assert text["operator"]["name"] == "山田 花子" and text["seed"] == image.seed
        assert text["digital_source_type"] == TRAINED_ALGORITHMIC_MEDIA
        assert text["production"] == {"title": "犬と少年", "episode": "1", "cut": "012"}
        v = verify(image.path, keys=keys)
        assert v.status == "trusted", v.problems
        assert v.operator == "山田 花子" and v.tool == "tiny-scenes"
        assert v.digital_source_type == TRAINED_ALGORITHMIC_MEDIA and v.generation["seed"] == image.seed
        assert v.production["cut"] == "012" and v.created_at


def test_same_seed_and_model_give_the_same_pixels(session: Session, models, keys: Path, tmp_path: Path) -> None:
    first = _run(session, _request(models, seed=5, count=1), tmp_path, keys).images[0]
    again = _run(session, _request(models, seed=5, count=1), tmp_path, keys).images[0]
    other = _run(session, _request(models, seed=6, count=1), tmp_path, keys).images[0]
    assert np.array_equal(_pixels(first.path), _pixels(again.path))
    assert not np.array_equal(_pixels(first.path), _pixels(other.path))
    # One image per seed by default: seed 6 as the second image of a request equals seed 6 alone.
    pair = _run(session, _request(models, seed=5, count=2), tmp_path, keys).images
    assert np.array_equal(_pixels(pair[1].path), _pixels(other.path))
    batched = _run(session, _request(models, seed=5, count=2, batch_size=2), tmp_path, keys).images
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
        _run(session, _request(models, count=3), tmp_path, keys)
    monkeypatch.undo()
    assert _files(tmp_path) == []
    assert _ledger_count(session) == 0


def test_file_write_failure_leaves_no_rows(
    session: Session, models, keys: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generation import pipeline

    real_write, calls = pipeline._write_atomic, []

    def failing_second_write(path: Path, data: bytes) -> None:
        calls.append(path)
        if len(calls) == 2:
            raise OSError("disk full")
        real_write(path, data)

    monkeypatch.setattr(pipeline, "_write_atomic", failing_second_write)
    with pytest.raises(OSError, match="disk full"):
        _run(session, _request(models, count=3), tmp_path, keys)
    assert _files(tmp_path) == []
    assert _ledger_count(session) == 0


def test_missing_signing_key_refuses_before_generating(session: Session, models, tmp_path: Path) -> None:
    from generation.provenance import ProvenanceError

    with pytest.raises(ProvenanceError, match="python -m generation keys"):
        _run(session, _request(models), tmp_path, tmp_path / "no-keys")
    assert _ledger_count(session) == 0


def test_bad_requests_are_explained(session: Session, models, keys: Path, tmp_path: Path) -> None:
    with pytest.raises(GenerationError, match="choose one"):
        _run(session, _request(models, scene=None), tmp_path, keys)
    with pytest.raises(ValueError, match="Unknown scene"):
        _run(session, _request(models, scene="beach"), tmp_path, keys)
    with pytest.raises(GenerationError, match="no cut"):
        _run(session, _request(models, production="犬と少年", cut="999"), tmp_path, keys)
    with pytest.raises(GenerationError, match="No production"):
        _run(session, _request(models, production="Nope", cut="012"), tmp_path, keys)
    with pytest.raises(GenerationError, match="count"):
        _request(models, count=0)


def test_changed_byte_or_missing_manifest_fails_verification(
    session: Session, models, keys: Path, tmp_path: Path
) -> None:
    from generation.cli import main
    from generation.provenance import verify, verify_bytes

    image = _run(session, _request(models), tmp_path, keys).images[0]
    data = bytearray(Path(image.path).read_bytes())
    idat = data.find(b"IDAT")
    data[idat + 12] ^= 0x01
    altered = tmp_path / "altered.png"
    altered.write_bytes(bytes(data))
    assert verify(altered, keys=keys).status == "altered"
    assert "dataHash" in " ".join(verify(altered, keys=keys).problems)

    plain = io.BytesIO()
    Image.open(image.path).save(plain, format="PNG")
    assert verify_bytes(plain.getvalue()).status == "no_manifest"
    # Without the studio's trust anchor the file is intact but its signer is not trusted.
    assert verify(image.path, keys=tmp_path / "elsewhere").status == "valid"

    assert main(["verify", image.path, "--keys", str(keys)]) == 0
    assert main(["verify", str(altered), "--keys", str(keys)]) == 1


def test_paint_over_is_recorded_with_the_editor(session: Session, studio, models, keys: Path, tmp_path: Path) -> None:
    from generation import record_paint_over, verify
    from generation.provenance import COMPOSITE_WITH_TRAINED_ALGORITHMIC_MEDIA

    image = _run(session, _request(models, production="犬と少年", cut="012"), tmp_path, keys).images[0]
    painted = tmp_path / "painted.png"
    arr = _pixels(image.path).copy()
    arr[:8, :8] = (250, 250, 250)
    Image.fromarray(arr).save(painted)
    with pytest.raises(OperatorError):
        record_paint_over(
            session, original=image.path, edited=painted, editor="human", assets=tmp_path / "assets", keys=keys
        )
    row = record_paint_over(
        session,
        original=image.path,
        edited=painted,
        editor="佐藤 一郎",
        software="Clip Studio Paint",
        assets=tmp_path / "assets",
        keys=keys,
    )
    assert row.stage == "composite" and row.digital_source_type == COMPOSITE_WITH_TRAINED_ALGORITHMIC_MEDIA
    assert row.operator_id == studio["hanako"] and row.cut_id == studio["cut"]
    editors = session.execute(select(ai_usage_post_editor)).all()
    assert {(e.person_id, e.edit_kind) for e in editors} == {(studio["ichiro"], "humanEdits")}
    assert len(editors) == 2 and all(e.edited_at for e in editors)
    v = verify(tmp_path / "assets" / row.asset_path, keys=keys)
    assert v.status == "trusted", v.problems
    assert v.operator == "山田 花子" and any("佐藤 一郎 (humanEdits" in e for e in v.editors)
    assert v.production["cut"] == "012"


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
                    _request(models, seed=seed, count=2, steps=3), session=s, assets=tmp_path / "assets", keys=keys
                ).images
        except BaseException as exc:  # noqa: BLE001 - surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(seed,)) for seed in (100, 200, 100)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    with Session(gen_engine) as s:
        alone = generate(
            _request(models, seed=200, count=2, steps=3), session=s, assets=tmp_path / "assets", keys=keys
        ).images
    assert np.array_equal(_pixels(results[200][1].path), _pixels(alone[1].path))
    with Session(gen_engine) as s:
        assert _ledger_count(s) == 8


# ---------------------------------------------------------------------------------------------------------------
# Real checkpoints: local diffusers folders, offline


def test_folder_without_model_index_or_hub_id_fails_at_once(
    session: Session, models, keys: Path, tmp_path: Path
) -> None:
    from generation.backends import validate_model_folder

    for bad, message in [
        ("stabilityai/sd-turbo", "hub id"),
        ("", "No model given"),
        (str(tmp_path / "missing"), "does not exist"),
        (str(models["scene"]), "model_index.json"),
        (str(models["sd"] / "model_index.json"), "file"),
    ]:
        t0 = time.perf_counter()
        with pytest.raises(ModelPathError, match=message):
            validate_model_folder(bad)
        assert time.perf_counter() - t0 < 1.0
    with pytest.raises(ModelPathError, match="hub id"):
        _run(
            session, GenerationRequest(operator="山田 花子", prompt="sky", model="stabilityai/sd-turbo"), tmp_path, keys
        )
    assert _ledger_count(session) == 0


def test_local_text_to_image_checkpoint_generates_with_provenance(
    session: Session, models, keys: Path, tmp_path: Path
) -> None:
    from generation.provenance import verify

    request = GenerationRequest(
        operator="Yamada Hanako",
        prompt="sky city tree",
        model=str(models["sd"]),
        seed=3,
        steps=2,
        size=64,
        guidance=2.0,
    )
    result = _run(session, request, tmp_path, keys)
    image = result.images[0]
    assert (image.width, image.height) == (64, 64)
    row = session.get(AiUsage, image.ai_usage_id)
    assert row.prompt == "sky city tree" and row.params["model_id"] == str(models["sd"].resolve())
    assert row.role_id is None
    again = _run(session, request, tmp_path, keys).images[0]
    assert np.array_equal(_pixels(image.path), _pixels(again.path))
    v = verify(image.path, keys=keys)
    assert v.status == "trusted" and v.operator == "山田 花子" and v.generation["prompt"] == "sky city tree"
    with pytest.raises(GenerationError, match="needs a prompt"):
        _run(session, GenerationRequest(operator="山田 花子", scene="sunset", model=str(models["sd"])), tmp_path, keys)


def test_fp16_only_turbo_folder_loads_with_turbo_defaults(session: Session, models, keys: Path, tmp_path: Path) -> None:
    from generation.backends import detect_variant, is_turbo

    folder = models["turbo_fp16"]
    assert detect_variant(folder) == "fp16" and detect_variant(models["sd"]) is None
    assert is_turbo(folder) and not is_turbo(models["sd"])
    result = _run(
        session, GenerationRequest(operator="山田 花子", prompt="sky", model=str(folder), size=64), tmp_path, keys
    )
    assert result.steps == 1 and result.guidance == 0.0
    row = session.get(AiUsage, result.images[0].ai_usage_id)
    assert row.params["variant"] == "fp16" and row.params["dtype"] == "float32" and row.params["turbo"] is True


# ---------------------------------------------------------------------------------------------------------------
# Training and the bundled model


def test_training_smoke_and_resume(tmp_path: Path) -> None:
    from generation.model import load_model
    from generation.train import TrainConfig, train

    cfg = TrainConfig(
        out=tmp_path / "run",
        minutes=1,
        resolution=16,
        per_class=4,
        batch_size=4,
        max_steps=3,
        block_out_channels=(8, 16),
        checkpoint_minutes=10,
    )
    model_dir = train(cfg, log=lambda _m: None)
    assert json.loads((model_dir / "training.json").read_text())["steps"] == 3
    resumed = TrainConfig(**{**cfg.__dict__, "resume": True, "max_steps": 5})
    train(resumed, log=lambda _m: None)
    assert json.loads((model_dir / "training.json").read_text())["steps"] == 5
    assert load_model(model_dir)([0], num_inference_steps=2).images.shape == (1, 16, 16, 3)


def test_bundled_model_draws_every_class_recognizably() -> None:
    import torch

    from generation.backends import bundled_model_dir, cpu_has_native_bf16
    from generation.evaluate import report, sample_classes
    from generation.model import load_model

    folder = bundled_model_dir()
    assert (folder / "MODEL_CARD.md").is_file()
    weights = folder / "unet" / "diffusion_pytorch_model.fp16.safetensors"
    assert weights.stat().st_size < 10_000_000
    torch.set_num_threads(1)
    # As generate() samples: bf16 autocast where the CPU has native bf16.
    pipe = load_model(folder)
    stats = report(sample_classes(pipe, per_class=4, steps=25, guidance=3.0, seed=1000, bf16=cpu_has_native_bf16()))
    assert stats["night_city"]["luminance"] < stats["sunset"]["luminance"] - 20
    assert stats["sky_clouds"]["blueness"] > stats["interior_room"]["blueness"] + 60
    assert stats["forest"]["greenness"] > stats["night_city"]["greenness"] + 20
    assert stats["hills_field"]["greenness"] > stats["sky_clouds"]["greenness"] + 20
    assert stats["sky_clouds"]["luminance"] > stats["forest"]["luminance"] + 30
    assert stats["sunset"]["blueness"] < stats["sky_clouds"]["blueness"] - 60
    # Nearest colour-layout centroid of the procedural scenes: strict (night_city's lights come out larger and
    # blurrier than drawn, so it is the weakest class), hence "at least half" per class.
    for scene in SCENES:
        assert stats[scene]["accuracy"] >= 0.5, (scene, stats[scene])
    assert np.mean([s["accuracy"] for s in stats.values()]) >= 0.85, stats
    assert folder.name == BUNDLED_MODEL


# ---------------------------------------------------------------------------------------------------------------
# The dashboard page


def test_generation_page_generates_and_shows_provenance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit.testing.v1 import AppTest

    from data.engine import make_engine
    from data.identity import Identity

    url = f"sqlite:///{tmp_path / 'page.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("ENDROLL_HOME", str(tmp_path / "home"))
    engine = make_engine(url)
    with Session(engine) as s:
        person = Person(display_name="山田 花子")
        s.add(person)
        s.commit()
        person_id = person.id
    engine.dispose()

    at = AppTest.from_file(str(ROOT / "app_pages" / "generation.py"), default_timeout=120)
    at.session_state["identity"] = Identity(username="boss", role="manager", person_id=person_id)
    at.run()
    assert not at.exception, at.exception
    assert any("python -m generation keys" in w.value for w in at.warning)
    at.button(key="gen_dev_keys").click().run()
    assert not at.warning
    at.number_input(key="gen_count").set_value(1)
    at.selectbox(key="gen_scene").set_value("night_city")
    at.button(key="gen_go").click().run()
    assert not at.exception and not at.error, (at.exception, at.error)
    captions = " ".join(c.value for c in at.caption)
    assert "operated by **山田 花子**" in captions and "C2PA: **trusted**" in captions
    assert len(list((tmp_path / "home" / "assets").rglob("*.png"))) == 1
