"""Provenance that travels with the image: a PNG text chunk, and a C2PA manifest signed with the studio's key.

The text chunk is for tools that read A1111/ComfyUI-style metadata; anyone can strip or rewrite it. The C2PA
manifest (``caBX`` chunk) is the tamper-evident record: it names the operator, the tool and when, and hashes the
pixels, so a changed byte makes verification fail.

c2pa-python is imported inside the functions that use it: the dashboard imports this module to show provenance
without paying for the native library at start-up.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image, PngImagePlugin

IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/"
TRAINED_ALGORITHMIC_MEDIA = IPTC + "trainedAlgorithmicMedia"
COMPOSITE_WITH_TRAINED_ALGORITHMIC_MEDIA = IPTC + "compositeWithTrainedAlgorithmicMedia"
HUMAN_EDITS = IPTC + "humanEdits"

PNG_TEXT_KEY = "endroll:provenance"
"""iTXt key of the unsigned provenance JSON."""
ASSERTION_LABEL = "org.endroll.provenance"
"""Custom C2PA assertion with the production, cut and people (reverse-domain, as c2pa requires)."""
OPERATOR_PARAM = "org.endroll.operator"
GENERATION_PARAM = "org.endroll.generation"
CLAIM_GENERATOR = {"name": "Endroll", "version": "0.1.0"}

CA_CERT = "ca.pem"
CA_KEY = "ca.key.pem"
SIGNER_CHAIN = "signer.pem"
SIGNER_KEY = "signer.key.pem"
TRUST_ANCHORS = "trust_anchors.pem"


class ProvenanceError(RuntimeError):
    """Signing or reading provenance failed; the message says what to fix."""


# ---------------------------------------------------------------------------------------------------------------
# Keys


def key_dir(path: Path | str | None = None) -> Path:
    """The configured key folder (``ENDROLL_KEY_DIR``, else ``ENDROLL_HOME/keys``)."""
    if path is not None:
        return Path(path)
    from data import settings

    return Path(settings.get("key_dir") or settings.home() / "keys")


def create_dev_keys(
    folder: Path | str | None = None, *, studio: str = "Endroll development studio", overwrite: bool = False
) -> Path:
    """Create a development root CA and an ES256 signing certificate issued by it.

    c2pa refuses a bare self-signed signing certificate, so a two-level chain is needed even for local use.
    The CA is written beside the signer as the trust anchor used by :func:`verify`. Never use these keys for
    published assets: a studio installs its own ``signer.pem`` (leaf + chain), ``signer.key.pem`` and
    ``trust_anchors.pem`` in the same folder.
    """
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    folder = key_dir(folder)
    if (folder / SIGNER_KEY).exists() and not overwrite:
        raise ProvenanceError(f"{folder / SIGNER_KEY} already exists; pass overwrite=True (--force) to replace it.")
    folder.mkdir(parents=True, exist_ok=True)
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
    leaf_cert = (
        x509.CertificateBuilder()
        .subject_name(
            x509.Name(
                [
                    x509.NameAttribute(NameOID.ORGANIZATION_NAME, studio),
                    x509.NameAttribute(NameOID.COMMON_NAME, f"{studio} content signing"),
                ]
            )
        )
        .issuer_name(ca_name)
        .public_key(leaf_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=825))
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
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(leaf_key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )

    def pem_key(key) -> bytes:
        return key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )

    ca_pem = ca_cert.public_bytes(serialization.Encoding.PEM)
    leaf_pem = leaf_cert.public_bytes(serialization.Encoding.PEM)
    for name, data, private in (
        (CA_CERT, ca_pem, False),
        (CA_KEY, pem_key(ca_key), True),
        (SIGNER_CHAIN, leaf_pem + ca_pem, False),
        (SIGNER_KEY, pem_key(leaf_key), True),
        (TRUST_ANCHORS, ca_pem, False),
    ):
        path = folder / name
        path.write_bytes(data)
        if private:
            path.chmod(0o600)
    return folder


@dataclass(frozen=True)
class SigningKey:
    chain_pem: bytes
    key_pem: bytes

    @classmethod
    def load(cls, folder: Path | str | None = None) -> SigningKey:
        folder = key_dir(folder)
        chain, key = folder / SIGNER_CHAIN, folder / SIGNER_KEY
        if not chain.is_file() or not key.is_file():
            raise ProvenanceError(
                f"No C2PA signing key in {folder} (need {SIGNER_CHAIN} and {SIGNER_KEY}). Install the studio's key "
                "there, or for local use create a development CA with `python -m generation keys`."
            )
        return cls(chain.read_bytes(), key.read_bytes())


def trust_anchors(folder: Path | str | None = None) -> str | None:
    path = key_dir(folder) / TRUST_ANCHORS
    return path.read_text() if path.is_file() else None


# ---------------------------------------------------------------------------------------------------------------
# PNG text chunk


def png_with_text(image: Image.Image, provenance: dict[str, Any]) -> bytes:
    """Encode ``image`` as PNG with the provenance JSON in an iTXt chunk and the IPTC source type in XMP."""
    info = PngImagePlugin.PngInfo()
    info.add_itxt(PNG_TEXT_KEY, json.dumps(provenance, ensure_ascii=False, sort_keys=True))
    source_type = provenance.get("digital_source_type", TRAINED_ALGORITHMIC_MEDIA)
    xmp = (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/" '
        f'Iptc4xmpExt:DigitalSourceType="{source_type}"/></rdf:RDF></x:xmpmeta>'
    )
    info.add_itxt("XML:com.adobe.xmp", xmp)
    buf = io.BytesIO()
    image.save(buf, format="PNG", pnginfo=info)
    return buf.getvalue()


def read_png_text(data: bytes) -> dict[str, Any] | None:
    """The unsigned provenance JSON of a PNG, or None."""
    with Image.open(io.BytesIO(data)) as img:
        raw = img.text.get(PNG_TEXT_KEY) if hasattr(img, "text") else None
    return json.loads(raw) if raw else None


# ---------------------------------------------------------------------------------------------------------------
# C2PA


def _person_param(person: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in person.items() if v is not None}


def generation_manifest(*, title: str, provenance: dict[str, Any]) -> dict[str, Any]:
    """Manifest definition for a newly generated image (``c2pa.created`` + trainedAlgorithmicMedia)."""
    operator = provenance["operator"]
    model = provenance["model"]
    return {
        "claim_generator_info": [CLAIM_GENERATOR],
        "title": title,
        "format": "image/png",
        "assertions": [
            {
                "label": "c2pa.actions.v2",
                "data": {
                    "actions": [
                        {
                            "action": "c2pa.created",
                            "digitalSourceType": TRAINED_ALGORITHMIC_MEDIA,
                            "softwareAgent": {"name": model["name"], "version": model["weights_sha256"][:16]},
                            "description": f"Generated by {model['name']}, operated by {operator['name']}.",
                            "when": provenance["created_at"],
                            "parameters": {
                                OPERATOR_PARAM: _person_param(operator),
                                GENERATION_PARAM: {
                                    k: provenance.get(k)
                                    for k in ("scene", "prompt", "seed", "steps", "guidance", "size", "device")
                                    if provenance.get(k) is not None
                                },
                            },
                        }
                    ]
                },
            },
            {
                "label": ASSERTION_LABEL,
                "data": {
                    "production": provenance.get("production"),
                    "operator": _person_param(operator),
                    "ai_tool": {**model, "credited_as": "tool, not author"},
                    "created_at": provenance["created_at"],
                },
            },
        ],
    }


def sign_png(
    png: bytes, manifest: dict[str, Any], key: SigningKey, ingredients: list[tuple[dict[str, Any], bytes]] = ()
) -> bytes:
    """Return ``png`` with ``manifest`` embedded and signed; ``ingredients`` are ``(ingredient_json, png_bytes)``."""
    import c2pa

    info = c2pa.C2paSignerInfo(
        alg=c2pa.C2paSigningAlg.ES256, sign_cert=key.chain_pem, private_key=key.key_pem, ta_url=None
    )  # no timestamp authority: signing must never touch the network
    dst = io.BytesIO()
    try:
        with (
            c2pa.Context.from_dict({"builder": {"thumbnail": {"enabled": False}}}) as ctx,
            c2pa.Signer.from_info(info) as signer,
            c2pa.Builder(manifest, ctx) as builder,
        ):
            for ingredient, data in ingredients:
                builder.add_ingredient(ingredient, "image/png", io.BytesIO(data))
            builder.sign(signer, "image/png", io.BytesIO(png), dst)
    except c2pa.C2paError as exc:
        raise ProvenanceError(f"C2PA signing failed: {exc}. Check the certificate chain in the key folder.") from exc
    return dst.getvalue()


@dataclass
class Verification:
    """What a file's C2PA manifest says: who, what and when, and whether it is intact."""

    path: str
    status: str
    """``trusted`` (valid, signed by a trusted key), ``valid`` (intact, signer not in the trust list),
    ``altered`` (the manifest or the pixels changed after signing), or ``no_manifest``."""
    operator: str | None = None
    editors: list[str] = field(default_factory=list)
    tool: str | None = None
    digital_source_type: str | None = None
    created_at: str | None = None
    signed_at: str | None = None
    signer: str | None = None
    production: dict[str, Any] | None = None
    generation: dict[str, Any] | None = None
    problems: list[str] = field(default_factory=list)
    manifest_label: str | None = None

    @property
    def ok(self) -> bool:
        return self.status in ("trusted", "valid")

    def summary(self) -> str:
        if self.status == "no_manifest":
            return f"{self.path}: carries no C2PA manifest; nothing about its origin can be verified."
        if self.status == "altered":
            return f"{self.path}: ALTERED after signing ({'; '.join(self.problems) or 'invalid manifest'})."
        lines = [f"{self.path}: {self.status.upper()} C2PA manifest"]
        lines.append(
            f"  who:  {self.operator or '?'} (operator)"
            + (f"; edited by {', '.join(self.editors)}" if self.editors else "")
        )
        lines.append(f"  what: {self.tool or '?'}; {self.digital_source_type or '?'}")
        if self.generation:
            lines.append("        " + ", ".join(f"{k}={v}" for k, v in self.generation.items()))
        if self.production:
            lines.append("        " + ", ".join(f"{k}={v}" for k, v in self.production.items() if v))
        stamp = f"timestamped {self.signed_at}" if self.signed_at else "signature not timestamped: offline signing"
        lines.append(f"  when: {self.created_at or self.signed_at or '?'} ({stamp})")
        lines.append(f"  signer: {self.signer or '?'}")
        if self.problems:
            lines.append(f"  notes: {'; '.join(self.problems)}")
        return "\n".join(lines)


def read_manifest_store(data: bytes, anchors: str | None = None) -> dict[str, Any] | None:
    """The parsed manifest store of ``data`` (with ``validation_state``), or None when it carries none."""
    import c2pa

    settings: dict[str, Any] = {"verify": {"remote_manifest_fetch": False, "ocsp_fetch": False}}
    if anchors:
        settings["trust"] = {"trust_anchors": anchors}
    try:
        with (
            c2pa.Context.from_dict(settings) as ctx,
            c2pa.Reader("image/png", io.BytesIO(data), context=ctx) as reader,
        ):
            return json.loads(reader.json())
    except c2pa.C2paError.ManifestNotFound:
        return None
    except c2pa.C2paError as exc:
        # A damaged JUMBF box is not "no manifest": someone or something changed the file.
        return {
            "validation_state": "Invalid",
            "validation_status": [{"code": type(exc).__name__, "explanation": str(exc)}],
        }


def verify(path: Path | str, *, keys: Path | str | None = None) -> Verification:
    """Read and validate the C2PA manifest of the PNG at ``path`` (offline)."""
    path = Path(path)
    data = path.read_bytes()
    return verify_bytes(data, name=str(path), anchors=trust_anchors(keys))


def verify_bytes(data: bytes, *, name: str = "<bytes>", anchors: str | None = None) -> Verification:
    store = read_manifest_store(data, anchors)
    if store is None:
        return Verification(path=name, status="no_manifest")
    state = (store.get("validation_state") or "").lower()
    results = store.get("validation_results", {}).get("activeManifest", {})
    failures = [f"{s.get('code')}: {s.get('explanation', '')}".strip(": ") for s in results.get("failure", [])]
    if not failures:
        failures = [
            f"{s.get('code')}: {s.get('explanation', '')}".strip(": ") for s in store.get("validation_status", []) or []
        ]
    label = store.get("active_manifest")
    manifest = store.get("manifests", {}).get(label, {}) if label else {}
    untrusted = any("untrusted" in (s.get("code") or "") for s in results.get("failure", []))
    if state == "trusted":
        status = "trusted"
    elif state == "valid" or (state == "invalid" and untrusted and len(results.get("failure", [])) == 1):
        status = "valid"
    else:
        status = "altered"
    v = Verification(path=name, status=status, manifest_label=label)
    if status != "trusted":
        v.problems = failures
    sig = manifest.get("signature_info") or {}
    v.signer = " / ".join(x for x in (sig.get("common_name"), sig.get("issuer")) if x) or None
    v.signed_at = sig.get("time")
    _read_actions(manifest, v)
    # A paint-over's own manifest names the editor; the generation itself lives in the parent's manifest.
    for ingredient in manifest.get("ingredients", []):
        if ingredient.get("relationship") == "parentOf":
            parent = store.get("manifests", {}).get(ingredient.get("active_manifest") or "", {})
            _read_actions(parent, v)
    return v


def _read_actions(manifest: dict[str, Any], v: Verification) -> None:
    """Fill what ``manifest`` says into ``v`` without overwriting what a newer manifest already said."""
    for assertion in manifest.get("assertions", []):
        if assertion.get("label", "").startswith("c2pa.actions"):
            for action in assertion.get("data", {}).get("actions", []):
                params = action.get("parameters") or {}
                person = params.get(OPERATOR_PARAM) or {}
                if action.get("action") == "c2pa.created":
                    v.operator = v.operator or person.get("name")
                    agent = action.get("softwareAgent") or {}
                    v.tool = v.tool or (agent.get("name") if isinstance(agent, dict) else str(agent))
                    v.digital_source_type = v.digital_source_type or action.get("digitalSourceType")
                    v.created_at = v.created_at or action.get("when")
                    v.generation = v.generation or params.get(GENERATION_PARAM)
                elif action.get("action") == "c2pa.edited" and person.get("name"):
                    kind = (action.get("digitalSourceType") or "").rsplit("/", 1)[-1]
                    when = f", {action['when']}" if action.get("when") else ""
                    v.editors.append(f"{person['name']} ({kind}{when})")
        elif assertion.get("label") == ASSERTION_LABEL:
            data = assertion.get("data", {})
            v.production = v.production or data.get("production")
            v.operator = v.operator or (data.get("operator") or {}).get("name")
