"""Starts the real server as the Electron main process does (token in SESSIONAPI_TOKEN, port 0,
--Storage:Root, the ready line read from stdout) and talks HTTP to it. `exe` is the published
binary, or a built SessionApi.dll (started with `dotnet`)."""
import http.client
import json
import os
import secrets
import select
import signal
import subprocess
import time
from urllib.parse import urlparse


class ServerError(Exception):
    pass


class Server:
    def __init__(self, exe: str, root: str, env: dict, stderr_path: str, timeout: float = 30.0):
        self.token = secrets.token_hex(16)
        full_env = {k: v for k, v in os.environ.items() if k not in ("ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS")}
        full_env.update(env)
        full_env["SESSIONAPI_TOKEN"] = self.token
        full_env["ASPNETCORE_ENVIRONMENT"] = "Production"
        self.stderr_path = stderr_path
        # The logs go to a file: an undrained pipe would stall the server once it filled up.
        with open(stderr_path, "wb") as stderr:
            self.process = subprocess.Popen(
                (["dotnet", exe] if exe.endswith(".dll") else [exe]) + ["--urls", "http://127.0.0.1:0", f"--Storage:Root={root}"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr, env=full_env)
        line = self._ready_line(timeout)
        self.url = urlparse(json.loads(line)["url"])
        self.connection = http.client.HTTPConnection(self.url.hostname, self.url.port, timeout=timeout)

    def _ready_line(self, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        buffer = b""
        while b"\n" not in buffer:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self.process.stdout], [], [], max(left, 0))
            chunk = os.read(self.process.stdout.fileno(), 4096) if ready else b""
            if not chunk:
                self.kill()
                with open(self.stderr_path, "rb") as f:
                    err = f.read().decode(errors="replace")[-2000:]
                raise ServerError(f"no ready line (exit {self.process.returncode}): {err}")
            buffer += chunk
        return buffer.split(b"\n", 1)[0].decode()

    def new_connection(self) -> http.client.HTTPConnection:
        """Another keep-alive connection, for a second client thread."""
        return http.client.HTTPConnection(self.url.hostname, self.url.port, timeout=self.connection.timeout)

    def request(self, method: str, path: str, body: bytes | None = None,
                connection: http.client.HTTPConnection | None = None) -> tuple[int, bytes]:
        connection = connection or self.connection
        headers = {"Authorization": f"Bearer {self.token}", "Host": f"127.0.0.1:{self.url.port}"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()

    def stop(self) -> None:
        """Graceful: SIGTERM, in-flight saves finish."""
        self.connection.close()
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()
        self._close_pipes()

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()
        self._close_pipes()

    def _close_pipes(self) -> None:
        for pipe in (self.process.stdin, self.process.stdout):
            try:
                pipe.close()
            except OSError:
                pass
