"""Stages of the sales roadmap: the marketers' list, create and edit pages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.generic import FormView, ListView

from accounts.roles import ContentManagerRequiredMixin
from content.forms.errors import add_service_error
from content.forms.stages import StageForm
from content.models import Stage
from content.selectors import library as selectors
from content.services import stages as services


class StageListView(ContentManagerRequiredMixin, ListView):
    template_name = "content/library/stage_list.html"
    context_object_name = "stages"

    def get_queryset(self):
        return selectors.stages_for_management()


class StageCreateView(ContentManagerRequiredMixin, FormView):
    template_name = "content/library/stage_form.html"
    form_class = StageForm

    def form_valid(self, form: StageForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            stage = services.stage_create(
                actor=self.request.user,
                name=data["name"],
                description=data["description"],
                exit_goal=data["exit_goal"],
                order=data.get("order"),
            )
        except ValidationError as exc:
            add_service_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"Stage “{stage.name}” added.")
        return redirect("content:stage_list")


class StageUpdateView(ContentManagerRequiredMixin, FormView):
    template_name = "content/library/stage_form.html"
    form_class = StageForm

    def get_stage(self) -> Stage:
        if not hasattr(self, "_stage"):
            from django.shortcuts import get_object_or_404

            self._stage = get_object_or_404(Stage, pk=self.kwargs["pk"])
        return self._stage

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "instance": self.get_stage()}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "stage": self.get_stage()}

    def form_valid(self, form: StageForm) -> HttpResponse:
        data = form.cleaned_data
        stage = self.get_stage()
        try:
            services.stage_update(
                actor=self.request.user,
                stage=stage,
                name=data["name"],
                description=data["description"],
                exit_goal=data["exit_goal"],
                order=data.get("order"),
                is_active=data["is_active"],
            )
        except ValidationError as exc:
            add_service_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"Stage “{stage.name}” saved.")
        return redirect("content:stage_list")
