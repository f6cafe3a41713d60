"""KPI rule sets: TOML data in ``qaudit/rulesets/`` (or a council's own file), loaded and
checked, with a folder's ``qaudit.toml`` overrides applied.

Other commands read a rule through here, for example ``qaudit actions``::

    rules = load_ruleset("", config)            # the folder's rule set, or core-v1.1
    agree = rules.rule("action-agreement")      # limit and unit after overrides
    due = due_date(uploaded, agree.limit, agree.unit, rules.calendar)
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import msgspec
from msgspec.structs import replace

from qaudit.chronology.events import schema
from qaudit.chronology.workdays import WorkCalendar
from qaudit.config import FolderConfig
from qaudit.errors import UsageError
from qaudit.filestamp import stamp
from qaudit.kpis.interval import UNITS
from qaudit.readable import readable
from qaudit.shipped import shipped_names, shipped_text

DEFAULT_RULESET = "core-v1.1"
RULESETS = "qaudit.rulesets"  # the package the shipped rule sets are in
TYPES = ("once", "recurring", "condition")
SPECIAL_ANCHORS = ("@window", "@audit_date")
SPECIAL_DONE = ("@actions.agreed_on",)
OVERRIDABLE = ("limit", "unit", "enabled")
_TEXT_KEYS = ("title", "kpi", "source", "note", "when_not_recorded", "judged_at")
JUDGED_AT = ("audit_date", "as_of")


class KpiRule(msgspec.Struct, frozen=True):
    """One timescale. ``anchor`` and ``done`` name event kinds (``icpc``), a record date of an
    event (``icpc.outcome_circulated``; ``.outcome_circulated`` for the anchor event's own,
    whichever of several anchor kinds it is), or a special value (``@window``,
    ``@audit_date``, ``@actions.agreed_on``)."""

    id: str
    type: str
    anchor: tuple[str, ...]
    done: str
    limit: int
    unit: str
    source: str
    title: str = ""
    kpi: str = ""
    statuses: tuple[str, ...] = ()
    templates: tuple[str, ...] = ()
    note: str = ""
    anchor_nth: int = 0
    done_nth: int = 1
    from_nth: int = 1
    done_where: Mapping[str, Any] = msgspec.field(default_factory=dict)
    skip_anchor_when: Mapping[str, Any] = msgspec.field(default_factory=dict)
    done_any_time: bool = False
    min_age: int | None = None
    when_not_recorded: str = "overdue"
    report_pending: bool = True
    judged_at: str = "audit_date"
    enabled: bool = True
    overridden_by: str = ""

    def applies_to_status(self, status: str | None) -> bool:
        return not self.statuses or status in self.statuses

    def applies_to_template(self, template_id: str) -> bool:
        return not self.templates or template_id in self.templates


class RuleSet(msgspec.Struct, frozen=True):
    id: str
    title: str
    source: str
    rules: tuple[KpiRule, ...]
    calendar: WorkCalendar = msgspec.field(default_factory=WorkCalendar)
    # The enabled rules of each template, worked out once; a replaced rule set starts empty.
    _for_template: dict[str, tuple[KpiRule, ...]] = msgspec.field(default_factory=dict)

    def rule(self, rule_id: str) -> KpiRule:
        """The rule with its limit and unit after the folder's overrides."""
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise UsageError(f"rule set {self.id} has no rule {readable(rule_id)}; it has: "
                         + ", ".join(r.id for r in self.rules), path=self.source)

    def active(self) -> tuple[KpiRule, ...]:
        return tuple(r for r in self.rules if r.enabled)

    def for_template(self, template_id: str) -> tuple[KpiRule, ...]:
        """The enabled rules that apply to audits of one template (worked out once each)."""
        rules = self._for_template.get(template_id)
        if rules is None:
            rules = self._for_template[template_id] = tuple(
                r for r in self.active() if r.applies_to_template(template_id))
        return rules


def calendar_for(config: FolderConfig) -> WorkCalendar:
    """The folder's working-day calendar: bank holidays, its closure days, its convention."""
    return WorkCalendar.with_closures(config.closure_days,
                                      count_anchor_day=config.count_anchor_day)


def shipped_rulesets() -> tuple[str, ...]:
    return tuple(name[:-5] for name in shipped_names(RULESETS) if name != "chronology.toml")


def _bad(source: str, key: str, message: str) -> UsageError:
    return UsageError(f"{key}: {message}", path=source)


def _strings(value: Any, source: str, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise _bad(source, key, "must be text or a list of text")


def _check_ref(value: str, source: str, key: str, special: tuple[str, ...]) -> None:
    kinds = schema().kinds
    if value in special:
        return
    kind, _, sub = value.partition(".")
    if kind not in kinds:
        raise _bad(source, key, f"{readable(value)} names no event kind; allowed: "
                   + ", ".join([*special, *kinds]))
    if sub and sub not in kinds[kind].keys:
        raise _bad(source, key, f"{kind} events have no key {readable(sub)}; they have: "
                   + (", ".join(kinds[kind].keys) or "none"))


def _int(raw: Mapping[str, Any], name: str, default: int | None, source: str,
         where: str) -> int | None:
    value = raw.get(name, default)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise _bad(source, f"{where}.{name}", f"must be a whole number 0 or more, not "
                   f"{readable(value)}")
    return value


def parse_rule(raw: Mapping[str, Any], source: str, where: str) -> KpiRule:
    """One ``[[rules]]`` table; any mistake is a UsageError naming the file and key."""
    known = {"id", "type", "anchor", "done", "limit", "unit", "source", "statuses",
             "templates", "anchor_nth", "done_nth", "from_nth", "done_where", "skip_anchor_when",
             "done_any_time", "min_age", "report_pending", "enabled", "questions",
             *_TEXT_KEYS}
    for key in raw:
        if key not in known:
            raise _bad(source, f"{where}.{key}", "unknown key; allowed: "
                       + ", ".join(sorted(known)))
    for key in ("id", "type", "anchor", "done", "limit", "unit", "source"):
        if key not in raw:
            raise _bad(source, where, f"a rule needs {key} = ...")
    rule_id = raw["id"]
    if not isinstance(rule_id, str) or not rule_id:
        raise _bad(source, f"{where}.id", "must be text")
    where = f"{where} ({rule_id})"
    if raw["type"] not in TYPES:
        raise _bad(source, f"{where}.type", f"{readable(raw['type'])}; allowed: {', '.join(TYPES)}")
    if raw["unit"] not in UNITS:
        raise _bad(source, f"{where}.unit", f"{readable(raw['unit'])}; allowed: {', '.join(UNITS)}")
    for key in _TEXT_KEYS:
        if key in raw and not isinstance(raw[key], str):
            raise _bad(source, f"{where}.{key}", "must be text")
    if raw.get("when_not_recorded", "overdue") not in ("overdue", "not_applicable"):
        raise _bad(source, f"{where}.when_not_recorded", "allowed: overdue, not_applicable")
    if raw.get("judged_at", "audit_date") not in JUDGED_AT:
        raise _bad(source, f"{where}.judged_at", "allowed: " + ", ".join(JUDGED_AT))
    anchors = _strings(raw["anchor"], source, f"{where}.anchor")
    for anchor in anchors:
        _check_ref(anchor, source, f"{where}.anchor", SPECIAL_ANCHORS)
    done = raw["done"]
    if not isinstance(done, str):
        raise _bad(source, f"{where}.done", "must be text")
    if done.startswith("."):
        for anchor in anchors:
            _check_ref(anchor + done, source, f"{where}.done", ())
    else:
        _check_ref(done, source, f"{where}.done", SPECIAL_DONE)
    statuses = _strings(raw.get("statuses", []), source, f"{where}.statuses")
    for status in statuses:
        if status not in schema().statuses:
            raise _bad(source, f"{where}.statuses", f"{readable(status)} is not a case status; "
                       f"allowed: {', '.join(schema().statuses)}")
    where_done = raw.get("done_where", {})
    skip_when = raw.get("skip_anchor_when", {})
    for name, table in (("done_where", where_done), ("skip_anchor_when", skip_when)):
        if not isinstance(table, dict):
            raise _bad(source, f"{where}.{name}", "must be a table such as { s47 = false }")
    for flag in ("done_any_time", "report_pending", "enabled"):
        if flag in raw and not isinstance(raw[flag], bool):
            raise _bad(source, f"{where}.{flag}", "must be true or false")
    limit = _int(raw, "limit", None, source, where)
    assert limit is not None
    return KpiRule(
        id=rule_id, type=raw["type"], anchor=anchors, done=done, limit=limit,
        unit=raw["unit"], source=raw["source"], title=raw.get("title", rule_id),
        kpi=raw.get("kpi", ""), statuses=statuses,
        templates=_strings(raw.get("templates", []), source, f"{where}.templates"),
        note=raw.get("note", ""), anchor_nth=_int(raw, "anchor_nth", 0, source, where) or 0,
        done_nth=_int(raw, "done_nth", 1, source, where) or 1,
        from_nth=_int(raw, "from_nth", 1, source, where) or 1,
        done_where=dict(where_done), skip_anchor_when=dict(skip_when),
        done_any_time=raw.get("done_any_time", False),
        min_age=_int(raw, "min_age", None, source, where),
        when_not_recorded=raw.get("when_not_recorded", "overdue"),
        report_pending=raw.get("report_pending", True), enabled=raw.get("enabled", True),
        judged_at=raw.get("judged_at", "audit_date"),
    )


def parse_ruleset(text: str, source: str) -> RuleSet:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"not valid TOML: {exc}", path=source) from exc
    head = data.get("ruleset")
    if not isinstance(head, dict) or not isinstance(head.get("id"), str):
        raise _bad(source, "ruleset", "a rule set starts with [ruleset] id = \"...\"")
    raw_rules = data.get("rules")
    if not isinstance(raw_rules, list) or not raw_rules:
        raise _bad(source, "rules", "no [[rules]] tables")
    rules = tuple(parse_rule(r, source, f"rules[{i}]") for i, r in enumerate(raw_rules))
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            raise _bad(source, "rules", f"two rules have the id {readable(rule.id)}")
        seen.add(rule.id)
    return RuleSet(head["id"], str(head.get("title", head["id"])), source, rules)


@cache
def _shipped(name: str) -> RuleSet:
    return parse_ruleset(shipped_text(RULESETS, f"{name}.toml"), f"qaudit/rulesets/{name}.toml")


def _from_file(path: Path) -> RuleSet:
    """A council's rule file, read again when it changes."""
    return _from_file_cached(path, stamp(path))


@lru_cache(maxsize=32)
def _from_file_cached(path: Path, file_stamp: object) -> RuleSet:
    try:
        text = path.read_text("utf-8")
    except OSError as exc:
        raise UsageError(f"rule set cannot be read: {exc.strerror or exc}",
                         path=str(path)) from exc
    return parse_ruleset(text, str(path))


def _override(rule: KpiRule, changes: Mapping[str, Any], source: str) -> KpiRule:
    key = f"rules.{rule.id}"
    for name in changes:
        if name not in OVERRIDABLE:
            raise _bad(source, f"{key}.{name}", "cannot be overridden; allowed: "
                       + ", ".join(OVERRIDABLE))
    limit = changes.get("limit", rule.limit)
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 0:
        raise _bad(source, f"{key}.limit", f"must be a whole number 0 or more, not "
                   f"{readable(limit)}")
    unit = changes.get("unit", rule.unit)
    if unit not in UNITS:
        raise _bad(source, f"{key}.unit", f"{readable(unit)}; allowed: {', '.join(UNITS)}")
    enabled = changes.get("enabled", rule.enabled)
    if not isinstance(enabled, bool):
        raise _bad(source, f"{key}.enabled", "must be true or false")
    return replace(rule, limit=limit, unit=unit, enabled=enabled, overridden_by=source)


def load_ruleset(name: str, config: FolderConfig) -> RuleSet:
    """A rule set by name (or the folder's, or core-v1.1) with the folder's overrides.

    ``name`` is a shipped rule set id or a ``.toml`` file (relative to the folder's
    qaudit.toml). A broken rule file or an override of a rule the set lacks is a UsageError
    naming the file and key.
    """
    chosen = name or config.ruleset or DEFAULT_RULESET
    if chosen.endswith(".toml"):
        base = config.path.parent if config.path else Path.cwd()
        ruleset = _from_file((base / chosen).resolve())
    elif chosen in shipped_rulesets():
        ruleset = _shipped(chosen)
    else:
        where = str(config.path) if config.path and not name else None
        raise UsageError(f"unknown rule set {readable(chosen)}; available: "
                         + ", ".join(shipped_rulesets()) + ", or a .toml file", path=where)
    source = str(config.path) if config.path else "qaudit.toml"
    ids = {r.id for r in ruleset.rules}
    for rule_id in config.rule_overrides:
        if rule_id not in ids:
            raise _bad(source, f"rules.{rule_id}", f"rule set {ruleset.id} has no such rule; "
                       "it has: " + ", ".join(sorted(ids)))
    rules = tuple(_override(r, config.rule_overrides[r.id], source)
                  if r.id in config.rule_overrides else r for r in ruleset.rules)
    return replace(ruleset, rules=rules, calendar=calendar_for(config), _for_template={})
