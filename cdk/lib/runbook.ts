/**
 * The alarms' anchors in `docs/runbook.md`. Alarm descriptions link here and a test checks
 * that the runbook has a section for every one, so the two cannot drift apart.
 */
export const RUNBOOK_ANCHORS = {
  queueDepth: 'queue-depth',
  queueAge: 'queue-age',
  dlqNotEmpty: 'dlq-not-empty',
  processorErrors: 'processor-errors',
  processorThrottles: 'processor-throttles',
  processorDuration: 'processor-duration',
  webhookErrors: 'webhook-errors',
  webhook5xx: 'webhook-5xx',
  webhookThrottles: 'webhook-throttles',
  webhookDuration: 'webhook-duration',
  webhook4xx: 'webhook-4xx',
  permanentFailures: 'permanent-failures',
  authFailures: 'auth-failures',
} as const;

export type AlarmKey = keyof typeof RUNBOOK_ANCHORS;

/** The link to an alarm's runbook section. */
export function runbookLink(base: string, key: AlarmKey): string {
  return `${base}#${RUNBOOK_ANCHORS[key]}`;
}
