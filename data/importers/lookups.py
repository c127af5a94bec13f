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
from data.schema import Cut, Episode, OrgAlias, Organization, Production, ProductionAlias, Role, RoleVariant

REFS_CACHE_MAX = 200_000


class References:
    """Production, episode, cut and role ids of one import. New ones are counted in the summary's details, and
    remembered (``created``) so that the import can drop any that no imported row ended up needing.

    A row's project becomes a production (:meth:`production_id`): the production given for the whole file
    (``production``: every row, created when new); else the production of that title, or of a name it was mapped to
    before (``production_alias``), matched on the name's match key; else the one ``project_map`` maps it to (a
    production's id, or a title, created when new; remembered as an alias once a row through it is written); else, with
    ``create_productions``, a new production of that name; else the row is rejected (``unknown_production``) and the
    name listed in ``summary.unknown_projects`` for the person importing to map or create."""

    def __init__(
        self,
        session: Session,
        *,
        summary: ImportSummary,
        production: str | None,
        project_map: dict[str, str | int | None] | None = None,
        create_productions: bool = False,
    ) -> None:
        self.session = session
        self.summary = summary
        self.production_override = production
        self.project_map = {self.key(k): v for k, v in (project_map or {}).items() if self.key(k)}
        self.create_productions = create_productions
        self.productions: dict[str, int | None] = {}
        self.episodes: dict[tuple[int, str], int] = {}
        self.cuts: dict[tuple[int, str], int] = {}
        self.roles: dict[str, tuple[int, bool] | None] = {}
        self.refs: dict[tuple[Any, ...], dict[str, Any] | RowError] = {}
        self.created: dict[str, set[int]] = {"production": set(), "episode": set(), "cut": set()}
        self.aliases: dict[str, tuple[str, int]] = {}  # name's key → (name as written, production) to remember
        self.used_titles: set[str | None] = set()
        self._by_key: dict[str, set[int]] | None = None

    @staticmethod
    def key(text: str | None) -> str:
        """The match key of a production's title or a project's name."""
        return (org_key(text) or person_key(text)) if text else ""

    def _known(self) -> dict[str, set[int]]:
        if self._by_key is None:
            self._by_key = defaultdict(set)
            for pid, title in self.session.execute(select(Production.id, Production.title)):
                self._by_key[self.key(title)].add(pid)
            for pid, key in self.session.execute(select(ProductionAlias.production_id, ProductionAlias.match_key)):
                self._by_key[key].add(pid)
        return self._by_key

    def _find(self, title: str) -> int | None:
        pid = self.session.scalar(select(Production.id).where(Production.title == title))
        if pid is not None:
            return pid
        ids = self._known().get(self.key(title), set())
        return next(iter(ids)) if len(ids) == 1 else None

    def _create(self, title: str, *, kind: str, external_ref: str | None) -> int:
        pid = self.session.execute(
            insert(Production).values(title=title[:300], kind=kind, external_ref=external_ref).returning(Production.id)
        ).scalar_one()
        self.summary.count("productions_created")
        self.created["production"].add(pid)
        self._known()[self.key(title)].add(pid)
        return pid

    def production_id(
        self, title: str | None, *, create: bool = False, kind: str = "tv", external_ref: str | None = None
    ) -> int | None:
        """The id of the production a row's ``title`` (project) names (see the class docstring); None without a
        title. ``create``: a new title is created (credit imports name their production)."""
        title = self.production_override or title
        if not title:
            return None
        if title in self.productions and self.productions[title] is not None:
            return self.productions[title]
        pid = self._find(title)
        if pid is None and (create or title == self.production_override):
            pid = self._create(title, kind=kind, external_ref=external_ref)
        if pid is None:
            key = self.key(title)
            if key in self.project_map and self.project_map[key]:
                target = self.project_map[key]
                if isinstance(target, int):  # a production chosen by id (the Import page's mapping)
                    pid = self.session.scalar(select(Production.id).where(Production.id == target))
                else:
                    pid = self._find(target) or self._create(target, kind=kind, external_ref=None)
                if key not in self._known() or pid not in self._known()[key]:
                    self.aliases.setdefault(key, (title, pid))  # the first spelling met
            elif self.create_productions and key not in self.project_map:
                pid = self._create(title, kind=kind, external_ref=None)
        if pid is None:
            self.summary.unknown_projects[title] = self.summary.unknown_projects.get(title, 0) + 1
            raise RowError(
                "unknown_production",
                f"production {title!r} is not in the database; map the project to a production or create it (the "
                "projects without a production are listed after the import), or give one production for the whole "
                "file",
                column="production",
                value=title,
            )
        self.productions[title] = pid
        return pid

    def used(self, title: str | None) -> None:
        """Note that a written row named ``title``: the alias it was mapped through is worth remembering."""
        self.used_titles.add(title)

    def used_all(self, titles: set[str | None]) -> None:
        """:meth:`used` of each of ``titles``."""
        self.used_titles |= titles

    def remember_aliases(self, *, batch_id: int | None) -> None:
        """Store the project names mapped onto productions that written rows used (``production_alias``)."""
        used = {self.key(title) for title in self.used_titles if title}
        for key, (text, pid) in self.aliases.items():
            if key in used:
                self.session.execute(
                    insert(ProductionAlias).values(
                        production_id=pid, text=text[:300], match_key=key[:300], batch_id=batch_id
                    )  # fmt: skip
                )
                self.summary.count("project_names_mapped")

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
                self.created["episode"].add(eid)
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
                self.created["cut"].add(cid)
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
            if refs.code == "unknown_production" and refs.value in self.summary.unknown_projects:
                self.summary.unknown_projects[refs.value] += 1
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
