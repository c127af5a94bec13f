"""What the dashboard calls its columns and coded values, in words, marked for the message catalogs.

Views return stable column names (``ot_plus_holiday_hours``) and codes (``employee_regular``); a page never shows
either. :data:`HEADERS` names each column; :data:`VOCABULARIES` names each code of a coded column, and
:data:`CODED` says which vocabulary a column's values come from. Roles are named by the role taxonomy
(``data/seed/roles.csv``: its ``ja`` and ``en`` columns), rule ids by :mod:`analytics.glossary`. Where one English
word means two things (the header "Production", 作品, and the department "Production", 制作) the value carries a
context (:func:`data.i18n.NC_`).
"""

from __future__ import annotations

import functools
from typing import Any

from analytics.glossary import BY_ID as RULES
from data.i18n import N_, NC_
from data.importers import FORMATS
from data.reference import load_roles

HEADERS: dict[str, str] = {
    # people and work
    "name": N_("Person"), "person": N_("Person"), "operator": N_("Operator"), "employment_type": N_("Employment"),
    "is_employee": N_("Employee"), "main_role": N_("Main role"), "department": N_("Department"), "role": N_("Role"),
    "month": N_("Month"), "week_start": N_("Week"), "hours": N_("Hours"), "days_worked": N_("Days worked"),
    "ot_hours": N_("Overtime"), "holiday_hours": N_("Statutory-holiday work"),
    "ot_plus_holiday_hours": N_("Overtime and holiday work"), "over_line": N_("Line reached"),
    "ai_hours": N_("AI-assisted hours"),
    # productions and the database
    "production": N_("Production"), "title": N_("Title"), "kind": N_("Kind"), "ai_policy": N_("AI policy"),
    "episodes": N_("Episodes"), "people": N_("People"), "first_month": N_("First month with work"),
    "last_month": N_("Last month with work"), "item": N_("Records"), "count": N_("Count"),
    # findings
    "rule_id": N_("Rule"), "severity": N_("Severity"), "group": N_("Group"), "period_start": N_("From"),
    "period_end": N_("To"), "measured_value": N_("Measured"), "threshold": N_("Line"), "unit": N_("Unit"),
    "explanation": N_("Explanation"), "findings": N_("Findings"), "median_measured_value": N_("Median measured"),
    "rule_name": N_("Rule name"), "measures": N_("What it measures"), "statute": N_("Statute or criteria"),
    # pay
    "basis": N_("Pay basis"), "items": N_("Pay items"), "units": N_("Units"), "amount": N_("Amount"),
    "rate_per_unit": N_("Rate per unit"), "units_per_hour": N_("Units per hour"),
    "implied_pay_per_hour": N_("Implied pay per hour"), "currency": N_("Currency"), "pay_amount": N_("Pay"),
    "pay_per_hour": N_("Pay per hour"), "base_pay_per_hour": N_("Base pay per hour"),
    "mw_max_per_hour": N_("Minimum wage"), "mw_per_hour": N_("Minimum wage"), "below_mw": N_("Below minimum wage"),
    # AI use
    "episode": N_("Episode"), "cuts": N_("Cuts"), "ai_cuts": N_("AI-assisted cuts"),
    "ai_cuts_share": N_("AI-assisted share of cuts"), "ai_usage_records": N_("AI-usage records"),
    "adopted_month": N_("AI adopted"), "period": N_("Period"), "hours_per_cut": N_("Hours per cut"),
    "pay_per_cut": N_("Pay per cut"), "created_at": N_("Created"), "cut": N_("Cut"), "stage": N_("Stage"),
    "tool": N_("Tool"), "post_editors": N_("Post-editors"), "digital_source_type": N_("Source type (IPTC)"),
    "asset_path": N_("File"), "source": N_("Source"), "reference": N_("Reference"), "value": N_("Value"),
    "reason": N_("Reason"),
    # credits
    "rule": N_("Rule"), "line": N_("Line no."), "message": N_("Message"), "credit_line_id": N_("Credit line"),
    "production_en": N_("Production (English)"), "year": N_("Year"), "role_as_credited": N_("Role as credited"),
    "role_en": N_("Role (English)"), "episode_scope": N_("Episodes credited"),
    "name_as_credited": N_("Name as credited"), "block": N_("Block"), "match": N_("Matched by"),
    "role_ja": N_("Role (Japanese)"), "source_ref": N_("Source record"), "claimed_by": N_("Claimed by"),
    "claimed_at": N_("Claimed"), "organization": N_("Organization"),
    # imports
    "batch_id": N_("Import no."), "filename": N_("File"), "format": N_("Format"), "status": N_("Status"),
    "actor": N_("By"), "started_at": N_("Started"), "rows_total": N_("Rows"), "rows_imported": N_("Imported"),
    "rows_updated": N_("Updated"), "rows_unchanged": N_("Unchanged"), "rows_rejected": N_("Rejected"),
    "rows": N_("Rows"), "code": N_("Problem"), "column": N_("Column"), "raw": N_("Row as read"),
    # advocate aggregates
    "person_months": N_("Person-months"), "median_monthly_hours": N_("Median hours a month"),
    "mean_monthly_hours": N_("Mean hours a month"), "p10_monthly_hours": N_("10th percentile"),
    "p90_monthly_hours": N_("90th percentile"), "share_over_205_hours": N_("Share over 205 h"),
    "median_pay_per_hour": N_("Median pay per hour"), "p25_pay_per_hour": N_("25th percentile"),
    "p75_pay_per_hour": N_("75th percentile"), "share_below_mw": N_("Share below minimum wage"),
    "ai_hours_share": N_("AI-assisted share of hours"),
    # admin
    "id": N_("No."), "username": N_("Username"), "oidc_email": N_("Identity-provider email"),
    "is_active": N_("Active"), "password_set": N_("Password set"), "failed_attempts": N_("Failed sign-ins"),
    "locked_until": N_("Locked until"), "last_login_at": N_("Last sign-in"), "language": N_("Language"),
    "key": N_("Setting"), "env": N_("Environment variable"), "editable": N_("Editable here"),
    "help": N_("What it does"), "at": N_("When"), "action": N_("Action"), "entity_type": N_("Record"),
    "entity_id": N_("Record no."), "old_values": N_("Before"), "new_values": N_("After"),
    "locked_by": N_("Locked by"), "locked_at": N_("Locked at"), "subject": N_("Subject"), "body": N_("Details"),
    "response": N_("Answer"), "what_to_do": N_("What to do"), "answered_by": N_("Answered by"), "answered_at": N_("Answered at"),
    # the artist's own log
    "work_date": N_("Day"), "own_hours": N_("My hours"), "studio_hours": N_("Studio's hours"),
    "difference_hours": N_("Difference (h)"), "state": N_("Reconciled"), "shared_at": N_("Shared on"),
    "pay_item_id": N_("Pay item"), "commission_date": N_("Commissioned"), "terms_issued_date": N_("Terms issued"),
    "terms_days_late": N_("Days terms were late"), "delivery_date": N_("Delivered"),
    "deemed_due_date": N_("Payment due"), "latest_due_date": N_("Latest lawful due date"), "paid_date": N_("Paid"),
    "paid_late": N_("Paid late"), "days_paid_after_due": N_("Days paid late"), "retake_count": N_("Retakes"),
    "unpaid_retakes": N_("Retakes unpaid"), "share_missing_hours": N_("Share of own-logged hours not in the studio's record"),
    # the monthly sign-off
    "note": NC_("memo", "Note"), "answer": N_("Answer"), "answer_note": N_("Answer's note"), "since": N_("Since"),
    "waiting_for": N_("Waiting for"), "disputed_days": N_("Days disputed"), "answered_days": N_("Days answered"),
    "status_since": N_("Since"), "studio_pay": N_("Studio's pay"), "approved_by": N_("Approved by"),
    # employment
    "employer": N_("Employer"), "jurisdiction": N_("Jurisdiction"), "prefecture": N_("Prefecture"),
    "city": N_("City"), "start_date": N_("Start"), "end_date": N_("End"),
    "scheduled_monthly_hours": N_("Scheduled hours a month"), "is_exempt": N_("Exempt"),
    "discretionary_work": N_("Discretionary work"),
    # reference data
    "region": N_("Place"), "revision_year": N_("Revision year"), "effective_from": N_("Effective from"),
    "checked_on": N_("Checked on"), "rate_per_hour": N_("Rate per hour"),
    "days_off_4w_from": N_("Four weeks of days off counted from"),
    # merging two records of a person; contracts; productions entered by hand
    "on_kept_record": N_("On the record kept"), "moving": N_("Moving over"),
    "scheduled_daily_hours": N_("Scheduled hours a day"), "piece_rate_guarantee_per_hour": N_("Piece-rate guarantee per hour"),
    "discretionary_consent_date": N_("Consent to discretionary work"), "title_romaji": N_("Title (romaji)"),
    "title_en": N_("Title (English)"), "studio": N_("Studio"), "number": N_("No."), "label": N_("Episode label"),
    "cut_number": N_("Cut no."), "seconds": N_("Seconds"), "frames": N_("Frames"),
    "sheets": N_("Sheets"), "aliases": N_("Also known as"), "contract_week_start": N_("Week starts on"),
    # hours and pay entered by hand (the import's columns), their review, and the names to review
    "start_time": N_("Start"), "end_time": N_("End"), "break_minutes": N_("Break (minutes)"),
    "minutes": N_("Minutes worked"), "task": N_("Task"), "unit_kind": N_("Unit kind"),
    "ai_assisted_fraction": N_("AI-assisted share"), "is_statutory_holiday": N_("Statutory day off"),
    "allowance_kind": N_("Allowance for"), "unit_rate": N_("Unit rate"),
    "due_date": N_("Payment due"), "agreed_amount": N_("Agreed amount"), "retake_paid_amount": N_("Paid for retakes"),
    "row": N_("Row"), "entry": N_("Entry"), "old_value": N_("Was"), "new_value": N_("Becomes"),
    "hours_before": N_("Hours before"), "hours_after": N_("Hours after"), "pay_before": N_("Pay before"),
    "pay_after": N_("Pay after"), "candidates": N_("Could be"), "email": N_("Email"),
    "name_as_written": N_("Name as written"), "origin": N_("Where it was read"),
}  # fmt: skip

VOCABULARIES: dict[str, dict[str, str]] = {
    "employment_type": {
        "employee_regular": N_("Regular employee"), "employee_contract": N_("Contract employee"),
        "employee_parttime": N_("Part-time employee"), "freelancer": N_("Freelancer"),
        "sole_proprietor_with_staff": N_("Sole proprietor with staff"), "unknown": NC_("employment", "Unknown"),
    },
    "severity": {"violation": N_("Violation"), "advocacy_flag": N_("Indicator"), "warning": NC_("finding", "Warning")},
    "credit_severity": {"ERROR": N_("Error"), "WARN": NC_("credit", "Warning"), "INFO": N_("Note")},
    "department": {
        "planning": N_("Planning"), "financing": N_("Financing"), "studio": N_("Studio"),
        "production": NC_("department", "Production"), "direction": N_("Direction"), "writing": N_("Writing"),
        "design": N_("Design"), "animation": N_("Animation"), "art": N_("Art"), "finishing": N_("Ink and paint"),
        "photography": N_("Photography"), "cg": N_("CG"), "post": N_("Editing and post-production"),
        "sound": N_("Sound"), "production_management": N_("Production management"), "cast": N_("Voice cast"),
        "other": NC_("department", "Other"), "unassigned": N_("No role recorded"),
    },
    "kind": {"tv": N_("TV series"), "film": N_("Film"), "ova": N_("OVA"), "ona": N_("Web series"),
             "short": N_("Short"), "mv": N_("Music video")},
    "ai_policy": {"none": NC_("ai_policy", "None"), "limited": N_("Limited"), "extensive": N_("Extensive")},
    "unit": {"h": N_("h"), "h/month": N_("h a month"), "days": N_("days"), "months": N_("months"),
             "sessions": N_("sessions"), "consents": N_("consents"), "grants": N_("grants"),
             "indicators": N_("indicators"), "retakes": N_("retakes"), "JPY": N_("yen"), "JPY/h": N_("yen an hour"),
             "USD": N_("dollars"), "USD/h": N_("dollars an hour"), "USD/year": N_("dollars a year")},
    "basis": {"hourly": N_("Hourly"), "monthly_salary": N_("Monthly salary"), "per_cut": N_("Per cut"),
              "per_sheet": N_("Per sheet"), "per_episode": N_("Per episode"), "per_background": N_("Per background"),
              "fixed_fee": N_("Fixed fee"), "bonus": N_("Bonus"), "allowance": N_("Allowance"),
              "ot_premium": N_("Overtime premium"), "holiday_premium": N_("Holiday premium"),
              "night_premium": N_("Late-night premium")},
    "period": {"before": N_("Before AI"), "after": N_("After AI")},
    "stage": {"layout": NC_("ai_stage", "Layout"), "generation": N_("Generation"), "img2img": N_("Image to image"),
              "inpaint": N_("Inpainting"), "upscale": N_("Upscaling"), "interpolation": N_("Interpolation"),
              "colorize": N_("Colouring"), "composite": N_("Compositing")},
    "unattributed_source": {"rejected_import": N_("Refused at import"),
                            "placeholder_operator": N_("Placeholder operator")},
    "name_source": {"timesheet": N_("Timesheet import"), "public_credit": N_("Public credits")},
    "credit_source": {"internal": N_("Studio records"), "madb": N_("Media Arts Database"),
                      "imported_file": N_("Imported file"), "onscreen": N_("On-screen credits"),
                      "official_site": N_("Official website")},
    "match": {"linked": N_("Linked to the person"), "name": N_("Same name")},
    "block": {"main": N_("Main staff"), "OP": N_("Opening"), "ED": N_("Ending"), "cast": N_("Cast"),
              "special_thanks": N_("Special thanks"), "other": NC_("block", "Other")},
    "import_status": {"running": N_("Running"), "committed": N_("Imported"), "failed": N_("Failed"),
                      "dry_run": N_("Dry run")},
    "request_status": {"open": NC_("request", "Open"), "answered": N_("Answered"), "closed": N_("Closed")},
    "credit_review_status": {"suggested": N_("Suggested"), "claimed": N_("Claimed by the artist")},
    "account_role": {"manager": N_("Manager"), "advocate": N_("Advocate"), "artist": N_("Artist")},
    "visibility": {"public": N_("Public"), "pen_name_only": N_("Pen name only"), "private": N_("Private")},
    "setting_source": {"environment": N_("Environment variable"), "database": N_("Saved on this page"),
                       "default": N_("Default")},
    "item": {"productions": N_("Productions"), "episodes": NC_("records", "Episodes"), "cuts": NC_("records", "Cuts"),
             "people": NC_("records", "People"), "organizations": N_("Organizations"),
             "work-log rows": N_("Work-log rows"), "pay items": NC_("records", "Pay items"),
             "AI-usage records": NC_("records", "AI-usage records"), "credit lines": N_("Credit lines"),
             "accounts": N_("Accounts")},
    "action": {"account.create": N_("Account created"), "account.activate": N_("Account activated"),
               "account.deactivate": N_("Account deactivated"), "account.set_password": N_("Password set"),
               "account.set_role": N_("Role changed"), "account.unlock": N_("Account unlocked"),
               "account.language": N_("Language chosen"), "correction.request": N_("Correction requested"),
               "correction.answer": N_("Correction answered"), "credit.individuals_uncredited":
               N_("Individuals recorded as uncredited"), "credit.link_alias": N_("Name linked to a person"),
               "credit.record_reason": N_("Reason recorded"), "credit.replace_and_others": N_("“And others” replaced"),
               "credit.repoint_line": N_("Credit line linked"), "pay_period.lock": N_("Pay period locked"),
               "pay_period.unlock": N_("Pay period unlocked"), "own_log.add": N_("Own-log day added"),
               "own_log.edit": N_("Own-log day changed"), "own_log.delete": N_("Own-log day deleted"),
               "own_log.import": N_("Timesheet imported into an own log"),
               "own_log.share": N_("Own-log period shared"), "own_log.unshare": N_("Own-log period unshared"),
               "own_log.advocate_opt_in": N_("Own-log month counted for the advocates"),
               "own_log.advocate_opt_out": N_("Own-log month no longer counted for the advocates"),
               "own_log.answer": N_("Own-log difference answered"), "sign_off.confirm": N_("Month confirmed"),
               "sign_off.dispute": N_("Month disputed"), "sign_off.answer": N_("Disputed day answered"),
               "sign_off.approve": N_("Month signed off"), "sign_off.reopen": N_("Signed-off month reopened"),
               "person.name_preference": N_("Name preference changed"),
               "setting.save": N_("Setting saved"), "import": N_("Import")},
    "entity_type": {"account": N_("Account"), "correction_request": N_("Correction request"),
                    "import_batch": NC_("record", "Import"), "pay_period_lock": N_("Pay period"),
                    "person": NC_("record", "Person"), "setting": NC_("record", "Setting"),
                    "credit_line": N_("Credit line"), "person_alias": N_("Name as credited"),
                    "own_log_entry": N_("Own-log day"), "own_log_share": N_("Shared own-log period"),
                    "own_log_advocate_month": N_("Own-log month counted for the advocates"),
                    "month_sign_off": N_("Month's sign-off"), "own_log_answer": N_("Answer to an own-log day")},
    "sign_off_status": {"unsigned": N_("Not signed"), "confirmed": N_("Confirmed, to approve"),
                        "disputed": N_("Disputed"), "answered": N_("Answered, back to the artist"),
                        "approved": N_("Signed off (locked)"), "reopened": N_("Reopened")},
    "sign_off_answer": {"accept": N_("Accepted: to be corrected"), "explain": N_("Explained: the record stands")},
    "sign_off_waiting": {"artist": N_("The artist"), "manager": N_("A manager")},
    "own_log_state": {"matched": N_("Matched"), "studio_less": N_("Studio shows less"),
                      "studio_more": N_("Studio shows more"), "only_own": N_("Only in my log"),
                      "only_studio": N_("Only in the studio's record")},
    "credit_rule": {"ai_as_author": N_("AI credited as the author"), "ai_plus_human": N_("“AI (+Human)” credit"),
                    "tool_credited": N_("Tool credited as a person"), "generic_human": N_("Generic word, not a name"),
                    "anonymous": N_("Anonymous credit"), "tbd": N_("Placeholder (未定)"), "empty_name": N_("Empty name"),
                    "glyph_placeholder": N_("Placeholder glyph"), "and_others": N_("“And others” (ほか)"),
                    "group_blanket": N_("Group blanket (一同)"), "org_in_person_role": N_("Studio in a person's role"),
                    "name_is_role": N_("Role written as the name"), "not_a_credit": N_("Not a credit"),
                    "unlinked_variants": N_("Spellings not linked"), "sentinel_id": N_("System value, not a name"),
                    "mt_residue": N_("Untranslated placeholder"), "uncredited_worker": N_("Worked but not credited"),
                    "credited_without_work": N_("Credited without a work record"),
                    "ai_operator_missing": N_("AI use without a credited operator")},
    "rejection": {"ambiguous_organization": N_("Organization ambiguous"), "ambiguous_person": N_("Person ambiguous"),
                  "ambiguous_row": N_("Row ambiguous"), "bad_amount": N_("Amount unreadable"),
                  "bad_boolean": N_("Yes/no unreadable"), "bad_break": N_("Break unreadable"),
                  "bad_date": N_("Date unreadable"), "bad_datetime": N_("Date and time unreadable"),
                  "bad_duration": N_("Duration unreadable"), "bad_email": N_("Email unreadable"),
                  "bad_name": N_("Name unreadable"), "bad_number": N_("Number unreadable"),
                  "bad_period": N_("Period unreadable"), "bad_precision": N_("Too many decimals"),
                  "bad_time": N_("Time unreadable"), "bad_value": N_("Value not allowed"),
                  "blank_line": N_("Blank line"), "database_constraint": N_("Refused by the database"),
                  "duplicate_row": N_("Duplicate row"), "empty_row": N_("Empty row"),
                  "extra_cells": N_("Extra cells"), "missing_person": N_("Person missing"),
                  "missing_production": N_("Production missing"), "missing_value": N_("Value missing"),
                  "out_of_range": N_("Out of range"), "totals_row": N_("Totals row"),
                  "unknown_person": N_("Person unknown"), "unknown_prefecture": N_("Prefecture unknown"),
                  "unknown_production": N_("Production unknown"), "unknown_role": N_("Role unknown")},
    # What to do about a credit finding, per validator rule (docs/credits.md): the validator's own message names the
    # line, and stays as it wrote it.
    "credit_fix": {"ai_as_author": N_("Record the tool in the AI ledger and credit the person who operated it."),
                   "ai_plus_human": N_("Credit the people by name."),
                   "tool_credited": N_("Credit the person; the tool's vendor may appear only in an organization role "
                                       "such as AI開発."),
                   "generic_human": N_("Credit each person by name."),
                   "anonymous": N_("Name the person, or use the explicit sentinel for archives."),
                   "tbd": N_("Fill in the name."), "empty_name": N_("Credit the person by name."),
                   "glyph_placeholder": N_("Fix the character, or link a variant-glyph alias."),
                   "and_others": N_("Give the full list, or record why it is incomplete."),
                   "group_blanket": N_("Credit the people by name."),
                   "org_in_person_role": N_("Credit the people, or record that the studio's individuals go "
                                            "uncredited, with a reason."),
                   "name_is_role": N_("Credit the person who did the role."),
                   "not_a_credit": N_("Store it as a credit note."),
                   "unlinked_variants": N_("Link the spellings as aliases of one person."),
                   "sentinel_id": N_("Credit the person by name."),
                   "mt_residue": N_("Carry the names over from the Japanese line."),
                   "uncredited_worker": N_("Add a credit line for the person who did the work."),
                   "credited_without_work": N_("Check the credit against the work and pay records."),
                   "ai_operator_missing": N_("Credit the people who operated the AI tool and post-edited its work.")},
    "jurisdiction": {"JP": N_("Japan"), "US-CA": N_("California")},
    "weekday": {"MON": N_("Monday"), "TUE": N_("Tuesday"), "WED": N_("Wednesday"), "THU": N_("Thursday"),
                "FRI": N_("Friday"), "SAT": N_("Saturday"), "SUN": N_("Sunday")},
    # The tables that refer to a person, as a merge of two records counts them (analytics.queries.references).
    "person_table": {"account": N_("Accounts"), "affiliation": N_("Affiliations"),
                     "employment": N_("Employment contracts"), "own_log_entry": N_("Own-log days"),
                     "own_log_share": N_("Shared own-log periods"), "own_log_advocate_month": N_("Own-log months counted for advocates"), "month_sign_off": N_("Monthly sign-offs"),
                     "own_log_answer": N_("Answers to own-log days"), "pen_name_request.person_id": N_("Pen-name requests"),
                     "pen_name_request.clashes_with": N_("Pen-name requests naming this person"),
                     "person_alias": N_("Names as credited"), "correction_request": N_("Correction requests"),
                     "annual_leave": N_("Annual leave entries"), "person_match_review": N_("Imported names resolved"),
                     "ai_usage": N_("AI use operated"), "ai_usage_post_editor": N_("AI output post-edited"),
                     "credit_claim": N_("Credit claims"), "pay_item": NC_("records", "Pay items"),
                     "work_log": N_("Work-log rows")},
    "discretionary_work": {"professional": N_("Professional type"), "planning": N_("Planning type")},
    "language": {"ja": "日本語", "en": "English"},
    "placeholder": {"(no production)": N_("(no production)"), "unassigned": N_("No role recorded"),
                    "unknown": NC_("employment", "Unknown")},
}  # fmt: skip

# Which vocabulary each coded column's values come from (a page may say otherwise for one table).
CODED: dict[str, str] = {
    "employment_type": "employment_type", "severity": "severity", "department": "department", "kind": "kind",
    "ai_policy": "ai_policy", "unit": "unit", "basis": "basis", "period": "period", "stage": "stage",
    "block": "block", "match": "match", "status": "import_status", "action": "action", "entity_type": "entity_type",
    "item": "item", "jurisdiction": "jurisdiction", "discretionary_work": "discretionary_work",
    "visibility": "visibility", "language": "language", "rule_id": "rule_id", "main_role": "role_en",
    "role": "role_en", "group": "placeholder", "digital_source_type": "digital_source_type", "format": "format",
}  # fmt: skip

IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/"
DIGITAL_SOURCE_TYPES = {
    "trainedAlgorithmicMedia": N_("Made by generative AI"),
    "compositeWithTrainedAlgorithmicMedia": N_("Composite with generative AI"),
    "algorithmicMedia": N_("Made by an algorithm"),
    "digitalCapture": N_("Digital capture"),
    "digitalArt": N_("Digital art"),
    "composite": N_("Composite"),
    "algorithmicallyEnhanced": N_("Enhanced by an algorithm"),
}


@functools.cache
def _roles() -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    """code → (ja, en), and en → ja, from the role taxonomy."""
    rows = load_roles()
    return {r["code"]: (r["ja"], r["en"]) for r in rows}, {r["en"]: r["ja"] for r in rows}


def role_name(value: Any, language: str) -> Any:
    """A role (its code or its English name, as views give it) in ``language``: the taxonomy's ja or en; anything
    else (a role as credited) unchanged."""
    by_code, en_to_ja = _roles()
    if value in by_code:
        ja, en = by_code[value]
        return ja if language == "ja" else en
    if language == "ja" and value in en_to_ja:
        return en_to_ja[value]
    return value


def marked(vocabulary: str, code: Any) -> str | None:
    """The marked label of ``code`` in ``vocabulary`` (translate it with the page's translator), or None."""
    if vocabulary == "rule_id":
        entry = RULES.get(str(code))
        return entry.name if entry else None
    if vocabulary == "format":
        fmt = FORMATS.get(str(code))
        return fmt.label if fmt else None
    if vocabulary == "digital_source_type":
        return DIGITAL_SOURCE_TYPES.get(str(code).removeprefix(IPTC))
    return VOCABULARIES.get(vocabulary, {}).get(code)


def value_label(vocabulary: str, code: Any, _: Any) -> Any:
    """``code`` as a reader of ``_``'s language reads it; a value of no vocabulary is returned unchanged.

    Rule ids keep their id before the name (``JP-OW-01 · …``): the id is what the law text and the glossary cite.
    """
    if code is None or (isinstance(code, float) and code != code):
        return code
    if vocabulary == "role_en":
        return role_name(code, _.language)
    label = marked(vocabulary, code)
    if label is None:
        if vocabulary == "placeholder":
            return role_name(code, _.language)
        return code
    text = _(label)
    return f"{code} · {text}" if vocabulary == "rule_id" else text


def header(column: str, _: Any) -> str:
    """The header of ``column`` in ``_``'s language (the column's own name when it has none)."""
    label = HEADERS.get(column)
    return _(label) if label else column
