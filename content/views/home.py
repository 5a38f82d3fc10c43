from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from accounts.roles import RoleRequiredMixin
from content.selectors.playbook import whats_new_summary
from content.selectors.stages import stage_menu


class HomeView(RoleRequiredMixin, TemplateView):
    """The rep's roadmap: the sales-cycle stages in order."""

    template_name = "content/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["stages"] = stage_menu(user=self.request.user, with_counts=True)
        # home:extra-context
        context.update(whats_new_summary(user=self.request.user))
        return context


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For the load balancer: answers without touching the database."""
    return JsonResponse({"status": "ok"})
