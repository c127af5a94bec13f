"""Generation: make background images with a named operator; every image is watermarked, signed by the studio and
by the operator, and recorded in the ledger.

torch, diffusers and the chosen model load in a background thread once this page opens (``generation.preload``), so
opening the dashboard stays fast and the first click waits only for what is left of that load.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pandas as pd
import streamlit as st

from app_pages import _format, _safe, _signing, _tables, _ui
from data.engine import session_scope
from data.errors import EndrollError
from data.i18n import N_
from generation import BUNDLED_MODEL, SCENE_LABELS, SCENES, GenerationRequest, catalog
from generation.keys import describe_trust_list
from generation.pipeline import asset_dir
from generation.preload import preload
from generation.verification import verify, verify_bytes

ident = _ui.require("manager")
_ = _ui.translator()
st.title(_("Generation"))
st.caption(
    _("Every image names the person who ran the tool. It carries an invisible watermark that leads back to its ledger "
      "row, and a C2PA manifest signed twice: by the studio, and by the operator with their own credential. File and "
      "ledger row are written together. The bundled model is a small demo: six kinds of 32 px background "
      "thumbnails, upscaled. For real work, point it at the studio's own diffusers checkpoint folder.")
)  # fmt: skip

with session_scope(_ui.engine()) as session:
    people = catalog.people(session)
    productions = catalog.productions(session)
# Named as every page names people (the signed manifests keep the display name the operator signs with).
names = _tables.person_names([p.id for p in people])

# Signing is mandatory, so say so before anyone fills in the form.
can_sign = _signing.studio_keys(ident, names)

if not people:
    st.info(
        _("There are no people in the database yet. Import the studio's people (a people file) on the Import page "
          "first, then choose the operator here.")
    )  # fmt: skip
    st.stop()

left, right = st.columns(2)
with left:
    person_ids = [p.id for p in people]
    labels = names
    default = person_ids.index(ident.person_id) if ident.person_id in person_ids else None
    operator = st.selectbox(
        _("Operator (the person who runs the tool)"),
        person_ids,
        index=default,
        format_func=lambda pid: labels[pid],
        placeholder=_("Choose a person"),
        key="gen_operator",
    )
    production_labels = {p.id: p.label for p in productions}
    production = st.selectbox(
        _("Production"),
        list(production_labels),
        index=None,
        format_func=lambda pid: production_labels[pid],
        placeholder=_("None (not for a cut yet)"),
        key="gen_production",
    )
    cut = None
    if production is not None:
        with session_scope(_ui.engine()) as session:
            cut_options = {c.id: c.label for c in catalog.cuts(session, production)}
        cut = st.selectbox(
            _("Cut"),
            list(cut_options),
            index=None,
            format_func=lambda cid: cut_options[cid],
            placeholder=_("Whole production") if cut_options else _("This production has no cuts yet"),
            key="gen_cut",
        )
with right:
    # The options are the English messages; the reader sees them translated.
    source = st.radio(_("Model"), [N_("Bundled scene model"), N_("Local checkpoint folder")], horizontal=True,
                      key="gen_source", format_func=_)  # fmt: skip
    scene = prompt = None
    if source == "Bundled scene model":
        model = BUNDLED_MODEL
        scene = st.selectbox(_("Scene"), SCENES, format_func=lambda s: _(SCENE_LABELS[s]), key="gen_scene")
    else:
        model = st.text_input(
            _("Checkpoint folder"),
            placeholder=_("/models/sd-turbo (a diffusers folder with model_index.json)"),
            key="gen_model_path",
        )
        prompt = st.text_area(_("Prompt"), key="gen_prompt")
    c1, c2 = st.columns(2)
    count = c1.number_input(_("Images"), min_value=1, max_value=16, value=4, key="gen_count")
    seed = c2.number_input(_("Seed (image i uses seed + i)"), min_value=0, value=0, step=1, key="gen_seed")

# torch, diffusers and the model load in the background from the moment the page opens, not on the click.
loading = None
if model:
    with contextlib.suppress(EndrollError):  # a folder that is no model yet: the click says why
        loading = preload(model)
if loading is not None and not loading.done.is_set():
    st.caption(_("Loading the model in the background ({step} of {steps} steps done), so the first image starts "
                 "sooner.", step=loading.step, steps=loading.steps))  # fmt: skip

holds_credential = operator is not None and can_sign and _signing.operator_credential(int(operator), labels[operator])
if st.button(_("Generate"), type="primary", icon=":material/image:", disabled=not holds_credential, key="gen_go"):
    bar = st.progress(0.0, text=_("Loading the model…"))
    while loading is not None and not loading.wait(0.25):  # only what is left of the background load
        bar.progress(loading.step / loading.steps, text=_(loading.doing))

    def _progress(done: int, total: int) -> None:
        bar.progress(
            min(1.0, done / max(total, 1)), text=_("Denoising: step {done} of {total}", done=done, total=total)
        )

    try:
        from generation import generate

        request = GenerationRequest(
            operator=int(operator), scene=scene, prompt=prompt, model=model or "", count=int(count), seed=int(seed),
            production=production, cut=cut,
        )  # fmt: skip
        with session_scope(_ui.engine()) as session:
            result = generate(session, request=request, progress=_progress)
    except EndrollError as exc:
        bar.empty()
        st.error(_safe.error(exc, translate=_))
    else:
        bar.progress(1.0, text=_("{n} image(s) in {seconds:.1f} s on {device}", n=len(result.images),
                                 seconds=result.seconds, device=result.device))  # fmt: skip
        _ui.clear_cache()
        st.session_state["gen_last"] = [image.path for image in result.images]


def _check(session, path: str):
    try:
        return verify(session, path)
    except EndrollError:
        return None


def _card(path: str, caption: str) -> None:
    if Path(path).is_file():
        st.image(path, width="stretch")
    else:
        st.warning(_("File missing: {path}", path=_safe.md(path)))
    st.caption(caption)


st.subheader(_("Generated images"))
with session_scope(_ui.engine()) as session:
    items = catalog.recent(session, asset_dir(), limit=12)
    elsewhere = [item for item in items if not item["exists"]]
    items = [item for item in items if item["exists"]]
    checks = {item["id"]: _check(session, item["path"]) for item in items}
if not items:
    st.info(_("Nothing generated here yet. Choose an operator and a scene above, then press Generate."))
cols = st.columns(4)
for i, item in enumerate(items):
    with cols[i % 4]:
        check = checks[item["id"]]
        status = check.outcome.replace("_", " ") if check else _("unreadable")
        edited = " · " + _("edited by {names}", names=_safe.md(", ".join(item["editors"]))) if item["editors"] else ""
        created = _format.local(pd.Series([item["created_at"]])).iloc[0]
        _card(
            item["path"],
            _("**{what}** · seed {seed} · operated by **{operator}**",
              what=_safe.md(_(SCENE_LABELS[item["what"]]) if item["what"] in SCENE_LABELS else item["what"] or ""),
              seed=item["seed"], operator=_safe.md(names.get(item["operator_id"], item["operator"])))
            + f"{edited}  \n"
            + _("{tool} · {steps} steps · {size} px · {device}", tool=_safe.md(item["tool"]), steps=item["steps"],
                size=item["size"], device=_safe.md(item["device"])) + "  \n"
            + f"{created:%Y-%m-%d %H:%M} {_format.zone_name()} · "
            + _("ledger #{id} · C2PA: **{status}**", id=item["id"], status=status),
        )  # fmt: skip
        if check is not None and not check.ok:
            st.error(_safe.message(check.headline()))

if elsewhere:
    st.caption(
        _("Latest AI-ledger entries whose image file is not in this asset folder (recorded by other tools or "
          "imported): each still names its operator.")
    )  # fmt: skip
    rows = pd.DataFrame(
        [
            {
                "id": item["id"],
                "created_at": item["created_at"],
                "tool": item["tool"],
                "stage": item["stage"],
                "operator": names.get(item["operator_id"], item["operator"]),
                "post_editors": ", ".join(item["editors"]),
                "asset_path": item["path"],
            }
            for item in elsewhere
        ]
    )
    _tables.table(rows, "ledger_elsewhere", empty="", downloadable=False,
                  headers={"id": _("Ledger no."), "post_editors": _("Edited by")})  # fmt: skip

st.subheader(_("Verify a file"))
st.caption(
    _("Only TRUSTED is a success: the studio's signature and the operator's own signature both chain to the studio's "
      "trust list. A file without its manifest is traced by its watermark when it has one.")
    + f" {describe_trust_list(translate=_)}"
)  # fmt: skip
upload = st.file_uploader(
    _("A PNG or JPEG from anywhere: who made it, with what, and when"), type=["png", "jpg", "jpeg"], key="gen_verify"
)
if upload is not None:
    try:
        with session_scope(_ui.engine()) as session:
            result = verify_bytes(session, upload.getvalue(), name=upload.name)
    except EndrollError as exc:
        st.error(_safe.error(exc, translate=_))
    else:
        (st.success if result.ok else st.error)(_safe.message(result.summary()))

_signing.credentials_section(names)
