"""Keys: private keys 0600 in 0700 folders, the CA kept apart from the signing keys, one credential per operator."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_private_keys_are_0600_in_0700_folders_and_the_ca_key_is_kept_apart(tmp_path: Path) -> None:
    from generation import keys as k

    folder = k.create_dev_keys(tmp_path / "keys", ca=tmp_path / "ca")
    credential = k.issue_credential(person_id=7, name="山田 花子", keys=folder, ca=tmp_path / "ca")
    person_folder = folder / k.PEOPLE / "7"
    for path in (folder / k.SIGNER_KEY, tmp_path / "ca" / k.CA_KEY, person_folder / k.IDENTITY_KEY):
        assert mode(path) == 0o600, path
    for path in (folder, tmp_path / "ca", folder / k.PEOPLE, person_folder):
        assert mode(path) == 0o700, path
    # No CA private key anywhere under the key folder: only the CA folder holds it.
    assert not list(folder.rglob(k.CA_KEY))
    assert b"PRIVATE KEY" not in b"".join(p.read_bytes() for p in folder.rglob("*.pem") if "key" not in p.name)
    assert k.misplaced_ca_key(folder) is None
    assert credential.name == "山田 花子" and credential.person_id == 7
    assert k.load_credential(7, folder) == credential and k.credentials(folder) == [credential]


def test_signing_needs_no_ca_but_issuing_does(tmp_path: Path) -> None:
    import shutil

    from generation import keys as k
    from generation.errors import CredentialError

    folder = k.create_dev_keys(tmp_path / "keys", ca=tmp_path / "ca")
    k.issue_credential(person_id=1, name="山田 花子", keys=folder, ca=tmp_path / "ca")
    shutil.move(tmp_path / "ca", tmp_path / "offline-ca")  # the studio takes its CA offline
    assert k.SigningKey.load(folder).key_pem and k.load_credential(1, folder) is not None
    with pytest.raises(CredentialError, match="not in") as info:
        k.issue_credential(person_id=2, name="佐藤 一郎", keys=folder, ca=tmp_path / "ca")
    assert "--ca" in info.value.message("cli") and "--" not in info.value.message("page")
    assert k.issue_credential(person_id=2, name="佐藤 一郎", keys=folder, ca=tmp_path / "offline-ca").person_id == 2
    with pytest.raises(CredentialError, match="already holds"):
        k.issue_credential(person_id=2, name="佐藤 一郎", keys=folder, ca=tmp_path / "offline-ca")
    with pytest.raises(CredentialError, match="kept apart"):
        k.create_dev_keys(tmp_path / "same", ca=tmp_path / "same")


def test_an_operator_certificate_names_the_person(tmp_path: Path) -> None:
    from cryptography import x509
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    from generation import keys as k

    folder = k.create_dev_keys(tmp_path / "keys", ca=tmp_path / "ca", studio="スタジオ星")
    credential = k.issue_credential(person_id=42, name="ほしの", keys=folder, ca=tmp_path / "ca")
    leaf, ca = x509.load_pem_x509_certificates(credential.chain_pem)
    assert leaf.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "ほしの"
    assert leaf.subject.get_attributes_for_oid(NameOID.USER_ID)[0].value == "42"
    assert leaf.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == "スタジオ星"
    assert ExtendedKeyUsageOID.EMAIL_PROTECTION in leaf.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    leaf.verify_directly_issued_by(ca)
    assert "スタジオ星 development root CA" in k.describe_trust_list(folder)
    assert "none" in k.describe_trust_list(tmp_path / "nowhere")


def test_keys_command_issues_and_lists_credentials(gen_engine: Engine, tmp_path: Path, capsys) -> None:
    from data.schema import Person
    from generation.cli import main

    with Session(gen_engine) as s:
        s.add_all(
            [
                Person(display_name="山田 花子"),
                Person(display_name="ほしの", pen_name="ほしの", visibility="pen_name_only"),
            ]
        )
        s.commit()
    url = gen_engine.url.render_as_string(hide_password=False)
    common = ["--keys", str(tmp_path / "keys"), "--ca", str(tmp_path / "ca"), "--database-url", url]
    assert main(["keys", *common]) == 0
    assert main(["keys", "issue", "--person", "山田 花子", "--person", "2", *common]) == 0
    assert main(["keys", "issue", "--person", "山田 花子", *common]) == 2
    assert "already holds" in capsys.readouterr().err
    assert main(["keys", "issue", "--person", "AI (+Human)", *common]) == 2
    assert main(["keys", "list", *common]) == 0
    out = capsys.readouterr().out
    assert "person #1  山田 花子" in out and "person #2  ほしの" in out and "trust list:" in out
