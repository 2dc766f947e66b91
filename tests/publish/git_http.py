"""Git's smart HTTP protocol on loopback (`git http-backend` as CGI), demanding a token like GitHub."""

from __future__ import annotations

import base64
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit


class GitHTTP:
    def __init__(self, root: Path, token: str) -> None:
        self.root = root
        self.expected = "basic " + base64.b64encode(f"x-access-token:{token}".encode()).decode()
        self.authorizations: list[list[str]] = []  # the Authorization headers of every request
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    def url(self, name: str) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/{name}"

    def __enter__(self) -> GitHTTP:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


def _handler(git_http: GitHTTP) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _serve(self) -> None:
            given = self.headers.get_all("authorization") or []
            git_http.authorizations.append(given)
            if len(given) > 1:  # GitHub refuses a request that carries two
                return self._plain(400, "Duplicate header: Authorization")
            if not given or given[0].lower() != git_http.expected.lower():
                return self._plain(401, "Unauthorized", {"WWW-Authenticate": 'Basic realm="GitHub"'})
            split = urlsplit(self.path)
            body = self.rfile.read(int(self.headers.get("content-length") or 0))
            env = {
                "GIT_PROJECT_ROOT": str(git_http.root),
                "GIT_HTTP_EXPORT_ALL": "1",
                "REMOTE_USER": "x-access-token",  # lets http-backend accept pushes
                "PATH_INFO": split.path,
                "QUERY_STRING": split.query,
                "REQUEST_METHOD": self.command,
                "CONTENT_TYPE": self.headers.get("content-type", ""),
                "CONTENT_LENGTH": str(len(body)),
                "HTTP_CONTENT_ENCODING": self.headers.get("content-encoding", ""),
                "GIT_PROTOCOL": self.headers.get("git-protocol", ""),
                "PATH": "/usr/bin:/bin:/usr/local/bin",
            }
            done = subprocess.run(["git", "http-backend"], input=body, env=env, capture_output=True)
            head, _, payload = done.stdout.partition(b"\r\n\r\n")
            status, headers = 200, []
            for line in head.decode().split("\r\n"):
                name, _, value = line.partition(": ")
                if name.lower() == "status":
                    status = int(value.split()[0])
                elif name:
                    headers.append((name, value))
            self.send_response(status)
            for name, value in headers:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)

        def _plain(self, status: int, text: str, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("content-length", str(len(text)))
            self.end_headers()
            self.wfile.write(text.encode())

        do_GET = do_POST = _serve

    return Handler
