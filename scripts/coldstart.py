#!/usr/bin/env python3
"""Cold start of the Lambda binaries, measured against a stand-in of the Lambda runtime API.

Usage: scripts/coldstart.py WEBHOOK PROCESSOR TIPLINE [RUNS]
       (under scripts/with-services.sh, with the venv's python: it needs boto3 and twilio)

Each run starts a fresh process with AWS_LAMBDA_RUNTIME_API pointing at a stand-in served here,
and times spawn → its first `GET /2018-06-01/runtime/invocation/next` (init done, ready for an
event), then the first event → its answer, then reads the peak RSS (VmHWM) and stops it.

The events are real work, not empty ones:
- webhook: an HTTP API v2 event signed with the official twilio package, so the first event
  checks the signature and sends the message to a real SQS queue (moto);
- processor: an SQS event built from one of those queued messages as Lambda delivers it, so the
  first event claims it in Postgres (the pool's first connection), analyses it with the offline
  rules and sends the reply to a Twilio stand-in (served here too).
`TIPLINE migrate` prepares the database first. Prints a table and JSON.
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
import urllib.parse

import boto3
from twilio.request_validator import RequestValidator

ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef"
AUTH_TOKEN = "coldstart-token"
PUBLIC_URL = "https://coldstart.example.com/twilio/whatsapp"
QUEUE_NAME = "tipline-coldstart"


def serve(events):
    """The runtime API and Twilio's Messages API in one stand-in, recording runtime calls."""
    seen = queue.Queue()
    sent = []

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def reply(self, status, body=b"", headers=()):
            self.send_response(status)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            seen.put(("next", time.monotonic(), None))
            body = json.dumps(events.get()).encode()
            self.reply(200, body, [
                ("Lambda-Runtime-Aws-Request-Id", f"req-{time.monotonic_ns()}"),
                ("Lambda-Runtime-Deadline-Ms", str(int(time.time() * 1000) + 30000)),
                ("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:123456789012:function:f"),
                ("Content-Type", "application/json"),
            ])

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            if "/Messages.json" in self.path:
                sent.append(urllib.parse.parse_qs(body.decode()))
                sid = f"SM{time.monotonic_ns():032x}"[:34]
                answer = json.dumps({"sid": sid, "status": "queued"}).encode()
                self.reply(201, answer, [("Content-Type", "application/json")])
                return
            kind = "response" if self.path.endswith("/response") else "error"
            seen.put((kind, time.monotonic(), body))
            self.reply(202)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, seen, sent


def peak_rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    return None


def one_run(binary, event, env):
    events = queue.Queue()
    events.put(event)
    server, seen, sent = serve(events)
    port = server.server_address[1]
    env = dict(env, AWS_LAMBDA_RUNTIME_API=f"127.0.0.1:{port}", TWILIO_API_BASE_URL=f"http://127.0.0.1:{port}")
    start = time.monotonic()
    proc = subprocess.Popen([binary], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _, ready_at, _ = seen.get(timeout=30)
        kind, answered_at, answer = seen.get(timeout=30)
        # The runtime asks for the next event once it answered; then its peak is final.
        seen.get(timeout=30)
        rss = peak_rss_mib(proc.pid)
    except queue.Empty:
        proc.kill()
        raise SystemExit(f"{binary} did not answer the runtime API in 30 s: {proc.stderr.read().decode()[-2000:]}")
    finally:
        proc.kill()
        proc.wait()
        server.shutdown()
    return {"init_ms": (ready_at - start) * 1000, "first_event_ms": (answered_at - ready_at) * 1000,
            "outcome": kind, "answer": json.loads(answer or b"null"), "peak_rss_mib": rss,
            "replies": len(sent)}


def webhook_event(n):
    sid = f"SM{n:032x}"
    params = {"MessageSid": sid, "SmsMessageSid": sid, "AccountSid": ACCOUNT_SID,
              "From": f"whatsapp:+1555000{n:04d}", "To": "whatsapp:+14155238886", "WaId": f"1555000{n:04d}",
              "Body": "Your parcel is on hold. Pay the 1.99 fee today at https://royal-mail-redelivery.top/pay",
              "NumMedia": "0", "MessageType": "text", "ProfileName": "Cold Start", "ApiVersion": "2010-04-01"}
    signature = RequestValidator(AUTH_TOKEN).compute_signature(PUBLIC_URL, params)
    return {
        "version": "2.0", "routeKey": "$default", "rawPath": "/twilio/whatsapp", "rawQueryString": "",
        "headers": {"content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signature,
                    "host": "coldstart.example.com", "x-forwarded-proto": "https"},
        "requestContext": {"http": {"method": "POST", "path": "/twilio/whatsapp"}},
        "body": urllib.parse.urlencode(params), "isBase64Encoded": False,
    }


def sqs_event(message, queue_arn):
    """One queued message as the Lambda SQS event source delivers it."""
    attributes = {
        name: {"stringValue": value["StringValue"], "stringListValues": [], "binaryListValues": [],
               "dataType": value["DataType"]}
        for name, value in message.get("MessageAttributes", {}).items()
    }
    return {"Records": [{
        "messageId": message["MessageId"], "receiptHandle": message["ReceiptHandle"], "body": message["Body"],
        "attributes": message["Attributes"], "messageAttributes": attributes, "md5OfBody": message["MD5OfBody"],
        "eventSource": "aws:sqs", "eventSourceARN": queue_arn, "awsRegion": "us-east-1",
    }]}


def summarize(results, binary):
    return {
        "runs": len(results),
        "init_ms_p50": round(statistics.median(r["init_ms"] for r in results), 1),
        "init_ms_max": round(max(r["init_ms"] for r in results), 1),
        "first_event_ms_p50": round(statistics.median(r["first_event_ms"] for r in results), 1),
        "first_event_ms_max": round(max(r["first_event_ms"] for r in results), 1),
        "peak_rss_mib_max": max(r["peak_rss_mib"] or 0 for r in results),
        "binary_bytes": os.path.getsize(binary),
    }


def main():
    if len(sys.argv) < 4:
        raise SystemExit(__doc__)
    webhook, processor, tipline = sys.argv[1:4]
    try:
        runs = int(sys.argv[4]) if len(sys.argv) > 4 else 10
    except ValueError:
        raise SystemExit(f"coldstart.py: RUNS must be a whole number, got {sys.argv[4]!r}")
    if runs < 1:
        raise SystemExit("coldstart.py: RUNS must be at least 1")
    for binary in (webhook, processor, tipline):
        if not os.access(binary, os.X_OK):
            raise SystemExit(f"coldstart.py: {binary} is not an executable file")
    for var in ("DATABASE_URL", "AWS_ENDPOINT_URL"):
        if not os.environ.get(var):
            raise SystemExit(f"coldstart.py: {var} is not set: run under scripts/with-services.sh")

    sqs = boto3.client("sqs", endpoint_url=os.environ["AWS_ENDPOINT_URL"])
    queue_url = sqs.create_queue(QueueName=QUEUE_NAME)["QueueUrl"]
    sqs.purge_queue(QueueUrl=queue_url)
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    subprocess.run([tipline, "migrate"], check=True, stdout=subprocess.DEVNULL)

    base = dict(os.environ, AWS_LAMBDA_FUNCTION_NAME="tipline-coldstart", AWS_LAMBDA_FUNCTION_MEMORY_SIZE="512",
                AWS_LAMBDA_FUNCTION_VERSION="1", AWS_LAMBDA_LOG_GROUP_NAME="g", AWS_LAMBDA_LOG_STREAM_NAME="s",
                TWILIO_ACCOUNT_SID=ACCOUNT_SID, TWILIO_AUTH_TOKEN=AUTH_TOKEN,
                TWILIO_WHATSAPP_FROM="whatsapp:+14155238886", MEDIA_STORE_URL="file:///tmp/tipline-coldstart-media",
                PUBLIC_WEBHOOK_URL=PUBLIC_URL, QUEUE_URL=queue_url, RUST_LOG="warn")
    base.pop("OPENAI_API_KEY", None)
    stamp = int(time.time()) % 100_000 * 1000

    webhook_runs = []
    for i in range(runs):
        r = one_run(webhook, webhook_event(stamp + i), base)
        if r["outcome"] != "response" or (r["answer"] or {}).get("statusCode") != 200:
            raise SystemExit(f"coldstart.py: the webhook did not accept a signed message: {r['answer']!r}")
        webhook_runs.append(r)

    messages = []
    deadline = time.monotonic() + 30
    while len(messages) < runs and time.monotonic() < deadline:
        got = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=1,
                                  AttributeNames=["All"], MessageAttributeNames=["All"]).get("Messages", [])
        messages.extend(got)
    if len(messages) < runs:
        raise SystemExit(f"coldstart.py: {runs} messages were accepted but {len(messages)} reached the queue")

    processor_runs = []
    for message in messages[:runs]:
        r = one_run(processor, sqs_event(message, queue_arn), base)
        if r["outcome"] != "response" or (r["answer"] or {}).get("batchItemFailures") or r["replies"] != 1:
            raise SystemExit(f"coldstart.py: the processor did not answer a queued message once: "
                             f"{r['answer']!r}, {r['replies']} replies sent")
        processor_runs.append(r)

    report = {"webhook": summarize(webhook_runs, webhook), "processor": summarize(processor_runs, processor)}
    print(f"{'':<11}{'init p50 ms':>12}{'init max ms':>12}{'1st event p50':>14}{'1st event max':>14}"
          f"{'peak RSS MiB':>13}{'binary MB':>10}")
    for name, r in report.items():
        print(f"{name:<11}{r['init_ms_p50']:>12}{r['init_ms_max']:>12}{r['first_event_ms_p50']:>14}"
              f"{r['first_event_ms_max']:>14}{r['peak_rss_mib_max']:>13}{r['binary_bytes'] / 1e6:>10.1f}")
    print(json.dumps(report))


if __name__ == "__main__":
    main()
