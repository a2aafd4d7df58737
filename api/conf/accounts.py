"""Settings of accounts: sign-in (django-allauth, headless), providers, second factors, and
Guichet as an OpenID Connect provider (django-oauth-toolkit) (imported by api/settings.py, which Django reads;
the environment comes from api/conf/profile.py)."""

from __future__ import annotations

from api.conf.profile import GUICHET_ENV, PRODUCTION, env

# --- Accounts (django-allauth, headless) ---------------------------------------------
# Citizens sign in with their email address: password, one-time code, or an
# OpenID Connect provider (FranceConnect is one). The PWA uses the "browser"
# client (session cookie + CSRF) from the API's own origin.

# Outside production the default follows PORT (as honcho sets it), so links, emails and
# the OpenID issuer name the port actually served.
PUBLIC_URL = (env.str("PUBLIC_URL", default="") or f"http://127.0.0.1:{env.int('PORT', default=8000)}").rstrip("/")
GUICHET_SITE_NAME = env.str("GUICHET_SITE_NAME", default="Guichet")
ACCOUNT_ADAPTER = "api.accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Guichet] "
# Per account: 5 wrong passwords in 5 minutes lock it for the rest of them. Per address:
# wrong passwords are counted by Guichet's adapter (a town hall's visitors share one).
ACCOUNT_RATE_LIMITS = {
    "login": "60/m/ip",
    "login_failed": "5/5m/key",
    "signup": "20/m/ip",
    "request_login_code": "20/m/ip,3/m/key",
    "reset_password": "20/m/ip,5/m/key",
}
GUICHET_LOGIN_FAILURES_PER_ADDRESS = env.int("GUICHET_LOGIN_FAILURES_PER_ADDRESS", default=30)
HEADLESS_ONLY = True
HEADLESS_CLIENTS = ("browser",)
HEADLESS_SERVE_SPECIFICATION = True  # also merged into /api/schema/
HEADLESS_FRONTEND_URLS = {
    "account_confirm_email": PUBLIC_URL + "/compte/verifier/{key}",
    "account_reset_password": PUBLIC_URL + "/compte/mot-de-passe",
    "account_reset_password_from_key": PUBLIC_URL + "/compte/mot-de-passe/{key}",
    "account_signup": PUBLIC_URL + "/compte/inscription",
    "socialaccount_login_error": PUBLIC_URL + "/compte/connexion",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env.str("MFA_TOTP_ISSUER", default="Guichet")
# Agents must have used a second factor (TOTP) in their session to act.
GUICHET_AGENT_MFA_REQUIRED = env.bool("GUICHET_AGENT_MFA_REQUIRED", default=PRODUCTION)

# External OpenID Connect providers, as a JSON list in OIDC_PROVIDERS:
# [{"id": "franceconnect", "name": "FranceConnect", "server_url": "https://…",
#   "client_id": "…", "secret": "…", "scope": ["openid", "given_name", …],
#   "verified_claims": ["given_name", "family_name", "birthdate", "email"],
#   "auth_params": {"acr_values": "eidas1"}}]
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": provider["id"],
                "name": provider.get("name", provider["id"]),
                "client_id": provider["client_id"],
                "secret": provider.get("secret", ""),
                "settings": {
                    "server_url": provider["server_url"],
                    "scope": provider.get("scope", ["openid", "email", "profile"]),
                    "verified_claims": provider.get("verified_claims", []),
                    "auth_params": provider.get("auth_params", {}),
                    "token_auth_method": provider.get("token_auth_method", "client_secret_post"),
                },
            }
            for provider in env.json("OIDC_PROVIDERS", default=[])
        ],
    }
}
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_STORE_TOKENS = False

# --- Third-party applications (django-oauth-toolkit) -----------------------------------

OAUTH2_SCOPES = {
    "openid": "Sign in with Guichet (OpenID Connect)",
    "email": "Know the citizen's email address (OpenID Connect)",
    "profile": "Read the citizen's profile",
    "catalog:read": "Read the catalog of procedures",
    "submissions:write": "Submit requests on behalf of a citizen",
    "submissions:read": "Read the submissions of the procedures the application is allowed",
    "agent": "Act as an agent of the role the application is attached to",
    "requests:read": "Read the requests the application's role holds (the agents' inbox and detail)",
    "requests:process": "Process the requests the application's role holds (transitions, assignment)",
    "procedures:admin": "Export and import procedures",
    "webhooks": "Manage the application's webhooks (for the procedures its role receives)",
}
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OIDC_RSA_PRIVATE_KEY = env.str("OIDC_RSA_PRIVATE_KEY", default="", multiline=True)
if not OIDC_RSA_PRIVATE_KEY and GUICHET_ENV == "test":
    from api.devenv import rsa_private_key

    OIDC_RSA_PRIVATE_KEY = rsa_private_key()
OAUTH2_PROVIDER = {
    "SCOPES": OAUTH2_SCOPES,
    "DEFAULT_SCOPES": ["catalog:read"],
    "PKCE_REQUIRED": True,
    "ACCESS_TOKEN_EXPIRE_SECONDS": 3600,
    "REFRESH_TOKEN_EXPIRE_SECONDS": 30 * 24 * 3600,
    "ROTATE_REFRESH_TOKEN": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"] if PRODUCTION else ["http", "https"],
    "OIDC_ENABLED": bool(OIDC_RSA_PRIVATE_KEY),
    "OIDC_RSA_PRIVATE_KEY": OIDC_RSA_PRIVATE_KEY,
    "OIDC_ISS_ENDPOINT": PUBLIC_URL + "/o",
    "OAUTH2_VALIDATOR_CLASS": "api.accounts.oidc.GuichetOAuth2Validator",
    "SCOPES_BACKEND_CLASS": "api.accounts.scopes.ApplicationScopes",
    # OAuth 2.0 Security Best Current Practice (RFC 9700): authorization code with
    # S256 PKCE only (no implicit or password grant, no "plain" challenge), tokens
    # in the Authorization header only, the issuer named in authorization responses,
    # refresh-token reuse detected.
    "OIDC_RESPONSE_TYPES_SUPPORTED": ["code"],
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_PKCE_REQUIRED": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
}
# Where the authorization page sends a visitor who is not signed in: the PWA's sign-in page.
LOGIN_URL = env.str("LOGIN_URL", default="/compte/connexion")
