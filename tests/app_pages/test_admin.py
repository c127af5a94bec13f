"""The Admin page: accounts without hashes, pay-period locks, correction answers, settings; refusals read as the
page's words (AppTest on SQLite and PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from data.schema import Account, AuditEvent, CorrectionRequest, PayPeriodLock, SettingValue
from tests.app_fixtures import all_text, sign_in


def test_admin_lists_accounts_without_hashes_and_locks_a_period(studio: dict[str, int], engine: Engine) -> None:
    at = sign_in("manager")
    at.switch_page("app_pages/admin.py").run()
    assert not at.exception and at.title[0].value == "Admin"
    accounts = at.dataframe[0].value
    assert set(accounts["username"]) == {"manager", "advocate", "artist", "artist2"}
    assert "password_hash" not in accounts.columns and "$argon2" not in all_text(at)
    at.date_input(key="lock_start").set_value("2025-01-01")
    at.date_input(key="lock_end").set_value("2025-01-31")
    at.button(key="FormSubmitter:lock-Lock pay period").click().run()
    assert not at.exception
    with Session(engine) as s:
        lock = s.scalars(select(PayPeriodLock)).one()
        assert (str(lock.period_start), lock.locked_by) == ("2025-01-01", "manager")
        assert s.scalars(select(AuditEvent).where(AuditEvent.action == "pay_period.lock")).one()


def test_correction_request_round_trip(studio: dict[str, int], engine: Engine) -> None:
    at = sign_in("artist")
    at.text_input(key="corr_subject").input("Missing credit on 星の港 #2")
    at.text_area(key="corr_body").input("I drew cuts 12-20 of episode 2.")
    at.button(key="FormSubmitter:correction-Send correction request").click().run()
    assert not at.exception and "Sent" in at.success[0].value
    manager = sign_in("manager")
    manager.switch_page("app_pages/admin.py").run()
    requests = next(d.value for d in manager.dataframe if "subject" in d.value.columns)
    assert requests["subject"].tolist() == ["Missing credit on 星の港 #2"]
    manager.text_area(key="ans_text").input("Added; thank you.")
    manager.button(key="FormSubmitter:answer-Send answer").click().run()
    assert not manager.exception
    with Session(engine) as s:
        req = s.scalars(select(CorrectionRequest)).one()
        assert (req.status, req.answered_by, req.person_id) == ("answered", "manager", studio["artist"])
    again = sign_in("artist")
    assert "Added; thank you." in all_text(again)


def test_refused_changes_say_what_to_do_on_the_page(studio: dict[str, int], engine: Engine) -> None:
    at = sign_in("manager")
    at.switch_page("app_pages/admin.py").run()
    # An artist account without a person, then a setting that does not parse: each refused with the page's wording.
    at.text_input(key="acc_username").input("new-artist")
    at.selectbox(key="acc_role").set_value("artist")
    at.text_input(key="acc_password").input("long-enough")
    at.button(key="FormSubmitter:new_account-Create account").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "an artist account must be linked to a person: enter the artist's person id in 'Person id (artists)'"
    ]
    at.selectbox(key="set_key").set_value("k_anonymity")
    at.text_input(key="set_value").input("five")
    at.button(key="FormSubmitter:setting-Save setting").click().run()
    assert not at.exception
    assert at.error[-1].value == "k_anonymity needs a whole number, got 'five': enter a whole number in 'New value'"
    assert "--" not in " ".join(e.value for e in at.error)
    with Session(engine) as s:
        assert s.scalar(select(Account).where(Account.username == "new-artist")) is None
        assert s.get(SettingValue, "k_anonymity") is None


def test_manager_creates_a_single_sign_on_account(studio: dict[str, int], engine: Engine) -> None:
    at = sign_in("manager")
    at.switch_page("app_pages/admin.py").run()
    at.text_input(key="acc_username").input("union-rep")
    at.selectbox(key="acc_role").set_value("advocate")
    at.text_input(key="acc_oidc_email").input("Rep@Union.example")
    at.button(key="FormSubmitter:new_account-Create account").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    with Session(engine) as s:
        account = s.scalar(select(Account).where(Account.username == "union-rep"))
        assert (account.oidc_email, account.password_hash, account.role) == ("rep@union.example", None, "advocate")
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "account.create"))
        assert event.actor == "manager" and event.new_values["oidc_email"] == "rep@union.example"
