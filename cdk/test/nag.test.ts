/**
 * cdk-nag AwsSolutions checks: no unsuppressed error or warning, and every suppression
 * carries a specific reason.
 */
import * as cdk from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';

import { StageSettings } from '../lib/settings';
import { buildStack, pinnedStage } from './helpers';

function checked(extra: StageSettings = {}, tamper?: (stack: cdk.Stack) => void) {
  const { app, stack } = buildStack(extra);
  tamper?.(stack);
  cdk.Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true, reports: false }));
  const annotations = Annotations.fromStack(stack);
  const describe = (messages: { id: string; entry: { data?: unknown } }[]) =>
    messages.map((m) => `${m.id}: ${String(m.entry.data).split('\n')[0]}`);
  return {
    stack,
    errors: describe(annotations.findError('*', Match.stringLikeRegexp('AwsSolutions-'))),
    warnings: describe(annotations.findWarning('*', Match.stringLikeRegexp('AwsSolutions-'))),
  };
}

const defaults = checked();

test('default stage: no unsuppressed AwsSolutions error or warning', () => {
  expect(defaults.errors).toEqual([]);
  expect(defaults.warnings).toEqual([]);
});

test('pinned URL, existing secrets, subscriptions, no trigger: still clean', () => {
  const variant = checked(pinnedStage());
  expect(variant.errors).toEqual([]);
  expect(variant.warnings).toEqual([]);
});

test('the checks are live: an unsuppressed violation is reported', () => {
  expect(() =>
    checked({}, (stack) => {
      new sqs.Queue(stack, 'StrayQueue', { encryption: sqs.QueueEncryption.UNENCRYPTED });
    }),
  ).toThrow(/AwsSolutions-SQS3|AwsSolutions-SQS4/);
});

test('every suppression names a rule and gives a specific reason', () => {
  const resources = Template.fromStack(defaults.stack).toJSON().Resources as Record<string, any>;
  const suppressions = Object.values(resources).flatMap(
    (r) => (r.Metadata?.cdk_nag?.rules_to_suppress ?? []) as { id: string; reason: string }[],
  );
  // A suppression applied to a construct is recorded on each of its resources; list each once.
  expect([...new Set(suppressions.map((s) => s.id))].sort()).toEqual([
    'AwsSolutions-IAM5',
    'AwsSolutions-SMG4',
  ]);
  for (const { id, reason } of suppressions) {
    expect([id, reason.length > 100]).toEqual([id, true]);
  }
});
