from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


class ApiPagination(PageNumberPagination):
    """Page numbers; a bad `page_size` is a 400, not silently the default."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request) -> int:
        raw = request.query_params.getlist(self.page_size_query_param)
        if not raw:
            return self.page_size
        if len(raw) > 1 or not raw[0].isdigit() or not 1 <= int(raw[0]) <= 100:
            raise ValidationError(
                {self.page_size_query_param: ["Give one whole number from 1 to 100."]}
            )
        return int(raw[0])

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(
                    {"minimum": 1, "maximum": self.max_page_size}
                )
            elif parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
        return parameters

    def get_paginated_response_schema(self, schema: dict) -> dict:
        # DRF's own uses OpenAPI 3.0's `nullable`; the API serves 3.1, where a
        # link that may be absent is `type: [string, "null"]`.
        link = {"type": ["string", "null"], "format": "uri"}
        return {
            "type": "object",
            "required": ["count", "results"],
            "properties": {
                "count": {"type": "integer", "description": "Results on all pages."},
                "next": {
                    **link,
                    "description": "The next page's URL; null on the last page.",
                },
                "previous": {
                    **link,
                    "description": "The previous page's URL; null on the first.",
                },
                "results": schema,
            },
        }
