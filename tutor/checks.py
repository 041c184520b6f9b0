"""Declarative lesson checks: data, never code, evaluated live against a lab.

A check is a mapping with a ``name``, optional ``points`` and exactly one kind key::

    - name: Service web selects the nginx pods
      endpoints: {service: web, ready: 3}

Every kind explains a failure from the live state (``diagnostic``), so the learner is told what is
still wrong, not only that something is.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

# --- models -----------------------------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class ObjectRef(_Strict):
    kind: str
    name: str
    namespace: str = "default"


class Compare(_Strict):
    """How a value must relate to what was found; exactly one comparison is given."""

    equals: Any = None
    not_equals: Any = None
    contains: str | None = None
    matches: str | None = None
    count: int | None = None
    gt: float | None = None
    ge: float | None = None
    lt: float | None = None
    le: float | None = None

    @model_validator(mode="after")
    def _one(self) -> Compare:
        given = [k for k in _COMPARISONS if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(f"give exactly one comparison of {', '.join(_COMPARISONS)} (got {len(given)})")
        if self.matches is not None:
            try:
                re.compile(self.matches)
            except re.error as exc:
                raise ValueError(f"matches: not a valid regular expression: {exc}") from None
        return self


_COMPARISONS = ("equals", "not_equals", "contains", "matches", "count", "gt", "ge", "lt", "le")


def _valid_jsonpath(path: str) -> str:
    from sandbox.kubectl.printers import check_jsonpath

    try:
        check_jsonpath(path)
    except Exception as exc:  # the pack error names the file, line and field
        raise ValueError(f"not a valid kubectl JSONPath: {exc}") from None
    return path


class FieldCheck(ObjectRef, Compare):
    """A kubectl JSONPath into one object (``{.spec.ports[0].targetPort}``, ``{.data.config\\.conf}``)."""

    path: str

    @field_validator("path")
    @classmethod
    def _path_ok(cls, path: str) -> str:
        return _valid_jsonpath(path)


class SelectsCheck(_Strict):
    selector: str
    namespace: str = "default"
    count: int | None = None
    min: int | None = None
    ready: bool = False


class EndpointsCheck(_Strict):
    service: str
    namespace: str = "default"
    ready: int | None = None
    min: int | None = None


class Origin(_Strict):
    """Where a request starts: a pod (by name or selector) or a node."""

    pod: str | None = None
    selector: str | None = None
    node: str | None = None
    namespace: str = "default"

    @model_validator(mode="after")
    def _one(self) -> Origin:
        if sum(x is not None for x in (self.pod, self.selector, self.node)) != 1:
            raise ValueError("give exactly one of pod, selector, node")
        return self


class ProbeCheck(_Strict):
    """A request the engine performs now, without disturbing the lab (no counters, no cursors)."""

    origin: Origin = Field(alias="from")
    url: str
    status: int | None = None
    body: str | None = None
    refused: bool | None = None


class ObservedCheck(_Strict):
    """What the learner's own traffic showed (the network's observation log)."""

    service: str
    namespace: str = "default"
    from_not_selected: bool = False
    min_requests: int = 1
    distinct_backends: int | None = None


class DnsCheck(_Strict):
    """A DNS query the learner made for ``name`` got ``records`` answers (or an rcode)."""

    name: str
    type: str = "A"
    records: int | None = None
    rcode: str | None = None


class YamlField(Compare):
    path: str

    @field_validator("path")
    @classmethod
    def _path_ok(cls, path: str) -> str:
        return _valid_jsonpath(path)


class FileCheck(_Strict):
    path: str
    host: str = "controlplane"
    exists: bool = True
    yaml: YamlField | None = None


class RanCheck(_Strict):
    """The learner ran a command matching ``pattern`` (a regex), optionally on a given host."""

    pattern: str
    host: str | None = None


KINDS = ("exists", "absent", "field", "selects", "endpoints", "probe", "observed", "dns", "file", "ran",
         "all", "any", "not")


class Check(_Strict):
    name: str
    points: int = Field(default=1, ge=0)
    exists: ObjectRef | None = None
    absent: ObjectRef | None = None
    field: FieldCheck | None = None
    selects: SelectsCheck | None = None
    endpoints: EndpointsCheck | None = None
    probe: ProbeCheck | None = None
    observed: ObservedCheck | None = None
    dns: DnsCheck | None = None
    file: FileCheck | None = None
    ran: RanCheck | None = None
    all: list[Check] | None = None
    any: list[Check] | None = None
    not_: Check | None = Field(default=None, alias="not")

    @model_validator(mode="before")
    @classmethod
    def _name_nested(cls, data: Any) -> Any:
        """Nested checks in all/any/not may omit their name; they are named after their kind."""
        if isinstance(data, dict) and "name" not in data:
            kinds = [k for k in KINDS if k in data]
            if len(kinds) == 1:
                data = {**data, "name": kinds[0]}
        return data

    @model_validator(mode="after")
    def _exactly_one_kind(self) -> Check:
        given = [k for k in KINDS if getattr(self, "not_" if k == "not" else k) is not None]
        if len(given) != 1:
            raise ValueError(f"a check needs exactly one of: {', '.join(KINDS)} (got {', '.join(given) or 'none'})")
        return self

    @property
    def kind(self) -> str:
        return next(k for k in KINDS if getattr(self, "not_" if k == "not" else k) is not None)


class CheckResult(BaseModel):
    name: str
    passed: bool
    diagnostic: str = ""
    points: int = 1

    @property
    def earned(self) -> int:
        return self.points if self.passed else 0


# --- evaluation -------------------------------------------------------------------------------------


def evaluate(check: Check, lab: Any) -> CheckResult:
    """Evaluate one check against a lab; never raises (an internal error becomes a failed check)."""
    from tutor import check_eval

    try:
        passed, diagnostic = check_eval.EVALUATORS[check.kind](check, lab)
    except Exception as exc:  # a check must never take the app down
        passed, diagnostic = False, f"could not evaluate this check: {type(exc).__name__}: {exc}"
    return CheckResult(name=check.name, passed=passed, diagnostic="" if passed else diagnostic, points=check.points)


def evaluate_all(checks: list[Check], lab: Any) -> list[CheckResult]:
    return [evaluate(check, lab) for check in checks]


Check.model_rebuild()
