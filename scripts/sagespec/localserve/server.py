"""A small HTTP server on 127.0.0.1 that answers as a SageMaker container: GET /ping, POST /invocations.

https://docs.aws.amazon.com/sagemaker/latest/dg/your-algorithms-inference-code.html: the container
answers /ping with 200 when healthy and /invocations with the model's answer; the request's
Content-Type and Accept headers pass to the handlers.
"""

from __future__ import annotations

import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TextIO

from .toolkit import Handler, UnsupportedFormat, UserCodeError

MAX_BODY = 6 * 1024 * 1024  # SageMaker real-time invocations accept at most 6 MB payloads


class LocalServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, handler: Handler, port: int = 0, log: TextIO | None = None) -> None:
        self.model_handler = handler
        self.lock = threading.Lock()  # one request at a time: user code need not be thread-safe
        self.log = log or sys.stderr
        super().__init__(("127.0.0.1", port), _Requests)

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def start(self) -> threading.Thread:
        thread = threading.Thread(target=self.serve_forever, name="sagespec-serve", daemon=True)
        thread.start()
        return thread


class _Requests(BaseHTTPRequestHandler):
    server: LocalServer

    def log_message(self, format: str, *args: object) -> None:
        self.server.log.write(f"{self.address_string()} {format % args}\n")

    def _reply(self, status: int, body: bytes, content_type: str = "text/plain; charset=utf-8") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        if self.path == "/ping":
            self._reply(200, b"")
        else:
            self._reply(404, b"GET /ping or POST /invocations\n")

    def do_POST(self) -> None:
        if self.path != "/invocations":
            self._reply(404, b"GET /ping or POST /invocations\n")
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self._reply(413, b"payload larger than SageMaker's 6 MB limit\n")
            return
        body = self.rfile.read(length)
        content_type = (self.headers.get("Content-Type") or "application/json").split(";")[0].strip()
        accept = self.headers.get("Accept")
        try:
            with self.server.lock:
                answer, answer_type = self.server.model_handler.invoke(body, content_type, accept)
        except UnsupportedFormat as exc:
            self._reply(415, f"{exc}\n".encode())
        except UserCodeError as exc:
            self.server.log.write(exc.report)
            self._reply(500, exc.report.encode("utf-8"))
        else:
            self._reply(200, answer, answer_type)
