"""Writes the webhook's Lambda event fixtures, signed by Twilio's own Python library.

Run with the test venv: .venv/bin/python scripts/make_webhook_fixtures.py
The events follow the documented HTTP API v2 / Function URL payload format 2.0.
"""
import base64
import json
import pathlib
import urllib.parse

from twilio.request_validator import RequestValidator

TOKEN = "fixture-auth-token-0123456789abcd"
URL = "https://abcdefghijklmnopqrstuvwxyz012345.lambda-url.eu-west-1.on.aws/twilio/whatsapp"
OUT = pathlib.Path(__file__).resolve().parent.parent / "webhook" / "tests" / "fixtures"
SID = "SM{:032x}"
ACCOUNT = "AC0123456789abcdef0123456789abcdef"

BASE = [
    ("SmsMessageSid", None), ("NumMedia", "0"), ("ProfileName", "Ana Souza"), ("MessageType", "text"),
    ("SmsSid", None), ("WaId", "5511987654321"), ("SmsStatus", "received"), ("Body", None),
    ("To", "whatsapp:+14155238886"), ("NumSegments", "1"), ("ReferralNumMedia", "0"),
    ("MessageSid", None), ("AccountSid", ACCOUNT), ("From", "whatsapp:+5511987654321"), ("ApiVersion", "2010-04-01"),
]


class Multi(dict):
    def getall(self, name):
        return self[name]


def form(sid, body, extra=()):
    pairs = []
    for name, value in BASE:
        if name in ("SmsMessageSid", "SmsSid", "MessageSid"):
            value = sid
        if name == "Body":
            value = body
        pairs.append((name, value))
    pairs.extend(extra)
    return pairs


def sign(pairs, url=URL, token=TOKEN):
    multi = Multi()
    for name, value in pairs:
        multi.setdefault(name, []).append(value)
    return RequestValidator(token).compute_signature(url, multi)


def event(pairs, signature, base64_body, method="POST", content_type="application/x-www-form-urlencoded", raw_query=""):
    body = urllib.parse.urlencode(pairs)
    headers = {
        "content-type": content_type,
        "host": urllib.parse.urlparse(URL).hostname,
        "i-twilio-idempotency-token": "0f3a2d4e-6b7c-4d8e-9f10-112233445566",
        "user-agent": "TwilioProxy/1.1",
        "x-amzn-trace-id": "Root=1-673f1a2b-0123456789abcdef01234567",
        "x-forwarded-for": "54.172.60.1",
        "x-forwarded-port": "443",
        "x-forwarded-proto": "https",
        "x-home-region": "us1",
    }
    if signature is not None:
        headers["x-twilio-signature"] = signature
    return {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": "/twilio/whatsapp",
        "rawQueryString": raw_query,
        "headers": headers,
        "requestContext": {
            "accountId": "anonymous",
            "apiId": "abcdefghijklmnopqrstuvwxyz012345",
            "domainName": urllib.parse.urlparse(URL).hostname,
            "domainPrefix": "abcdefghijklmnopqrstuvwxyz012345",
            "http": {"method": method, "path": "/twilio/whatsapp", "protocol": "HTTP/1.1",
                     "sourceIp": "54.172.60.1", "userAgent": "TwilioProxy/1.1"},
            "requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
            "routeKey": "$default",
            "stage": "$default",
            "time": "22/Nov/2026:10:15:30 +0000",
            "timeEpoch": 1795342530123,
        },
        "body": base64.b64encode(body.encode()).decode() if base64_body else body,
        "isBase64Encoded": base64_body,
    }


def write(name, value):
    (OUT / name).write_text(json.dumps(value, indent=2, ensure_ascii=False) + "\n")


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    text = form(SID.format(1), "URGENT: your parcel is held at customs. Pay the £1.99 fee at https://bit.ly/3xYz to release it")
    write("text_function_url_base64.json", event(text, sign(text), True))
    write("text_http_api.json", event(text, sign(text), False))

    media = form(SID.format(2).replace("SM", "MM", 1), "", [
        ("MediaContentType0", "image/jpeg"),
        ("MediaUrl0", f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT}/Messages/{SID.format(2).replace('SM', 'MM', 1)}/Media/ME{1:032x}"),
    ])
    media = [(n, "1" if n == "NumMedia" else ("image" if n == "MessageType" else v)) for n, v in media]
    write("media_function_url.json", event(media, sign(media), True))

    location = form(SID.format(3), "", [("Latitude", "-23.5505"), ("Longitude", "-46.6333"),
                                        ("Address", "Praça da Sé, São Paulo"), ("Label", "Encontro")])
    location = [(n, "location" if n == "MessageType" else v) for n, v in location]
    write("location_http_api.json", event(location, sign(location), False))

    forwarded = form(SID.format(4), "Olá! Ganhe R$500 por dia curtindo vídeos 👍 fale comigo", [("Forwarded", "true"), ("FrequentlyForwarded", "true")])
    write("forwarded_function_url.json", event(forwarded, sign(forwarded), True))

    write("missing_signature.json", event(text, None, True))
    write("invalid_signature.json", event(text, sign(text, token="some-other-token"), True))
    write("wrong_url.json", event(text, sign(text, url=URL.replace("/twilio/whatsapp", "/other")), True))

    no_sid = [(n, v) for n, v in text if n != "MessageSid"]
    write("missing_message_sid.json", event(no_sid, sign(no_sid), True))

    bad = event(text, sign(text), True)
    bad["body"] = base64.b64encode(b"Body=%FF%FE&MessageSid=" + SID.format(5).encode()).decode()
    write("malformed_form.json", bad)

    write("wrong_method.json", event(text, sign(text), False, method="GET"))
    write("wrong_content_type.json", event(text, sign(text), False, content_type="application/json"))


if __name__ == "__main__":
    main()
