"""API errors shaped like apimachinery's StatusError and field.Error, with their exact wording."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

# field.ErrorType strings (apimachinery pkg/util/validation/field/errors.go)
REQUIRED = "Required value"
INVALID = "Invalid value"
DUPLICATE = "Duplicate value"
NOT_SUPPORTED = "Unsupported value"
FORBIDDEN = "Forbidden"
NOT_FOUND = "Not found"
TOO_LONG = "Too long"
TOO_MANY = "Too many"
INTERNAL = "Internal error"

_OMIT = object()


def format_value(value: Any) -> str:
    """How field.Error prints a bad value: strings %q, numbers plain, maps/structs as JSON (v1.3x)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, int | float):
        return str(value)
    if value is None:
        return "null"
    return json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False)


class FieldError(BaseModel):
    """One validation failure at a field path (``spec.ports[0].port``)."""

    type: str
    field: str
    bad_value: Any = None
    has_value: bool = False
    detail: str = ""

    def body(self) -> str:
        """field.Error.ErrorBody(): the part after ``<field>: ``."""
        if self.type in (REQUIRED, FORBIDDEN, TOO_LONG, INTERNAL) or not self.has_value:
            text = self.type
        else:
            text = f"{self.type}: {format_value(self.bad_value)}"
        if self.detail:
            text += f": {self.detail}"
        return text

    def __str__(self) -> str:
        return f"{self.field}: {self.body()}"


def required(path: str, detail: str = "") -> FieldError:
    return FieldError(type=REQUIRED, field=path, detail=detail)


def invalid(path: str, value: Any, detail: str = "") -> FieldError:
    return FieldError(type=INVALID, field=path, bad_value=value, has_value=True, detail=detail)


def duplicate(path: str, value: Any) -> FieldError:
    return FieldError(type=DUPLICATE, field=path, bad_value=value, has_value=True)


def not_supported(path: str, value: Any, supported: list[str]) -> FieldError:
    detail = "supported values: " + ", ".join(json.dumps(s) for s in supported) if supported else ""
    return FieldError(type=NOT_SUPPORTED, field=path, bad_value=value, has_value=True, detail=detail)


def forbidden(path: str, detail: str) -> FieldError:
    return FieldError(type=FORBIDDEN, field=path, detail=detail)


def too_long(path: str, max_len: int) -> FieldError:
    return FieldError(type=TOO_LONG, field=path, detail=f"may not be more than {max_len} bytes")


class ApiError(Exception):
    """A metav1.Status failure the simulated apiserver returns.

    ``message`` is the raw server message; kubectl renders it via :func:`kubectl_text`.
    """

    def __init__(self, reason: str, message: str, code: int, *, kind: str = "", name: str = "",
                 group: str = "", causes: list[FieldError] | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.code = code
        self.kind = kind
        self.name = name
        self.group = group
        self.causes = list(causes or [])

    def with_source(self, verb: str, source: str) -> ApiError:
        """cmdutil.AddSourceToErr: ``error when creating "file.yaml": <message>``."""
        return ApiError(self.reason, f'error when {verb} "{source}": {self.message}', self.code,
                        kind=self.kind, name=self.name, group=self.group, causes=self.causes)

    def kubectl_text(self) -> str:
        """What kubectl's checkErr prints for this error (without the trailing newline)."""
        if self.reason == "Invalid":
            if not (self.kind or self.name):
                return f"The request is invalid: {self.message}"
            head = f'The {self.kind} "{self.name}" is invalid'
            if not self.causes:
                return head
            if len(self.causes) == 1:
                return f"{head}: {self.causes[0]}"
            return f"{head}: \n" + "\n".join(f"* {c}" for c in self.causes)
        if self.reason:
            return f"Error from server ({self.reason}): {self.message}"
        return f"Error from server: {self.message}"

    def status(self) -> dict[str, Any]:
        """The metav1.Status object (for ``-o json`` of errors and for tests)."""
        details: dict[str, Any] = {}
        if self.name:
            details["name"] = self.name
        if self.group:
            details["group"] = self.group
        if self.kind:
            details["kind"] = self.kind
        if self.causes:
            details["causes"] = [{"reason": _cause_reason(c.type), "message": c.body(), "field": c.field}
                                 for c in self.causes]
        out: dict[str, Any] = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                               "message": self.message, "reason": self.reason, "code": self.code}
        if details:
            out["details"] = details
        return out


def _cause_reason(error_type: str) -> str:
    return {
        REQUIRED: "FieldValueRequired", INVALID: "FieldValueInvalid", DUPLICATE: "FieldValueDuplicate",
        NOT_SUPPORTED: "FieldValueNotSupported", FORBIDDEN: "FieldValueForbidden", NOT_FOUND: "FieldValueNotFound",
        TOO_LONG: "FieldValueTooLong", TOO_MANY: "FieldValueTooMany", INTERNAL: "InternalError",
    }.get(error_type, "FieldValueInvalid")


def not_found(qualified_resource: str, name: str) -> ApiError:
    """``services "foo" not found`` (404)."""
    kind, _, group = qualified_resource.partition(".")
    return ApiError("NotFound", f'{qualified_resource} "{name}" not found', 404, kind=kind, name=name, group=group)


def already_exists(qualified_resource: str, name: str) -> ApiError:
    kind, _, group = qualified_resource.partition(".")
    return ApiError("AlreadyExists", f'{qualified_resource} "{name}" already exists', 409, kind=kind, name=name,
                    group=group)


def invalid_object(kind: str, group: str, name: str, causes: list[FieldError]) -> ApiError:
    """apierrors.NewInvalid: raw message uses the qualified kind; details.kind the bare kind."""
    qualified = f"{kind}.{group}" if group else kind
    agg = str(causes[0]) if len(causes) == 1 else "[" + ", ".join(str(c) for c in causes) + "]"
    return ApiError("Invalid", f'{qualified} "{name}" is invalid: {agg}', 422, kind=kind, name=name, group=group,
                    causes=causes)


def bad_request(message: str) -> ApiError:
    return ApiError("BadRequest", message, 400)


def conflict(qualified_resource: str, name: str, detail: str) -> ApiError:
    kind, _, group = qualified_resource.partition(".")
    return ApiError("Conflict", f'Operation cannot be fulfilled on {qualified_resource} "{name}": {detail}', 409,
                    kind=kind, name=name, group=group)


def forbidden_error(message: str) -> ApiError:
    return ApiError("Forbidden", message, 403)
