/**
 * Builds the app from context: one tipline stack for the stage picked with `-c stage=<name>`
 * (default dev), configured from `cdk.json`, checked with cdk-nag's AwsSolutions rules.
 */
import * as cdk from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

import { settingsFromContext } from './settings';
import { TiplineStack } from './tipline-stack';

/** Adds the stage's stack to `app`; synthesis fails on any unsuppressed cdk-nag error. */
export function addTiplineStage(app: cdk.App): TiplineStack {
  const { stage, settings } = settingsFromContext(app.node);
  const stack = new TiplineStack(app, `Tipline-${stage}`, {
    ...settings,
    stage,
    description: `tipline (${stage}): WhatsApp scam-check tipline: webhook, queue, processor, alarms`,
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
    tags: { project: 'tipline', stage },
  });
  cdk.Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
  return stack;
}
