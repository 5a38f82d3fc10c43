"""The library: the asset page for everyone, and marketers' pages to manage it."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View
from django.views.generic import FormView, ListView

from accounts.roles import ContentManagerRequiredMixin, RoleRequiredMixin
from content.caching.asset_body import asset_body
from content.forms.deals import NEW_DEAL, UsageForm
from content.forms.errors import add_service_error
from content.forms.feedback import RatingForm
from content.forms.library import AssetForm, ContentFilterForm, RetireForm
from content.forms.uploads import VersionForm
from content.models import Asset, AssetKind, AssetStatus, EventKind, Stage
from content.selectors import library as selectors
from content.selectors.asset_page import asset_page, asset_page_panels
from content.services import library as services
from content.services.events import event_record
from content.views.common import querystring_without_page
from content.views.redirects import safe_next
from content.views.uploads import UploadLimitMixin, redirect_after_upload

# The asset page ----------------------------------------------------------------


class AssetDetailView(RoleRequiredMixin, View):
    """One asset for every role: reps see what they may, marketers everything."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        try:
            context = asset_page(user=user, pk=self.kwargs["pk"])
        except Http404:
            # A rep following an old link, a deal page or a notification to an
            # asset since retired: say so, and point at what replaced it.
            return retired_notice(request, pk=self.kwargs["pk"])
        asset = context["asset"]
        if context["can_manage"] and asset.status == AssetStatus.DRAFT:
            context["publish_problems"] = services.publish_problems(asset)
        context["asset_body"] = asset_body(asset)
        response = render(
            request, "content/asset_detail.html", asset_page_forms(context, user=user)
        )
        event_record(
            asset=asset, kind=EventKind.VIEW, user=user, version=asset.current_version
        )
        return response


def asset_page_forms(
    context: dict[str, Any], *, user, rating_form=None, usage_form=None
) -> dict[str, Any]:
    """The asset page's data (content.selectors.asset_page) with its rating and
    usage forms, on a published asset for people who use the library; a bound
    form with errors is handed back as `rating_form` or `usage_form`."""
    if "open_deals" not in context:
        return context
    my_rating = context["my_rating"]
    context["rating_form"] = rating_form or RatingForm(
        initial={"stars": my_rating.stars, "comment": my_rating.comment}
        if my_rating
        else None
    )
    if usage_form is None:
        deals = context["open_deals"]
        # The most recent open deal, at whatever stage it is in ("The deal's
        # current stage", right without JavaScript too); no deal yet: a new one.
        usage_form = UsageForm(
            user=user,
            deals=deals,
            stages=context["usage_stages"],
            new_deal_stage=context["new_deal_stage"],
            initial={
                "deal": deals[0].pk if deals else NEW_DEAL,
                "idempotency_key": uuid.uuid4().hex,
            },
        )
    context["usage_form"] = usage_form
    return context


def asset_page_context(*, user, asset: Asset, **forms: Any) -> dict[str, Any]:
    """The playbook's panels of the asset page with their forms (the rate and
    usage views answer htmx with them)."""
    return asset_page_forms(
        asset_page_panels(user=user, asset=asset), user=user, **forms
    )


def retired_notice(request: HttpRequest, *, pk: int) -> HttpResponse:
    """The page a rep or partner gets for a retired asset: when, why, and what
    replaced it. No file, no preview: those stay private (404 on download)."""
    user = request.user
    asset = selectors.retired_asset_for_notice(user=user, pk=pk)
    return render(
        request,
        "content/library/retired_notice.html",
        {
            "asset": asset,
            "replacement": selectors.replaced_by_visible(user=user, asset=asset),
        },
    )


# My content and the review queue -------------------------------------------------


class MyContentView(ContentManagerRequiredMixin, ListView):
    template_name = "content/library/my_content.html"
    context_object_name = "assets"
    paginate_by = 25

    def get_queryset(self):
        self.filter_form = ContentFilterForm(self.request.GET or None)
        self.filters = self.filter_form.filters()
        return selectors.managed_assets(user=self.request.user, **self.filters)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        mine = self.filters["mine"]
        owner = "mine" if mine else "all"
        base = {"owner": owner}
        if self.filters["kind"]:
            base["kind"] = self.filters["kind"]
        if self.filters["query"]:
            base["q"] = self.filters["query"]
        counts = selectors.status_counts(user=self.request.user, mine=mine)
        tabs = [("", "All", counts.get("all", 0))] + [
            (value, label, counts.get(value, 0)) for value, label in AssetStatus.choices
        ]
        context.update(
            filter_form=self.filter_form,
            filters=self.filters,
            owner=owner,
            status_tabs=[
                {
                    "value": value,
                    "label": label,
                    "count": count,
                    "url": "?"
                    + urlencode({**base, **({"status": value} if value else {})}),
                    "current": value == self.filters["status"],
                }
                for value, label, count in tabs
            ],
            kinds=AssetKind.choices,
            querystring_without_page=querystring_without_page(self.request),
        )
        return context


class ReviewQueueView(ContentManagerRequiredMixin, ListView):
    template_name = "content/library/review_queue.html"
    context_object_name = "assets"
    paginate_by = 50

    def get_queryset(self):
        self.mine = self.request.GET.get("owner") != "all"
        return selectors.review_queue(user=self.request.user, mine=self.mine)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            mine=self.mine,
            horizon_days=selectors.REVIEW_HORIZON_DAYS,
            interval_days=services.review_interval().days,
            querystring_without_page=querystring_without_page(self.request),
        )
        return context


# Create and edit -----------------------------------------------------------------


class AssetCreateView(UploadLimitMixin, ContentManagerRequiredMixin, FormView):
    template_name = "content/library/asset_form.html"
    form_class = AssetForm

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        kind = self.request.GET.get("kind")
        if kind in AssetKind.values:
            initial["kind"] = kind
        stage = self.request.GET.get("stage")
        if stage:
            initial["stages"] = Stage.objects.filter(slug=stage, is_active=True)
        # Search gaps and content requests start an asset from what reps asked for.
        title = " ".join(self.request.GET.get("title", "").split())[:200]
        if title:
            initial["title"] = title
        return initial

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form: AssetForm) -> HttpResponse:
        data = form.service_kwargs()
        try:
            asset = services.asset_create(actor=self.request.user, **data)
        except ValidationError as exc:
            add_service_error(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"“{asset.title}” is saved as a draft. Publish it when it is ready.",
        )
        return redirect_after_upload(self.request, asset.get_absolute_url())


class AssetManageMixin(ContentManagerRequiredMixin):
    """Views that act on one asset; any status, marketers and admins only."""

    def get_asset(self) -> Asset:
        if not hasattr(self, "_asset"):
            self._asset = selectors.asset_for_management(
                user=self.request.user, pk=self.kwargs["pk"]
            )
        return self._asset

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["asset"] = self.get_asset()
        return context


class AssetEditView(AssetManageMixin, FormView):
    template_name = "content/library/asset_form.html"
    form_class = AssetForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "user": self.request.user,
            "instance": self.get_asset(),
        }

    def form_valid(self, form: AssetForm) -> HttpResponse:
        asset = self.get_asset()
        try:
            services.asset_update(
                actor=self.request.user, asset=asset, **form.service_kwargs()
            )
        except ValidationError as exc:
            add_service_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"Saved “{asset.title}”.")
        return redirect(asset)


# Lifecycle -------------------------------------------------------------------------


class _AssetActionView(AssetManageMixin, View):
    """A POST that changes an asset's state, then back to the asset page."""

    http_method_names = ["post"]
    success_message = ""

    def act(self, asset: Asset) -> Asset:
        raise NotImplementedError

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        asset = self.get_asset()
        try:
            self.act(asset)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, self.success_message.format(title=asset.title))
        return redirect(safe_next(request, asset.get_absolute_url()))


class AssetPublishView(_AssetActionView):
    success_message = "“{title}” is published: reps can find it now."

    def act(self, asset: Asset) -> Asset:
        return services.asset_publish(actor=self.request.user, asset=asset)


class AssetRestoreView(_AssetActionView):
    success_message = "“{title}” is restored."

    def act(self, asset: Asset) -> Asset:
        return services.asset_restore(actor=self.request.user, asset=asset)


class AssetVerifyView(_AssetActionView):
    success_message = "“{title}” is verified as current."

    def act(self, asset: Asset) -> Asset:
        return services.asset_verify(actor=self.request.user, asset=asset)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not getattr(request, "htmx", False):
            return super().post(request, *args, **kwargs)
        # From the review queue: swap the row in place.
        asset = self.get_asset()
        error = ""
        try:
            self.act(asset)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        return render(
            request,
            "content/library/_review_row.html",
            {"asset": asset, "just_verified": not error, "error": error},
        )


class AssetRetireView(AssetManageMixin, FormView):
    template_name = "content/library/retire_form.html"
    form_class = RetireForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "asset": self.get_asset()}

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        asset = self.get_asset()
        if asset.is_retired:
            messages.info(request, f"“{asset.title}” is already retired.")
            return redirect(asset)
        return super().get(request, *args, **kwargs)

    def form_valid(self, form: RetireForm) -> HttpResponse:
        asset = self.get_asset()
        try:
            services.asset_retire(
                actor=self.request.user,
                asset=asset,
                reason=form.cleaned_data["reason"],
                replaced_by=form.cleaned_data["replaced_by"],
            )
        except ValidationError as exc:
            add_service_error(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"“{asset.title}” is retired: it has left browse and search. "
            "Its history stays, and you can restore it.",
        )
        return redirect(asset)


# Bulk upload -------------------------------------------------------------------------


# Stages ----------------------------------------------------------------------------


class VersionCreateView(UploadLimitMixin, AssetManageMixin, FormView):
    template_name = "content/library/version_form.html"
    form_class = VersionForm

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        asset = self.get_asset()
        if asset.is_retired:
            messages.info(
                request, "This asset is retired: restore it to upload a new version."
            )
            return redirect(asset)
        return super().get(request, *args, **kwargs)

    def form_valid(self, form: VersionForm) -> HttpResponse:
        asset = self.get_asset()
        try:
            version = services.version_upload(
                actor=self.request.user,
                asset=asset,
                file=form.cleaned_data["file"],
                change_note=form.cleaned_data["change_note"],
            )
        except ValidationError as exc:
            add_service_error(form, exc)
            return self.form_invalid(form)
        text = (
            f"Version {version.number} of “{asset.title}” is uploaded. "
            "Its preview is being prepared."
        )
        messages.success(self.request, text)
        return redirect_after_upload(self.request, asset.get_absolute_url())
