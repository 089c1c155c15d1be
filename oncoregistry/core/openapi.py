"""Schema post-processing: the OpenAPI document states every answer the API can give.

drf-spectacular documents the successful response of each operation. Clients (and the
schemathesis run in tests/security/test_fuzz.py) also meet the errors, so this hook adds:

* 400 with the validation errors, where an operation takes parameters or a body;
* 401 (an invalid or revoked token) and 429 (throttled) everywhere;
* 403 (no permission) on writes; 404 where the path names a record or a page is asked for;
* the slug pattern on path parameters named ``slug``;
* ``lang`` on every read: the language of the localized names (core/i18n.py);
* no authentication on reads (an empty security requirement): anyone may read the
  registry, as the permission matrix in tests/security/test_permissions.py asserts;
* ``minimum: 1`` on ``page`` and ``page_size``, which the pagination enforces;
* 202 with the proposed change on updates (a published record's change waits for a
  reviewer) and 412 when ``If-Match`` names an older version;
* ``as_of`` on the details of the lists that take it;
* links from a created record (and from a list's first record) to the operations on it,
  so a client, or schemathesis' stateful phase, can follow them.
"""

ERROR_COMPONENT = "Error"
ERROR_SCHEMA = {
    "type": "object",
    "description": "Why the request failed: ``detail`` for the request as a whole, or "
    "one list of messages per field that was wrong.",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": True,
}
# What a SlugField accepts; a path outside it is not an API address at all.
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
SAFE_METHODS = {"get", "head", "options"}
PAGE_PARAMETERS = {"page", "page_size"}
METHODS = SAFE_METHODS | {"post", "put", "patch", "delete"}

PROPOSAL_COMPONENT = "ProposedChange"
PROPOSAL_SCHEMA = {
    "type": "object",
    "description": "A change to a published record, held until a reviewer approves it; "
    "the record is unchanged meanwhile.",
    "properties": {
        "id": {"type": "integer"},
        "state": {"type": "string", "enum": ["pending", "approved", "rejected"]},
        "changes": {
            "type": "object",
            "description": "Field → proposed value (related records by id).",
            "additionalProperties": True,
        },
        "citations": {"type": "array", "items": {"type": "object", "additionalProperties": True}},
        "reason": {"type": "string"},
        "base_version": {"type": "string"},
        "proposed_by": {"type": "string", "nullable": True},
        "proposed_at": {"type": "string", "format": "date-time", "nullable": True},
        "review_comment": {"type": "string"},
    },
    "required": ["id", "state", "changes", "reason"],
}


LANGUAGE_PARAMETER = {
    "name": "lang",
    "in": "query",
    "required": False,
    "description": "Language of the localized names (``name`` of related records, labels): "
    "en, ru or kk. Without it, Accept-Language decides; Content-Language says which.",
    "schema": {"type": "string", "enum": ["en", "ru", "kk"]},
}


def _error(description):
    return {
        "description": description,
        "content": {
            "application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}}
        },
    }


def _proposal():
    return {
        "description": "The record is published: the change is held for a reviewer.",
        "content": {
            "application/json": {"schema": {"$ref": f"#/components/schemas/{PROPOSAL_COMPONENT}"}}
        },
    }


def document_error_responses(result, generator, request, public):
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas[ERROR_COMPONENT] = ERROR_SCHEMA
    schemas[PROPOSAL_COMPONENT] = PROPOSAL_SCHEMA
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            responses = operation.setdefault("responses", {})
            parameters = operation.get("parameters", [])
            documented = any(p.get("name") == "lang" for p in parameters)
            if method in SAFE_METHODS and path.startswith("/api/v1/") and not documented:
                parameters = operation["parameters"] = [*parameters, LANGUAGE_PARAMETER]
            for parameter in parameters:
                if parameter.get("in") == "path" and parameter.get("name") == "slug":
                    parameter.setdefault("schema", {}).setdefault("pattern", SLUG_PATTERN)
            for parameter in parameters:
                if parameter.get("in") == "query" and parameter.get("name") in PAGE_PARAMETERS:
                    parameter.setdefault("schema", {}).setdefault("minimum", 1)
            # Any operation answers 400 for a query parameter it does not take.
            responses.setdefault("400", _error("The request is invalid; see the messages."))
            responses.setdefault("401", _error("The token is invalid or has been revoked."))
            if any(p.get("in") == "path" for p in parameters):
                responses.setdefault("404", _error("No record has this identifier."))
            elif any(p.get("in") == "query" and p.get("name") == "page" for p in parameters):
                responses.setdefault("404", _error("There is no page with this number."))
            if method in SAFE_METHODS and path.startswith("/api/v1/"):
                operation["security"] = [{}]
            else:
                responses.setdefault("403", _error("Your account may not make this change."))
            responses.setdefault("429", _error("Too many requests; try again shortly."))
            if method in {"put", "patch"} and path.startswith("/api/v1/"):
                responses.setdefault("202", _proposal())
                responses.setdefault("412", _error("The record changed after you read it."))
    _add_links(result.get("paths", {}))
    _as_of_on_details(result.get("paths", {}))
    return result


def _as_of_on_details(paths):
    """A record's detail takes ``as_of`` where its list does (drf-spectacular documents a
    filter backend's parameters on lists only)."""
    for path, item in paths.items():
        if not path.endswith("/{slug}/") or "get" not in item:
            continue
        listed = paths.get(path.removesuffix("{slug}/"), {}).get("get", {})
        as_of = next((p for p in listed.get("parameters", []) if p.get("name") == "as_of"), None)
        if as_of is None:
            continue
        description = (
            "YYYY-MM-DD, today or before: the record as it stood at the end of that day "
            "(its own fields; the records it lists and its citations are today's)."
        )
        item["get"].setdefault("parameters", []).append({**as_of, "description": description})


def _add_links(paths):
    """A record created by ``POST /x/`` (or the first of ``GET /x/``) is read, replaced and
    updated at ``/x/{slug}/`` (``{pk}`` for citations), by the value in the answer's body."""
    for path, item in paths.items():
        detail = next(
            (
                p
                for p in paths
                if p.startswith(path)
                and p[len(path) :].count("/") == 1
                and p[len(path) :].startswith("{")
            ),
            None,
        )
        if detail is None:
            continue
        key = detail[len(path) + 1 : -2]  # "{slug}/" -> slug
        targets = {
            method: operation["operationId"]
            for method, operation in paths[detail].items()
            if method in METHODS and "operationId" in operation
        }
        sources = [("post", "201", f"$response.body#/{key}"), ("get", "200", None)]
        for method, status, value in sources:
            response = item.get(method, {}).get("responses", {}).get(status)
            if response is None:
                continue
            if value is None:
                targets_here = {m: o for m, o in targets.items() if m == "get"}
                value = f"$response.body#/results/0/{key}"
            else:
                targets_here = targets
            response.setdefault("links", {}).update(
                {
                    f"{target}": {"operationId": target, "parameters": {key: value}}
                    for target in targets_here.values()
                }
            )
