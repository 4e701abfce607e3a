#!/usr/bin/env python3
"""Cold start of the Lambda binaries, measured against a stand-in of the Lambda runtime API.

Usage: scripts/coldstart.py WEBHOOK_BINARY PROCESSOR_BINARY [RUNS]   (under scripts/with-services.sh)

For each binary and run: start it with AWS_LAMBDA_RUNTIME_API pointing here, time from spawn to
its first `GET /2018-06-01/runtime/invocation/next` (init done, ready for an event), hand it one
event, time the answer, then read its peak RSS (VmHWM) and stop it. Prints a table and JSON.
"""

import http.server
import json
import os
import queue
import statistics
import subprocess
import sys
import threading
import time

EVENT_WEBHOOK = {
    "version": "2.0", "routeKey": "$default", "rawPath": "/twilio/whatsapp", "rawQueryString": "",
    "headers": {"content-type": "application/x-www-form-urlencoded"},
    "requestContext": {"http": {"method": "POST", "path": "/twilio/whatsapp"}},
    "body": "Body=hi", "isBase64Encoded": False,
}
EVENT_PROCESSOR = {"Records": []}


def serve(events):
    """A runtime API stand-in that records when each request arrives."""
    seen = queue.Queue()

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            seen.put(("next", time.monotonic()))
            body = json.dumps(events.get()).encode()
            self.send_response(200)
            self.send_header("Lambda-Runtime-Aws-Request-Id", "req-1")
            self.send_header("Lambda-Runtime-Deadline-Ms", str(int(time.time() * 1000) + 30000))
            self.send_header("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:0:function:f")
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)
            seen.put(("response" if self.path.endswith("/response") else "error", time.monotonic()))
            self.send_response(202)
            self.send_header("Content-Length", "0")
            self.end_headers()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, seen


def peak_rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    return None


def one_run(binary, event, env):
    events = queue.Queue()
    events.put(event)
    server, seen = serve(events)
    env = dict(env, AWS_LAMBDA_RUNTIME_API=f"127.0.0.1:{server.server_address[1]}")
    start = time.monotonic()
    proc = subprocess.Popen([binary], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        kind, ready_at = seen.get(timeout=30)
        kind, answered_at = seen.get(timeout=30)
        # The runtime asks for the next event once it answered; then its peak is final.
        seen.get(timeout=30)
        rss = peak_rss_mib(proc.pid)
    except queue.Empty:
        proc.kill()
        raise SystemExit(f"{binary} did not reach the runtime API in 30 s: {proc.stderr.read().decode()[-2000:]}")
    finally:
        proc.kill()
        proc.wait()
        server.shutdown()
    return {"init_ms": (ready_at - start) * 1000, "first_event_ms": (answered_at - ready_at) * 1000,
            "outcome": kind, "peak_rss_mib": rss}


def main():
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    webhook, processor = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    for var in ("DATABASE_URL", "AWS_ENDPOINT_URL"):
        if not os.environ.get(var):
            raise SystemExit(f"{var} is not set: run under scripts/with-services.sh")
    base = dict(os.environ, AWS_LAMBDA_FUNCTION_NAME="tipline-coldstart", AWS_LAMBDA_FUNCTION_MEMORY_SIZE="512",
                AWS_LAMBDA_FUNCTION_VERSION="1", AWS_LAMBDA_LOG_GROUP_NAME="g", AWS_LAMBDA_LOG_STREAM_NAME="s",
                TWILIO_ACCOUNT_SID="AC0123456789abcdef0123456789abcdef", TWILIO_AUTH_TOKEN="coldstart",
                TWILIO_WHATSAPP_FROM="whatsapp:+14155238886", MEDIA_STORE_URL="file:///tmp/tipline-coldstart-media",
                PUBLIC_WEBHOOK_URL="https://example.com/twilio/whatsapp",
                QUEUE_URL=f"{os.environ['AWS_ENDPOINT_URL']}/123456789012/tipline-coldstart")
    report = {}
    for name, binary, event in (("webhook", webhook, EVENT_WEBHOOK), ("processor", processor, EVENT_PROCESSOR)):
        results = [one_run(binary, event, base) for _ in range(runs)]
        report[name] = {
            "runs": runs,
            "init_ms_p50": round(statistics.median(r["init_ms"] for r in results), 1),
            "init_ms_max": round(max(r["init_ms"] for r in results), 1),
            "first_event_ms_p50": round(statistics.median(r["first_event_ms"] for r in results), 1),
            "peak_rss_mib_max": max(r["peak_rss_mib"] or 0 for r in results),
            "outcomes": sorted({r["outcome"] for r in results}),
            "binary_bytes": os.path.getsize(binary),
        }
    print(f"{'':<12}{'init p50 ms':>12}{'init max ms':>12}{'1st event ms':>13}{'peak RSS MiB':>13}{'binary MB':>10}")
    for name, r in report.items():
        print(f"{name:<12}{r['init_ms_p50']:>12}{r['init_ms_max']:>12}{r['first_event_ms_p50']:>13}"
              f"{r['peak_rss_mib_max']:>13}{r['binary_bytes'] / 1e6:>10.1f}")
    print(json.dumps(report))


if __name__ == "__main__":
    main()
