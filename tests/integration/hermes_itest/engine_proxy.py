"""A TCP front for the real Docker engine that a test can break on purpose.

Hermes is pointed at it with `docker.base_url: tcp://127.0.0.1:<port>`; the proxy forwards each
connection to the engine's Unix socket. A test can then
  - `stop()`:   close the listener and every open connection, as an engine that went away;
  - `start()`:  listen again on the same port, as an engine that came back;
  - `freeze()`: keep accepting but never forward a byte, as a stuck engine;
  - `thaw()`:   forward again (frozen connections stay stuck; new ones work).
It also records the request line (method and path) of every HTTP request it forwarded, so a test
can compare the Engine API endpoints Hermes really calls with the documented list.

Only loopback is used, and the real engine is never stopped or restarted."""
import re
import selectors
import socket
import threading
from typing import Optional

DOCKER_SOCKET = "/var/run/docker.sock"
_REQUEST_LINE = re.compile(rb"(?:^|\r\n)(GET|POST|PUT|DELETE|HEAD) (/\S*) HTTP/1\.[01]\r\n")


class EngineProxy:
    def __init__(self, engine_socket: str = DOCKER_SOCKET, port: int = 0):
        self.engine_socket = engine_socket
        self.port = port
        self._listener: Optional[socket.socket] = None
        self._accept_thread: Optional[threading.Thread] = None
        self._lock = threading.Lock()
        self._pairs: list[tuple[socket.socket, Optional[socket.socket]]] = []
        self._frozen = False
        self._requests: list[tuple[str, str]] = []

    @property
    def base_url(self) -> str:
        return f"tcp://127.0.0.1:{self.port}"

    # --- control -----------------------------------------------------------------------------
    def start(self) -> "EngineProxy":
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(128)
        self.port = listener.getsockname()[1]
        self._listener = listener
        self._accept_thread = threading.Thread(target=self._accept_loop, args=(listener,),
                                               daemon=True)
        self._accept_thread.start()
        return self

    def stop(self) -> None:
        """Closes the listener and every connection: connects are refused from now on."""
        listener, self._listener = self._listener, None
        if listener is not None:
            try:
                listener.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            listener.close()
        if self._accept_thread is not None:
            self._accept_thread.join(timeout=5)
            self._accept_thread = None
        with self._lock:
            pairs, self._pairs = self._pairs, []
        for client, engine in pairs:
            _close(client)
            if engine is not None:
                _close(engine)

    def freeze(self) -> None:
        self._frozen = True

    def thaw(self) -> None:
        self._frozen = False

    def requests(self) -> list[tuple[str, str]]:
        """(method, path) of every request seen so far, query strings included."""
        with self._lock:
            return list(self._requests)

    def __enter__(self) -> "EngineProxy":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # --- forwarding --------------------------------------------------------------------------
    def _accept_loop(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # listener closed by stop()
            if self._frozen:
                with self._lock:
                    self._pairs.append((client, None))  # held open, never answered
                continue
            try:
                engine = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                engine.connect(self.engine_socket)
            except OSError:
                _close(client)
                continue
            with self._lock:
                self._pairs.append((client, engine))
            threading.Thread(target=self._pump, args=(client, engine), daemon=True).start()

    def _pump(self, client: socket.socket, engine: socket.socket) -> None:
        selector = selectors.DefaultSelector()
        selector.register(client, selectors.EVENT_READ, engine)
        selector.register(engine, selectors.EVENT_READ, client)
        open_directions = 2
        try:
            while open_directions > 0:
                for key, _ in selector.select(timeout=1.0):
                    source, destination = key.fileobj, key.data
                    try:
                        data = source.recv(65536)
                    except OSError:
                        data = b""
                    if not data:
                        selector.unregister(source)
                        open_directions -= 1
                        try:
                            destination.shutdown(socket.SHUT_WR)
                        except OSError:
                            pass
                        continue
                    if source is client:
                        self._note_requests(data)
                    destination.sendall(data)
        except OSError:
            pass  # stop() closed the sockets under us
        finally:
            selector.close()
            _close(client)
            _close(engine)

    def _note_requests(self, data: bytes) -> None:
        found = [(m.group(1).decode(), m.group(2).decode("latin-1"))
                 for m in _REQUEST_LINE.finditer(data)]
        if found:
            with self._lock:
                self._requests.extend(found)


def _close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()
