"""The CAWG identity assertion (``cawg.identity``, sig_type ``cawg.x509.cose``), checked the way the spec defines it.

c2pa-rs writes the assertion (``generation.signing``) and checks its signature for the active manifest, but it does
not say whether the person's certificate chains to *our* trust list, nor who the certificate names beyond a common
name, and it does not check the identity assertions of ingredient manifests (the generation under a paint-over).
This module does all of that from the manifest store's detailed report:

1. the assertion's ``signature`` is a COSE_Sign1 (CBOR tag 18) whose payload is detached: the signed bytes are the
   CBOR serialization of ``signer_payload``; its protected header carries the algorithm and the certificate chain
   (``x5chain``, label 33);
2. the signature verifies against the leaf certificate's public key;
3. the leaf chains to a certificate of the trust list and is within its validity period;
4. every assertion the payload references (by hashed URI) is in the claim with the same hash, the claim's hard
   binding is among them, and so are the actions.

CBOR here is the deterministic subset COSE and the signer payload use (definite lengths, maps in the order given),
about sixty lines, so no CBOR dependency is needed.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

SIG_TYPE = "cawg.x509.cose"
_COSE_SIGN1_TAG = 18
_X5CHAIN = 33
_ALGORITHMS = {-7: "SHA256", -35: "SHA384", -36: "SHA512"}
"""COSE ECDSA algorithms (ES256, ES384, ES512) and their hashes."""


class CborError(ValueError):
    """Bytes that are not the CBOR this module reads."""


def cbor_decode(data: bytes, i: int = 0) -> tuple[Any, int]:
    """The CBOR item at ``data[i:]`` and the index after it; a tag comes back as ``("tag", number, item)``."""
    if i >= len(data):
        raise CborError("truncated CBOR")
    head = data[i]
    major, info = head >> 5, head & 31
    i += 1
    if info < 24:
        value = info
    elif info in (24, 25, 26, 27):
        size = 1 << (info - 24)
        if i + size > len(data):
            raise CborError("truncated CBOR")
        value = int.from_bytes(data[i : i + size], "big")
        i += size
    else:
        raise CborError("indefinite-length CBOR is not used by COSE_Sign1 here")
    if major == 0:
        return value, i
    if major == 1:
        return -1 - value, i
    if major in (2, 3):
        if i + value > len(data):
            raise CborError("truncated CBOR")
        raw = bytes(data[i : i + value])
        return (raw if major == 2 else raw.decode("utf-8")), i + value
    if major == 4:
        items = []
        for _ in range(value):
            item, i = cbor_decode(data, i)
            items.append(item)
        return items, i
    if major == 5:
        mapping = {}
        for _ in range(value):
            key, i = cbor_decode(data, i)
            mapping[key], i = cbor_decode(data, i)
        return mapping, i
    if major == 6:
        item, i = cbor_decode(data, i)
        return ("tag", value, item), i
    return {20: False, 21: True, 22: None}.get(info), i


def _head(major: int, n: int) -> bytes:
    if n < 24:
        return bytes([major << 5 | n])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if n < 1 << (8 * size):
            return bytes([major << 5 | info]) + n.to_bytes(size, "big")
    raise CborError("integer too large for CBOR")


def cbor_encode(value: Any) -> bytes:
    """Definite-length CBOR of ``value`` (None, bool, int, bytes, str, list, dict in its own order)."""
    if value is None:
        return b"\xf6"
    if isinstance(value, bool):
        return b"\xf5" if value else b"\xf4"
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _head(3, len(raw)) + raw
    if isinstance(value, list | tuple):
        return _head(4, len(value)) + b"".join(cbor_encode(v) for v in value)
    if isinstance(value, dict):
        return _head(5, len(value)) + b"".join(cbor_encode(k) + cbor_encode(v) for k, v in value.items())
    raise CborError(f"cannot encode {type(value).__name__} as CBOR")


@dataclass
class IdentityCheck:
    """What one ``cawg.identity`` assertion proves: who signed it, and whether that holds."""

    manifest: str
    """Label of the manifest that carries the assertion."""
    name: str | None = None
    """The certificate's common name: the person's public name."""
    person_id: int | None = None
    """The person's id in the studio's database (the certificate's UID), if the certificate is an Endroll one."""
    organization: str | None = None
    issuer: str | None = None
    serial: str | None = None
    fingerprint: str | None = None
    signature_valid: bool = False
    trusted: bool = False
    references: list[str] = field(default_factory=list)
    """Labels of the assertions the identity signature covers."""
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.signature_valid and self.trusted and not self.problems

    def who(self) -> str:
        person = f"person #{self.person_id}" if self.person_id is not None else "no Endroll person id"
        return f"{self.name or '?'} ({person}; certificate {self.serial or '?'} from {self.issuer or '?'})"


def _hashed_uri(item: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in item.items():
        out[key] = base64.b64decode(value) if key == "hash" and isinstance(value, str) else value
    return out


def signer_payload_bytes(payload: dict[str, Any]) -> bytes:
    """The CBOR that the COSE signature covers, rebuilt from the store's JSON rendering of ``signer_payload``."""
    out: dict[str, Any] = {}
    for key, value in payload.items():
        if key == "referenced_assertions":
            out[key] = [_hashed_uri(v) for v in value]
        elif key == "expected_claim_generator" and isinstance(value, dict):
            out[key] = _hashed_uri(value)
        elif key == "expected_partial_claim" and isinstance(value, str):
            out[key] = base64.b64decode(value)
        else:
            out[key] = value
    return cbor_encode(out)


def _label(url: str) -> str:
    return url.rsplit("/", 1)[-1]


def _issued_by(cert: Any, issuer: Any) -> bool:
    from cryptography.exceptions import InvalidSignature

    try:
        cert.verify_directly_issued_by(issuer)
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


def _chain_to_anchor(chain: list[Any], anchors: list[Any], now: dt.datetime) -> str | None:
    """None when ``chain`` (leaf first) leads to one of ``anchors`` within validity, else the reason it does not."""
    for cert in chain:
        if not cert.not_valid_before_utc <= now <= cert.not_valid_after_utc:
            return f"certificate {cert.subject.rfc4514_string()} is outside its validity period"
    for i, cert in enumerate(chain):
        for anchor in anchors:
            if _issued_by(cert, anchor):
                if not anchor.not_valid_before_utc <= now <= anchor.not_valid_after_utc:
                    return "the trust anchor is outside its validity period"
                return None
        if i + 1 < len(chain) and not _issued_by(cert, chain[i + 1]):
            return "the certificate chain is broken"
    return "the certificate does not chain to the trust list"


def check_identity(
    manifest_label: str,
    manifest: dict[str, Any],
    assertion: dict[str, Any],
    *,
    anchors_pem: str | None,
    sdk_validated: bool | None = None,
    now: dt.datetime | None = None,
) -> IdentityCheck:
    """Check one ``cawg.identity`` assertion of ``manifest`` (a manifest of the store's detailed report).

    ``sdk_validated`` is c2pa-rs's own verdict on the signature where it gave one (the active manifest); the
    signature is also verified here, and either verdict failing fails the check.
    """
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, utils
    from cryptography.x509.oid import NameOID

    check = IdentityCheck(manifest=manifest_label)
    payload = assertion.get("signer_payload") or {}
    if payload.get("sig_type") != SIG_TYPE or assertion.get("sig_type") not in (None, SIG_TYPE):
        check.problems.append(f"unsupported identity signature type {payload.get('sig_type')!r}")
        return check
    try:
        (tag, number, cose), _ = cbor_decode(base64.b64decode(assertion.get("signature") or ""))
        if tag != "tag" or number != _COSE_SIGN1_TAG or not isinstance(cose, list) or len(cose) != 4:
            raise CborError("not a COSE_Sign1")
        protected_raw, _unprotected, detached, signature = cose
        protected, _ = cbor_decode(protected_raw)
        chain_der = protected.get(_X5CHAIN) or (_unprotected or {}).get(_X5CHAIN)
        chain_der = [chain_der] if isinstance(chain_der, bytes) else list(chain_der or [])
        chain = [x509.load_der_x509_certificate(der) for der in chain_der]
        if not chain:
            raise CborError("no x5chain in the COSE header")
        algorithm = _ALGORITHMS.get(protected.get(1))
        if algorithm is None or detached is not None:
            raise CborError(f"unsupported COSE algorithm {protected.get(1)!r} or attached payload")
    except (CborError, ValueError, TypeError) as exc:
        check.problems.append(f"the identity signature cannot be read ({exc})")
        return check

    leaf = chain[0]
    common = leaf.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    uid = leaf.subject.get_attributes_for_oid(NameOID.USER_ID)
    org = leaf.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    issuer_cn = leaf.issuer.get_attributes_for_oid(NameOID.COMMON_NAME)
    check.name = str(common[0].value) if common else None
    check.person_id = int(uid[0].value) if uid and str(uid[0].value).isdigit() else None
    check.organization = str(org[0].value) if org else None
    check.issuer = str(issuer_cn[0].value) if issuer_cn else leaf.issuer.rfc4514_string()
    check.serial = f"{leaf.serial_number:x}"
    check.fingerprint = hashlib.sha256(leaf.public_bytes(_der())).hexdigest()

    to_be_signed = cbor_encode(["Signature1", protected_raw, b"", signer_payload_bytes(payload)])
    half = len(signature) // 2
    try:
        der_signature = utils.encode_dss_signature(
            int.from_bytes(signature[:half], "big"), int.from_bytes(signature[half:], "big")
        )
        leaf.public_key().verify(der_signature, to_be_signed, ec.ECDSA(getattr(hashes, algorithm)()))
        mine = True
    except (InvalidSignature, ValueError, TypeError, AttributeError):
        mine = False
    check.signature_valid = mine and sdk_validated is not False
    if not check.signature_valid:
        check.problems.append("the identity signature does not verify")

    claim = manifest.get("claim") or {}
    in_claim = {
        a.get("url"): a.get("hash")
        for key in ("created_assertions", "gathered_assertions", "assertions")
        for a in claim.get(key) or []
    }
    refs = payload.get("referenced_assertions") or []
    check.references = [_label(r.get("url", "")) for r in refs]
    for ref in refs:
        if in_claim.get(ref.get("url")) != ref.get("hash"):
            check.problems.append(f"the identity signature covers {_label(ref.get('url', ''))!r}, which the claim "
                                  "does not hold with that hash")  # fmt: skip
    if not any(label.startswith("c2pa.hash.") for label in check.references):
        check.problems.append("the identity signature does not cover the hard binding")
    if not any(label.startswith("c2pa.actions") for label in check.references):
        check.problems.append("the identity signature does not cover the actions")

    anchors = x509.load_pem_x509_certificates(anchors_pem.encode()) if anchors_pem else []
    reason = _chain_to_anchor(chain, anchors, now or dt.datetime.now(dt.UTC)) if anchors else "no trust list"
    check.trusted = reason is None
    if reason is not None:
        check.problems.append(f"the identity credential is not trusted: {reason}")
    return check


def _der():
    from cryptography.hazmat.primitives import serialization

    return serialization.Encoding.DER


def identities(
    store: dict[str, Any], label: str, *, anchors_pem: str | None, sdk: dict[str, bool]
) -> list[IdentityCheck]:
    """Every identity assertion of the manifest ``label`` in ``store`` (the detailed report), checked.

    ``sdk`` maps an assertion label to c2pa-rs's verdict on its signature, where the report gave one.
    """
    manifest = (store.get("manifests") or {}).get(label) or {}
    out = []
    for name, assertion in (manifest.get("assertion_store") or {}).items():
        if name == "cawg.identity" or name.startswith("cawg.identity__"):
            out.append(check_identity(label, manifest, assertion, anchors_pem=anchors_pem, sdk_validated=sdk.get(name)))
    return out
