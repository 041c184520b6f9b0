"""Strict decoding of user-supplied objects, as the apiserver does with ``fieldValidation=Strict``.

The apiserver decodes JSON into Go structs with sigs.k8s.io/json (Go's encoding/json, case
sensitive) and then re-encodes them; we reproduce both halves over dicts:

* type mismatches give Go's ``json: cannot unmarshal <what> into Go struct field <Struct>.<path> of
  type <T>`` (the first one wins; decoding goes on, as Go's ``saveError`` does);
* unknown fields are collected in document order (kubectl sends JSON with sorted keys) and reported as
  ``strict decoding error: unknown field "spec.ports[0].nmae", ...``;
* the result is what re-encoding gives: ``omitempty`` zero values dropped, non-pointer structs
  present as ``{}``, fields without ``omitempty`` present as their zero value.

The schema comes from :mod:`sandbox.api.models`, compiled once per class into closures so a Pod
decodes in tens of microseconds.
"""

from __future__ import annotations

import copy
import functools
import json
import re
import threading
import types
import typing
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from sandbox.api.errors import ApiError, bad_request

_Dec = Callable[[Any, "_State", str, str, str], Any]


class _LazyModels:
    """sandbox.api.models, imported on first use: building ~150 pydantic classes costs ~0.1 s."""

    def __getattr__(self, name: str) -> Any:
        from sandbox.api import models as real

        globals()["models"] = real
        return getattr(real, name)


models: Any = _LazyModels()

_INT_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}


class _Fatal(Exception):
    """An error that stops Go's decoder at once (a custom UnmarshalJSON failing)."""


class _State:
    __slots__ = ("type_error", "unknown")

    def __init__(self) -> None:
        self.type_error: str | None = None
        self.unknown: list[str] = []

    def type_mismatch(self, what: str, go_type: str, struct: str, gopath: str) -> None:
        if self.type_error is None:
            self.type_error = _type_error_text(what, go_type, struct, gopath)


def _type_error_text(what: str, go_type: str, struct: str, gopath: str) -> str:
    if struct or gopath:
        return f"json: cannot unmarshal {what} into Go struct field {struct}.{gopath} of type {go_type}"
    return f"json: cannot unmarshal {what} into Go value of type {go_type}"


def _kind_of(value: Any) -> str:
    """The JSON kind word Go puts in UnmarshalTypeError.Value."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list | tuple):
        return "array"
    return "object"


def _number_literal(value: int | float) -> str:
    """How the number appears in the JSON kubectl sends (Go float64 formatting)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


# ---------------------------------------------------------------------------- resource.Quantity
class QuantityError(ValueError):
    """resource.ParseQuantity's errors (ErrFormatWrong, ErrSuffix, ErrNumeric)."""


ERR_FORMAT_WRONG = ("quantities must match the regular expression "
                    "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")
ERR_SUFFIX = "unable to parse quantity's suffix"
_QTY_RE = re.compile(r"([+-]?)([0-9]+\.?[0-9]*|\.[0-9]+)([eEinumkKMGTP]*[-+]?[0-9]*)")
_DEC_SUFFIX = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_BIN_SUFFIX = {"Ki": 1, "Mi": 2, "Gi": 3, "Ti": 4, "Pi": 5, "Ei": 6}
_DEC_NAME = {v: k for k, v in _DEC_SUFFIX.items()}
_BIN_NAME = {v: k for k, v in _BIN_SUFFIX.items()}
_NANO = Fraction(1, 10**9)


@functools.lru_cache(maxsize=4096)
def parse_quantity(text: str) -> tuple[Fraction, str]:
    """-> (value, format) with format ``BinarySI`` | ``DecimalSI`` | ``DecimalExponent``."""
    m = _QTY_RE.fullmatch(text)
    if not text or m is None:
        raise QuantityError(ERR_FORMAT_WRONG)
    sign, number, suffix = m.groups()
    value = Fraction(number)
    if suffix in _DEC_SUFFIX:
        value *= Fraction(10) ** _DEC_SUFFIX[suffix]
        fmt = "DecimalSI"
    elif suffix in _BIN_SUFFIX:
        value *= 1024 ** _BIN_SUFFIX[suffix]
        fmt = "BinarySI"
    elif suffix[:1] in ("e", "E") and re.fullmatch(r"[-+]?[0-9]+", suffix[1:]):
        value *= Fraction(10) ** int(suffix[1:])
        fmt = "DecimalExponent"
    else:
        raise QuantityError(ERR_SUFFIX)
    if sign == "-":
        value = -value
    scaled = value / _NANO
    if scaled.denominator != 1:                      # Quantity keeps nano precision, rounding up
        value = Fraction(-((-scaled.numerator) // scaled.denominator), 10**9)
    return value, fmt


def format_quantity(value: Fraction, fmt: str) -> str:
    """Quantity.String(): the canonical form (``0.5`` -> ``500m``, ``1024Mi`` -> ``1Gi``)."""
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    mag = abs(value)
    if fmt == "BinarySI" and (mag < 1024 or mag.denominator != 1):
        fmt = "DecimalSI"
    if fmt == "BinarySI":
        n, k = int(mag), 0
        while k < 6 and n % 1024 == 0:
            n //= 1024
            k += 1
        return f"{sign}{n}{_BIN_NAME.get(k, '')}"
    n, e = int(mag / _NANO), -9
    while n % 10 == 0:
        n //= 10
        e += 1
    while e % 3:
        n *= 10
        e -= 1
    if fmt == "DecimalExponent":
        return f"{sign}{n}" + (f"e{e}" if e else "")
    if e > 18:
        n *= 10 ** (e - 18)
        e = 18
    return f"{sign}{n}{_DEC_NAME[e]}"


@functools.lru_cache(maxsize=4096)
def canonical_quantity(text: str) -> str:
    """Quantity round trip (parse + String()); cached: the same few strings recur in every pod."""
    value, fmt = parse_quantity(text)
    return format_quantity(value, fmt)


# --------------------------------------------------------------------------------- scalar decoders
def _string_dec(go_type: str) -> _Dec:
    def dec(v: Any, st: _State, sp: str, gp: str, sn: str) -> Any:
        if v is None or isinstance(v, str):
            return v
        st.type_mismatch(_kind_of(v), go_type, sn, gp)
        return None

    return dec


def _bool_dec(v: Any, st: _State, sp: str, gp: str, sn: str) -> Any:
    if v is None or isinstance(v, bool):
        return v
    st.type_mismatch(_kind_of(v), "bool", sn, gp)
    return None


def _int_value(v: Any, bits: str) -> int | str:
    """The int Go would store, or the UnmarshalTypeError.Value text when it would refuse."""
    if isinstance(v, bool) or not isinstance(v, int | float):
        return _kind_of(v)
    lo, hi = _INT_RANGES[bits]
    if isinstance(v, float):
        if not v.is_integer():
            return "number " + _number_literal(v)
        v = int(v)
    if not lo <= v <= hi:
        return "number " + str(v)
    return v


def _int_dec(bits: str) -> _Dec:
    def dec(v: Any, st: _State, sp: str, gp: str, sn: str) -> Any:
        if v is None:
            return None
        got = _int_value(v, bits)
        if isinstance(got, str):
            st.type_mismatch(got, bits, sn, gp)
            return None
        return got

    return dec


def _float_dec(v: Any, st: _State, sp: str, gp: str, sn: str) -> Any:
    if v is None or (isinstance(v, int | float) and not isinstance(v, bool)):
        return v
    st.type_mismatch(_kind_of(v), "float64", sn, gp)
    return None


def _intstr_dec(v: Any, st: _State, sp: str, gp: str, sn: str) -> Any:
    """intstr.IntOrString.UnmarshalJSON: quoted -> string, else json.Unmarshal into int32 (fatal)."""
    if v is None or isinstance(v, str):
        return v
    got = _int_value(v, "int32")
    if isinstance(got, str):
        raise _Fatal(_type_error_text(got, "int32", sn, gp))
    return got


def _quantity_dec(v: Any, st: _State, sp: str, gp: str, sn: str) -> Any:
    """resource.Quantity.UnmarshalJSON: any literal is parsed; errors stop decoding."""
    if v is None:
        return None
    if isinstance(v, bool):
        text = "true" if v else "false"
    elif isinstance(v, int | float):
        text = _number_literal(v)
    elif isinstance(v, str):
        text = v.strip()
    else:
        text = json.dumps(v)
    try:
        return canonical_quantity(text)
    except QuantityError as exc:
        raise _Fatal(str(exc)) from None


def _time_dec(v: Any, st: _State, sp: str, gp: str, sn: str) -> Any:
    """metav1.Time: a string parsed with time.RFC3339 (errors stop decoding), re-encoded in UTC."""
    if v is None:
        return None
    if not isinstance(v, str):
        raise _Fatal(_type_error_text(_kind_of(v), "string", sn, gp))
    try:
        return parse_rfc3339(v)
    except ValueError as exc:
        raise _Fatal(str(exc)) from None


def _microtime_dec(v: Any, st: _State, sp: str, gp: str, sn: str) -> Any:
    if v is None or isinstance(v, str):
        return v
    raise _Fatal(_type_error_text(_kind_of(v), "string", sn, gp))


_RFC3339 = "2006-01-02T15:04:05Z07:00"
_TIME_STEPS = (("2006", 4, 0, 9999, ""), ("-", 0, 0, 0, ""), ("01", 2, 1, 12, "month"), ("-", 0, 0, 0, ""),
               ("02", 2, 1, 31, "day"), ("T", 0, 0, 0, ""), ("15", 2, 0, 23, "hour"), (":", 0, 0, 0, ""),
               ("04", 2, 0, 59, "minute"), (":", 0, 0, 0, ""), ("05", 2, 0, 59, "second"))
_TZ = re.compile(r"([+-])([0-9]{2}):([0-9]{2})")


@functools.lru_cache(maxsize=8192)
def parse_rfc3339(value: str) -> str:
    """time.Parse(time.RFC3339, value) and Format in UTC; ValueError carries Go's ParseError text."""
    import calendar
    import datetime as dt

    def fail(rest: str, elem: str, message: str = "") -> ValueError:
        if message:
            return ValueError(f"parsing time {json.dumps(value)}{message}")
        return ValueError(f"parsing time {json.dumps(value)} as {json.dumps(_RFC3339)}: cannot parse "
                          f"{json.dumps(rest)} as {json.dumps(elem)}")

    rest = value
    got: dict[str, int] = {}
    for elem, width, lo, hi, name in _TIME_STEPS:
        if width == 0:
            if not rest.startswith(elem):
                raise fail(rest, elem)
            rest = rest[len(elem):]
            continue
        digits = rest[:width]
        if len(digits) < width or not digits.isdigit():
            raise fail(rest, elem)
        number = int(digits)
        if name and name != "day" and not lo <= number <= hi:
            raise fail(rest, elem, f": {name} out of range")
        got[elem] = number
        rest = rest[width:]
        if elem == "05" and rest.startswith(".") and rest[1:2].isdigit():
            rest = rest[1:].lstrip("0123456789")          # fractional seconds: accepted, dropped by RFC3339
    offset = 0
    if rest.startswith("Z"):
        rest = rest[1:]
    else:
        m = _TZ.match(rest)
        if m is None:
            raise fail(rest, "Z07:00")
        offset = (int(m.group(2)) * 60 + int(m.group(3))) * (-1 if m.group(1) == "-" else 1)
        rest = rest[m.end():]
    if rest:
        raise fail(rest, "", f": extra text: {json.dumps(rest)}")
    year, month, day = got["2006"], got["01"], got["02"]
    if not 1 <= day <= calendar.monthrange(year or 1, month)[1]:
        raise fail(rest, "", ": day out of range")
    moment = dt.datetime(max(year, 1), month, day, got["15"], got["04"], got["05"],
                         tzinfo=dt.timezone(dt.timedelta(minutes=offset)))
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


_B64 = re.compile(r"[A-Za-z0-9+/]")


def _bytes_dec(v: Any, st: _State, sp: str, gp: str, sn: str) -> Any:
    """[]byte: a base64 string (encoding/json reports base64.CorruptInputError without context)."""
    if v is None:
        return None
    if not isinstance(v, str):
        st.type_mismatch(_kind_of(v), "[]uint8", sn, gp)
        return None
    body = v.rstrip("=")
    bad = next((i for i, ch in enumerate(body) if not _B64.match(ch)), None)
    if bad is None and (len(v) % 4 or len(v) - len(body) > 2):
        bad = len(v) - len(v) % 4 if len(v) % 4 else len(body)
    if bad is not None and st.type_error is None:
        st.type_error = f"illegal base64 data at input byte {bad}"
    return v


def _any_dec(v: Any, st: _State, sp: str, gp: str, sn: str) -> Any:
    return copy.deepcopy(v) if isinstance(v, dict | list) else v


# ------------------------------------------------------------------------------ compiled schema
class _Field:
    __slots__ = ("name", "dec", "mode", "zero", "struct_zero")

    def __init__(self, name: str, dec: _Dec, mode: str, zero: Any, struct_zero: Callable[[], dict] | None):
        self.name = name
        self.dec = dec
        self.mode = mode          # omitempty | ptr | always | struct | omitzero
        self.zero = zero
        self.struct_zero = struct_zero


_COMPILED: dict[type, tuple[dict[str, _Field], list[_Field], str]] = {}
_READY: dict[type, tuple[dict[str, _Field], list[_Field], str]] = {}
_COMPILE_LOCK = threading.RLock()
#: per struct: field name -> declaration rank, and the fields emitted even when absent
_RANK: dict[type, dict[str, int]] = {}
_MANDATORY: dict[type, list[_Field]] = {}


def _unwrap(tp: Any) -> tuple[Any, list[Any]]:
    """Strip Optional and Annotated layers, collecting the Annotated metadata."""
    meta: list[Any] = []
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            meta.extend(tp.__metadata__)
            tp = tp.__origin__
            continue
        if origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(args) == 1:
                tp = args[0]
                continue
        return tp, meta


def _go_name(meta: list[Any]) -> str | None:
    for m in meta:
        if isinstance(m, models.Go):
            return m.name
    return None


def _struct_go_name(cls: type) -> str:
    return cls.go_name or cls.__name__


def _compile_type(tp: Any) -> tuple[_Dec, str, Any, str]:
    """-> (decoder, Go type name, zero value, category) for one field type."""
    tp, meta = _unwrap(tp)
    go = _go_name(meta)
    origin = typing.get_origin(tp)
    if isinstance(tp, type) and issubclass(tp, models.K8s):
        return _struct_dec(tp), "v1." + _struct_go_name(tp), None, "struct"
    if origin is list:
        (elem,) = typing.get_args(tp)
        edec, ego, _, _ = _compile_type(elem)
        gname = go or "[]" + ego
        return _list_dec(edec, gname, _zero_of(elem)), gname, None, "list"
    if origin is dict:
        _, val = typing.get_args(tp)
        vdec, vgo, _, _ = _compile_type(val)
        gname = go or "map[string]" + vgo
        return _map_dec(vdec, gname, _zero_of(val)), gname, None, "map"
    if go == "intstr.IntOrString":
        return _intstr_dec, go, 0, "intstr"
    if go == "resource.Quantity":
        return _quantity_dec, go, None, "quantity"
    if go == "v1.Time":
        return _time_dec, go, None, "time"
    if go == "v1.MicroTime":
        return _microtime_dec, go, None, "time"
    if go == "any":
        return _any_dec, "interface {}", None, "any"
    if go == "[]uint8":
        return _bytes_dec, go, None, "bytes"
    if go in ("int32", "int64"):
        return _int_dec(go), go, 0, "int"
    if go == "float64":
        return _float_dec, go, 0, "float"
    if tp is bool:
        return _bool_dec, "bool", False, "bool"
    if tp is str:
        gname = go or "string"
        return _string_dec(gname), gname, "", "str"
    if tp is int:
        return _int_dec("int64"), "int64", 0, "int"
    return _any_dec, "interface {}", None, "any"


def _zero_of(tp: Any) -> Callable[[], Any]:
    """What a JSON ``null`` list element or map value becomes: Go stores the element's zero value."""
    inner, _ = _unwrap(tp)
    if isinstance(inner, type) and issubclass(inner, models.K8s):
        return _zero_factory(inner)
    _, _, zero, category = _compile_type(tp)
    if category == "quantity":
        zero = "0"
    return lambda: zero


def _compile_struct(cls: type) -> tuple[dict[str, _Field], list[_Field], str]:
    """The compiled schema of one model class (built once, under a lock: the TUI decodes from threads)."""
    got = _READY.get(cls)
    if got is not None:
        return got
    with _COMPILE_LOCK:
        got = _READY.get(cls) or _COMPILED.get(cls)     # _COMPILED: this thread's partial entry (recursion)
        if got is not None:
            return got
        entry = _build_struct(cls)
        _READY[cls] = entry
        return entry


def _build_struct(cls: type) -> tuple[dict[str, _Field], list[_Field], str]:
    by_name: dict[str, _Field] = {}
    ordered: list[_Field] = []
    entry = (by_name, ordered, _struct_go_name(cls))
    _COMPILED[cls] = entry          # before recursing: the schema is recursive in places
    for name, info in cls.model_fields.items():
        dec, _, zero, category = _compile_type(info.annotation)
        modes = [m.mode for m in info.metadata if isinstance(m, models.Emit)]
        mode = modes[0] if modes else ("struct" if category == "struct" else "omitempty")
        if category == "struct" and not modes and info.default_factory is None:
            mode = "ptr"            # ``X | None = None``: a pointer to a struct
        struct_zero = None
        if mode in ("struct", "always") and category == "struct":
            sub = typing.get_args(info.annotation) or (info.annotation,)
            sub_cls = next(a for a in sub if isinstance(a, type) and issubclass(a, models.K8s))
            struct_zero = _zero_factory(sub_cls)
            mode = "struct"
        field = _Field(name, dec, mode, zero, struct_zero)
        by_name[name] = field
        ordered.append(field)
    _RANK[cls] = {f.name: i for i, f in enumerate(ordered)}
    _MANDATORY[cls] = [f for f in ordered if f.mode in ("struct", "always")]
    return entry


def _zero_factory(cls: type) -> Callable[[], dict]:
    cache: list[dict] = []

    def make() -> dict:
        if not cache:
            cache.append(_encode_struct(cls, {}, _State(), "", "", ""))
        return copy.deepcopy(cache[0]) if cache[0] else {}

    return make


def _empty(v: Any) -> bool:
    """Go's isEmptyValue for what omitempty drops."""
    if v is None or v is False or v == "":
        return True
    if isinstance(v, int | float) and not isinstance(v, bool):
        return v == 0
    if isinstance(v, list | dict):
        return not v
    return False


def _encode_struct(cls: type, value: dict, st: _State, sp: str, gp: str, sn: str) -> dict:
    by_name, ordered, go_name = _compile_struct(cls)
    decoded: dict[str, Any] = {}
    prefix_sp = sp + "." if sp else ""
    prefix_gp = gp + "." if gp else ""
    for key in sorted(value):
        field = by_name.get(key)
        if field is None:
            st.unknown.append(prefix_sp + key)
            continue
        decoded[key] = field.dec(value[key], st, prefix_sp + key, prefix_gp + key, go_name)
    out: dict[str, Any] = {}
    wanted = set(decoded)
    wanted.update(f.name for f in _MANDATORY[cls])
    for field in [by_name[n] for n in sorted(wanted, key=_RANK[cls].__getitem__)]:
        name = field.name
        mode = field.mode
        v = decoded.get(name)
        if mode == "omitempty":
            if not _empty(v):
                out[name] = v
        elif mode == "ptr" or mode == "omitzero":
            if v is not None:
                out[name] = v
        elif mode == "struct":
            out[name] = v if v is not None else field.struct_zero()
        else:  # always
            out[name] = v if v is not None else field.zero
    return out


def _struct_dec(cls: type) -> _Dec:
    def dec(v: Any, st: _State, sp: str, gp: str, sn: str) -> Any:
        if v is None:
            return None
        if not isinstance(v, dict):
            st.type_mismatch(_kind_of(v), "v1." + _struct_go_name(cls), sn, gp)
            return None
        return _encode_struct(cls, v, st, sp, gp, sn)

    return dec


def _list_dec(edec: _Dec, go_type: str, zero: Callable[[], Any]) -> _Dec:
    def dec(v: Any, st: _State, sp: str, gp: str, sn: str) -> Any:
        if v is None:
            return None
        if not isinstance(v, list | tuple):
            st.type_mismatch(_kind_of(v), go_type, sn, gp)
            return None
        out = [edec(item, st, f"{sp}[{i}]", gp, sn) for i, item in enumerate(v)]
        return [zero() if item is None else item for item in out]

    return dec


def _json_key(key: Any) -> str:
    """A YAML map key as YAMLToJSON writes it (JSON object keys are strings)."""
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, float):
        return _number_literal(key)
    return str(key)


def _map_dec(vdec: _Dec, go_type: str, zero: Callable[[], Any]) -> _Dec:
    def dec(v: Any, st: _State, sp: str, gp: str, sn: str) -> Any:
        if v is None:
            return None
        if not isinstance(v, dict):
            st.type_mismatch(_kind_of(v), go_type, sn, gp)
            return None
        keys = {_json_key(k): k for k in v}
        out = {k: vdec(v[keys[k]], st, f"{sp}[{k}]", gp, sn) for k in sorted(keys)}
        return {k: zero() if item is None else item for k, item in out.items()}

    return dec


# ------------------------------------------------------------------------------------ public API
def model_for(api_version: str, kind: str) -> type[models.TopLevel] | None:
    return models.KINDS.get((api_version, kind))


def decode(obj: dict) -> dict:
    """Strictly decode a wire-form object; return the normalised dict (a new object).

    Raises ApiError BadRequest with the apiserver's text for type errors and unknown fields, and for
    a kind the server does not serve.
    """
    out, kind, version, problem = _decode(obj)
    if problem is not None:
        raise _cannot_handle(kind, version, problem)
    return out


def decode_patched(obj: dict, patch: Any, patch_type: str = "strategic") -> dict:
    """decode() for the result of a PATCH (kubectl apply on an existing object, kubectl patch).

    The patch handler reports decoding problems as an Invalid ``patch`` field, its value being the
    patch map printed with Go's ``%+v`` (strategic merge) or the patched object's JSON (merge/json):
    ``The request is invalid: patch: Invalid value: "map[spec:map[port:80]]": strict decoding error:
    unknown field "spec.port"``.
    """
    out, _kind, _version, problem = _decode(obj)
    if problem is None:
        return out
    from sandbox.api.errors import invalid

    value = go_sprint_v(patch) if patch_type == "strategic" else _compact_ordered(obj)
    cause = invalid("patch", value, problem)
    return _raise_patch_error(cause)


def _raise_patch_error(cause: Any) -> dict:
    """errors.NewInvalid(schema.GroupKind{}, "", ...): no kind and no name, so kubectl prints the
    cause after ``The request is invalid: `` (Go's raw message would read ``"" is invalid: <cause>``)."""
    raise ApiError("Invalid", str(cause), 422, causes=[cause])


def go_sprint_v(value: Any) -> str:
    """fmt.Sprintf("%+v", v) of a decoded JSON value (map[string]interface{} and friends)."""
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{go_sprint_v(value[k])}" for k in sorted(value, key=str)) + "]"
    if isinstance(value, list | tuple):
        return "[" + " ".join(go_sprint_v(v) for v in value) + "]"
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e21:
            return str(int(value))
        text = repr(value)
        return text.replace("e+", "e+0") if "e+" in text and len(text.split("e+")[1]) == 1 else text
    return str(value)


def _compact_ordered(obj: Any) -> str:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def _decode(obj: Any) -> tuple[dict, str, str, str | None]:
    """-> (normalised object, kind, version, problem text or None); raises for unservable objects."""
    if not isinstance(obj, dict):
        raise bad_request("the object provided is unrecognized")
    api_version = obj.get("apiVersion")
    kind = obj.get("kind")
    if not isinstance(kind, str) or not kind:
        raise bad_request(f"Object 'Kind' is missing in '{_compact(obj)}'")
    if not isinstance(api_version, str) or not api_version:
        raise bad_request(f"Object 'apiVersion' is missing in '{_compact(obj)}'")
    cls = models.KINDS.get((api_version, kind))
    if cls is None:
        raise bad_request(f"no kind \"{kind}\" is registered for version \"{api_version}\" in scheme "
                          "\"pkg/api/legacyscheme/scheme.go:30\"")
    version = api_version.rpartition("/")[2]
    st = _State()
    try:
        out = _encode_struct(cls, obj, st, "", "", "")
    except _Fatal as exc:
        return {}, kind, version, str(exc)
    if st.type_error is not None:
        return out, kind, version, st.type_error
    if st.unknown:
        joined = ", ".join(f'unknown field "{p}"' for p in st.unknown)
        return out, kind, version, f"strict decoding error: {joined}"
    return out, kind, version, None


def _cannot_handle(kind: str, version: str, detail: str) -> ApiError:
    """rest.go transformDecodeError."""
    return bad_request(f'{kind} in version "{version}" cannot be handled as a {kind}: {detail}')


def _compact(obj: Any) -> str:
    return json.dumps(obj, separators=(",", ":"), sort_keys=True, ensure_ascii=False)


# --------------------------------------------------------------------------- kubectl-side texts
def mapping_error_text(name: str, namespace: str, source: str, kind: str, api_version: str) -> str:
    """kubectl's resource-builder error for a kind/version discovery does not know (no ``error: ``)."""
    return (f'resource mapping not found for name: "{name}" namespace: "{namespace}" from "{source}": '
            f'no matches for kind "{kind}" in version "{api_version}"\nensure CRDs are installed first')


def missing_type_text(source: str, obj: dict) -> str | None:
    """kubectl --validate's check for apiVersion/kind (no ``error: ``); None when both are set."""
    missing = [f"{key} not set" for key in ("apiVersion", "kind") if not obj.get(key)]
    if not missing:
        return None
    what = missing[0] if len(missing) == 1 else "[" + ", ".join(missing) + "]"
    return (f'error validating "{source}": error validating data: {what}; if you choose to ignore these '
            "errors, turn validation off with --validate=false")


def kind_missing_decode_text(source: str, obj: dict) -> str:
    """With --validate=false: ``unable to decode "f.yaml": Object 'Kind' is missing in '{...}'``."""
    return f"unable to decode \"{source}\": Object 'Kind' is missing in '{_compact(obj)}'"
