#!/usr/bin/env python3
"""AWS cost per million messages, from a `tipline bench --json` report.

Usage: scripts/cost_model.py BENCH_JSON [--batch-seconds S]

Takes the processor's measured mean invocation time for the queued mode (one invocation per
batch) and the inline mode (one message per invocation) and prices three designs per 1M
messages: queued with batches, SQS with batch size 1, and inline with no queue. With
--batch-seconds it also prices the queued and one-per-invocation designs at that duration per
invocation, to show how the gap scales with a slower analyser.

Prices: us-east-1 list prices from ../shared/research (ecosystem.md §2.6). Free tiers, logs,
OpenAI tokens, Twilio fees, RDS and NAT are left out: they are the same for every design here.
"""

import json
import sys

LAMBDA_PER_REQUEST = 0.20 / 1e6
GB_S = {"arm64": 0.0000133334, "x86_64": 0.0000166667}
SQS_PER_REQUEST = 0.40 / 1e6
MESSAGES = 1_000_000
# The webhook's duration cannot be measured locally (its queue is in-process): one SQS
# SendMessage is ≈ 16 ms p50 (ecosystem.md §2.3), so 25 ms per call (§2.7).
WEBHOOK_S = 0.025
# Memory as the CDK app deploys it by default (cdk/lib/settings.ts: webhookMemoryMiB,
# processorMemoryMiB).
WEBHOOK_GB, PROCESSOR_GB = 0.5, 0.5


def lambda_cost(invocations, seconds, gb, arch):
    return invocations * LAMBDA_PER_REQUEST + invocations * seconds * gb * GB_S[arch]


def designs(batch_s, batch_records, single_s):
    """Rows of (label, {arch: dollars}) for one set of durations."""
    batches = MESSAGES / batch_records
    rows = []
    for arch in GB_S:
        webhook = lambda_cost(MESSAGES, WEBHOOK_S, WEBHOOK_GB, arch)
        # One SendMessage per message; one ReceiveMessage and one DeleteMessageBatch per batch.
        sqs_batched = (MESSAGES + 2 * batches) * SQS_PER_REQUEST
        processor_batched = lambda_cost(batches, batch_s, PROCESSOR_GB, arch)
        processor_single = lambda_cost(MESSAGES, single_s, PROCESSOR_GB, arch)
        sqs_single = 3 * MESSAGES * SQS_PER_REQUEST
        rows.append({
            "arch": arch,
            "webhook": webhook,
            "sqs": sqs_batched,
            "processor": processor_batched,
            "queued": webhook + sqs_batched + processor_batched,
            "processor_single": processor_single,
            "batch_size_1": webhook + sqs_single + processor_single,
        })
    return rows


def main():
    args = sys.argv[1:]
    if not args or args[0].startswith("-"):
        raise SystemExit(__doc__)
    try:
        with open(args[0]) as f:
            report = json.load(f)
        modes = {m["mode"]: m for m in report["modes"]}
        queued, inline = modes["queued"], modes["inline"]
        batch_ms, records = queued["invocation_mean_ms"], queued["records_per_invocation"]
        single_ms = inline["invocation_mean_ms"]
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise SystemExit(f"cost_model.py: {args[0]} is not a `tipline bench --json` report with both modes: {e!r}")
    batch_seconds = None
    if len(args) == 3 and args[1] == "--batch-seconds":
        try:
            batch_seconds = float(args[2])
        except ValueError:
            raise SystemExit(f"cost_model.py: --batch-seconds must be a number, got {args[2]!r}")
    elif len(args) != 1:
        raise SystemExit(__doc__)

    rows = designs(batch_ms / 1000, records, single_ms / 1000)
    arm, x86 = rows
    n_batches = int(MESSAGES / records)
    lines = [
        f"Measured: {n_batches:,} batches of {records:g} records, {batch_ms:,.0f} ms mean per batch; "
        f"{single_ms:,.0f} ms mean per single message (from {args[0]}).",
        "",
        "| | arm64 | x86_64 |",
        "| --- | --- | --- |",
        f"| Webhook: 1M × {WEBHOOK_S * 1000:.0f} ms × {WEBHOOK_GB * 1024:.0f} MB + requests "
        f"| ${arm['webhook']:.2f} | ${x86['webhook']:.2f} |",
        f"| SQS: 1M SendMessage + {n_batches // 1000}k ReceiveMessage + {n_batches // 1000}k DeleteMessageBatch "
        f"| ${arm['sqs']:.2f} | ${x86['sqs']:.2f} |",
        f"| Processor: {n_batches // 1000}k batches × {batch_ms:,.0f} ms × {PROCESSOR_GB * 1024:.0f} MB + requests "
        f"| ${arm['processor']:.2f} | ${x86['processor']:.2f} |",
        f"| **Queued, batches of {records:g} handled concurrently** | **${arm['queued']:.2f}** | **${x86['queued']:.2f}** |",
        f"| Processor, one message per invocation: 1M × {single_ms:,.0f} ms × {PROCESSOR_GB * 1024:.0f} MB + requests "
        f"| ${arm['processor_single']:.2f} | ${x86['processor_single']:.2f} |",
        f"| **SQS with batch size 1** (webhook + 3M SQS requests + that processor) "
        f"| **${arm['batch_size_1']:.2f}** | **${x86['batch_size_1']:.2f}** |",
        # Inline, the webhook itself does the processor's whole job, one message per invocation.
        f"| **Inline, no queue** (the webhook at {PROCESSOR_GB * 1024:.0f} MB does everything) "
        f"| **${arm['processor_single']:.2f}** | **${x86['processor_single']:.2f}** |",
    ]
    result = {"measured": {"batch_ms": batch_ms, "records_per_batch": records, "single_ms": single_ms},
              "per_million": {r["arch"]: {k: round(v, 2) for k, v in r.items() if k != "arch"} for r in rows}}
    if batch_seconds is not None:
        slow_arm = designs(batch_seconds, records, batch_seconds)[0]
        lines += ["", f"At {batch_seconds:g} s per invocation (arm64): queued ${slow_arm['queued']:.2f}, "
                      f"one message per invocation ${slow_arm['batch_size_1']:.2f}, "
                      f"inline ${slow_arm['processor_single']:.2f}."]
        result["at_batch_seconds"] = {"seconds": batch_seconds, **{k: round(v, 2) for k, v in slow_arm.items()
                                                                    if k != "arch"}}
    print("\n".join(lines))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
