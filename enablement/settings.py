"""Wingman settings: one file, every value from the environment (12-factor).

Defaults make `make run` work on a fresh machine (SQLite, local files, a file-based
cache every worker shares); production sets DATABASE_URL, the AWS_* storage
variables and REDIS_URL.
"""

import hashlib
import json
from pathlib import Path

import dj_database_url

from enablement.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", False)
# Only for the demo (`make run`) and tests. With it, `check --deploy` fails
# (accounts/checks.py, wingman.E001); DJANGO_REQUIRE_SECRET_KEY=true refuses to
# start at all without DJANGO_SECRET_KEY. See docs/security.md.
DEMO_SECRET_KEY = "insecure-demo-key-set-DJANGO_SECRET_KEY-in-production-0123456789"  # noqa: S105
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and env_bool("DJANGO_REQUIRE_SECRET_KEY", False):
        raise RuntimeError("DJANGO_SECRET_KEY must be set in production")
    SECRET_KEY = DEMO_SECRET_KEY

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "taggit",
    "django_htmx",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # Background work: Django 6's tasks API (backported) and its database backend.
    "django_tasks",
    "django_tasks_db",
    # Single sign-on (OIDC, SAML) and two factors for local accounts: docs/sso.md.
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "allauth.mfa",
    "django_scim",
    "accounts",
    "content",
]

MIDDLEWARE = [
    # First: its process_view refuses an oversized body before the CSRF check
    # (or anything else) reads it.
    "enablement.middleware.RequestBodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before sessions and CSRF: it relaxes their cookies under /embed/ only.
    "enablement.middleware.EmbedMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # SCIM clients authenticate with their own bearer token (accounts/scim.py),
    # then django-scim2 answers 401 to anything else on /scim/v2/.
    "accounts.scim.ScimTokenMiddleware",
    "django_scim.middleware.SCIMAuthCheckMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.LoginRequiredMiddleware",
    # After the login check: a signed-in admin or marketer who must use two
    # factors sees nothing but the enrolment page until enrolled.
    "accounts.mfa.MfaEnrolmentRequiredMiddleware",
    "enablement.middleware.SecurityHeadersMiddleware",
    # Inside it, so its CSP (IdP origins in form-action) is the one kept.
    "accounts.sso.SsoFormActionMiddleware",
    # Last, so that a locked-out login never reaches the view.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "enablement.urls"
WSGI_APPLICATION = "enablement.wsgi.application"
ASGI_APPLICATION = "enablement.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.navigation",
                "content.context_processors.playbook",
            ],
        },
    },
]

# Database: SQLite (WAL, busy timeout) unless DATABASE_URL names another server.
CONN_MAX_AGE = env_int("DJANGO_CONN_MAX_AGE", 60)
DATABASE_URL = env_str("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=CONN_MAX_AGE, conn_health_checks=True
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            # Persistent, like a server connection: opening one per request ran
            # the PRAGMAs again and started every request with a cold page cache.
            "CONN_MAX_AGE": CONN_MAX_AGE,
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA busy_timeout=20000;"
                    "PRAGMA foreign_keys=ON;"
                    # Larger page cache and memory-mapped reads for aggregates.
                    "PRAGMA cache_size=-65536;"
                    "PRAGMA mmap_size=268435456;"
                ),
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's and allauth's backends, reading the user with the navigation's
    # unread count (content/auth_backends.py: one query less on every page).
    "content.auth_backends.PasswordBackend",
    # Logs in single sign-on users (allauth prefers its own backend for them).
    "content.auth_backends.SingleSignOnBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# How many reverse proxies (load balancers) in front of the app append to
# X-Forwarded-For. 0: the header is ignored (anyone can write it). See
# docs/security.md and accounts/client_address.py.
WINGMAN_TRUSTED_PROXY_COUNT = env_int("WINGMAN_TRUSTED_PROXY_COUNT", 0)
if WINGMAN_TRUSTED_PROXY_COUNT < 0:
    raise ValueError("WINGMAN_TRUSTED_PROXY_COUNT must be 0 or more")

# Login throttling against password guessing (django-axes). Two separate
# counters: per username whatever the address (guessing one account from many
# addresses), and per client address (one address trying many accounts).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "accounts.client_address.client_ip"
AXES_RESET_ON_SUCCESS = True
# Password reset emails: at most this many an hour per e-mail address and per
# account, and this many reset requests an hour per client address.
WINGMAN_PASSWORD_RESET_LIMIT = env_int("WINGMAN_PASSWORD_RESET_LIMIT", 3)
WINGMAN_PASSWORD_RESET_CLIENT_LIMIT = env_int("WINGMAN_PASSWORD_RESET_CLIENT_LIMIT", 20)
WINGMAN_PASSWORD_RESET_WINDOW = 3600
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLED = env_bool("AXES_ENABLED", True)

# Single sign-on, SCIM and two factors (docs/sso.md lists every setting).
# IdP group -> Wingman role, e.g. {"sales":"rep","wingman-admins":"admin"}. A person
# in no mapped group is refused; in several, the most powerful role wins.
WINGMAN_SSO_ROLE_MAP = json.loads(env_str("WINGMAN_SSO_ROLE_MAP", "") or "{}")
if not isinstance(WINGMAN_SSO_ROLE_MAP, dict):
    raise ValueError("WINGMAN_SSO_ROLE_MAP must be a JSON object of group: role")
# The claim (OIDC) or attribute (SAML) that lists the person's groups.
WINGMAN_SSO_GROUPS_CLAIM = env_str("WINGMAN_SSO_GROUPS_CLAIM", "groups")
# Create the user at their first single sign-on (just in time). Off: only users
# an admin or SCIM created may sign in.
WINGMAN_SSO_JIT = env_bool("WINGMAN_SSO_JIT", True)
# Off: the username/password form is gone; with the break-glass switch on,
# admins (only) can still log in with a password at the login page's
# ?break-glass link, for when the identity provider is down.
WINGMAN_LOCAL_LOGIN = env_bool("WINGMAN_LOCAL_LOGIN", True)
WINGMAN_BREAK_GLASS_LOGIN = env_bool("WINGMAN_BREAK_GLASS_LOGIN", True)
# Roles whose local (password) accounts must enrol a second factor before any page.
WINGMAN_MFA_REQUIRED_ROLES = env_list("WINGMAN_MFA_REQUIRED_ROLES", [])

_OIDC_APPS = []
if env_str("WINGMAN_OIDC_CLIENT_ID"):
    _OIDC_APPS.append(
        {
            "provider_id": env_str("WINGMAN_OIDC_PROVIDER_ID", "sso"),
            "name": env_str("WINGMAN_OIDC_NAME", "single sign-on"),
            "client_id": env_str("WINGMAN_OIDC_CLIENT_ID"),
            "secret": env_str("WINGMAN_OIDC_CLIENT_SECRET"),
            "settings": {
                "server_url": env_str("WINGMAN_OIDC_SERVER_URL"),
                "scope": env_list(
                    "WINGMAN_OIDC_SCOPES", ["openid", "profile", "email", "groups"]
                ),
                "oauth_pkce_enabled": True,
            },
        }
    )
_SAML_APPS = []
if env_str("WINGMAN_SAML_IDP_ENTITY_ID"):
    _SAML_APPS.append(
        {
            "name": env_str("WINGMAN_SAML_NAME", "SAML single sign-on"),
            # The slug in the SP URLs: /accounts/saml/<slug>/acs/ and /metadata/.
            "client_id": env_str("WINGMAN_SAML_SLUG", "idp"),
            "provider_id": env_str("WINGMAN_SAML_IDP_ENTITY_ID"),
            "settings": {
                "attribute_mapping": {
                    "uid": env_str("WINGMAN_SAML_UID_ATTRIBUTE", "uid"),
                    "email": env_str("WINGMAN_SAML_EMAIL_ATTRIBUTE", "email"),
                    "first_name": env_str(
                        "WINGMAN_SAML_FIRST_NAME_ATTRIBUTE", "firstName"
                    ),
                    "last_name": env_str(
                        "WINGMAN_SAML_LAST_NAME_ATTRIBUTE", "lastName"
                    ),
                    "username": env_str("WINGMAN_SAML_USERNAME_ATTRIBUTE", "username"),
                },
                "idp": {
                    "entity_id": env_str("WINGMAN_SAML_IDP_ENTITY_ID"),
                    "sso_url": env_str("WINGMAN_SAML_IDP_SSO_URL"),
                    "x509cert": env_str("WINGMAN_SAML_IDP_X509CERT"),
                },
                "sp": {"entity_id": env_str("WINGMAN_SAML_SP_ENTITY_ID", "")},
                "advanced": {
                    # The IdP must sign the assertion; unsigned ones are refused.
                    "want_assertion_signed": True,
                    "strict": True,
                    "reject_idp_initiated_sso": True,
                },
            },
        }
    )
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {"APPS": _OIDC_APPS},
    "saml": {"APPS": _SAML_APPS},
}
ACCOUNT_ADAPTER = "accounts.sso.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "accounts.sso.SocialAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_AUTO_SIGNUP = True
# The "Sign in with ..." button posts; a GET only shows allauth's confirmation.
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_STORE_TOKENS = False
# Wingman's own two-factor pages (accounts/mfa.py) use allauth.mfa's models.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# TOTP secrets are stored encrypted (accounts/mfa_adapter.py).
MFA_ADAPTER = "accounts.mfa_adapter.MfaAdapter"
MFA_TOTP_ISSUER = env_str("WINGMAN_SITE_NAME", "Wingman")

# SCIM 2.0 at /scim/v2/ (django-scim2), with its own bearer tokens (ScimToken).
SCIM_SERVICE_PROVIDER = {
    "NETLOC": env_str("WINGMAN_SCIM_NETLOC", "localhost"),
    "USER_ADAPTER": "accounts.scim.ScimUserAdapter",
    "GROUP_MODEL": "accounts.models.ScimGroup",
    "GROUP_ADAPTER": "accounts.scim.ScimGroupAdapter",
    "GROUP_FILTER_PARSER": "accounts.scim_filters.ScimGroupFilterQuery",
    "GET_EXTRA_MODEL_EXCLUDE_KWARGS_GETTER": "accounts.scim_filters.scim_unlinked",
    "GET_IS_AUTHENTICATED_PREDICATE": "accounts.scim.is_scim_client",
    "WWW_AUTHENTICATE_HEADER": 'Bearer realm="scim"',
    "AUTHENTICATION_SCHEMES": [
        {
            "type": "oauthbearertoken",
            "name": "OAuth Bearer Token",
            "description": "A SCIM token an admin created (docs/sso.md).",
        }
    ],
}

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# Static files: hashed and compressed by whitenoise.
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media-not-served/"  # files are served only through permission checks

AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL") or None,
            "region_name": env_str("AWS_S3_REGION_NAME") or None,
            "access_key": env_str("AWS_ACCESS_KEY_ID") or None,
            "secret_key": env_str("AWS_SECRET_ACCESS_KEY") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": env_int("AWS_QUERYSTRING_EXPIRE", 300),
            "file_overwrite": False,
            # V4 signatures: V2 is deprecated and refused by newer regions/servers.
            "signature_version": "s3v4",
        },
    }
else:
    default_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT)},
    }
STORAGES = {
    "default": default_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if env_bool("DJANGO_PLAIN_STATIC", False)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Uploads stream to a temporary file past 2.5 MB, so memory does not grow with size.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10_485_760
WINGMAN_MAX_UPLOAD_MB = env_int("WINGMAN_MAX_UPLOAD_MB", 100)
# Whole request bodies (enablement/middleware.py, docs/security.md): every view
# refuses more than WINGMAN_MAX_REQUEST_MB with a 413 before reading it; the
# views that take files (asset, version and bulk uploads) allow a larger total.
WINGMAN_MAX_REQUEST_BYTES = env_int("WINGMAN_MAX_REQUEST_MB", 10) * 1024 * 1024
WINGMAN_MAX_UPLOAD_REQUEST_BYTES = (
    env_int("WINGMAN_MAX_UPLOAD_REQUEST_MB", 10 * WINGMAN_MAX_UPLOAD_MB) * 1024 * 1024
)
# File parts reach only the views that take files; elsewhere they are skipped.
FILE_UPLOAD_HANDLERS = [
    "enablement.middleware.RefuseUnexpectedFilesHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
WINGMAN_REVIEW_INTERVAL_DAYS = env_int("WINGMAN_REVIEW_INTERVAL_DAYS", 90)
WINGMAN_MIN_CLOSED_DEALS = env_int("WINGMAN_MIN_CLOSED_DEALS", 5)
# The evidence that an asset helps win: closed deals needed on each side of the
# comparison, and the interval's level in percent (docs in the dashboard).
WINGMAN_EVIDENCE_MIN_DEALS = env_int("WINGMAN_EVIDENCE_MIN_DEALS", 10)
WINGMAN_EVIDENCE_LEVEL = env_int("WINGMAN_EVIDENCE_LEVEL", 90) / 100
WINGMAN_SITE_NAME = env_str("WINGMAN_SITE_NAME", "Wingman")
# Prospect engagement on share links (docs/user-guide.md, docs/security.md): the
# viewer's heartbeat interval, the gap after which activity is a new visit, how
# long visits are kept (`manage.py purge_share_visits`), and each visit's caps.
WINGMAN_SHARE_HEARTBEAT_SECONDS = env_int("WINGMAN_SHARE_HEARTBEAT_SECONDS", 10)
WINGMAN_SHARE_VISIT_MERGE_MINUTES = env_int("WINGMAN_SHARE_VISIT_MERGE_MINUTES", 10)
WINGMAN_SHARE_VISIT_RETENTION_DAYS = env_int("WINGMAN_SHARE_VISIT_RETENTION_DAYS", 365)
WINGMAN_SHARE_VISIT_MAX_SECONDS = env_int("WINGMAN_SHARE_VISIT_MAX_SECONDS", 4 * 3600)
WINGMAN_SHARE_VISIT_MAX_BEATS = env_int("WINGMAN_SHARE_VISIT_MAX_BEATS", 3000)
WINGMAN_SHARE_VISIT_MAX_PAGES = env_int("WINGMAN_SHARE_VISIT_MAX_PAGES", 500)
# The model behind meaning-based search (docs/search.md): "wordllama" (weights
# inside the pinned package), "hashing" (no model: tests), or a dotted path.
# After a change, `manage.py reindex_search` embeds the library again.
WINGMAN_SEARCH_ENCODER = env_str("WINGMAN_SEARCH_ENCODER", "wordllama")
# The approximate nearest-neighbour index of the search vectors (usearch files,
# rebuilt from the database by the task worker; docs/search.md), and the
# library size (in chunks) from which it is built: below it, the exact scan of
# every vector is fast enough and no file is needed.
# Off: the search page ranks by the words alone, as before semantic search
# (the benchmark's keyword row; a site that wants no model loaded).
WINGMAN_SEARCH_HYBRID = env_bool("WINGMAN_SEARCH_HYBRID", True)
WINGMAN_SEARCH_INDEX_DIR = Path(
    env_str("WINGMAN_SEARCH_INDEX_DIR", str(BASE_DIR / "var" / "search-index"))
)
WINGMAN_SEARCH_INDEX_MIN_CHUNKS = env_int("WINGMAN_SEARCH_INDEX_MIN_CHUNKS", 20000)
# Deal segments by amount: "name:lowest amount" from smallest up (docs/plays.md).
WINGMAN_DEAL_SEGMENTS = env_list(
    "WINGMAN_DEAL_SEGMENTS", ["SMB:0", "Mid-market:25000", "Enterprise:100000"]
)
# Origins (scheme://host[:port]) allowed to frame the CRM panel under /embed/
# (CSP frame-ancestors); empty: nobody may frame it (docs/crm-panel.md).
WINGMAN_EMBED_FRAME_ORIGINS = env_list("WINGMAN_EMBED_FRAME_ORIGINS", [])

# Cache: one cache shared by every worker process, so an invalidation made by one
# worker is seen by all (docs/caching.md). Redis, shared by all app servers, when
# REDIS_URL is set; otherwise files in WINGMAN_CACHE_DIR, shared by the workers of
# one machine (`make run`). A per-process cache is for tests only: `check
# --deploy` warns about it (content.checks).
REDIS_URL = env_str("REDIS_URL", "")
WINGMAN_CACHE_DIR = Path(env_str("WINGMAN_CACHE_DIR", str(BASE_DIR / "var" / "cache")))
# The code's release in cache keys; unset, a digest of the code (content.caching).
WINGMAN_RELEASE = env_str("WINGMAN_RELEASE", "")
# Keys name their database, so two databases never share cached counts or ids
# (a developer switching DATABASE_URL, the benchmark's libraries, several sites
# on one Redis).
_db = DATABASES["default"]
_db_identity = "|".join(str(_db.get(k, "")) for k in ("ENGINE", "HOST", "PORT", "NAME"))
CACHE_KEY_PREFIX = hashlib.sha256(_db_identity.encode()).hexdigest()[:8]
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(WINGMAN_CACHE_DIR),
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            # A few thousand tiles and pages; culling past this keeps the
            # directory (scanned on every cull) small.
            "OPTIONS": {"MAX_ENTRIES": env_int("WINGMAN_CACHE_MAX_ENTRIES", 5000)},
        }
    }

# Background work (previews, text extraction, conversions, digests, rollups): the
# django-tasks API. "database" (default): jobs in the database, run by
# `manage.py db_worker` (started by `make run`). "rq": jobs in Redis, run by
# `manage.py rqworker default` on any number of machines. "immediate": run in
# the calling process (tests, one-off scripts). See docs/tasks.md.
WINGMAN_TASKS_BACKEND = env_str("WINGMAN_TASKS_BACKEND", "database")
# The queue this site's tasks go to (a shared Redis may serve several sites).
WINGMAN_TASKS_QUEUE = env_str("WINGMAN_TASKS_QUEUE", "default")
# "default" too: django-tasks checks every task's declared queue at import.
_TASK_QUEUES = list(dict.fromkeys([WINGMAN_TASKS_QUEUE, "default"]))
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if WINGMAN_TASKS_BACKEND not in _TASK_BACKENDS:
    raise ValueError(
        f"WINGMAN_TASKS_BACKEND must be one of {sorted(_TASK_BACKENDS)}, "
        f"got {WINGMAN_TASKS_BACKEND!r}"
    )
TASKS = {
    "default": {
        "BACKEND": _TASK_BACKENDS[WINGMAN_TASKS_BACKEND],
        "QUEUES": _TASK_QUEUES,
    }
}
if WINGMAN_TASKS_BACKEND == "rq":
    INSTALLED_APPS.append("django_rq")
    _RQ_QUEUE = {
        "URL": env_str("WINGMAN_RQ_URL", "") or REDIS_URL or "redis://127.0.0.1:6379/0",
        # Past the job's own wall-clock limit: RQ only has to stop a job stuck in
        # the parent (the limited child is stopped by its own timer first).
        "DEFAULT_TIMEOUT": env_int("WINGMAN_JOB_WALL_SECONDS", 120) + 60,
    }
    RQ_QUEUES = {name: dict(_RQ_QUEUE) for name in _TASK_QUEUES}
# Limits of each file job's child process (content/jobs/). Over any of them the
# version gets "no preview: the file is too complex to preview safely".
WINGMAN_JOB_CPU_SECONDS = env_int("WINGMAN_JOB_CPU_SECONDS", 60)
WINGMAN_JOB_MEMORY_MB = env_int("WINGMAN_JOB_MEMORY_MB", 1024)
WINGMAN_JOB_WALL_SECONDS = env_int("WINGMAN_JOB_WALL_SECONDS", 120)
WINGMAN_JOB_MAX_TEXT_CHARS = env_int("WINGMAN_JOB_MAX_TEXT_CHARS", 200_000)
WINGMAN_JOB_MAX_ZIP_MEMBER_MB = env_int("WINGMAN_JOB_MAX_ZIP_MEMBER_MB", 64)
WINGMAN_JOB_MAX_ZIP_RATIO = env_int("WINGMAN_JOB_MAX_ZIP_RATIO", 100)
# Images are decoded whole (PNG has no reduced decode): 40 MP is 160 MB as RGBA.
WINGMAN_JOB_MAX_IMAGE_PIXELS = env_int("WINGMAN_JOB_MAX_IMAGE_PIXELS", 40_000_000)
# Decks and documents are converted with LibreOffice when it is installed.
WINGMAN_JOB_OFFICE_CONVERSION = env_bool("WINGMAN_JOB_OFFICE_CONVERSION", True)
# How much lower than the worker a file job runs (0 to 19): pages come first.
WINGMAN_JOB_NICENESS = env_int("WINGMAN_JOB_NICENESS", 10)
# LibreOffice maps more address space than it uses; it gets its own ceiling.
WINGMAN_JOB_OFFICE_MEMORY_MB = env_int("WINGMAN_JOB_OFFICE_MEMORY_MB", 2048)
# Page images for the viewer (docs/previews.md): the first this many pages or
# slides of a document, this many pixels wide (0 pages: none are made).
WINGMAN_PAGES_MAX = env_int("WINGMAN_PAGES_MAX", 100)
WINGMAN_PAGES_WIDTH = env_int("WINGMAN_PAGES_WIDTH", 1280)
# A job that fails for another reason (storage or database unavailable) is tried
# again this many times in all, a little later each time.
WINGMAN_JOB_MAX_ATTEMPTS = env_int("WINGMAN_JOB_MAX_ATTEMPTS", 3)

# Email: console by default, SMTP when EMAIL_HOST is set.
EMAIL_HOST = env_str("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "wingman@localhost")

# Security: secure defaults whenever DEBUG is off.
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Sessions are written to the database and read from the cache (falling back to
# the database): every signed-in page saves a query. Ending a user's sessions
# deletes both copies (accounts.services_sso.end_sessions).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The CSRF cookie is read by htmx from a meta tag, not from the cookie.
CSRF_COOKIE_HTTPONLY = True

REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header makes failures 401, not 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "content.api.pagination.ApiPagination",
    "PAGE_SIZE": 25,
    "EXCEPTION_HANDLER": "content.api.exceptions.api_exception_handler",
    # Per token (or per session user) in the default cache: Redis when REDIS_URL is
    # set, so every app server counts against the same budget.
    "DEFAULT_THROTTLE_CLASSES": ["content.api.throttling.ApiTokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api": env_str("WINGMAN_API_RATE", "300/minute")},
    # DRF's anonymous throttles identify clients by the same trusted-proxy rule.
    "NUM_PROXIES": WINGMAN_TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Wingman API",
    "DESCRIPTION": "Sales enablement content library: assets, deals, usage, ratings.",
    "VERSION": "1.2.0",  # docs/api.md: changelog and version policy
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Separate request and response components: read-only fields are not inputs.
    "COMPONENT_SPLIT_REQUEST": True,
    # 3.1: a null reference is `oneOf: [{$ref}, {type: "null"}]`, which validators
    # and generators accept (3.0's `allOf` + `nullable` without a type is invalid).
    "OAS_VERSION": "3.1.0",
    # The schema and its docs need a signed-in user or a valid token, whatever
    # Authorization header comes with the request (docs/api.md).
    "SERVE_PERMISSIONS": ["content.api.permissions.CanUseLibrary"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "content.api.schema.postprocess_contract",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Share-link tokens never reach a log ("Not Found: /s/<token>/" and the like).
    "filters": {
        "redact_share_tokens": {"()": "enablement.log_filters.RedactShareTokensFilter"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["redact_share_tokens"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
