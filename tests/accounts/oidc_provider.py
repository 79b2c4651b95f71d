"""A tiny OpenID Connect provider for the single sign-on tests, served on 127.0.0.1 from a
thread: discovery, authorization (it signs in whoever the test says, at once), token (RS256 ID
tokens, client secret and PKCE checked, codes used once), user info and JWKS.

Built on Authlib's libraries: joserfc (Authlib's JOSE implementation) for the keys and tokens,
`authlib.oauth2.rfc7636` for PKCE. `tamper` lets a test make the provider misbehave: another
audience, an expired token, a wrong nonce or issuer, a key it does not publish.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwt
from joserfc.jwk import RSAKey

CLIENT_ID = "tracker-test-client"
CLIENT_SECRET = "test-client-secret-not-for-production"


class Provider:
    def __init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": "key-1", "alg": "RS256"})
        # Same key id, never published: a token signed with it must be refused.
        self.rogue_key = RSAKey.generate_key(2048, parameters={"kid": "key-1", "alg": "RS256"})
        self.user: dict = {}
        self.tamper: dict = {}
        self.codes: dict[str, dict] = {}
        self.access_tokens: dict[str, dict] = {}
        self.token_requests = 0
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Provider:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def sign_in_as(self, email: str, **claims) -> None:
        """Who the next authorization signs in (the provider asks nothing)."""
        self.user = {"sub": f"subject-{email.lower()}", "email": email, **claims}

    @property
    def discovery(self) -> dict:
        return {
            "issuer": self.url,
            "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token",
            "userinfo_endpoint": f"{self.url}/userinfo",
            "jwks_uri": f"{self.url}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
        }

    def id_token(self, grant: dict) -> str:
        now = int(time.time())
        lifetime = self.tamper.get("expires_in", 300)
        claims = {
            "iss": self.tamper.get("issuer", self.url),
            "sub": grant["user"]["sub"],
            "aud": self.tamper.get("audience", CLIENT_ID),
            "iat": now if lifetime > 0 else now + lifetime - 600,
            "exp": now + lifetime,
            "nonce": self.tamper.get("nonce", grant["nonce"]),
            "email": grant["user"]["email"],
        }
        key = self.rogue_key if self.tamper.get("rogue_key") else self.key
        return jwt.encode({"alg": "RS256", "kid": "key-1"}, claims, key)


def _handler(provider: Provider):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # quiet
            pass

        def _json(self, status: int, body: dict) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            if url.path == "/.well-known/openid-configuration":
                return self._json(200, provider.discovery)
            if url.path == "/jwks":
                return self._json(200, {"keys": [provider.key.as_dict(private=False)]})
            if url.path == "/authorize":
                return self._authorize(query)
            if url.path == "/userinfo":
                bearer = self.headers.get("Authorization", "").removeprefix("Bearer ")
                user = provider.access_tokens.get(bearer)
                if user is None:
                    return self._json(401, {"error": "invalid_token"})
                return self._json(200, {**user, **provider.tamper.get("userinfo", {})})
            return self._json(404, {"error": "not_found"})

        def _authorize(self, query: dict) -> None:
            if query.get("client_id") != CLIENT_ID or query.get("response_type") != "code":
                return self._json(400, {"error": "invalid_request"})
            if "openid" not in query.get("scope", "").split():
                return self._json(400, {"error": "invalid_scope"})
            code = secrets.token_urlsafe(16)
            provider.codes[code] = {
                "redirect_uri": query["redirect_uri"],
                "nonce": query.get("nonce"),
                "challenge": query.get("code_challenge"),
                "user": dict(provider.user),
            }
            target = f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"
            self.send_response(302)
            self.send_header("Location", target)
            self.end_headers()

        def do_POST(self) -> None:
            if urlsplit(self.path).path != "/token":
                return self._json(404, {"error": "not_found"})
            provider.token_requests += 1
            length = int(self.headers.get("Content-Length", 0))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            client_id, secret = form.get("client_id"), form.get("client_secret")
            basic = self.headers.get("Authorization", "")
            if basic.startswith("Basic "):
                client_id, _, secret = base64.b64decode(basic[6:]).decode().partition(":")
            if client_id != CLIENT_ID or secret != CLIENT_SECRET:
                return self._json(401, {"error": "invalid_client"})
            grant = provider.codes.pop(form.get("code", ""), None)  # each code is used once
            if grant is None or form.get("grant_type") != "authorization_code":
                return self._json(400, {"error": "invalid_grant"})
            if form.get("redirect_uri") != grant["redirect_uri"]:
                return self._json(400, {"error": "invalid_grant"})
            verifier = form.get("code_verifier", "")
            if not grant["challenge"] or create_s256_code_challenge(verifier) != grant["challenge"]:
                return self._json(400, {"error": "invalid_grant", "error_description": "PKCE"})
            access_token = secrets.token_urlsafe(24)
            provider.access_tokens[access_token] = grant["user"]
            return self._json(
                200,
                {
                    "access_token": access_token,
                    "token_type": "Bearer",
                    "expires_in": 300,
                    "id_token": provider.id_token(grant),
                },
            )

    return Handler
