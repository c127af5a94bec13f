"""The Generation page's signing part: the studio's keys, each operator's credential, and the trust list in use.

Rendered by ``app_pages/generation.py`` (not a page of its own). Issuing a credential needs the studio's CA; where
the CA is kept offline, this part says so instead of offering the button.
"""

from __future__ import annotations

import streamlit as st

from app_pages import _safe, _ui
from data.errors import EndrollError
from data.identity import Identity
from generation import keys as k


def _issue(person_id: int, name: str, *, overwrite: bool = False) -> bool:
    _ = _ui.translator()
    try:
        credential = k.issue_credential(person_id=person_id, name=name, overwrite=overwrite)
    except EndrollError as exc:
        st.error(_safe.error(exc, translate=_))
        return False
    st.toast(_("Signing credential issued to {name} (serial {serial}…)", name=_safe.md(credential.name),
               serial=credential.serial[:12]))  # fmt: skip
    return True


def studio_keys(ident: Identity, names: dict[int, str]) -> bool:
    """Warn when the studio cannot sign yet, with a button for development keys; True when it can."""
    _ = _ui.translator()
    try:
        k.SigningKey.load()
    except EndrollError as exc:
        st.warning(exc.message("page", translate=_))
        if st.button(_("Create development keys (local use only)"), key="gen_dev_keys"):
            try:
                k.create_dev_keys()
            except EndrollError as error:
                st.error(error.message("page", translate=_))
                return False
            # The person who creates the keys operates the generator first: they get their own credential.
            if ident.person_id in names and k.load_credential(ident.person_id) is None:
                _issue(ident.person_id, names[ident.person_id])
            st.rerun()
        return False
    return True


def operator_credential(person_id: int, name: str) -> bool:
    """Warn when ``person_id`` holds no signing credential, with a button to issue one; True when they hold one."""
    if k.load_credential(person_id) is not None:
        return True
    _ = _ui.translator()
    st.warning(
        _("{name} holds no signing credential yet. Every image is signed by the person who made it, so issue one "
          "before generating (it stays on this server, in the key folder, readable by Endroll only).", name=_safe.md(name))
    )  # fmt: skip
    if st.button(_("Issue a signing credential for {name}", name=_safe.md(name)), key="gen_issue_operator") and _issue(
        person_id, name
    ):
        st.rerun()
    return False


def credentials_section(names: dict[int, str]) -> None:
    """The trust list in use, the credentials held, and issuing or replacing one."""
    _ = _ui.translator()
    with st.expander(_("Signing credentials and trust list")):
        st.caption(k.describe_trust_list(translate=_))
        ca = k.ca_dir()
        if (ca / k.CA_KEY).is_file():
            st.caption(_("The studio's CA is on this server, apart from the signing keys ({ca}).", ca=ca))
        else:
            st.caption(_("The studio's CA is not on this server: credentials are issued where it is kept."))
        stray = k.misplaced_ca_key()
        if stray is not None:
            st.error(_("A CA private key lies among the signing keys ({stray}); move it to {ca}.", stray=stray, ca=ca))
        held = k.credentials()
        if held:
            st.dataframe(
                [
                    {
                        _("Person"): f"#{c.person_id} {names.get(c.person_id, '')}".strip(),
                        _("Certificate names"): c.name,
                        _("Serial"): c.serial[:16],
                        _("Valid until"): f"{c.not_after:%Y-%m-%d}",
                        "SHA-256": c.fingerprint[:16],
                    }
                    for c in held
                ],
                hide_index=True,
            )
        else:
            st.info(_("No operator holds a signing credential yet: choose a person below and issue one."))
        c1, c2, c3 = st.columns([3, 1, 2])
        person = c1.selectbox(
            _("Person"), list(names), index=None, format_func=lambda pid: names[pid], key="gen_cred_person",
            placeholder=_("Choose a person"),
        )  # fmt: skip
        replace = c2.checkbox(_("Replace"), key="gen_cred_replace", help=_("Issue a new key even if they hold one"))
        if c3.button(_("Issue a signing credential"), key="gen_cred_issue", disabled=person is None) and _issue(
            int(person), names[int(person)], overwrite=replace
        ):
            st.rerun()
