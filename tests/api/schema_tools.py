"""The API schema as /api/schema/ serves it, and a validator for its components."""

import json
from functools import cache

from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from jsonschema import Draft202012Validator


@cache
def api_schema() -> dict:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(schema))


def component_errors(instance, name: str) -> list[str]:
    """Why `instance` does not match the component `name` (OpenAPI 3.1 schemas
    are JSON Schema 2020-12); an empty list when it does."""
    schema = api_schema()
    root = {"components": schema["components"], "$ref": f"#/components/schemas/{name}"}
    validator = Draft202012Validator(root)
    return [error.message for error in validator.iter_errors(instance)]


def operation(path: str, method: str) -> dict:
    return api_schema()["paths"][path][method]
