"""Label and field selectors with apimachinery's grammar and error texts.

``parse_selector`` follows k8s.io/apimachinery/pkg/labels/selector.go (lexer, recursive descent,
requirement validation); ``parse_field_selector`` follows pkg/fields/selector.go plus the per-kind
field label conversion functions of the apiserver (pkg/apis/core/v1/conversion.go). Parse errors are
raised as ``ApiError`` BadRequest with the server's message (kubectl's resource builder then wraps it
in ``Unable to find "/v1, Resource=pods" that match label selector ...``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from sandbox.api import errors

# ---------------------------------------------------------------------------- label validation texts
_QNAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
_QNAME_RE = re.compile(f"^{_QNAME_FMT}$")
_LABEL_VALUE_FMT = f"({_QNAME_FMT})?"
_LABEL_VALUE_RE = re.compile(f"^{_LABEL_VALUE_FMT}$")
_DNS1123_SUBDOMAIN_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*"
_DNS1123_SUBDOMAIN_RE = re.compile(f"^{_DNS1123_SUBDOMAIN_FMT}$")
_QNAME_MSG = ("must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
              "alphanumeric character")
_LABEL_VALUE_MSG = ("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
                    "and must start and end with an alphanumeric character")
_DNS1123_SUBDOMAIN_MSG = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
                          "'.', and must start and end with an alphanumeric character")


def regex_error(msg: str, fmt: str, *examples: str) -> str:
    """validation.RegexError (note the double space kubernetes prints between examples)."""
    if not examples:
        return f"{msg} (regex used for validation is '{fmt}')"
    msg += " (e.g. "
    for i, ex in enumerate(examples):
        if i:
            msg += " or "
        msg += f"'{ex}', "
    return msg + f"regex used for validation is '{fmt}')"


def _max_len(n: int) -> str:
    return f"must be no more than {n} characters"


def is_dns1123_subdomain(value: str) -> list[str]:
    errs = []
    if len(value) > 253:
        errs.append(_max_len(253))
    if not _DNS1123_SUBDOMAIN_RE.match(value):
        errs.append(regex_error(_DNS1123_SUBDOMAIN_MSG, _DNS1123_SUBDOMAIN_FMT, "example.com"))
    return errs


def is_qualified_name(value: str) -> list[str]:
    """validation.IsQualifiedName: label keys and annotation keys."""
    errs: list[str] = []
    parts = value.split("/")
    if len(parts) == 1:
        name = parts[0]
    elif len(parts) == 2:
        prefix, name = parts
        if not prefix:
            errs.append("prefix part must be non-empty")
        else:
            errs.extend("prefix part " + m for m in is_dns1123_subdomain(prefix))
    else:
        return [f"a qualified name {regex_error(_QNAME_MSG, _QNAME_FMT, 'MyName', 'my.name', '123-abc')} with an "
                "optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"]
    if not name:
        errs.append("name part must be non-empty")
    elif len(name) > 63:
        errs.append("name part " + _max_len(63))
    if not _QNAME_RE.match(name):
        errs.append("name part " + regex_error(_QNAME_MSG, _QNAME_FMT, "MyName", "my.name", "123-abc"))
    return errs


def is_valid_label_value(value: str) -> list[str]:
    errs = []
    if len(value) > 63:
        errs.append(_max_len(63))
    if not _LABEL_VALUE_RE.match(value):
        errs.append(regex_error(_LABEL_VALUE_MSG, _LABEL_VALUE_FMT, "MyValue", "my_value", "12345"))
    return errs


# ---------------------------------------------------------------------------- requirements
OPERATORS_BINARY = ("in", "notin", "=", "==", "!=", "gt", "lt")


class Requirement:
    """One ``key op values`` term; matches like labels.Requirement.Matches."""

    __slots__ = ("key", "op", "values")

    def __init__(self, key: str, op: str, values: tuple[str, ...] = ()) -> None:
        self.key = key
        self.op = op            # "=", "==", "!=", "in", "notin", "exists", "!", "gt", "lt"
        self.values = values

    def matches(self, labels: Mapping[str, str]) -> bool:
        op = self.op
        if op in ("=", "==", "in"):
            return self.key in labels and labels[self.key] in self.values
        if op in ("!=", "notin"):
            return self.key not in labels or labels[self.key] not in self.values
        if op == "exists":
            return self.key in labels
        if op == "!":
            return self.key not in labels
        if op in ("gt", "lt"):
            try:
                have = int(labels[self.key])
                want = int(self.values[0])
            except (KeyError, ValueError, IndexError):
                return False
            return have > want if op == "gt" else have < want
        return False

    def __str__(self) -> str:
        if self.op == "!":
            return "!" + self.key
        if self.op == "exists":
            return self.key
        vals = ",".join(sorted(self.values))
        if self.op in ("in", "notin"):
            return f"{self.key} {self.op} ({vals})"
        sym = {"gt": ">", "lt": "<"}.get(self.op, self.op)
        return f"{self.key}{sym}{vals}"

    def __repr__(self) -> str:
        return f"Requirement({self!s})"


class Selector:
    """A conjunction of requirements; the empty selector matches everything."""

    __slots__ = ("requirements", "nothing")

    def __init__(self, requirements: list[Requirement] | None = None, *, nothing: bool = False) -> None:
        self.requirements = sorted(requirements or [], key=lambda r: r.key)
        self.nothing = nothing

    def matches(self, labels: Mapping[str, str] | None) -> bool:
        if self.nothing:
            return False
        labels = labels or {}
        return all(r.matches(labels) for r in self.requirements)

    def empty(self) -> bool:
        return not self.nothing and not self.requirements

    def exact(self) -> dict[str, str] | None:
        """The labels this selector requires as equalities, if it is a pure equality selector."""
        out = {}
        for r in self.requirements:
            if r.op in ("=", "==") or (r.op == "in" and len(r.values) == 1):
                out[r.key] = r.values[0]
            else:
                return None
        return out

    def __str__(self) -> str:
        return ",".join(str(r) for r in self.requirements)

    def __repr__(self) -> str:
        return f"Selector({self!s})"


EVERYTHING = Selector()
NOTHING = Selector(nothing=True)


# ---------------------------------------------------------------------------- the -l grammar
_SPECIAL = frozenset("=!(),><")
_WS = frozenset(" \t\r\n")
_TOKENS = {")": "CLOSE", ",": "COMMA", "!": "NOT", "==": "DEQ", "=": "EQ", ">": "GT", "in": "IN", "<": "LT",
           "!=": "NEQ", "notin": "NOTIN", "(": "OPEN"}


def _lex(text: str) -> list[tuple[str, str]]:
    items: list[tuple[str, str]] = []
    pos, n = 0, len(text)
    while True:
        while pos < n and text[pos] in _WS:
            pos += 1
        if pos >= n:
            items.append(("END", ""))
            return items
        if text[pos] in _SPECIAL:
            buf = ""
            last: tuple[str, str] | None = None
            while pos < n and text[pos] in _SPECIAL:
                buf += text[pos]
                if buf in _TOKENS:
                    last = (_TOKENS[buf], buf)
                    pos += 1
                elif last is not None:
                    break
                else:
                    pos += 1
            if last is None:
                items.append(("ERROR", f"error expected: keyword found '{buf}'"))
            else:
                items.append(last)
            continue
        start = pos
        while pos < n and text[pos] not in _SPECIAL and text[pos] not in _WS:
            pos += 1
        word = text[start:pos]
        items.append((_TOKENS.get(word, "ID") if word in ("in", "notin") else "ID", word))


class _SelectorSyntaxError(Exception):
    pass


class _Parser:
    def __init__(self, text: str) -> None:
        self.items = _lex(text)
        self.pos = 0

    def _get(self, values: bool, advance: bool) -> tuple[str, str]:
        tok, lit = self.items[self.pos]
        if advance:
            self.pos += 1
        if values and tok in ("IN", "NOTIN"):
            tok = "ID"
        return tok, lit

    def look(self, values: bool = True) -> tuple[str, str]:
        return self._get(values, False)

    def eat(self, values: bool = True) -> tuple[str, str]:
        return self._get(values, True)

    def parse(self) -> list[Requirement]:
        reqs: list[Requirement] = []
        while True:
            tok, lit = self.look()
            if tok in ("ID", "NOT"):
                try:
                    reqs.append(self.requirement())
                except _SelectorSyntaxError as exc:
                    raise _SelectorSyntaxError(f"unable to parse requirement: {exc}") from None
                t, lit2 = self.eat()
                if t == "END":
                    return reqs
                if t == "COMMA":
                    t2, l2 = self.look()
                    if t2 not in ("ID", "NOT"):
                        raise _SelectorSyntaxError(f"found '{l2}', expected: identifier after ','")
                else:
                    raise _SelectorSyntaxError(f"found '{lit2}', expected: ',' or 'end of string'")
            elif tok == "END":
                return reqs
            else:
                raise _SelectorSyntaxError(f"found '{lit}', expected: !, identifier, or 'end of string'")

    def requirement(self) -> Requirement:
        op = ""
        tok, key = self.eat()
        if tok == "NOT":
            op = "!"
            tok, key = self.eat()
        if tok != "ID":
            raise _SelectorSyntaxError(f"found '{key}', expected: identifier")
        errs = is_qualified_name(key)
        if errs:
            raise _SelectorSyntaxError(f"<nil>: Invalid value: {errors.format_value(key)}: {'; '.join(errs)}")
        if self.look()[0] in ("END", "COMMA"):
            return _new_requirement(key, op or "exists", ())
        if op == "!":
            op = ""
        tok, lit = self.eat(values=False)
        ops = {"IN": "in", "EQ": "=", "DEQ": "==", "GT": "gt", "LT": "lt", "NOTIN": "notin", "NEQ": "!="}
        if tok not in ops:
            raise _SelectorSyntaxError(f"found '{lit}', expected: {', '.join(OPERATORS_BINARY)}")
        op = ops[tok]
        values = self.set_values() if op in ("in", "notin") else self.exact_value()
        return _new_requirement(key, op, tuple(sorted(values)))

    def set_values(self) -> set[str]:
        tok, lit = self.eat()
        if tok != "OPEN":
            raise _SelectorSyntaxError(f"found '{lit}' expected: '('")
        tok, lit = self.look()
        if tok in ("ID", "COMMA"):
            s = self.identifiers()
            if self.eat()[0] != "CLOSE":
                raise _SelectorSyntaxError(f"found '{lit}', expected: ')'")
            return s
        if tok == "CLOSE":
            self.eat()
            return {""}
        raise _SelectorSyntaxError(f"found '{lit}', expected: ',', ')' or identifier")

    def identifiers(self) -> set[str]:
        s: set[str] = set()
        while True:
            tok, lit = self.eat()
            if tok == "ID":
                s.add(lit)
                t2, l2 = self.look()
                if t2 == "COMMA":
                    continue
                if t2 == "CLOSE":
                    return s
                raise _SelectorSyntaxError(f"found '{l2}', expected: ',' or ')'")
            if tok == "COMMA":
                if not s:
                    s.add("")
                t2, _ = self.look()
                if t2 == "CLOSE":
                    s.add("")
                    return s
                if t2 == "COMMA":
                    s.add("")
                continue
            raise _SelectorSyntaxError(f"found '{lit}', expected: ',', or identifier")

    def exact_value(self) -> set[str]:
        tok, _ = self.look()
        if tok in ("END", "COMMA"):
            return {""}
        tok, lit = self.eat()
        if tok == "ID":
            return {lit}
        raise _SelectorSyntaxError(f"found '{lit}', expected: identifier")


def _new_requirement(key: str, op: str, values: tuple[str, ...]) -> Requirement:
    """labels.NewRequirement's checks (values; the key was checked by the parser)."""
    errs: list[str] = []
    if op in ("in", "notin") and not values:
        errs.append("values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty")
    if op in ("gt", "lt"):
        for i, v in enumerate(values):
            try:
                int(v)
            except ValueError:
                errs.append(f"values[{i}]: Invalid value: {errors.format_value(v)}: for 'Gt', 'Lt' operators, the "
                            "value must be an integer")
    for i, v in enumerate(values):
        msgs = is_valid_label_value(v)
        if msgs:
            errs.append(f"values[{i}][{key}]: Invalid value: {errors.format_value(v)}: {'; '.join(msgs)}")
    if errs:
        raise _SelectorSyntaxError(errs[0] if len(errs) == 1 else "[" + ", ".join(errs) + "]")
    return Requirement(key, op, values)


@lru_cache(maxsize=512)
def _parse_cached(text: str) -> Selector:
    return Selector(_Parser(text).parse())


def parse_selector(text: str) -> Selector:
    """The ``-l`` / ``labelSelector`` syntax: ``a=b,c!=d,e in (f,g),!h,i``. Raises ApiError BadRequest."""
    try:
        return _parse_cached(text)
    except _SelectorSyntaxError as exc:
        raise errors.bad_request(str(exc)) from None


def selector_error(text: str) -> str | None:
    """The parse error message for ``text`` (None when it parses): handy for client-side checks."""
    try:
        _parse_cached(text)
    except _SelectorSyntaxError as exc:
        return str(exc)
    return None


def selector_from_map(labels: Mapping[str, str] | None) -> Selector:
    """labels.SelectorFromSet (a Service's spec.selector): empty/None matches everything."""
    if not labels:
        return EVERYTHING
    return Selector([Requirement(k, "=", (v,)) for k, v in labels.items()])


def from_label_selector(sel: Mapping[str, Any] | None) -> Selector:
    """metav1.LabelSelectorAsSelector: nil -> Nothing, {} -> Everything; matchLabels + matchExpressions."""
    if sel is None:
        return NOTHING
    reqs: list[Requirement] = []
    for k, v in (sel.get("matchLabels") or {}).items():
        reqs.append(Requirement(k, "=", (v,)))
    for expr in sel.get("matchExpressions") or []:
        op = expr.get("operator")
        vals = tuple(sorted(expr.get("values") or []))
        key = expr.get("key", "")
        if op == "In":
            reqs.append(Requirement(key, "in", vals))
        elif op == "NotIn":
            reqs.append(Requirement(key, "notin", vals))
        elif op == "Exists":
            reqs.append(Requirement(key, "exists"))
        elif op == "DoesNotExist":
            reqs.append(Requirement(key, "!"))
        else:
            raise errors.bad_request(f'"{op}" is not a valid label selector operator')
    if not reqs:
        return EVERYTHING
    return Selector(reqs)


def labels_to_string(labels: Mapping[str, str] | None) -> str:
    """labels.Set.String(): sorted ``k=v,k2=v2`` ('' when empty)."""
    if not labels:
        return ""
    return ",".join(f"{k}={labels[k]}" for k in sorted(labels))


def label_selector_to_string(sel: Mapping[str, Any] | None) -> str:
    """metav1.FormatLabelSelector: ``<none>`` for nil/empty, else the selector string."""
    if sel is None:
        return "<none>"
    s = str(from_label_selector(sel))
    return s if s else "<none>"


# ---------------------------------------------------------------------------- field selectors
_COMMON_FIELDS = ("metadata.name", "metadata.namespace")

#: Per-resource field label conversions (AddFieldLabelConversionFunc); None = DefaultMetaV1 conversion.
_FIELD_LABELS: dict[str, tuple[str, ...]] = {
    "pods": _COMMON_FIELDS + ("spec.nodeName", "spec.restartPolicy", "spec.schedulerName",
                              "spec.serviceAccountName", "spec.hostNetwork", "status.phase", "status.podIP",
                              "status.podIPs", "status.nominatedNodeName"),
    "nodes": ("metadata.name", "spec.unschedulable"),
    "namespaces": ("status.phase", "metadata.name"),
    "events": _COMMON_FIELDS + ("involvedObject.kind", "involvedObject.namespace", "involvedObject.name",
                                "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion",
                                "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type"),
    "services": _COMMON_FIELDS + ("spec.clusterIP", "spec.type"),
    "replicasets": _COMMON_FIELDS + ("status.replicas",),
}
_ALIASES = {("pods", "spec.host"): "spec.nodeName"}


class FieldRequirement:
    __slots__ = ("field", "op", "value")

    def __init__(self, field: str, op: str, value: str) -> None:
        self.field, self.op, self.value = field, op, value

    def matches(self, obj: dict) -> bool:
        have = field_value(obj, self.field)
        return (have == self.value) if self.op != "!=" else (have != self.value)

    def __str__(self) -> str:
        return f"{self.field}{'!=' if self.op == '!=' else '='}{self.value}"


class FieldSelector:
    __slots__ = ("requirements",)

    def __init__(self, requirements: list[FieldRequirement]) -> None:
        self.requirements = requirements

    def matches(self, obj: dict) -> bool:
        return all(r.matches(obj) for r in self.requirements)

    def empty(self) -> bool:
        return not self.requirements

    def __str__(self) -> str:
        return ",".join(str(r) for r in self.requirements)


def _get_path(obj: Any, path: str) -> Any:
    cur = obj
    for part in path.split("."):
        if not isinstance(cur, dict):
            return None
        cur = cur.get(part)
    return cur


def field_value(obj: dict, field: str) -> str:
    """The string the apiserver's ToSelectableFields gives a field (bools/ints as text, missing as '')."""
    if field == "source":
        return (obj.get("source") or {}).get("component", "")
    if field == "status.podIPs":
        field = "status.podIP"
    if field == "metadata.namespace":
        return (obj.get("metadata") or {}).get("namespace") or ""
    value = _get_path(obj, field)
    if field == "spec.hostNetwork":
        return "true" if value else "false"
    if field == "spec.unschedulable":
        return "true" if value else "false"
    if value is None:
        return "0" if field == "status.replicas" else ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _split_terms(text: str) -> list[str]:
    terms, cur, escaped = [], "", False
    for ch in text:
        if escaped:
            cur += ch
            escaped = False
        elif ch == "\\":
            cur += ch
            escaped = True
        elif ch == ",":
            terms.append(cur)
            cur = ""
        else:
            cur += ch
    terms.append(cur)
    return terms


def _split_term(term: str) -> tuple[str, str, str] | None:
    escaped = False
    for i, ch in enumerate(term):
        if escaped:
            escaped = False
            continue
        if ch == "\\":
            escaped = True
            continue
        for op in ("!=", "==", "="):
            if term.startswith(op, i):
                return term[:i], op, term[i + len(op):]
    return None


def _unescape(value: str) -> str:
    out, escaped = "", False
    for ch in value:
        if escaped:
            if ch not in "\\,=":
                raise errors.bad_request(f"invalid field selector: invalid escape sequence: \\{ch}")
            out += ch
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch in ",=":
            raise errors.bad_request(f"invalid field selector: unescaped character in value: {ch!r}")
        else:
            out += ch
    if escaped:
        raise errors.bad_request("invalid field selector: invalid escape sequence: \\")
    return out


def parse_field_selector(text: str, resource: str | None = None) -> FieldSelector:
    """fields.ParseSelector + the resource's field label conversion (errors as the apiserver words them)."""
    reqs: list[FieldRequirement] = []
    for part in sorted(_split_terms(text)):
        if not part:
            continue
        split = _split_term(part)
        if split is None:
            raise errors.bad_request(f"invalid selector: '{text}'; can't understand '{part}'")
        lhs, op, rhs = split
        value = _unescape(rhs)
        if resource is not None:
            lhs = _ALIASES.get((resource, lhs), lhs)
            allowed = _FIELD_LABELS.get(resource)
            if allowed is None:
                if lhs not in _COMMON_FIELDS:
                    raise errors.bad_request(f'"{lhs}" is not a known field selector: only "metadata.name", '
                                             '"metadata.namespace"')
            elif lhs not in allowed:
                raise errors.bad_request(f"field label not supported: {lhs}")
        reqs.append(FieldRequirement(lhs, op, value))
    return FieldSelector(reqs)
