from tests.accounts.sso_fixtures import idp_keys, oidc_server, sso_settings

__all__ = ["idp_keys", "oidc_server", "sso_settings"]
