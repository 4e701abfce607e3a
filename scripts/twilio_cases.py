#!/usr/bin/env python3
"""Differential-test cases for X-Twilio-Signature validation, made with the OFFICIAL
twilio package (twilio.request_validator), so the Rust validator can be checked
against it case by case.

    python scripts/twilio_cases.py [--count N] [--seed S]

prints one JSON document to stdout (UTF-8):

    {"cases": [{"name": str,
                "token": str,
                "algorithm": "HMAC_SHA1" | "HMAC_SHA256",
                "url": str,            # the URL the server is configured with and validates against
                "params": [[name, value], ...],   # form fields in request order, names may repeat
                "body": null | str,    # raw JSON body (then params is [] and url has bodySHA256=<hex>)
                "signature": str,      # the X-Twilio-Signature header value
                "valid": bool}, ...]}  # what RequestValidator(token).validate(...) returns

The first cases are Twilio's published vectors (asserted here against compute_signature,
so a wrong vector fails loudly). Then --count random valid cases (seed-deterministic),
each followed by mutated cases named "<name>/mutated-...", whose "valid" is again what
the official validate() returns (a few mutations, such as duplicating a pair or
reordering pairs, keep the case valid).
"""

import argparse
import hashlib
import json
import random
import string
import sys
from urllib.parse import parse_qs, urlparse

from twilio.request_validator import (
    HMAC_SHA1,
    HMAC_SHA256,
    RequestValidator,
    add_port,
    remove_port,
)


class MultiDict:
    """Ordered (name, value) pairs with repeated names, the way a form is posted.

    RequestValidator iterates it for names (set(params)) and calls getall(name)."""

    def __init__(self, pairs):
        self.pairs = [(k, v) for k, v in pairs]

    def __iter__(self):
        return iter([k for k, _ in self.pairs])

    def __len__(self):
        return len(self.pairs)

    def getall(self, name):
        return [v for k, v in self.pairs if k == name]


def official_valid(case):
    validator = RequestValidator(case["token"])
    params = case["body"] if case["body"] is not None else MultiDict(case["params"])
    result = validator.validate(case["url"], params, case["signature"], case["algorithm"])
    assert isinstance(result, bool)
    return result


def sign(token, url, pairs, algorithm):
    return RequestValidator(token).compute_signature(url, MultiDict(pairs), algorithm)


def make_case(name, token, algorithm, url, params, body, signature):
    case = {
        "name": name,
        "token": token,
        "algorithm": algorithm,
        "url": url,
        "params": [[k, v] for k, v in params],
        "body": body,
        "signature": signature,
        "valid": None,
    }
    case["valid"] = official_valid(case)
    return case


def round_trips(url):
    try:
        parsed = urlparse(url)
        parsed.port  # raises ValueError on a bad port
    except ValueError:
        return False
    if parsed.geturl() != url:
        return False
    if parsed.params or parsed.fragment or "@" in parsed.netloc or "[" in parsed.netloc:
        return False
    return True


# ---------------------------------------------------------------------------
# Twilio's published vectors

PUB_TOKEN = "12345"
PUB_URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
PUB_PARAMS = [
    ("CallSid", "CA1234567890ABCDE"),
    ("Caller", "+14158675309"),
    ("Digits", "1234"),
    ("From", "+14158675309"),
    ("To", "+18005551212"),
]
PUB_BODY = '{"property": "value", "boolean": true}'
PUB_BODY_HASH = "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620"


def published_cases():
    vectors = [
        ("published/basic", PUB_URL, PUB_PARAMS, None, "RSOYDt4T1cUTdK1PDd93/VVr8B8="),
        (
            "published/https-port-443",
            "https://mycompany.com:443/myapp.php?foo=1&bar=2",
            PUB_PARAMS,
            None,
            "kvajT1Ptam85bY51eRf/AJRuM3w=",
        ),
        (
            "published/http-port-80",
            "http://mycompany.com:80/myapp.php?foo=1&bar=2",
            PUB_PARAMS,
            None,
            "0ZXoZLH/DfblKGATFgpif+LLRf4=",
        ),
        (
            "published/http-port-1234",
            "http://mycompany.com:1234/myapp.php?foo=1&bar=2",
            PUB_PARAMS,
            None,
            "Zmvh+3yNM1Phv2jhDCwEM3q5ebU=",
        ),
        (
            "published/repeated-keys",
            PUB_URL,
            [
                ("Sid", "CA123"),
                ("SidAccount", "AC123"),
                ("Digits", "5678"),
                ("Digits", "1234"),
                ("Digits", "1234"),
            ],
            None,
            "IK+Dwps556ElfBT0I3Rgjkr1wJU=",
        ),
        (
            "published/json-body",
            PUB_URL + "&bodySHA256=" + PUB_BODY_HASH,
            [],
            PUB_BODY,
            "a9nBmqA0ju/hNViExpshrM61xv4=",
        ),
    ]
    assert hashlib.sha256(PUB_BODY.encode("utf-8")).hexdigest() == PUB_BODY_HASH
    cases = []
    for name, url, params, body, signature in vectors:
        computed = sign(PUB_TOKEN, url, params, HMAC_SHA1)
        assert computed == signature, f"{name}: compute_signature gives {computed}, published {signature}"
        cases.append(make_case(name, PUB_TOKEN, HMAC_SHA1, url, params, body, signature))
    # The server may be configured with the other accepted form of the URL.
    cases.append(
        make_case(
            "published/basic-signed-without-port-configured-with-443",
            PUB_TOKEN,
            HMAC_SHA1,
            "https://mycompany.com:443/myapp.php?foo=1&bar=2",
            PUB_PARAMS,
            None,
            "RSOYDt4T1cUTdK1PDd93/VVr8B8=",
        )
    )
    cases.append(
        make_case(
            "published/https-signed-with-443-configured-without-port",
            PUB_TOKEN,
            HMAC_SHA1,
            PUB_URL,
            PUB_PARAMS,
            None,
            "kvajT1Ptam85bY51eRf/AJRuM3w=",
        )
    )
    return cases


# ---------------------------------------------------------------------------
# random material

ACCENTED = "éèêëàâäîïôöùûüçñøåæœßÉÀÇÑØÅ"
CJK = "日本語中文字漢字한국어テスト"
EMOJI = ["😀", "🎉", "👍🏽", "🇺🇸", "👨\u200d👩\u200d👧", "❤️", "🔥", "✅"]
OTHER_SCRIPTS = "مرحباשלוםПриветΓειά"
COMBINING = ["e\u0301", "a\u0308", "n\u0303"]
SPECIALS = "&=+%'\" \n\r\t?#;/:,.!*()[]{}<>|\\^~`@$"

TWILIO_NAMES = [
    "Body",
    "From",
    "To",
    "MessageSid",
    "SmsMessageSid",
    "SmsSid",
    "AccountSid",
    "MessagingServiceSid",
    "NumMedia",
    "NumSegments",
    "MediaUrl0",
    "MediaContentType0",
    "MediaUrl1",
    "MediaContentType1",
    "MediaUrl10",
    "ProfileName",
    "WaId",
    "SmsStatus",
    "ApiVersion",
    "ButtonText",
    "ButtonPayload",
    "Latitude",
    "Longitude",
    "Forwarded",
    "FrequentlyForwarded",
    "ReferralNumMedia",
    "OriginalRepliedMessageSid",
]
ODD_NAMES = ["a", "A", "_", "Z", "body", "BODY", "x[0]", "a b", "ü", "名前", "k=v", "a&b", "%41", "+", ""]

HOSTS = [
    "example.com",
    "sub.domain.io",
    "tipline.example.org",
    "abc123xyz.execute-api.us-east-1.amazonaws.com",
    "a1b2c3.lambda-url.eu-west-1.on.aws",
    "localhost",
    "127.0.0.1",
    "my-host.ngrok.io",
    "x.y.z.example",
]
PATH_WORDS = ["webhook", "twilio", "whatsapp", "sms", "api", "v1", "v2", "hooks", "in", "myapp.php", "index.html", "a-b_c.d~e"]
PATH_UNICODE = ["café", "日本", "ñandú", "😀", "Привет", "über"]
PATH_SAFE = string.ascii_letters + string.digits + "-._~!$'()*,:@"
QUERY_KEYS = ["foo", "bar", "q", "id", "x", "page", "lang", "token", "a"]


def hex_string(rng, n):
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def pct(rng):
    digits = rng.choice(["0123456789ABCDEF", "0123456789abcdef"])
    return "%" + rng.choice(digits) + rng.choice(digits)


def random_char(rng):
    r = rng.random()
    if r < 0.45:
        return rng.choice(string.ascii_letters + string.digits)
    if r < 0.65:
        return rng.choice(SPECIALS)
    if r < 0.75:
        return rng.choice(ACCENTED)
    if r < 0.83:
        return rng.choice(CJK)
    if r < 0.90:
        return rng.choice(EMOJI)
    if r < 0.95:
        return rng.choice(OTHER_SCRIPTS)
    return rng.choice(COMBINING)


def random_text(rng, max_len=40):
    return "".join(random_char(rng) for _ in range(rng.randint(0, max_len)))


def random_token(rng):
    if rng.random() < 0.8:
        return hex_string(rng, 32)
    pool = string.ascii_letters + string.digits + string.punctuation + " " + ACCENTED + CJK + "".join(EMOJI)
    return "".join(rng.choice(pool) for _ in range(rng.randint(1, 48)))


def realistic_value(rng, name):
    if name in ("From", "To"):
        return rng.choice(["whatsapp:", ""]) + "+1" + "".join(rng.choice(string.digits) for _ in range(10))
    if name.endswith("Sid"):
        return rng.choice(["SM", "MM", "AC", "MG"]) + hex_string(rng, 32)
    if name.startswith("Num") or name == "ReferralNumMedia":
        return str(rng.randint(0, 10))
    if name.startswith("MediaUrl"):
        return "https://api.twilio.com/2010-04-01/Accounts/AC%s/Messages/MM%s/Media/ME%s" % (
            hex_string(rng, 32),
            hex_string(rng, 32),
            hex_string(rng, 32),
        )
    if name.startswith("MediaContentType"):
        return rng.choice(["image/jpeg", "audio/ogg", "video/mp4", "application/pdf"])
    if name == "ApiVersion":
        return "2010-04-01"
    if name in ("Latitude", "Longitude"):
        return "%.6f" % rng.uniform(-90, 90)
    if name == "SmsStatus":
        return "received"
    if name == "WaId":
        return "1" + "".join(rng.choice(string.digits) for _ in range(10))
    return random_text(rng)


def random_value(rng, name):
    r = rng.random()
    if r < 0.12:
        return ""
    if r < 0.5 and name in TWILIO_NAMES:
        return realistic_value(rng, name)
    return random_text(rng)


def random_name(rng):
    r = rng.random()
    if r < 0.7:
        return rng.choice(TWILIO_NAMES)
    if r < 0.85:
        return rng.choice(ODD_NAMES)
    return random_text(rng, 12) or "n"


def random_params(rng):
    pairs = []
    for _ in range(rng.randint(0, 12)):
        r = rng.random()
        if pairs and r < 0.12:
            pairs.insert(rng.randint(0, len(pairs)), rng.choice(pairs))  # exact duplicate pair
        elif pairs and r < 0.3:
            name = rng.choice(pairs)[0]  # repeated name, new value
            pairs.append((name, random_value(rng, name)))
        else:
            name = random_name(rng)
            pairs.append((name, random_value(rng, name)))
    return pairs


def random_path(rng):
    if rng.random() < 0.1:
        return "/"
    segments = []
    for _ in range(rng.randint(1, 4)):
        r = rng.random()
        if r < 0.4:
            seg = rng.choice(PATH_WORDS)
        elif r < 0.55:
            seg = rng.choice(PATH_UNICODE)
        elif r < 0.75:
            seg = rng.choice(PATH_WORDS) + pct(rng) + rng.choice(["", "x", "é"])
        else:
            seg = "".join(rng.choice(PATH_SAFE) for _ in range(rng.randint(1, 10)))
        segments.append(seg)
    path = "/" + "/".join(segments)
    if rng.random() < 0.25:
        path += "/"
    return path


def query_value(rng):
    r = rng.random()
    if r < 0.2:
        return ""
    if r < 0.35:
        return pct(rng) + pct(rng)
    if r < 0.45:
        return "a+b"
    if r < 0.55:
        return rng.choice(PATH_UNICODE)
    return "".join(rng.choice(string.ascii_letters + string.digits + "-._~") for _ in range(rng.randint(1, 12)))


def random_query_pairs(rng):
    items = []
    for _ in range(rng.randint(1, 5)):
        if items and rng.random() < 0.2:
            key = rng.choice(items)[0]  # repeated key
        else:
            key = rng.choice(QUERY_KEYS)
        items.append((key, query_value(rng)))
    return items


def build_url(rng, body_hash=None):
    scheme = rng.choice(["http", "https"])
    host = rng.choice(HOSTS)
    r = rng.random()
    if r < 0.45:
        netloc = host
    elif r < 0.6:
        netloc = host + ":80"
    elif r < 0.75:
        netloc = host + ":443"
    else:
        netloc = host + ":" + str(rng.randint(1024, 65535))
    url = scheme + "://" + netloc + random_path(rng)
    items = random_query_pairs(rng) if (body_hash is not None or rng.random() < 0.6) else []
    if body_hash is not None:
        items = [(k, v) for k, v in items if k != "bodySHA256"]
        items.insert(rng.randint(0, len(items)), ("bodySHA256", body_hash))
    if items:
        parts = []
        for k, v in items:
            if not v and rng.random() < 0.3 and k != "bodySHA256":
                parts.append(k)  # key without "="
            else:
                parts.append(k + "=" + v)
        url += "?" + "&".join(parts)
    return url


def random_json_body(rng):
    def value(depth):
        r = rng.random()
        if depth > 2 or r < 0.3:
            return random_text(rng, 20)
        if r < 0.45:
            return rng.randint(-(10**6), 10**6)
        if r < 0.55:
            return rng.choice([True, False, None])
        if r < 0.75:
            return [value(depth + 1) for _ in range(rng.randint(0, 3))]
        return {random_text(rng, 8): value(depth + 1) for _ in range(rng.randint(0, 3))}

    obj = {rng.choice(["Body", "event", "data", "type"]): value(0) for _ in range(rng.randint(1, 4))}
    separators = rng.choice([(", ", ": "), (",", ":")])
    return json.dumps(obj, ensure_ascii=rng.random() < 0.5, separators=separators)


def random_valid_case(rng, index):
    token = random_token(rng)
    algorithm = HMAC_SHA256 if rng.random() < 0.2 else HMAC_SHA1
    is_body = rng.random() < 0.1
    body = random_json_body(rng) if is_body else None
    body_hash = hashlib.sha256(body.encode("utf-8")).hexdigest() if is_body else None
    while True:
        url = build_url(rng, body_hash)
        if round_trips(url):
            break
    params = [] if is_body else random_params(rng)

    parsed = urlparse(url)
    variants = {"as-is": url, "without-port": remove_port(parsed), "with-port": add_port(parsed)}
    signed_as = rng.choice(sorted(variants))
    signature = sign(token, variants[signed_as], params, algorithm)
    name = "random-%04d-%s%s-signed-%s" % (
        index,
        "sha256" if algorithm == HMAC_SHA256 else "sha1",
        "-body" if is_body else "",
        signed_as,
    )
    case = make_case(name, token, algorithm, url, params, body, signature)
    assert case["valid"], f"generator bug: {name} should be valid: {case!r}"
    return case


# ---------------------------------------------------------------------------
# mutations


def change_one_char(rng, s, pool):
    """s with one character replaced, inserted or deleted."""
    ops = ["insert"] + (["replace", "delete"] if s else [])
    op = rng.choice(ops)
    if op == "insert":
        i = rng.randint(0, len(s))
        return s[:i] + rng.choice(pool) + s[i:]
    i = rng.randrange(len(s))
    if op == "delete":
        return s[:i] + s[i + 1 :]
    choices = [c for c in pool if c != s[i]]
    return s[:i] + rng.choice(choices) + s[i + 1 :]


def mutate_url_path(rng, url):
    parsed = urlparse(url)
    pool = string.ascii_letters + string.digits + "é"
    for _ in range(100):
        path = parsed.path
        if len(path) <= 1 or rng.random() < 0.3:
            i = rng.randint(1, len(path))
            new_path = path[:i] + rng.choice(pool) + path[i:]
        else:
            i = rng.randint(1, len(path) - 1)
            new_path = path[:i] + rng.choice([c for c in pool if c != path[i]]) + path[i + 1 :]
        new_url = parsed._replace(path=new_path).geturl()
        if new_url != url and round_trips(new_url):
            return new_url
    raise AssertionError(f"could not mutate the path of {url!r}")


def mutate_url_query(rng, url, keep_body_hash):
    """url with one character of its query string changed, or None without a query.

    With keep_body_hash the result still has a bodySHA256 query parameter: given a string
    body and a URL without one, the official validator raises TypeError instead of
    answering, so such a case has no official answer."""
    parsed = urlparse(url)
    if not parsed.query:
        return None
    pool = string.ascii_letters + string.digits
    for _ in range(100):
        query = parsed.query
        i = rng.randrange(len(query))
        new_query = query[:i] + rng.choice([c for c in pool if c != query[i]]) + query[i + 1 :]
        new_url = parsed._replace(query=new_query).geturl()
        if keep_body_hash and "bodySHA256" not in parse_qs(new_query):
            continue
        if new_url != url and round_trips(new_url):
            return new_url
    raise AssertionError(f"could not mutate the query of {url!r}")


def mutations(rng, case):
    base = dict(case)
    out = []

    def emit(suffix, **changes):
        c = dict(base)
        c.update(changes)
        out.append(make_case(base["name"] + "/mutated-" + suffix, c["token"], c["algorithm"], c["url"],
                             [tuple(p) for p in c["params"]], c["body"], c["signature"]))

    sig = base["signature"]
    b64 = string.ascii_letters + string.digits + "+/"
    i = rng.randrange(len(sig))
    emit("signature", signature=sig[:i] + rng.choice([c for c in b64 if c != sig[i]]) + sig[i + 1 :])

    params = [tuple(p) for p in base["params"]]
    if params:
        j = rng.randrange(len(params))
        k, v = params[j]
        pool = string.ascii_letters + string.digits + " &=+%'\"\né😀日"
        changed = params[:j] + [(k, change_one_char(rng, v, pool))] + params[j + 1 :]
        emit("param-value", params=changed)
        # An exact duplicate of a pair: the official validator de-duplicates values.
        dup = list(params)
        dup.insert(rng.randint(0, len(dup)), rng.choice(params))
        emit("duplicate-pair", params=dup)
        if len(params) > 1:
            shuffled = list(params)
            while shuffled == params and len(set(params)) > 1:
                rng.shuffle(shuffled)
            emit("reordered-pairs", params=shuffled)
        emit("dropped-pair", params=params[:j] + params[j + 1 :])

    emit("url-path", url=mutate_url_path(rng, base["url"]))
    new_url = mutate_url_query(rng, base["url"], keep_body_hash=base["body"] is not None)
    if new_url is not None:
        emit("url-query", url=new_url)

    if base["body"] is not None:
        body = base["body"]
        i = rng.randrange(len(body))
        emit("body", body=body[:i] + rng.choice([c for c in "xyz0é" if c != body[i]]) + body[i + 1 :])

    other = HMAC_SHA256 if base["algorithm"] == HMAC_SHA1 else HMAC_SHA1
    emit("algorithm", algorithm=other)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=250, help="random valid cases (each also gets mutated ones)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    rng = random.Random(args.seed)
    cases = []
    for case in published_cases():
        cases.append(case)
        if case["valid"]:
            cases.extend(mutations(rng, case))
    for index in range(args.count):
        case = random_valid_case(rng, index)
        cases.append(case)
        cases.extend(mutations(rng, case))

    names = [c["name"] for c in cases]
    assert len(names) == len(set(names)), "duplicate case names"
    # sanity: the body cases carry the hash the validator reads from the URL
    for c in cases:
        if c["body"] is not None and c["valid"]:
            assert parse_qs(urlparse(c["url"]).query)["bodySHA256"][0] == hashlib.sha256(
                c["body"].encode("utf-8")
            ).hexdigest()

    doc = json.dumps({"cases": cases}, ensure_ascii=False)
    sys.stdout.buffer.write(doc.encode("utf-8") + b"\n")


if __name__ == "__main__":
    main()
