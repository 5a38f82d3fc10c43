from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self) -> None:
        # Registers the deployment checks (`manage.py check --deploy`).
        from accounts import checks  # noqa: F401
