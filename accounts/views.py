from django.views.generic import TemplateView

from accounts.roles import RoleRequiredMixin


class ProfileView(RoleRequiredMixin, TemplateView):
    template_name = "accounts/profile.html"
