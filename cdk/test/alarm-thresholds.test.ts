/**
 * Issue 12, point 11: for every stage in cdk.json, the queue-age alarm sits above twice the
 * visibility timeout, so a message that failed twice and is still retrying cannot fire it
 * alongside the DLQ alarm; by default it is maxReceiveCount x the visibility timeout.
 */
import { ContextSource, settingsFromContext } from '../lib/settings';
import { cdkJsonContext, logicalId, synth } from './helpers';

const context = cdkJsonContext();
const stages = Object.keys(context.stages as Record<string, unknown>);
const asSource = (values: Record<string, unknown>): ContextSource => ({ tryGetContext: (key) => values[key] });

test('cdk.json has the three stages', () => {
  expect(stages.sort()).toEqual(['dev', 'prod', 'staging']);
});

describe.each(stages)('stage %s', (stage) => {
  const { settings } = settingsFromContext(asSource({ ...context, stage }));
  const { stack, template } = synth(settings, stage);
  const resources = template.toJSON().Resources as Record<string, any>;
  const queue = resources[logicalId(template, 'AWS::SQS::Queue', { QueueName: `tipline-${stage}-queue` })].Properties;
  const alarm = (anchor: string) =>
    Object.values(template.findResources('AWS::CloudWatch::Alarm', { Properties: { AlarmName: `tipline-${stage}-${anchor}` } }))[0]
      ?.Properties;

  test('queue-age threshold > 2 x visibility timeout (> visibility timeout)', () => {
    const threshold = alarm('queue-age').Threshold as number;
    expect(threshold).toBeGreaterThan(queue.VisibilityTimeout);
    expect(threshold).toBeGreaterThan(2 * queue.VisibilityTimeout);
    if (settings.queueAgeThresholdSeconds === undefined) {
      expect(threshold).toBe(queue.RedrivePolicy.maxReceiveCount * queue.VisibilityTimeout);
    }
    expect(threshold).toBeLessThan(queue.MessageRetentionPeriod);
  });

  test('the age alarm evaluates well within the DLQ path: sustained 3 of 5 one-minute periods', () => {
    expect(alarm('queue-age')).toMatchObject({ Period: 60, EvaluationPeriods: 5, DatapointsToAlarm: 3 });
  });

  test('webhook 4xx, permanent failures and auth failures are alarmed', () => {
    for (const anchor of ['webhook-4xx', 'permanent-failures', 'auth-failures']) {
      expect([anchor, alarm(anchor) !== undefined]).toEqual([anchor, true]);
    }
    expect(stack.monitoring.alarms.authFailures).toBeDefined();
  });
});
