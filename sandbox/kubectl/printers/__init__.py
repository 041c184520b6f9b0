"""kubectl's output printers: tables, yaml/json/name, jsonpath, go-template, custom-columns.

Every function takes JSON wire-form dicts (CONTRACTS.md §1) and returns the exact text kubectl
would write to stdout; errors are raised as :class:`PrintError` carrying kubectl's message.
"""

from __future__ import annotations

from .yamljson import as_list, go_json, names, omit_managed_fields, to_json, to_name, to_yaml

__all__ = ["as_list", "go_json", "names", "omit_managed_fields", "to_json", "to_name", "to_yaml"]
