"""django-scim2's discovery views, brought to RFC 7644: list responses carry
totalResults, and an unknown id is a SCIM error body, not an empty 404."""

import json

from django.http import HttpResponse
from django_scim import constants
from django_scim import views as scim_views

SCIM_ROOT = "/scim/v2"
SCHEMA_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema"


def not_found(request=None, *args, **kwargs) -> HttpResponse:
    return HttpResponse(
        json.dumps(
            {
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
                "status": "404",
                "detail": "No such resource.",
            }
        ),
        content_type=constants.SCIM_CONTENT_TYPE,
        status=404,
    )


def _fix_resource(resource: dict) -> dict:
    # An endpoint is relative to the SCIM root ("/Users"), not a site path.
    endpoint = resource.get("endpoint")
    if isinstance(endpoint, str) and endpoint.startswith(SCIM_ROOT):
        resource["endpoint"] = endpoint[len(SCIM_ROOT) :]
    # Every resource names its schema, schemas included.
    if "attributes" in resource and "schemas" not in resource:
        resource["schemas"] = [SCHEMA_SCHEMA]
    return resource


def _conform(response: HttpResponse) -> HttpResponse:
    if response.status_code == 404 and not response.content:
        return not_found()
    if response.status_code == 200:
        doc = json.loads(response.content)
        if "Resources" in doc:
            doc["Resources"] = [_fix_resource(r) for r in doc["Resources"]]
            count = len(doc["Resources"])
            doc.setdefault("totalResults", count)
            doc.setdefault("itemsPerPage", count)
            doc.setdefault("startIndex", 1)
        else:
            _fix_resource(doc)
        response.content = json.dumps(doc)
    return response


class ResourceTypesView(scim_views.ResourceTypesView):
    def get(self, request, *args, **kwargs):
        return _conform(super().get(request, *args, **kwargs))


class SchemasView(scim_views.SchemasView):
    def get(self, request, *args, **kwargs):
        return _conform(super().get(request, *args, **kwargs))
