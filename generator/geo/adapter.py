"""geopy's urllib adapter with a deadline for the whole request.

urllib's timeout bounds each socket operation, not the request: a server that sends
one byte every few seconds keeps a lookup alive forever. Here a timer shuts the
request's sockets down when the deadline passes (portable, unlike ``signal.alarm``,
and safe in any thread), and the request ends as a timeout.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import threading
from urllib.request import HTTPHandler, HTTPSHandler, ProxyHandler, build_opener

from geopy.adapters import URLLibAdapter
from geopy.exc import GeocoderTimedOut

#: Seconds one request may take in all, connection and answer included.
REQUEST_DEADLINE = 30.0


class DeadlineAdapter(URLLibAdapter):
    """Like URLLibAdapter (no retries of its own: the rate limiter spaces every request),
    but each request ends after :attr:`deadline` seconds at the latest."""

    deadline: float = REQUEST_DEADLINE

    def __init__(self, *, proxies, ssl_context):
        super().__init__(proxies=proxies, ssl_context=ssl_context)
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._expired = False
        sockets, lock = self._sockets, self._lock

        def remembered(connection_class):
            class Remembered(connection_class):
                def connect(self):
                    super().connect()
                    with lock:
                        sockets.append(self.sock)

            return Remembered

        plain, secure = (
            remembered(http.client.HTTPConnection),
            remembered(http.client.HTTPSConnection),
        )

        class Plain(HTTPHandler):
            def http_open(self, req):
                return self.do_open(plain, req)

        class Secure(HTTPSHandler):
            def https_open(self, req):
                return self.do_open(secure, req, context=self._context)

        # geopy's own ProxyHandler (proxies from `proxies` or the system), our handlers.
        proxy = next(h for h in self.urlopen.__self__.handlers if isinstance(h, ProxyHandler))
        self.urlopen = build_opener(Secure(context=ssl_context), Plain(), proxy).open

    def _expire(self) -> None:
        with self._lock:
            self._expired = True
            for sock in self._sockets:
                with contextlib.suppress(OSError):  # already closed
                    sock.shutdown(socket.SHUT_RDWR)

    def get_text(self, url, *, timeout, headers):
        with self._lock:
            self._sockets.clear()
            self._expired = False
        timer = threading.Timer(self.deadline, self._expire)
        timer.daemon = True
        timer.start()
        try:
            text = super().get_text(url, timeout=timeout, headers=headers)
        except Exception:
            if self._expired:
                raise GeocoderTimedOut("deadline") from None
            raise
        finally:
            timer.cancel()
        if self._expired:  # a cut-off body may still have been returned
            raise GeocoderTimedOut("deadline")
        return text
