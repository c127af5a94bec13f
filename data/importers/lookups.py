"""What rows name, resolved to ids: productions, episodes, cuts and roles (:class:`References`), and the
organizations an employment or agreement file names (:class:`Employers`). People are matched by
:class:`data.importers.matching.PersonMatcher`."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

from data.importers.errors import RowError
from data.importers.report import ImportSummary
from data.names import org_key, person_key
from data.reference import role_key
from data.schema import Cut, Episode, OrgAlias, Organization, Production, Role, RoleVariant

REFS_CACHE_MAX = 200_000


class References:
    """Production, episode, cut and role ids of one import. A production given for the whole file (``production``)
    applies to every row and is created when new; episodes and cuts are created under a known production on first
    use. New ones are counted in the summary's details."""

    def __init__(self, session: Session, *, summary: ImportSummary, production: str | None) -> None:
        self.session = session
        self.summary = summary
        self.production_override = production
        self.productions: dict[str, int | None] = {}
        self.episodes: dict[tuple[int, str], int] = {}
        self.cuts: dict[tuple[int, str], int] = {}
        self.roles: dict[str, tuple[int, bool] | None] = {}
        self.refs: dict[tuple[Any, ...], dict[str, Any] | RowError] = {}

    def production_id(
        self, title: str | None, *, create: bool = False, kind: str = "tv", external_ref: str | None = None
    ) -> int | None:
        """The id of the production titled ``title`` (or the one given for the whole file); None without a title.
        Created when ``create`` (or given for the file), else :class:`RowError` ``unknown_production``."""
        title = self.production_override or title
        if not title:
            return None
        if title in self.productions and self.productions[title] is not None:
            return self.productions[title]
        pid = self.session.scalar(select(Production.id).where(Production.title == title))
        if pid is None and (create or title == self.production_override):
            pid = self.session.execute(
                insert(Production)
                .values(title=title[:300], kind=kind, external_ref=external_ref)
                .returning(Production.id)
            ).scalar_one()
            self.summary.count("productions_created")
        if pid is None:
            raise RowError(
                "unknown_production",
                f"production {title!r} is not in the database; create it, or give the production for the whole file "
                "(Production on the Import page, --production on the command line)",
                column="production",
                value=title,
            )
        self.productions[title] = pid
        return pid

    def episode_id(self, production_id: int | None, label: str | None) -> int | None:
        """The id of episode ``label`` of the production, created when new; None without both."""
        if production_id is None or not label:
            return None
        key = (production_id, label[:40])
        if key not in self.episodes:
            eid = self.session.scalar(
                select(Episode.id).where(Episode.production_id == production_id, Episode.label == key[1])
            )
            if eid is None:
                number = int(label) if label.isdigit() else None
                eid = self.session.execute(
                    insert(Episode)
                    .values(production_id=production_id, label=key[1], number=number)
                    .returning(Episode.id)
                ).scalar_one()
                self.summary.count("episodes_created")
            self.episodes[key] = eid
        return self.episodes[key]

    def cut_id(self, episode_id: int | None, number: str | None) -> int | None:
        """The id of cut ``number`` of the episode, created when new; None without both."""
        if episode_id is None or not number:
            return None
        key = (episode_id, number[:20])
        if key not in self.cuts:
            cid = self.session.scalar(select(Cut.id).where(Cut.episode_id == episode_id, Cut.cut_number == key[1]))
            if cid is None:
                cid = self.session.execute(
                    insert(Cut).values(episode_id=episode_id, cut_number=key[1]).returning(Cut.id)
                ).scalar_one()
                self.summary.count("cuts_created")
            self.cuts[key] = cid
        return self.cuts[key]

    def role(self, text: str | None, *, strict: bool = True) -> tuple[int, bool] | None:
        """(role id, person only) of any spelling in the taxonomy; None without a text. An unknown role is
        :class:`RowError` ``unknown_role`` when ``strict``, else None."""
        if not text:
            return None
        key = role_key(text)
        if key not in self.roles:
            row = self.session.execute(
                select(Role.id, Role.person_only)
                .join(RoleVariant, RoleVariant.role_id == Role.id)
                .where(RoleVariant.match_key == key)
            ).first()
            self.roles[key] = (row[0], row[1]) if row else None
        if self.roles[key] is None and strict:
            raise RowError(
                "unknown_role",
                f"role {text!r} is not in the role taxonomy (data/seed/roles.csv)",
                column="role",
                value=text,
            )
        return self.roles[key]

    def resolve(self, item: dict[str, Any]) -> dict[str, Any]:
        """``production_id``, ``episode_id``, ``cut_id`` and ``role_id`` of a parsed row's ``production``,
        ``episode``, ``cut`` and ``role``; remembered per distinct combination (files repeat them)."""
        key = (item.get("production"), item.get("episode"), item.get("cut"), item.get("role"))
        refs = self.refs.get(key)
        if refs is None:
            if len(self.refs) > REFS_CACHE_MAX:
                self.refs.clear()
            try:
                refs = self.refs[key] = self._resolve(item)
            except RowError as exc:
                self.refs[key] = exc
                raise
        if isinstance(refs, RowError):  # a fresh exception: re-raising one object would grow its traceback
            raise RowError(refs.code, refs.reason, column=refs.column, value=refs.value)
        return refs

    def _resolve(self, item: dict[str, Any]) -> dict[str, Any]:
        pid = self.production_id(item.get("production"))
        eid = self.episode_id(pid, item.get("episode"))
        role = self.role(item.get("role"))
        return {
            "production_id": pid,
            "episode_id": eid,
            "cut_id": self.cut_id(eid, item.get("cut")),
            "role_id": role[0] if role else None,
        }


class Employers:
    """The organizations an employment or labor-agreement file names, matched by the match key
    (:func:`data.names.org_key`) of their aliases and names. Two organizations under one key are never chosen
    between: the row is rejected. A name that matches none is created the way the credit importer creates an
    organization it meets for the first time: kind ``other``, the name as its alias, counted in
    ``details["organizations_created"]``."""

    def __init__(self, session: Session, *, summary: ImportSummary) -> None:
        self.session = session
        self.summary = summary
        self.by_key: dict[str, set[int]] = defaultdict(set)
        self.names: dict[int, str] = {}
        self.created: set[int] = set()
        for oid, key in session.execute(select(OrgAlias.organization_id, OrgAlias.match_key)):
            self.by_key[key].add(oid)
        for oid, name in session.execute(select(Organization.id, Organization.name)):
            self.names[oid] = name
            if key := self.key(name):
                self.by_key[key].add(oid)

    @staticmethod
    def key(text: str) -> str:
        """The match key of an organization's name (a name with no corporate words falls back to a person key)."""
        return org_key(text) or person_key(text)

    def id(self, text: str, column: str) -> int:
        """The id of the organization named ``text`` in ``column``, created when no organization matches."""
        key = self.key(text)
        if not key:
            raise RowError("bad_name", f"{column} has no letters", column=column, value=text)
        ids = self.by_key.get(key, set())
        if len(ids) > 1:
            names = ", ".join(f"{self.names.get(i, '?')} (id {i})" for i in sorted(ids))
            raise RowError(
                "ambiguous_organization",
                f"{text!r} matches {len(ids)} organizations: {names}; merge them or give them distinct aliases",
                column=column,
                value=text,
            )
        if ids:
            return next(iter(ids))
        s = self.session
        try:
            with s.begin_nested():
                oid = s.execute(
                    insert(Organization).values(name=text, kind="other").returning(Organization.id)
                ).scalar_one()
                s.execute(insert(OrgAlias).values(organization_id=oid, text=text, match_key=key))
        except (IntegrityError, DataError) as exc:
            raise RowError(
                "database_constraint", f"the database refused the new organization: {exc.orig}", column=column
            ) from None
        self.by_key[key].add(oid)
        self.names[oid] = text
        self.created.add(oid)
        self.summary.count("organizations_created")
        return oid
