"""Real sockets that misbehave: the network faults an HTTP test server will not produce."""

from __future__ import annotations

import contextlib
import select
import socket
import struct
import threading
from collections.abc import Callable, Iterator

# Answers a request on a raw connection; True waits for another request on it (keep-alive).
Reply = Callable[[socket.socket], bool | None]


class Listener:
    """A TCP listener on a free localhost port; its thread hands each connection it accepts
    to `accepted` until `stop_listening`."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def accepted(self, conn: socket.socket) -> None:
        raise NotImplementedError

    def stop_listening(self, *also: socket.socket | None) -> None:
        # Shutting down wakes the thread from a blocked accept() or recv().
        for sock in (self.sock, *also):
            if sock is not None:
                shut_down(sock)
        self.sock.close()
        self.thread.join(timeout=5)

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted(conn)


def shut_down(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed by the other side
        sock.shutdown(socket.SHUT_RDWR)


class RawServer(Listener):
    """A bare TCP server that reads each HTTP request whole, then does what `reply` says."""

    def __init__(self, reply: Reply) -> None:
        super().__init__()
        self.reply = reply
        self.requests: list[bytes] = []
        self.connections = 0
        self.open: socket.socket | None = None
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread.start()

    def __enter__(self) -> RawServer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def bodies(self) -> list[bytes]:
        return [request.partition(b"\r\n\r\n")[2] for request in self.requests]

    def close(self) -> None:
        self.stop_listening(self.open)

    def accepted(self, conn: socket.socket) -> None:
        self.connections += 1
        self.open = conn
        with conn:
            conn.settimeout(5)
            while request := _read_request(conn):
                self.requests.append(request)
                if not self.reply(conn):
                    break


def _read_request(conn: socket.socket) -> bytes:
    """One request, head and body; empty when the client closed the connection."""
    data = b""
    while b"\r\n\r\n" not in data:
        if not (chunk := conn.recv(65536)):
            return b""
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        (
            int(line.split(b":", 1)[1])
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length:")
        ),
        0,
    )
    while len(body) < length:
        body += conn.recv(65536)
    return head + b"\r\n\r\n" + body


def hang_up(conn: socket.socket) -> None:
    """End the connection after reading the request: the client gets no answer at all."""
    conn.shutdown(socket.SHUT_RDWR)


def reset(conn: socket.socket) -> None:
    """Close with SO_LINGER 0, so the kernel answers with a TCP RST instead of a FIN."""
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def created(conn: socket.socket) -> bool:
    """Answer 201 and keep the connection open for the next request."""
    body = b'{"data": []}'
    conn.sendall(
        b"HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n"
        b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
    )
    return True


def free_port() -> int:
    """A localhost port nothing listens on (until another process binds it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def closed_port_url() -> str:
    """The URL of a port nothing listens on: connecting is refused at once."""
    return f"http://127.0.0.1:{free_port()}"


class TcpProxy(Listener):
    """Forwards connections on a localhost port to `target` until cut; from then on
    connecting is refused and every open connection is ended, as when the server behind
    it is gone: a service shared with other tests can be made unreachable to one process."""

    def __init__(self, target: tuple[str, int]) -> None:
        super().__init__()
        self.target = target
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        self.thread.start()

    def cut(self) -> None:
        self.stop_listening()
        with self._lock:
            for sock in self._open:  # each forwarding thread then closes its pair
                shut_down(sock)

    def accepted(self, conn: socket.socket) -> None:
        try:
            server = socket.create_connection(self.target, timeout=5)
        except OSError:
            conn.close()
            return
        server.settimeout(None)
        with self._lock:
            self._open.update((conn, server))
        threading.Thread(target=self._forward, args=(conn, server), daemon=True).start()

    def _forward(self, client: socket.socket, server: socket.socket) -> None:
        other = {client: server, server: client}
        try:
            while True:
                readable, _, _ = select.select(list(other), [], [])
                for sock in readable:
                    if not (data := sock.recv(65536)):
                        return
                    other[sock].sendall(data)
        except (OSError, ValueError):  # cut: the sockets were shut down or closed
            return
        finally:
            with self._lock:
                self._open.difference_update(other)
            client.close()
            server.close()


@contextlib.contextmanager
def full_backlog() -> Iterator[str]:
    """The URL of a listener that never accepts and whose backlog is full: connecting hangs.

    A non-routable address such as 10.255.255.1 does not time out on every network (some
    sandboxes answer for any address), so the connect timeout is produced locally.
    """
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    address = listener.getsockname()
    fillers: list[socket.socket] = []
    try:
        while True:  # connect until one hangs: from then on the backlog is full
            filler = socket.socket()
            filler.settimeout(0.2)
            fillers.append(filler)
            try:
                filler.connect(address)
            except TimeoutError:
                break
            if len(fillers) > 64:
                raise RuntimeError("the listen backlog never filled up")
        yield f"http://{address[0]}:{address[1]}"
    finally:
        for filler in fillers:
            filler.close()
        listener.close()
