from django.urls import path  # noqa: F401

app_name = "content"

# Each area of the site adds its routes in its own block.
urlpatterns = [
    # urls:library
    # urls:playbook
    # urls:analytics
    # urls:sharing
]
