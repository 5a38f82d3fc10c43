"""The CRM-facing JSON API at /api/v1/: same rules and services as the site."""
