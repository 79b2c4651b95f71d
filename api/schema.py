"""The schema documents every answer the API can give, errors included, so that a client
(and the contract test) can rely on it."""

from __future__ import annotations

DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
# DRF's validation errors: a list of messages per field ("non_field_errors" for the whole).
VALIDATION = {
    "type": "object",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}
ERRORS = {
    "400": ("The input (query string or body) is not valid.", "ValidationError"),
    "401": ("No credentials, or a token that is unknown, revoked or expired.", "Error"),
    "403": ("Not allowed: the user's role, or a read-only token writing.", "Error"),
    "404": ("No such object, or one the user may not see.", "Error"),
    "409": ("The item's state does not allow it: closed, or changed since.", "Error"),
    "429": ("Too many requests: wait for the time in the Retry-After header.", "Error"),
}
WRITES_ONLY = {"409"}
WITH_INPUT = {"400"}


def document_error_responses(result, generator, request, public):
    """drf-spectacular post-processing hook: add the error answers to every operation, and
    say what ids and slugs in paths look like."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = DETAIL
    components["ValidationError"] = VALIDATION
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            for parameter in operation.get("parameters", []):
                if parameter["in"] != "path":
                    continue
                if parameter["schema"].get("type") == "integer":
                    parameter["schema"].update(minimum=1, maximum=2**63 - 1)
                elif parameter["name"] == "slug":
                    parameter["schema"].update(pattern=r"^[-a-zA-Z0-9_]+$")
            responses = operation.setdefault("responses", {})
            for code, (description, component) in ERRORS.items():
                if code in WRITES_ONLY and method == "get":
                    continue
                if code in WITH_INPUT and method == "get" and not operation.get("parameters"):
                    continue
                responses.setdefault(
                    code,
                    {
                        "description": description,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": f"#/components/schemas/{component}"}
                            }
                        },
                    },
                )
    return result
