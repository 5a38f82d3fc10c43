from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _install_search_index(sender, using, **kwargs) -> None:
    from django.db import connections

    from content import search_index

    search_index.install(connections[using])


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = "Content library"

    def ready(self) -> None:
        # They register themselves: the deploy checks, and the admins of page
        # images, share visits and evidence (beside content/admin.py, full at 600
        # lines).
        from content import (  # noqa: F401
            admin_engagement,
            admin_evidence,
            admin_pages,
            checks,
        )

        # After every migrate, also on test databases made without migrations.
        post_migrate.connect(
            _install_search_index, sender=self, dispatch_uid="content-search-index"
        )
