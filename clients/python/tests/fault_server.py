"""A local stand-in for Vigil's ingest routes that fails on cue (standard library only).

It keeps Vigil's contract where the tests lean on it: a batch id is stored once and a
repeat comes back ``duplicate: true`` with nothing counted again; gzip bodies are
inflated; errors use the one error body. Each request takes the next scripted action
(then "ok" forever):
  {"status": 503, "retry_after": "1", "code": ...}  answer with that status
  {"reset": True}       cut the connection before any reply
  {"lost_reply": True}  store the batch, then cut the connection
It can also forward to a real Vigil (``upstream``), applying the same actions around the
real reply: that is how the end-to-end tests force a 503 after Vigil stored a batch.
"""
import gzip
import json
import socket
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FaultServer:
    def __init__(self, upstream=None):
        self.upstream = upstream.rstrip("/") if upstream else None
        self.requests = []  # (time, path, headers, body dict)
        self.stored = {}  # batch id -> prediction ids
        self.actions = []
        self.lock = threading.Lock()
        self.held = None  # threading.Event while holding replies
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                server._handle(self)

            def do_PUT(self):
                server._handle(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = "http://127.0.0.1:%d" % self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self.thread.start()

    def script(self, *actions):
        with self.lock:
            self.actions = list(actions)

    def hold(self):
        self.held = threading.Event()

    def release(self):
        held, self.held = self.held, None
        if held:
            held.set()

    def counted(self):
        with self.lock:
            return sum(len(ids) for ids in self.stored.values())

    def counted_ids(self):
        with self.lock:
            return [i for ids in self.stored.values() for i in ids]

    def close(self):
        self.release()
        self.httpd.shutdown()
        self.httpd.server_close()

    def _handle(self, h):
        raw = h.rfile.read(int(h.headers.get("Content-Length") or 0))
        text = gzip.decompress(raw) if h.headers.get("Content-Encoding") == "gzip" else raw
        try:
            body = json.loads(text.decode("utf-8"))
        except ValueError:
            body = {}
        with self.lock:
            self.requests.append((time.time(), h.path, dict(h.headers.items()), body))
            action = self.actions.pop(0) if self.actions else "ok"
        held = self.held
        if held:
            held.wait(30)
        if action != "ok" and action.get("reset"):
            return self._cut(h)
        if action != "ok" and "status" in action and not self.upstream:
            return self._reply(h, action["status"], {"error": {"code": action.get("code", "status_%d" % action["status"]), "message": "scripted %d" % action["status"]}},
                               {"Retry-After": action["retry_after"]} if "retry_after" in action else {})
        if self.upstream:
            status, headers, reply_raw = self._forward(h, raw)
            if action != "ok" and "status" in action:
                # Vigil stored it; the sender is told it failed.
                return self._reply(h, action["status"], {"error": {"code": "forced", "message": "forced %d after Vigil answered %d" % (action["status"], status)}})
            if action != "ok" and action.get("lost_reply"):
                return self._cut(h)
            return self._send(h, status, reply_raw, headers.get("Content-Type", "application/json"))
        records = body.get("events") or body.get("actuals") or body.get("outcomes") or []
        batch_id = body.get("batch_id") or "anon-%d" % len(self.stored)
        with self.lock:
            duplicate = batch_id in self.stored
            if not duplicate:
                self.stored[batch_id] = [str(r.get("prediction_id")) for r in records]
            accepted = len(self.stored[batch_id])
        if action != "ok" and action.get("lost_reply"):
            return self._cut(h)
        if h.path == "/v1/actuals":
            return self._reply(h, 200, {"matched": len(records), "unmatched": 0, "already_labeled": 0, "unmatched_ids": [], "rejected": [], "rejected_count": 0})
        if h.path == "/v1/outcomes":
            return self._reply(h, 200, {"accepted": len(records), "rejected": [], "rejected_count": 0})
        return self._reply(h, 200, {"accepted": accepted, "rejected": [], "rejected_count": 0, "batch_id": batch_id, "duplicate": duplicate})

    def _forward(self, h, raw):
        req = urllib.request.Request(self.upstream + h.path, data=raw, method=h.command)
        for name in ("Content-Type", "Content-Encoding", "Authorization"):
            if h.headers.get(name):
                req.add_header(name, h.headers[name])
        try:
            with urllib.request.urlopen(req, timeout=30) as res:
                return res.status, dict(res.headers.items()), res.read()
        except urllib.error.HTTPError as err:
            return err.code, dict(err.headers.items()), err.read()

    def _cut(self, h):
        h.close_connection = True
        try:
            h.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _reply(self, h, status, body, headers=None):
        data = json.dumps(body).encode("utf-8")
        h.send_response(status)
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)

    def _send(self, h, status, data, content_type):
        h.send_response(status)
        h.send_header("Content-Type", content_type)
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)
