"""Signing and reading C2PA manifests with c2pa-python: the studio signs the claim, the operator signs their identity.

One call to c2pa-rs writes both signatures. The studio's certificate signs the claim (as before); the operator's
credential signs a ``cawg.identity`` assertion (X.509, COSE) over the assertions it names plus the hard binding.
c2pa-rs adds that assertion only for a signer configured in its settings (``signer`` + ``cawg_x509_signer``), not
for a ``Signer`` object, so the context is built from settings; c2pa-python's ``Builder`` checks
``Context.has_signer`` before it lets such a context sign, hence the one-line subclass below.

c2pa is imported inside the functions: the dashboard imports this module without loading the native library.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from typing import Any

from data.i18n import N_
from generation.errors import CredentialError
from generation.keys import Credential, SigningKey

_contexts: dict[str, type] = {}


def _signing_context(settings: dict[str, Any]) -> Any:
    import c2pa

    if "cls" not in _contexts:

        class SettingsSignerContext(c2pa.Context):
            """A context whose signer is in its settings (c2pa-python only counts a ``Signer`` object)."""

            @property
            def has_signer(self) -> bool:
                return True

        _contexts["cls"] = SettingsSignerContext
    return _contexts["cls"].from_dict(settings)


def _local(chain: bytes, key: bytes, references: Sequence[str] | None = None) -> dict[str, Any]:
    # No time-stamp authority: signing must never touch the network.
    signer: dict[str, Any] = {"alg": "es256", "sign_cert": chain.decode(), "private_key": key.decode(), "tsa_url": None}
    if references is not None:
        signer["referenced_assertions"] = list(references)
    return {"local": signer}


def sign_png(
    png: bytes,
    manifest: dict[str, Any],
    key: SigningKey,
    *,
    identity: Credential,
    references: Sequence[str],
    ingredients: Sequence[tuple[dict[str, Any], bytes]] = (),
) -> bytes:
    """``png`` with ``manifest`` embedded: the claim signed with the studio's ``key``, and a ``cawg.identity``
    assertion signed with the person's ``identity`` credential covering the assertions labelled ``references``
    (c2pa-rs adds the hard binding). ``ingredients`` are ``(ingredient_json, png_bytes)`` pairs."""
    import c2pa

    settings = {
        "builder": {"thumbnail": {"enabled": False}},
        "signer": _local(key.chain_pem, key.key_pem),
        "cawg_x509_signer": _local(identity.chain_pem, identity.key_pem, references),
    }
    dst = io.BytesIO()
    try:
        with _signing_context(settings) as ctx, c2pa.Builder(manifest, ctx) as builder:
            for ingredient, data in ingredients:
                builder.add_ingredient(ingredient, "image/png", io.BytesIO(data))
            builder.sign("image/png", io.BytesIO(png), dst)
    except c2pa.C2paError as exc:
        raise CredentialError(
            N_("C2PA signing failed: {error}"),
            fix={
                "cli": N_("check the certificate chains in the key folder (`python -m generation keys list`)"),
                "page": N_("check the signing credentials on this page"),
            },
            error=str(exc),
        ) from exc
    return dst.getvalue()


def mime_type(data: bytes) -> str:
    """``image/jpeg`` for JPEG bytes, else ``image/png`` (what Endroll writes; a PNG→JPEG copy is read as JPEG)."""
    return "image/jpeg" if data[:3] == b"\xff\xd8\xff" else "image/png"


def read_manifest_store(data: bytes, anchors: str | None = None, *, detailed: bool = False) -> dict[str, Any] | None:
    """The parsed manifest store of the PNG or JPEG ``data`` (with ``validation_state`` and ``validation_results``),
    or None when it carries none. ``detailed`` adds each manifest's claim and raw assertions (identity signatures)."""
    import c2pa

    settings: dict[str, Any] = {"verify": {"remote_manifest_fetch": False, "ocsp_fetch": False}}
    if anchors:
        settings["trust"] = {"trust_anchors": anchors}
    try:
        with (
            c2pa.Context.from_dict(settings) as ctx,
            c2pa.Reader(mime_type(data), io.BytesIO(data), context=ctx) as reader,
        ):
            store = json.loads(reader.json())
            if detailed:
                store["detailed"] = json.loads(reader.detailed_json())
            return store
    except c2pa.C2paError.ManifestNotFound:
        return None
    except c2pa.C2paError as exc:
        # A damaged JUMBF box is not "no manifest": someone or something changed the file.
        return {
            "validation_state": "Invalid",
            "validation_status": [{"code": type(exc).__name__, "explanation": str(exc)}],
        }


def active_label(data: bytes) -> str | None:
    """The label of the active manifest of ``data`` (no trust checks), or None."""
    store = read_manifest_store(data)
    return (store or {}).get("active_manifest")
