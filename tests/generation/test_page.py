"""The Generation page: generate with a named, credentialed operator; red for anything but TRUSTED.

Changed from before this round: the first warning names the page's button ("Create development keys"), not the
command line (a page never tells its user to run a command).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

# AppTest puts the page's folder (app_pages/) first on sys.path, where generation.py is the page itself: the
# package must already be imported under its name for the page's `from generation import ...` to find it.
import generation.keys  # noqa: F401
from tests.generation.fixtures import resign, stripped

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from streamlit.testing.v1 import AppTest

    from data.engine import make_engine
    from data.identity import Identity
    from data.schema import Person

    url = f"sqlite:///{tmp_path / 'page.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("ENDROLL_HOME", str(tmp_path / "home"))
    engine = make_engine(url)
    with Session(engine) as s:
        person = Person(display_name="山田 花子")
        s.add_all([person, Person(display_name="佐藤 一郎")])
        s.commit()
        person_id = person.id
    engine.dispose()
    at = AppTest.from_file(str(ROOT / "app_pages" / "generation.py"), default_timeout=180)
    at.context = {"locale": "en-US"}  # the assertions read the English messages (no locale reads as Japanese)
    at.session_state["identity"] = Identity(username="boss", role="manager", person_id=person_id)
    return at


def _generate(at) -> None:
    at.run()
    assert not at.exception, at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert "Create development keys" in warnings and "python -m" not in warnings
    at.button(key="gen_dev_keys").click().run()
    assert not at.warning, [w.value for w in at.warning]
    at.number_input(key="gen_count").set_value(1)
    at.selectbox(key="gen_scene").set_value("night_city")
    at.button(key="gen_go").click().run()
    assert not at.exception and not at.error, (at.exception, [e.value for e in at.error])


def test_generation_page_generates_and_shows_provenance(page, tmp_path: Path) -> None:
    _generate(page)
    captions = " ".join(c.value for c in page.caption)
    assert "operated by **山田 花子**" in captions and "C2PA: **trusted**" in captions
    assert f"trust list: {tmp_path / 'home' / 'keys' / 'trust_anchors.pem'}" in captions
    assert len(list((tmp_path / "home" / "assets").rglob("*.png"))) == 1
    # The CA went to its own folder, apart from the signing keys.
    assert (tmp_path / "home" / "ca" / "ca.key.pem").is_file()
    assert not list((tmp_path / "home" / "keys").rglob("ca.key.pem"))


def test_a_forged_upload_is_red_and_says_whose_certificate_it_is(page, tmp_path: Path) -> None:
    from generation.keys import SigningKey, create_dev_keys, issue_credential

    _generate(page)
    signed = next((tmp_path / "home" / "assets").rglob("*.png")).read_bytes()
    rogue = create_dev_keys(tmp_path / "rogue" / "keys", ca=tmp_path / "rogue" / "ca", studio="Evil Twin Studio")
    credential = issue_credential(person_id=1, name="山田 花子", keys=rogue, ca=tmp_path / "rogue" / "ca")
    forged = resign(signed, key=SigningKey.load(rogue), credential=credential)

    page.file_uploader(key="gen_verify").set_value(("forged.png", forged, "image/png")).run()
    assert not page.exception, page.exception
    errors = " ".join(e.value for e in page.error)
    assert "NOT TRUSTED" in errors and "Evil Twin Studio content signing" in errors
    assert not page.success

    page.file_uploader(key="gen_verify").set_value(("screenshot.png", stripped(signed), "image/png")).run()
    errors = " ".join(e.value for e in page.error)
    assert "watermark found: ledger #1, operator 山田 花子" in errors

    page.file_uploader(key="gen_verify").set_value(("original.png", signed, "image/png")).run()
    assert any("TRUSTED C2PA manifest" in s.value for s in page.success)


def test_an_operator_without_a_credential_is_offered_one(page, tmp_path: Path) -> None:
    _generate(page)
    page.selectbox(key="gen_operator").set_value(2).run()
    warnings = " ".join(w.value for w in page.warning)
    assert "佐藤 一郎 holds no signing credential" in warnings
    assert page.button(key="gen_go").disabled
    page.button(key="gen_issue_operator").click().run()
    assert not page.warning and not page.button(key="gen_go").disabled
    assert (tmp_path / "home" / "keys" / "people" / "2" / "identity.key.pem").is_file()

    # The expander re-issues a credential (a new key), and refuses to replace one silently.
    from generation.keys import load_credential

    before = load_credential(1, tmp_path / "home" / "keys").serial
    page.selectbox(key="gen_cred_person").set_value(1).run()
    page.button(key="gen_cred_issue").click().run()
    assert any("already holds a signing credential" in e.value and "Replace" in e.value for e in page.error)
    page.checkbox(key="gen_cred_replace").check().run()
    page.button(key="gen_cred_issue").click().run()
    assert not page.exception and load_credential(1, tmp_path / "home" / "keys").serial != before


def test_a_gallery_file_replaced_by_a_forgery_turns_red(page, tmp_path: Path) -> None:
    from generation.keys import SigningKey, create_dev_keys, issue_credential

    _generate(page)
    path = next((tmp_path / "home" / "assets").rglob("*.png"))
    rogue = create_dev_keys(tmp_path / "rogue" / "keys", ca=tmp_path / "rogue" / "ca")
    credential = issue_credential(person_id=1, name="山田 花子", keys=rogue, ca=tmp_path / "rogue" / "ca")
    path.write_bytes(resign(path.read_bytes(), key=SigningKey.load(rogue), credential=credential))
    page.run()
    assert "C2PA: **untrusted**" in " ".join(c.value for c in page.caption)
    assert any("NOT TRUSTED" in e.value for e in page.error)
