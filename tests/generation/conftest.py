"""Fixtures of the generation tests: offline throughout, a studio with two people holding signing credentials.

The generation tests run on SQLite only (the ledger's SQL is plain; ``test_ledger.py`` runs the provenance lookups on
both databases).
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from data.names import person_key
from data.schema import Cut, Episode, Person, PersonAlias, Production, Service
from tests.generation.fixtures import build_tiny_scene_model, build_tiny_sd


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to reach the network fails the test (local sockets such as SQLite's are unaffected)."""
    real_connect = socket.socket.connect

    def guarded_connect(sock: socket.socket, address) -> None:
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            raise AssertionError(f"network access attempted: {address!r}")
        return real_connect(sock, address)

    def guarded_getaddrinfo(host, *args, **kwargs):
        raise AssertionError(f"DNS lookup attempted: {host!r}")

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket, "getaddrinfo", guarded_getaddrinfo)


@pytest.fixture(scope="session")
def models(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("models")
    return {
        "scene": build_tiny_scene_model(root / "tiny-scenes"),
        "sd": build_tiny_sd(root / "tiny-sd"),
        "turbo_fp16": build_tiny_sd(root / "tiny-sd-turbo", variant="fp16"),
    }


@pytest.fixture(scope="session")
def ca(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The studio CA's folder (kept apart from the key folder, as in production)."""
    return tmp_path_factory.mktemp("ca")


@pytest.fixture(scope="session")
def keys(tmp_path_factory: pytest.TempPathFactory, ca: Path) -> Path:
    from generation.keys import create_dev_keys

    return create_dev_keys(tmp_path_factory.mktemp("keys"), ca=ca, overwrite=True)


@pytest.fixture
def gen_engine(templates, tmp_path: Path) -> Iterator[Engine]:
    yield from templates.engine("sqlite", "empty", tmp_path)


@pytest.fixture
def studio(gen_engine: Engine, keys: Path, ca: Path) -> dict[str, int]:
    """山田 花子 and 佐藤 一郎, each holding a signing credential; a production with a cut; a placeholder alias and an
    AI tool that must never resolve as people."""
    from generation.keys import issue_credential, load_credential

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
        ids = {"hanako": hanako.id, "ichiro": ichiro.id, "production": production.id, "cut": cut.id}
        for person in (hanako, ichiro):
            held = load_credential(person.id, keys)
            if held is None or held.name != person.display_name:
                issue_credential(person_id=person.id, name=person.display_name, keys=keys, ca=ca, overwrite=True)
        return ids


@pytest.fixture
def session(gen_engine: Engine, studio: dict[str, int]) -> Iterator[Session]:
    with Session(gen_engine, expire_on_commit=False) as s:
        yield s
