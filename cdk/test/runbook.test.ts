/**
 * docs/runbook.md has a section for every alarm (the anchors alarm descriptions link to) and
 * the on-call commands the sections rely on.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { RUNBOOK_ANCHORS } from '../lib/runbook';

const runbook = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'runbook.md'), 'utf8');

/** The text of the section that starts at an anchor, up to the next anchor. */
function section(anchor: string): string {
  const start = runbook.indexOf(`<a id="${anchor}"></a>`);
  if (start < 0) throw new Error(`docs/runbook.md has no <a id="${anchor}"></a>`);
  const next = runbook.indexOf('<a id="', start + 1);
  return runbook.slice(start, next < 0 ? undefined : next);
}

test.each(Object.values(RUNBOOK_ANCHORS))('alarm section %s: meaning, how to look, how to fix', (anchor) => {
  const text = section(anchor);
  expect(text).toMatch(/^<a id="[a-z0-9-]+"><\/a>\n## .+\n/);
  for (const part of ['**What it means.**', '**How to look.**', '**How to fix.**', 'Console']) {
    expect(text).toContain(part);
  }
});

test('each anchor is defined exactly once', () => {
  for (const anchor of Object.values(RUNBOOK_ANCHORS)) {
    expect(runbook.split(`<a id="${anchor}"></a>`)).toHaveLength(2);
  }
});

test('every in-page link points at an anchor that exists', () => {
  const anchors = new Set([...runbook.matchAll(/<a id="([^"]+)"><\/a>/g)].map((m) => m[1]));
  for (const [, target] of runbook.matchAll(/\]\(#([^)]+)\)/g)) expect([target, anchors.has(target)]).toEqual([target, true]);
});

test('the on-call commands are spelled out', () => {
  for (const command of [
    'tipline dlq stats',
    'tipline dlq peek -n 10',
    'tipline dlq redrive --max-per-second 10',
    'tipline replay <MessageSid>',
    'aws logs tail /aws/lambda/tipline-$STAGE-processor --since 15m',
    'aws logs tail /aws/lambda/tipline-$STAGE-webhook   --since 15m',
  ]) {
    expect(runbook).toContain(command);
  }
});

test('Logs Insights queries use the JSON log fields', () => {
  for (const field of ['level', 'message_sid', 'error']) expect(runbook).toMatch(new RegExp(`fields [^\\n]*\\b${field}\\b`));
});

test('the WhatsApp 24-hour window (Twilio 63016) is checked before redrive', () => {
  const window = section('whatsapp-24-hour-window');
  expect(window).toContain('63016');
  expect(window).toContain('24 h');
  expect(section(RUNBOOK_ANCHORS.dlqNotEmpty)).toContain('(#whatsapp-24-hour-window)');
});
