"""Operations in OpenAPI 3.1 spelling, facts only.

Swagger 2.0 is converted here: `in: body` and `in: formData` parameters become a requestBody with
the operation's media types, response `schema` becomes `content`, header definitions get a `schema`.
Parameters, request bodies, responses and headers that are `$ref`s are inlined: they are small, and
an operation that lists its own parameters is what every later stage wants.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import UserError
from ..load import RefResolver
from .schemas import SchemaConverter, extension_facts

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace", "query")  # query: OpenAPI 3.2
# Swagger 2.0 parameter keywords that describe the value itself (they become the parameter's schema).
_SWAGGER_PARAM_SCHEMA_KEYS = (
    "type", "format", "items", "enum", "default", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
    "minLength", "maxLength", "pattern", "minItems", "maxItems", "uniqueItems", "multipleOf", "x-nullable",
)


class OperationConverter:
    def __init__(self, document: dict, fmt: str, file: Path, resolver: RefResolver, schemas: SchemaConverter):
        self.document = document
        self.swagger2 = fmt == "swagger-2.0"
        self.file = file
        self.resolver = resolver
        self.schemas = schemas

    # -- paths -------------------------------------------------------------------------------------

    def convert_paths(self, source: str) -> dict:
        paths: dict[str, dict] = {}
        for path, item in (self.document.get("paths") or {}).items():
            if not isinstance(item, dict):
                raise UserError(f"{self.file}: path item '{path}' is not a mapping")
            item, item_file = self.resolver.resolve_chain(item, self.file)
            shared = item.get("parameters") or []
            operations = {}
            for method, operation in self._methods(item, path):
                if isinstance(operation, dict):
                    operations[method] = self.convert_operation(operation, shared, item_file, source,
                                                                f"{method.upper()} {path}")
            if operations:
                paths[path] = operations
        return paths

    def _methods(self, item: dict, path: str) -> list[tuple[str, Any]]:
        """(method, operation) of a path item. Method names are lower-case in OpenAPI; an upper-case
        one is read as its lower-case twin (with a warning) rather than silently dropped."""
        from ..load.files import warn

        found = [(m, item[m]) for m in HTTP_METHODS if m in item]
        for key in item:
            lower = key.lower() if isinstance(key, str) else ""
            if lower in HTTP_METHODS and key != lower:
                if lower in item:
                    warn(f"{self.file}: {path}: method '{key}' ignored: '{lower}' is defined too")
                else:
                    warn(f"{self.file}: {path}: method '{key}' is not lower-case as OpenAPI requires; "
                         f"read as '{lower}'")
                    found.append((lower, item[key]))
        return found

    def convert_operation(self, op: dict, shared: list, file: Path, source: str, where: str) -> dict:
        out: dict[str, Any] = {"x-aoai-document": source}
        if isinstance(op.get("operationId"), str):
            out["operationId"] = op["operationId"]
        if op.get("deprecated") is True:
            out["deprecated"] = True
        tags = [t for t in op.get("tags") or [] if isinstance(t, str)]
        if tags:
            out["tags"] = sorted(set(tags))
        out.update(extension_facts(op))

        # Operation-level parameters override path-level ones with the same (name, in).
        merged: dict[tuple[str, str], tuple[dict, Path]] = {}
        for raw in list(shared) + list(op.get("parameters") or []):
            param, pfile = self.resolver.resolve_chain(raw, file)
            if not isinstance(param, dict) or "name" not in param or "in" not in param:
                raise UserError(f"{self.file}: {where}: a parameter without 'name' and 'in'")
            merged[(param["in"], str(param["name"]))] = (param, pfile)

        parameters = []
        body_params, form_params = [], []
        for (location, _name), (param, pfile) in merged.items():
            if self.swagger2 and location == "body":
                body_params.append((param, pfile))
            elif self.swagger2 and location == "formData":
                form_params.append((param, pfile))
            else:
                parameters.append(self._parameter(param, pfile))
        if parameters:
            out["parameters"] = sorted(parameters, key=lambda p: (p["in"], p["name"]))

        if self.swagger2:
            body = self._swagger_body(op, body_params, form_params)
        else:
            body = self._request_body(op.get("requestBody"), file)
        if body:
            out["requestBody"] = body

        responses = {}
        for status, response in (op.get("responses") or {}).items():
            responses[str(status)] = self._response(response, file, op)
        out["responses"] = responses
        return out

    # -- parameters --------------------------------------------------------------------------------

    def _parameter(self, param: dict, file: Path) -> dict:
        out: dict[str, Any] = {"name": str(param["name"]), "in": param["in"]}
        if param.get("required") is True or param["in"] == "path":
            out["required"] = True
        if param.get("deprecated") is True:
            out["deprecated"] = True
        for key in ("style", "explode", "allowEmptyValue"):
            if key in param:
                out[key] = param[key]
        out.update(extension_facts(param))
        if self.swagger2:
            out["schema"] = self.schemas.convert({k: param[k] for k in _SWAGGER_PARAM_SCHEMA_KEYS if k in param}, file)
        elif "schema" in param:
            out["schema"] = self.schemas.convert(param["schema"], file)
        elif isinstance(param.get("content"), dict):
            out["content"] = self._content(param["content"], file)
        return out

    # -- request bodies ----------------------------------------------------------------------------

    def _media_types(self, op: dict, key: str, fallback: str) -> list[str]:
        types = op.get(key) or self.document.get(key) or [fallback]
        return sorted({str(t) for t in types})

    def _swagger_body(self, op: dict, body_params: list, form_params: list) -> dict | None:
        if body_params:
            param, pfile = body_params[0]
            schema = self.schemas.convert(param.get("schema") or {}, pfile)
            out: dict[str, Any] = {"content": {mt: {"schema": schema}
                                               for mt in self._media_types(op, "consumes", "application/json")}}
            if param.get("required") is True:
                out["required"] = True
            return out
        if form_params:
            properties, required = {}, []
            for param, pfile in form_params:
                name = str(param["name"])
                schema = {k: param[k] for k in _SWAGGER_PARAM_SCHEMA_KEYS if k in param}
                schema.update(extension_facts(param))
                properties[name] = self.schemas.convert(schema, pfile)
                if param.get("required") is True:
                    required.append(name)
            schema = {"type": "object", "properties": properties}
            if required:
                schema["required"] = sorted(required)
            consumes = [t for t in self._media_types(op, "consumes", "multipart/form-data")
                        if "form" in t] or ["multipart/form-data"]
            out = {"content": {mt: {"schema": schema} for mt in consumes}}
            if required:
                out["required"] = True
            return out
        return None

    def _request_body(self, body: Any, file: Path) -> dict | None:
        if body is None:
            return None
        body, bfile = self.resolver.resolve_chain(body, file)
        if not isinstance(body, dict):
            return None
        out: dict[str, Any] = {"content": self._content(body.get("content") or {}, bfile)}
        if body.get("required") is True:
            out["required"] = True
        out.update(extension_facts(body))
        return out

    def _content(self, content: dict, file: Path) -> dict:
        out = {}
        for media_type, media in content.items():
            media = media if isinstance(media, dict) else {}
            entry = {}
            if "schema" in media:
                entry["schema"] = self.schemas.convert(media["schema"], file)
            elif "itemSchema" in media:  # OpenAPI 3.2 streaming media types
                entry["itemSchema"] = self.schemas.convert(media["itemSchema"], file)
            out[str(media_type)] = entry
        return out

    # -- responses ---------------------------------------------------------------------------------

    def _response(self, response: Any, file: Path, op: dict) -> dict:
        response, rfile = self.resolver.resolve_chain(response, file)
        if not isinstance(response, dict):
            return {}
        out: dict[str, Any] = {}
        if self.swagger2:
            if "schema" in response:
                schema = self.schemas.convert(response["schema"], rfile)
                out["content"] = {mt: {"schema": schema}
                                  for mt in self._media_types(op, "produces", "application/json")}
        elif isinstance(response.get("content"), dict):
            out["content"] = self._content(response["content"], rfile)
        headers = {}
        for name, header in (response.get("headers") or {}).items():
            header, hfile = self.resolver.resolve_chain(header, rfile)
            if not isinstance(header, dict):
                continue
            entry: dict[str, Any] = {}
            if header.get("required") is True:
                entry["required"] = True
            if self.swagger2:
                schema = {k: header[k] for k in _SWAGGER_PARAM_SCHEMA_KEYS if k in header}
                entry["schema"] = self.schemas.convert(schema, hfile)
            elif "schema" in header:
                entry["schema"] = self.schemas.convert(header["schema"], hfile)
            headers[str(name)] = entry
        if headers:
            out["headers"] = headers
        out.update(extension_facts(response))
        return out
