"""Keys and certificates: the studio's CA, its content-signing certificate, and one identity credential per operator.

Where they live, and why apart:

- the **key folder** (``ENDROLL_KEY_DIR``, default ``ENDROLL_HOME/keys``) holds what signing needs: the studio's
  content-signing chain and key (``signer.pem``, ``signer.key.pem``), the trust list (``trust_anchors.pem``), and
  each operator's credential (``people/<person id>/identity.pem`` and ``identity.key.pem``);
- the **CA folder** (``ENDROLL_CA_DIR``, default ``ENDROLL_HOME/ca``) holds the CA's certificate and private key,
  needed only to issue certificates. Signing never reads it, so a studio can keep it offline (a USB stick, another
  machine) and the generator keeps working; only issuing a new credential then needs it back.

Every private key is a file of mode 0600 in a folder of mode 0700. Certificates are ECDSA P-256 (ES256), the
signing leaf certificates carry the emailProtection EKU that C2PA's trust model accepts, and an operator's
certificate names the person: CN = the public name (the pen name for a pen-name-only person, as manifests are
public), UID = the person's id in the database, OU = "Endroll operator identity".
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from data.i18n import N_
from generation.errors import CredentialError

CA_CERT = "ca.pem"
CA_KEY = "ca.key.pem"
SIGNER_CHAIN = "signer.pem"
SIGNER_KEY = "signer.key.pem"
TRUST_ANCHORS = "trust_anchors.pem"
PEOPLE = "people"
IDENTITY_CHAIN = "identity.pem"
IDENTITY_KEY = "identity.key.pem"
OPERATOR_OU = "Endroll operator identity"
DEV_STUDIO = "Endroll development studio"

_KEYS_FIX = {
    "cli": N_(
        "install the studio's keys there, or for local use create development keys with `python -m generation keys`"
    ),
    "page": N_(
        "press 'Create development keys' below (local use only), or ask the administrator to install the studio's keys"
    ),
}


def key_dir(path: Path | str | None = None) -> Path:
    """The configured key folder (``ENDROLL_KEY_DIR``, else ``ENDROLL_HOME/keys``)."""
    if path is not None:
        return Path(path)
    from data import settings

    return Path(settings.get("key_dir") or settings.home() / "keys")


def ca_dir(path: Path | str | None = None) -> Path:
    """The configured CA folder (``ENDROLL_CA_DIR``, else ``ENDROLL_HOME/ca``), kept apart from the key folder."""
    if path is not None:
        return Path(path)
    from data import settings

    return Path(settings.get("ca_dir") or settings.home() / "ca")


def _private_folder(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(0o700)
    return path


def _write(path: Path, data: bytes, *, private: bool) -> None:
    # Created with its final mode, so a private key is never readable by others, not even for a moment.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600 if private else 0o644)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    path.chmod(0o600 if private else 0o644)


def _pem_key(key) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _leaf(subject, issuer_cert, issuer_key, public_key, days: int):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import ExtendedKeyUsageOID

    now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_cert.subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(min(now + dt.timedelta(days=days), issuer_cert.not_valid_after_utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False)
        .sign(issuer_key, hashes.SHA256())
    )


def create_dev_keys(
    folder: Path | str | None = None,
    *,
    ca: Path | str | None = None,
    studio: str = DEV_STUDIO,
    overwrite: bool = False,
) -> Path:
    """Create a development root CA (in the CA folder) and the studio's ES256 content-signing certificate issued
    by it (in the key folder); returns the key folder.

    c2pa refuses a bare self-signed signing certificate, so a two-level chain is needed even for local use. The
    CA certificate becomes the key folder's trust list. Never use these keys for published assets: a studio
    installs its own ``signer.pem`` (leaf + chain), ``signer.key.pem`` and ``trust_anchors.pem``.
    """
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    folder, ca_folder = key_dir(folder), ca_dir(ca)
    if (folder / SIGNER_KEY).exists() and not overwrite:
        raise CredentialError(
            N_("{path} already exists"),
            fix={
                "cli": N_("pass --force to replace it"),
                "page": N_("remove the key folder first to replace its keys"),
            },
            path=str(folder / SIGNER_KEY),
        )
    if folder.resolve() == ca_folder.resolve():
        raise CredentialError(
            N_("the CA folder and the key folder are both {path}; the CA's private key must be kept apart"),
            fix={"cli": N_("pass a different --ca"), "page": N_("set ENDROLL_CA_DIR to another folder")},
            path=str(folder),
        )
    _private_folder(folder)
    _private_folder(ca_folder)
    now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, studio),
            x509.NameAttribute(NameOID.COMMON_NAME, f"{studio} development root CA"),
        ]
    )
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    leaf_name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, studio),
            x509.NameAttribute(NameOID.COMMON_NAME, f"{studio} content signing"),
        ]
    )
    leaf_cert = _leaf(leaf_name, ca_cert, ca_key, leaf_key.public_key(), days=825)

    ca_pem = ca_cert.public_bytes(serialization.Encoding.PEM)
    _write(ca_folder / CA_CERT, ca_pem, private=False)
    _write(ca_folder / CA_KEY, _pem_key(ca_key), private=True)
    _write(folder / CA_CERT, ca_pem, private=False)
    _write(folder / SIGNER_CHAIN, leaf_cert.public_bytes(serialization.Encoding.PEM) + ca_pem, private=False)
    _write(folder / SIGNER_KEY, _pem_key(leaf_key), private=True)
    _write(folder / TRUST_ANCHORS, ca_pem, private=False)
    return folder


@dataclass(frozen=True)
class SigningKey:
    """The studio's content-signing chain (leaf first) and private key, as PEM."""

    chain_pem: bytes
    key_pem: bytes

    @classmethod
    def load(cls, folder: Path | str | None = None) -> SigningKey:
        """The studio's signing key of ``folder``, or :class:`CredentialError` saying how to install one."""
        folder = key_dir(folder)
        chain, key = folder / SIGNER_CHAIN, folder / SIGNER_KEY
        if not chain.is_file() or not key.is_file():
            raise CredentialError(
                N_("No C2PA signing key in {folder} (it needs {chain} and {key})"),
                fix=_KEYS_FIX,
                folder=str(folder),
                chain=SIGNER_CHAIN,
                key=SIGNER_KEY,
            )
        return cls(chain.read_bytes(), key.read_bytes())


@dataclass(frozen=True)
class Credential:
    """One operator's identity credential: a certificate issued by the studio's CA, and its private key."""

    person_id: int
    name: str
    chain_pem: bytes
    key_pem: bytes
    serial: str
    """Certificate serial number, hexadecimal."""
    fingerprint: str
    """sha256 of the certificate (DER), hexadecimal."""
    not_after: dt.datetime


def _credential_folder(person_id: int, keys: Path | str | None) -> Path:
    return key_dir(keys) / PEOPLE / str(int(person_id))


def _load_ca(ca: Path | str | None):
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    folder = ca_dir(ca)
    cert, key = folder / CA_CERT, folder / CA_KEY
    if not cert.is_file() or not key.is_file():
        raise CredentialError(
            N_("The studio's CA (certificate and private key) is not in {folder}, so no credential can be issued here"),
            fix={
                "cli": N_(
                    "pass --ca with the folder where the CA is kept, or issue the credential on the machine "
                    "that keeps it"
                ),
                "page": N_("ask whoever keeps the studio's CA to issue the credential (the CA is not on this server)"),
            },
            folder=str(folder),
        )
    return x509.load_pem_x509_certificate(cert.read_bytes()), serialization.load_pem_private_key(
        key.read_bytes(), password=None
    )


def issue_credential(
    *,
    person_id: int,
    name: str,
    keys: Path | str | None = None,
    ca: Path | str | None = None,
    overwrite: bool = False,
) -> Credential:
    """Issue an identity credential for the person ``person_id`` named ``name`` (their public name), signed by the
    studio's CA, and store it in the key folder; returns it.

    An existing credential is kept unless ``overwrite`` (a re-issue makes a new key; images signed with the old one
    still verify, since the CA issued both).
    """
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    folder = _credential_folder(person_id, keys)
    if (folder / IDENTITY_KEY).exists() and not overwrite:
        raise CredentialError(
            N_("{name} (person {person_id}) already holds a signing credential"),
            fix={"cli": N_("pass --force to issue a new one"), "page": N_("tick 'Replace' to issue a new one")},
            name=name,
            person_id=person_id,
        )
    ca_cert, ca_key = _load_ca(ca)
    studio = ca_cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name(
        [
            *(studio[:1]),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, OPERATOR_OU),
            x509.NameAttribute(NameOID.USER_ID, str(int(person_id))),
            x509.NameAttribute(NameOID.COMMON_NAME, name),
        ]
    )
    cert = _leaf(subject, ca_cert, ca_key, key.public_key(), days=825)
    _private_folder(key_dir(keys))
    _private_folder(folder.parent)
    _private_folder(folder)
    chain = cert.public_bytes(serialization.Encoding.PEM) + ca_cert.public_bytes(serialization.Encoding.PEM)
    _write(folder / IDENTITY_CHAIN, chain, private=False)
    _write(folder / IDENTITY_KEY, _pem_key(key), private=True)
    return _credential(person_id, chain, _pem_key(key))


def _credential(person_id: int, chain: bytes, key: bytes) -> Credential:
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.x509.oid import NameOID

    cert = x509.load_pem_x509_certificate(chain)
    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return Credential(
        person_id=person_id,
        name=str(names[0].value) if names else "?",
        chain_pem=chain,
        key_pem=key,
        serial=f"{cert.serial_number:x}",
        fingerprint=hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest(),
        not_after=cert.not_valid_after_utc,
    )


def load_credential(person_id: int, keys: Path | str | None = None) -> Credential | None:
    """The credential the person ``person_id`` holds in the key folder, or None."""
    folder = _credential_folder(person_id, keys)
    chain, key = folder / IDENTITY_CHAIN, folder / IDENTITY_KEY
    if not chain.is_file() or not key.is_file():
        return None
    return _credential(person_id, chain.read_bytes(), key.read_bytes())


def require_credential(person_id: int, name: str, keys: Path | str | None = None) -> Credential:
    """The person's credential, or :class:`CredentialError` saying how to get one (nothing is signed without)."""
    credential = load_credential(person_id, keys)
    if credential is None:
        raise CredentialError(
            N_(
                "{name} (person {person_id}) holds no signing credential, and every image is signed by the person who "
                "made it"
            ),
            fix={
                "cli": N_("issue one with `python -m generation keys issue --person {person_id}`"),
                "page": N_("issue one with 'Issue a signing credential' on this page"),
            },
            name=name,
            person_id=person_id,
        )
    return credential


def credentials(keys: Path | str | None = None) -> list[Credential]:
    """Every credential in the key folder, by person id (private keys included: callers show only public parts)."""
    root = key_dir(keys) / PEOPLE
    if not root.is_dir():
        return []
    ids = sorted(int(p.name) for p in root.iterdir() if p.is_dir() and p.name.isdigit())
    return [c for c in (load_credential(i, keys) for i in ids) if c is not None]


def trust_anchors(folder: Path | str | None = None) -> str | None:
    """The trust list (PEM certificates) of the key folder, or None when it has none."""
    path = key_dir(folder) / TRUST_ANCHORS
    return path.read_text() if path.is_file() else None


def describe_trust_list(folder: Path | str | None = None, *, translate: Any = None) -> str:
    """One line naming the trust list in use: its file and the certificates it trusts (in the reader's language when
    a page passes its ``translate``)."""
    from cryptography import x509

    tr = translate or (lambda text: text)
    path = key_dir(folder) / TRUST_ANCHORS
    if not path.is_file():
        return tr(N_("trust list: none ({path} does not exist), so no signer is trusted")).format(path=path)
    certs = x509.load_pem_x509_certificates(path.read_bytes())
    names = "; ".join(c.subject.rfc4514_string() for c in certs)
    return tr(N_("trust list: {path} ({n} certificates: {names})")).format(path=path, n=len(certs), names=names) if (
        len(certs) != 1) else tr(N_("trust list: {path} (1 certificate: {names})")).format(path=path, names=names)  # fmt: skip


def misplaced_ca_key(folder: Path | str | None = None) -> Path | None:
    """A CA private key found in the key folder (the layout before the CA folder existed), or None."""
    path = key_dir(folder) / CA_KEY
    return path if path.is_file() else None
