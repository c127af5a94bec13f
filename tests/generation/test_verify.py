"""verify(): TRUSTED is the only success; every other outcome fails with its own exit code and says why."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from data.schema import AiUsage, ai_usage_post_editor
from generation import OperatorError
from tests.generation.fixtures import resign, stripped
from tests.generation.test_pipeline import pixels, request, run


@pytest.fixture
def image(session: Session, models, keys: Path, tmp_path: Path):
    return run(session, request(models, production="犬と少年", cut="012"), tmp_path, keys).images[0]


@pytest.fixture(scope="module")
def rogue(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Another CA under the same studio name, with a signing key and a credential for "山田 花子" (person 1)."""
    from generation.keys import SigningKey, create_dev_keys, issue_credential

    root = tmp_path_factory.mktemp("rogue")
    folder = create_dev_keys(root / "keys", ca=root / "ca")
    credential = issue_credential(person_id=1, name="山田 花子", keys=folder, ca=root / "ca")
    return {"key": SigningKey.load(folder), "credential": credential}


def url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def test_changed_byte_or_missing_manifest_fails_verification(
    session: Session, image, keys: Path, tmp_path: Path
) -> None:
    from generation import verify
    from generation.cli import main
    from generation.verification import verify_bytes

    data = bytearray(Path(image.path).read_bytes())
    idat = data.find(b"IDAT")
    data[idat + 12] ^= 0x01
    altered = tmp_path / "altered.png"
    altered.write_bytes(bytes(data))
    assert verify(session, altered, keys=keys).status == "altered"
    assert "dataHash" in " ".join(verify(session, altered, keys=keys).problems)
    assert verify(session, altered, keys=keys).exit_code == 1

    plain = io.BytesIO()
    Image.new("RGB", (256, 256), (40, 90, 160)).save(plain, format="PNG")
    never_marked = verify_bytes(session, plain.getvalue(), keys=keys)
    assert never_marked.status == "no_manifest" and never_marked.watermark is None
    assert never_marked.outcome == "no_manifest" and never_marked.exit_code == 2
    # Without the studio's trust anchor the file is intact but its signer is not trusted: a failure.
    elsewhere = verify(session, image.path, keys=tmp_path / "elsewhere")
    assert elsewhere.status == "valid" and not elsewhere.ok and elsewhere.exit_code == 3

    assert main(["verify", image.path, "--keys", str(keys), "--no-ledger"]) == 0
    assert main(["verify", str(altered), "--keys", str(keys), "--no-ledger"]) == 1


def test_a_stripped_image_is_traced_to_its_ledger_row_and_operator(
    session: Session, image, keys: Path, tmp_path: Path, gen_engine: Engine, capsys: pytest.CaptureFixture
) -> None:
    from generation import verify
    from generation.cli import main

    row = session.get(AiUsage, image.ai_usage_id)
    bare = tmp_path / "screenshot.png"
    bare.write_bytes(stripped(Path(image.path).read_bytes()))
    v = verify(session, bare, keys=keys)
    assert v.status == "no_manifest" and v.outcome == "traced" and v.exit_code == 5 and not v.ok
    assert v.watermark.mark_id == row.watermark_id and v.watermark.entry.id == row.id
    assert f"watermark found: ledger #{row.id}, operator 山田 花子" in v.summary()
    # Without the ledger, the id is still read, but nothing is traced.
    alone = verify(None, bare, keys=keys)
    assert alone.watermark.mark_id == row.watermark_id and alone.outcome == "no_manifest"

    assert main(["verify", str(bare), "--keys", str(keys), "--database-url", url(gen_engine)]) == 5
    out = capsys.readouterr().out
    assert f"watermark found: ledger #{row.id}, operator 山田 花子" in out and "trust list:" in out


def test_an_image_resigned_by_another_ca_under_the_same_name_fails(
    session: Session, image, keys: Path, tmp_path: Path, rogue: dict, gen_engine: Engine, capsys
) -> None:
    from generation import verify
    from generation.cli import main

    forged = tmp_path / "forged.png"
    forged.write_bytes(resign(Path(image.path).read_bytes(), key=rogue["key"], credential=rogue["credential"]))
    v = verify(session, forged, keys=keys)
    assert v.status == "valid" and v.outcome == "untrusted" and v.exit_code == 3 and not v.ok
    assert "Endroll development studio content signing" in v.headline() and "NOT TRUSTED" in v.headline()
    assert "not trusted" in " ".join(v.identity_problems)

    assert main(["verify", str(forged), "--keys", str(keys), "--database-url", url(gen_engine)]) == 3
    out = capsys.readouterr().out
    assert "NOT TRUSTED" in out and f"trust list: {keys / 'trust_anchors.pem'}" in out
    assert main(["verify", str(forged), "--keys", str(keys), "--no-ledger", "--json"]) == 3
    report = json.loads(capsys.readouterr().out)
    assert report["outcome"] == "untrusted" and report["status"] == "valid" and report["exit_code"] == 3


def test_a_studio_signed_image_whose_identity_is_another_persons_fails_naming_both(
    session: Session, image, studio, keys: Path, tmp_path: Path
) -> None:
    from generation import verify
    from generation.keys import SigningKey, load_credential

    row = session.get(AiUsage, image.ai_usage_id)
    swapped = tmp_path / "swapped.png"
    swapped.write_bytes(
        resign(
            Path(image.path).read_bytes(), key=SigningKey.load(keys), credential=load_credential(studio["ichiro"], keys)
        )
    )
    v = verify(session, swapped, keys=keys)
    assert v.status == "trusted" and v.outcome == "identity" and v.exit_code == 4 and not v.ok
    assert [(c.name, c.person_id, c.signature_valid, c.trusted) for c in v.identities] == [
        ("佐藤 一郎", studio["ichiro"], True, True)
    ]
    problems = " ".join(v.identity_problems)
    assert "佐藤 一郎" in problems and "山田 花子" in problems
    # The manifest was re-signed, so the ledger row is found by the watermark in the pixels.
    assert v.ledger.id == row.id and v.ledger.found_by == "watermark"
    assert f"ledger #{row.id}'s operator is 山田 花子" in problems
    assert "IDENTITY NOT PROVEN" in v.summary()


def test_an_identity_from_outside_the_trust_list_or_none_at_all_fails(
    session: Session, image, keys: Path, tmp_path: Path, rogue: dict
) -> None:
    import c2pa

    from generation import provenance as prov
    from generation import verify
    from generation.keys import SigningKey

    data = Path(image.path).read_bytes()
    outsider = tmp_path / "outsider.png"
    outsider.write_bytes(resign(data, key=SigningKey.load(keys), credential=rogue["credential"]))
    v = verify(session, outsider, keys=keys)
    assert v.status == "trusted" and v.outcome == "identity" and v.exit_code == 4
    assert v.identities[0].name == "山田 花子" and not v.identities[0].trusted
    assert "does not chain to the trust list" in " ".join(v.identity_problems)

    # A manifest signed the old way, by the studio alone: the operator is only asserted.
    key = SigningKey.load(keys)
    text = prov.read_png_text(data)
    png = prov.png_with_text(Image.open(io.BytesIO(data)).convert("RGB"), text)
    info = c2pa.C2paSignerInfo(alg=c2pa.C2paSigningAlg.ES256, sign_cert=key.chain_pem, private_key=key.key_pem,
                               ta_url=None)  # fmt: skip
    out = io.BytesIO()
    with c2pa.Signer.from_info(info) as signer, c2pa.Builder(prov.generation_manifest(title="x", provenance=text)) as b:
        b.sign(signer, "image/png", io.BytesIO(png), out)
    studio_only = tmp_path / "studio-only.png"
    studio_only.write_bytes(out.getvalue())
    v = verify(session, studio_only, keys=keys)
    assert v.status == "trusted" and v.outcome == "identity" and v.identities == []
    assert "asserted by the studio only" in " ".join(v.identity_problems)


def test_paint_over_is_recorded_and_signed_by_the_editor(
    session: Session, studio, image, keys: Path, tmp_path: Path
) -> None:
    from generation import record_paint_over, verify
    from generation.provenance import COMPOSITE_WITH_TRAINED_ALGORITHMIC_MEDIA

    painted = tmp_path / "painted.png"
    arr = pixels(image.path).copy()
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
    assert row.watermark_id is not None and row.watermark_id != session.get(AiUsage, image.ai_usage_id).watermark_id
    editors = session.execute(select(ai_usage_post_editor)).all()
    assert {(e.person_id, e.edit_kind) for e in editors} == {(studio["ichiro"], "humanEdits")}
    assert len(editors) == 2 and all(e.edited_at for e in editors)
    edited = tmp_path / "assets" / row.asset_path
    v = verify(session, edited, keys=keys)
    assert v.status == "trusted" and v.ok, v.summary()
    assert v.operator == "山田 花子" and any("佐藤 一郎 (humanEdits" in e for e in v.editors)
    assert v.production["cut"] == "012"
    assert [(c.name, c.ok) for c in v.identities] == [("佐藤 一郎", True), ("山田 花子", True)]
    assert v.ledger.id == row.id and v.ledger.editor == "佐藤 一郎" and v.watermark.entry.id == row.id
    assert not v.problems

    # The edit stripped of its metadata leads to the edit's row, and so to both people.
    bare = tmp_path / "edit-screenshot.png"
    bare.write_bytes(stripped(edited.read_bytes()))
    traced = verify(session, bare, keys=keys)
    assert traced.outcome == "traced" and traced.watermark.entry.id == row.id
    assert "operator 山田 花子, painted over by 佐藤 一郎" in traced.headline()
