"""The CAWG identity check, on its own: CBOR, and what a tampered identity signature looks like."""

from __future__ import annotations

import base64
import copy
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from generation import cawg
from tests.generation.test_pipeline import request, run

CBOR = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**64 - 1) | st.binary(max_size=40) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=8), inner, max_size=5),
    max_leaves=20,
)


@given(CBOR)
def test_cbor_round_trips(value) -> None:
    decoded, end = cawg.cbor_decode(cawg.cbor_encode(value))
    assert decoded == value and end == len(cawg.cbor_encode(value))


def test_the_identity_check_matches_c2pa_and_catches_tampering(
    session: Session, studio, models, keys: Path, tmp_path: Path
) -> None:
    from generation.keys import trust_anchors
    from generation.signing import read_manifest_store

    image = run(session, request(models), tmp_path, keys).images[0]
    store = read_manifest_store(Path(image.path).read_bytes(), trust_anchors(keys), detailed=True)["detailed"]
    label = store["active_manifest"]
    manifest = store["manifests"][label]
    assertion = manifest["assertion_store"]["cawg.identity"]
    anchors = trust_anchors(keys)

    good = cawg.check_identity(label, manifest, assertion, anchors_pem=anchors)
    assert good.ok and good.person_id == studio["hanako"] and good.name == "山田 花子"
    assert {"c2pa.actions.v2", "org.endroll.provenance", "c2pa.hash.data"} <= set(good.references)

    flipped = copy.deepcopy(assertion)
    raw = bytearray(base64.b64decode(flipped["signature"]))
    raw[-1] ^= 0x01
    flipped["signature"] = base64.b64encode(bytes(raw)).decode()
    bad = cawg.check_identity(label, manifest, flipped, anchors_pem=anchors)
    assert not bad.signature_valid and "does not verify" in " ".join(bad.problems)

    moved = copy.deepcopy(assertion)
    moved["signer_payload"]["referenced_assertions"][0]["hash"] = base64.b64encode(b"\0" * 32).decode()
    assert not cawg.check_identity(label, manifest, moved, anchors_pem=anchors).ok

    untrusted = cawg.check_identity(label, manifest, assertion, anchors_pem=None)
    assert untrusted.signature_valid and not untrusted.trusted and not untrusted.ok
