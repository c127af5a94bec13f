"""Verification: is this image what the studio's ledger says it is, signed by the studio and by the person named?

Only one outcome is a success, ``trusted``: the manifest is intact, its claim signer chains to the studio's trust
list, and the identity assertion of every manifest in it (the generation, and a paint-over on top) is signed by a
credential from that trust list naming the person the manifest and the ledger name. Everything else fails, each
with its own exit code for ``python -m generation verify``:

====  ===============  =====================================================================================
code  outcome          meaning
====  ===============  =====================================================================================
0     ``trusted``      intact; studio signature and the people's identity signatures chain to the trust list
1     ``altered``      the pixels or the manifest changed after signing
2     ``no_manifest``  no C2PA manifest, and no watermark of this ledger in the pixels
3     ``untrusted``    intact (c2pa calls it VALID) but signed by a certificate outside the trust list
4     ``identity``     studio signature trusted, but an identity signature is missing, invalid, untrusted, or
                       names someone other than the manifest's or the ledger's person
5     ``traced``       no C2PA manifest, but the invisible watermark leads to a ledger row (and its operator)
====  ===============  =====================================================================================
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from data.i18n import N_
from generation import cawg
from generation.errors import VerificationError
from generation.keys import describe_trust_list, trust_anchors
from generation.ledger import LedgerEntry, find_entry
from generation.provenance import ASSERTION_LABEL, GENERATION_PARAM, OPERATOR_PARAM
from generation.signing import read_manifest_store

EXIT_CODES = {"trusted": 0, "altered": 1, "no_manifest": 2, "untrusted": 3, "identity": 4, "traced": 5}


@dataclass(frozen=True)
class WatermarkFinding:
    mark_id: int
    how: str
    entry: LedgerEntry | None


@dataclass
class Verification:
    """What a file's provenance says (who, what, when) and whether it holds."""

    path: str
    status: str
    """The claim signature: ``trusted`` (intact, signer in the trust list), ``valid`` (intact, signer not in it),
    ``altered`` (the manifest or the pixels changed after signing), or ``no_manifest``."""
    trust_list: str = ""
    operator: str | None = None
    operator_id: int | None = None
    editors: list[str] = field(default_factory=list)
    editor_ids: list[int] = field(default_factory=list)
    tool: str | None = None
    digital_source_type: str | None = None
    created_at: str | None = None
    signed_at: str | None = None
    signer: str | None = None
    production: dict[str, Any] | None = None
    generation: dict[str, Any] | None = None
    problems: list[str] = field(default_factory=list)
    manifest_label: str | None = None
    identities: list[cawg.IdentityCheck] = field(default_factory=list)
    identity_problems: list[str] = field(default_factory=list)
    ledger: LedgerEntry | None = None
    watermark: WatermarkFinding | None = None
    manifest_watermark_id: int | None = None

    @property
    def outcome(self) -> str:
        """``trusted``, ``altered``, ``no_manifest``, ``untrusted``, ``identity`` or ``traced`` (module docstring)."""
        if self.status == "no_manifest":
            return "traced" if self.watermark and self.watermark.entry else "no_manifest"
        if self.status == "altered":
            return "altered"
        if self.status == "valid":
            return "untrusted"
        return "identity" if self.identity_problems else "trusted"

    @property
    def ok(self) -> bool:
        """True only when the outcome is ``trusted``."""
        return self.outcome == "trusted"

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.outcome]

    def headline(self) -> str:
        """One line: the verdict, and for a failure, why."""
        outcome = self.outcome
        if outcome == "no_manifest":
            found = self.watermark
            extra = (
                f"; a watermark with id {found.mark_id} is in the pixels, but no row of this ledger carries it"
                if found
                else ""
            )
            return f"carries no C2PA manifest and no watermark of this ledger; nothing about its origin can be verified{extra}"
        if outcome == "traced":
            entry = self.watermark.entry
            return f"carries no C2PA manifest; watermark found: ledger #{entry.id}, operator {entry.operator}" + (
                f", painted over by {entry.editor}" if entry.editor else ""
            )
        if outcome == "altered":
            return f"ALTERED after signing ({'; '.join(self.problems) or 'invalid manifest'})"
        if outcome == "untrusted":
            return (
                f"NOT TRUSTED: the C2PA manifest is intact (VALID), but its signer {self.signer or '?'} is not in "
                "the trust list in use, so it is someone else's certificate, whatever name it carries"
            )
        if outcome == "identity":
            return "IDENTITY NOT PROVEN: the studio's signature is TRUSTED, but " + "; ".join(self.identity_problems)
        return "TRUSTED C2PA manifest"

    def summary(self) -> str:
        """The full report, as ``python -m generation verify`` prints it."""
        lines = [f"{self.path}: {self.headline()}"]
        if self.status in ("trusted", "valid"):
            who = f"  who:  {self.operator or '?'} (operator)" + (
                f"; edited by {', '.join(self.editors)}" if self.editors else ""
            )
            lines.append(who)
            for check in self.identities:
                verdict = "valid, from the trust list" if check.ok else "NOT valid: " + "; ".join(check.problems)
                lines.append(f"        identity signature: {check.who()}: {verdict}")
            lines.append(f"  what: {self.tool or '?'}; {self.digital_source_type or '?'}")
            if self.generation:
                lines.append("        " + ", ".join(f"{k}={v}" for k, v in self.generation.items()))
            if self.production:
                lines.append("        " + ", ".join(f"{k}={v}" for k, v in self.production.items() if v))
            stamp = f"timestamped {self.signed_at}" if self.signed_at else "signature not timestamped: offline signing"
            lines.append(f"  when: {self.created_at or self.signed_at or '?'} ({stamp})")
            lines.append(f"  signer: {self.signer or '?'}")
        if self.ledger and self.status != "no_manifest":
            editor = f", edited by {self.ledger.editor}" if self.ledger.editor else ""
            lines.append(
                f"  ledger: #{self.ledger.id} ({self.ledger.stage}), operator {self.ledger.operator}{editor}; "
                f"found by {self.ledger.found_by}"
            )
        elif self.status in ("trusted", "valid"):
            lines.append("  ledger: no row of this database has this manifest")
        if self.watermark:
            where = f"ledger #{self.watermark.entry.id}" if self.watermark.entry else "no ledger row"
            lines.append(f"  watermark: id {self.watermark.mark_id} ({where}; read {self.watermark.how})")
        elif self.status != "altered":
            lines.append("  watermark: none found")
        if self.problems and self.status not in ("altered", "no_manifest"):
            lines.append(f"  notes: {'; '.join(self.problems)}")
        lines.append(f"  {self.trust_list}")
        return "\n".join(lines)


# ---------------------------------------------------------------------------------------------------------------


def _codes(results: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return list(results.get(kind) or [])


def _claim_status(store: dict[str, Any]) -> tuple[str, list[str]]:
    """The claim signature's status from c2pa's codes, leaving the identity assertions to :mod:`generation.cawg`
    (c2pa-rs marks a person's credential untrusted against its own list, which must not demote the claim)."""
    results = (store.get("validation_results") or {}).get("activeManifest") or {}
    failures = [s for s in _codes(results, "failure") if not (s.get("code") or "").startswith("cawg.")]
    if not results:
        failures = list(store.get("validation_status") or [])
    text = [f"{s.get('code')}: {s.get('explanation', '')}".strip(": ") for s in failures]
    untrusted = [s for s in failures if "untrusted" in (s.get("code") or "")]
    if failures and len(untrusted) < len(failures):
        return "altered", text
    if untrusted or not any(s.get("code") == "signingCredential.trusted" for s in _codes(results, "success")):
        return "valid", text
    return "trusted", text


def _person(params: dict[str, Any]) -> dict[str, Any]:
    return params.get(OPERATOR_PARAM) or {}


def _read_actions(manifest: dict[str, Any], v: Verification, *, active: bool) -> dict[str, Any]:
    """Fill what ``manifest`` says into ``v`` without overwriting a newer manifest; returns the people it names
    (``operator`` / ``editor``: {"person_id", "name"}). Only the ``active`` manifest speaks for this file's
    watermark."""
    named: dict[str, Any] = {}
    for assertion in manifest.get("assertions", []):
        if assertion.get("label", "").startswith("c2pa.actions"):
            for action in assertion.get("data", {}).get("actions", []):
                params = action.get("parameters") or {}
                person = _person(params)
                if action.get("action") == "c2pa.created":
                    named["operator"] = person
                    v.operator = v.operator or person.get("name")
                    v.operator_id = v.operator_id if v.operator_id is not None else person.get("person_id")
                    agent = action.get("softwareAgent") or {}
                    v.tool = v.tool or (agent.get("name") if isinstance(agent, dict) else str(agent))
                    v.digital_source_type = v.digital_source_type or action.get("digitalSourceType")
                    v.created_at = v.created_at or action.get("when")
                    v.generation = v.generation or params.get(GENERATION_PARAM)
                elif action.get("action") == "c2pa.edited" and person.get("name"):
                    named["editor"] = person
                    kind = (action.get("digitalSourceType") or "").rsplit("/", 1)[-1]
                    when = f", {action['when']}" if action.get("when") else ""
                    v.editors.append(f"{person['name']} ({kind}{when})")
                    if person.get("person_id") is not None:
                        v.editor_ids.append(person["person_id"])
        elif assertion.get("label") == ASSERTION_LABEL:
            data = assertion.get("data", {})
            v.production = v.production or data.get("production")
            v.operator = v.operator or (data.get("operator") or {}).get("name")
            if active and data.get("watermark_id") is not None:
                v.manifest_watermark_id = int(data["watermark_id"])
    return named


def _sdk_identity_verdicts(store: dict[str, Any]) -> dict[str, bool]:
    """c2pa-rs's verdict on each identity signature of the active manifest, by assertion label."""
    results = (store.get("validation_results") or {}).get("activeManifest") or {}
    verdicts: dict[str, bool] = {}
    for kind, good in (("success", True), ("failure", False)):
        for status in _codes(results, kind):
            code, url = status.get("code") or "", status.get("url") or ""
            if (code.startswith("cawg.") and "signature" in code) or code.startswith("cawg.identity"):
                label = url.rsplit("/", 1)[-1]
                verdicts[label] = verdicts.get(label, True) and good
    return verdicts


def _check_people(
    v: Verification, label: str, named: dict[str, Any], role: str, store: dict[str, Any], anchors: str | None
) -> cawg.IdentityCheck | None:
    """Check the identity assertions of manifest ``label`` against the person it names as ``role``."""
    detailed = store.get("detailed") or {}
    sdk = _sdk_identity_verdicts(store) if label == store.get("active_manifest") else {}
    checks = cawg.identities(detailed, label, anchors_pem=anchors, sdk=sdk)
    v.identities.extend(checks)
    person = named.get(role) or {}
    what = "generation" if role == "operator" else "paint-over"
    if not checks:
        v.identity_problems.append(
            f"the {what} manifest carries no identity assertion, so its {role} {person.get('name') or '?'} is "
            "asserted by the studio only"
        )
        return None
    for check in checks:
        v.identity_problems.extend(f"{what} identity: {p}" for p in check.problems)
    signed = checks[0]
    if person.get("person_id") is not None and signed.person_id != person.get("person_id"):
        v.identity_problems.append(
            f"the {what}'s identity assertion is signed by {signed.name} (person #{signed.person_id}) while the "
            f"manifest names {person.get('name')} (person #{person.get('person_id')}) as {role}"
        )
    return signed


def _against_ledger(v: Verification, operator: cawg.IdentityCheck | None, editor: cawg.IdentityCheck | None) -> None:
    entry = v.ledger
    if entry is None:
        return
    pairs = [(operator, entry.operator_id, entry.operator, "operator")]
    if entry.stage == "composite":
        pairs.append((editor, entry.editor_id, entry.editor, "editor"))
    for check, person_id, name, role in pairs:
        if check is not None and person_id is not None and check.person_id != person_id:
            v.identity_problems.append(
                f"the identity assertion is signed by {check.name} (person #{check.person_id}) while ledger "
                f"#{entry.id}'s {role} is {name} (person #{person_id})"
            )


def verify_bytes(
    session: Session | None, data: bytes, *, name: str = "<bytes>", keys: Path | str | None = None
) -> Verification:
    """Verify the PNG ``data`` offline against the trust list of the key folder ``keys``; with a ``session``, also
    against the ledger (its row and operator, and the watermark when the manifest is gone)."""
    from generation import watermark

    anchors = trust_anchors(keys)
    store = read_manifest_store(data, anchors, detailed=True)
    image = _decode(data)
    v = Verification(path=name, status="no_manifest", trust_list=describe_trust_list(keys))
    if store is None:
        if image is None:
            raise VerificationError(N_("{name} is not a PNG or JPEG image Endroll can read"), name=name)
        found = watermark.detect(image)
        if found is not None:
            entry = find_entry(session, watermark_id=found.mark_id) if session is not None else None
            v.watermark = WatermarkFinding(found.mark_id, found.how, entry)
        return v

    v.status, v.problems = _claim_status(store)
    if v.status == "altered":
        return v
    label = store.get("active_manifest")
    v.manifest_label = label
    manifests = store.get("manifests", {})
    manifest = manifests.get(label, {}) if label else {}
    sig = manifest.get("signature_info") or {}
    v.signer = " / ".join(x for x in (sig.get("common_name"), sig.get("issuer")) if x) or None
    if v.signer and sig.get("cert_serial_number"):
        v.signer += f" (certificate serial {int(sig['cert_serial_number']):x})"
    v.signed_at = sig.get("time")
    named = _read_actions(manifest, v, active=True)
    parent_label = next(
        (i.get("active_manifest") for i in manifest.get("ingredients", []) if i.get("relationship") == "parentOf"),
        None,
    )
    parent_named = _read_actions(manifests.get(parent_label or "", {}), v, active=False) if parent_label else {}

    # Only the watermark as the file is: a re-encoded or cropped file would not carry this manifest intact.
    found = watermark.detect(image, sizes=()) if image is not None else None
    if session is not None:
        v.ledger = find_entry(
            session,
            manifest_label=label,
            watermark_id=found.mark_id if found else v.manifest_watermark_id,
            found_by="watermark" if found else "watermark id in the manifest",
        )
    if found is not None:
        entry = v.ledger if v.ledger and v.ledger.watermark_id == found.mark_id else None
        v.watermark = WatermarkFinding(found.mark_id, found.how, entry)
    if v.manifest_watermark_id is not None and (found is None or found.mark_id != v.manifest_watermark_id):
        v.problems.append(f"the manifest names watermark {v.manifest_watermark_id}, the pixels do not carry it")

    if "editor" in named:
        editor = _check_people(v, label, named, "editor", store, anchors)
        operator = _check_people(v, parent_label, parent_named, "operator", store, anchors) if parent_label else None
    else:
        editor, operator = None, _check_people(v, label, named, "operator", store, anchors)
    _against_ledger(v, operator, editor)
    return v


def _decode(data: bytes) -> Any:
    """The RGB image in ``data``, or None when its pixels cannot be decoded (a damaged file is still verified)."""
    import io

    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as img:
            img.load()
            return img.convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return None


def verify(session: Session | None, path: Path | str, *, keys: Path | str | None = None) -> Verification:
    """Read and verify the PNG at ``path`` (see :func:`verify_bytes`)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise VerificationError(
            N_("cannot read {path}: {error}"), path=str(path), error=exc.strerror or str(exc)
        ) from exc
    return verify_bytes(session, data, name=str(path), keys=keys)
