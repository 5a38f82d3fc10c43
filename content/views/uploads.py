"""Uploads: a new version of an asset, bulk upload, and the streaming size limit."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.generic import FormView

from accounts.roles import ContentManagerRequiredMixin
from content import files, validators
from content.forms.uploads import BulkUploadForm, oversize_message
from content.services import uploads as services

UPLOAD_HEADER = "X-Upload-Progress"


def redirect_after_upload(request: HttpRequest, url: str) -> HttpResponse:
    """After an upload sent by upload.js, tell the script where to go.

    The script cannot stop XMLHttpRequest from following a redirect, and following
    it would use up the flash message; so it gets the address in a header instead.
    """
    if request.headers.get(UPLOAD_HEADER):
        return HttpResponse(status=204, headers={"X-Location": url})
    return HttpResponseRedirect(url)


class UploadLimitMixin:
    """Drops a file over the size limit while it streams in, before it fills the disk.

    Upload handlers must be set before anything reads the request body, and the
    CSRF check reads it; so the check is moved here, after the handler is in place
    (Django's documented pattern: csrf_exempt on the view, csrf_protect inside).
    """

    # Takes file parts, and the larger body limit (enablement/middleware.py).
    accepts_file_uploads = True

    @method_decorator(csrf_exempt)
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        request.oversize_uploads = []
        if request.method == "POST":
            request.upload_handlers.insert(
                0,
                files.SizeLimitUploadHandler(
                    request, limit=validators.max_upload_bytes()
                ),
            )
        return csrf_protect(super().dispatch)(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "oversize": getattr(self.request, "oversize_uploads", []),
        }


class BulkUploadView(UploadLimitMixin, ContentManagerRequiredMixin, FormView):
    template_name = "content/library/bulk_upload.html"
    form_class = BulkUploadForm

    def form_valid(self, form: BulkUploadForm) -> HttpResponse:
        data = form.cleaned_data
        result = services.assets_bulk_create(
            actor=self.request.user,
            uploads=data["files"],
            stages=data["stages"],
            kind=data["kind"] or None,
            audience=data["audience"],
            tags=data["tags"],
        )
        if not result.created:
            for name, errors in result.refused:
                form.add_error("files", f"{name}: {' '.join(errors)}")
            if form.oversize:
                form.add_error("files", oversize_message(form.oversize))
            return self.form_invalid(form)
        count = len(result.created)
        messages.success(
            self.request,
            f"{count} draft{'s' if count != 1 else ''} created. "
            "Complete each one and publish it.",
        )
        for name, errors in result.refused:
            messages.error(self.request, f"Not uploaded: {name}: {' '.join(errors)}")
        if form.oversize:
            messages.error(self.request, oversize_message(form.oversize))
        url = reverse("content:my_content") + "?status=draft&owner=mine"
        return redirect_after_upload(self.request, url)
