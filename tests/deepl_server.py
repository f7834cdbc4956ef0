"""A local HTTP server speaking DeepL's ``POST /v2/translate``, for the official client.

The deepl package (1.32) sends a JSON body (``text`` as a list, ``target_lang``, optional
``source_lang`` and ``formality``, ``show_billed_characters``) with the header
``Authorization: DeepL-Auth-Key <key>``, and reads ``translations[i].text``,
``detected_source_language`` and ``billed_characters``. Form bodies (older clients, curl) are
accepted too.

Translation rule, invertible so a faithful round trip scores chrF 100: into language X a text
becomes ``«X» text``; into English the ``«X» `` prefix is removed. A text containing ``MANGLE``
is translated into unrelated words (with an ANSI escape, as hostile output), so its back
translation scores low.
"""

from __future__ import annotations

import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

MANGLED = "\x1b[31mzzz qqq xxy\x1b[0m"


class FakeDeepL:
    def __init__(self, auth_key: str) -> None:
        self.auth_key = auth_key
        self.requests: list[dict[str, Any]] = []
        #: Answer every request after the first ``fail_after`` ones with this status.
        self.fail_status: int | None = None
        self.fail_after = 0
        #: Send this body instead of the translations (a malformed answer).
        self.payload: dict[str, Any] | None = None
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
        self.fail_status = None
        self.fail_after = 0
        self.payload = None

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    @staticmethod
    def translate(text: str, target: str) -> str:
        if target.startswith("EN"):
            return text.split("» ", 1)[1] if text.startswith("«") and "» " in text else text
        if "MANGLE" in text:
            return MANGLED
        return f"«{target}» {text}"

    def answer(self, headers: dict[str, str], body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        with self._lock:
            self.requests.append({"headers": headers, "body": body})
            served = len(self.requests) - 1
        if headers.get("Authorization") != f"DeepL-Auth-Key {self.auth_key}":
            # A real server would not echo the key; a hostile or buggy one might.
            return 403, {"message": f"Wrong key: {headers.get('Authorization')}"}
        if self.fail_status is not None and served >= self.fail_after:
            return self.fail_status, {"message": f"planted failure {self.fail_status}"}
        if self.payload is not None:
            return 200, self.payload
        texts = body.get("text") or []
        target = str(body.get("target_lang", ""))
        return 200, {
            "translations": [
                {
                    "detected_source_language": body.get("source_lang", "EN"),
                    "text": self.translate(text, target),
                    "billed_characters": len(text),
                }
                for text in texts
            ]
        }

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.path != "/v2/translate":
                    self._send(404, {"message": "Not found"})
                    return
                if self.headers.get("Content-Type", "").startswith("application/json"):
                    body = json.loads(raw)
                else:
                    form = urllib.parse.parse_qs(raw.decode("utf-8"))
                    body = {k: (v if k == "text" else v[0]) for k, v in form.items()}
                status, payload = server.answer(dict(self.headers.items()), body)
                self._send(status, payload)

            def _send(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

        return Handler
