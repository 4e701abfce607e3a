/**
 * Shared test fixtures: a stub asset directory (no Rust build needed) and a stack
 * synthesized with the same context `cdk.json` gives the real app.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import * as cdk from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

import { StageSettings } from '../lib/settings';
import { LAMBDA_BINARIES, TiplineStack } from '../lib/tipline-stack';

/** An empty but valid zip whose archive comment names the binary, so each stub asset is distinct. */
export function stubZip(binary: string): Buffer {
  const comment = Buffer.from(`stub ${binary}`, 'ascii');
  const endOfCentralDirectory = Buffer.alloc(22);
  endOfCentralDirectory.writeUInt32LE(0x06054b50, 0);
  endOfCentralDirectory.writeUInt16LE(comment.length, 20);
  return Buffer.concat([endOfCentralDirectory, comment]);
}

/** A directory laid out like `target/lambda` after `cargo lambda build --output-format zip`. */
export function stubAssetDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tipline-assets-'));
  for (const binary of LAMBDA_BINARIES) {
    fs.mkdirSync(path.join(dir, binary));
    fs.writeFileSync(path.join(dir, binary, 'bootstrap.zip'), stubZip(binary));
  }
  return dir;
}

/** The feature flags and settings from `cdk.json`, so tests see what `cdk synth` sees. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  };
  return cdkJson.context;
}

let sharedAssets: string | undefined;

/** A stack for one stage with the stub assets (one directory per test process); `extra` overrides settings. */
export function buildStack(extra: StageSettings = {}, stage = 'test'): { app: cdk.App; stack: TiplineStack } {
  const app = new cdk.App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] } });
  const stack = new TiplineStack(app, `Tipline-${stage}`, {
    stage,
    lambdaAssetDir: (sharedAssets ??= stubAssetDir()),
    env: { account: '123456789012', region: 'eu-west-1' },
    ...extra,
  });
  return { app, stack };
}

/** The template of a stack built by `buildStack`. */
export function synth(extra: StageSettings = {}, stage = 'test'): { stack: TiplineStack; template: Template } {
  const { stack } = buildStack(extra, stage);
  return { stack, template: Template.fromStack(stack) };
}

/** The logical id of the only resource of a type whose properties match. */
export function logicalId(template: Template, type: string, props: Record<string, unknown> = {}): string {
  const found = Object.keys(template.findResources(type, { Properties: props }));
  if (found.length !== 1) throw new Error(`expected one ${type} matching, found ${found.length}: ${found.join(', ')}`);
  return found[0];
}

/**
 * A stage that pins everything the default stage creates or leaves open: the webhook URL,
 * existing secrets, alarm subscriptions, and no migrate trigger. Checked by cdk-nag and cfn-lint.
 */
export function pinnedStage(): StageSettings {
  const arn = (name: string) => `arn:aws:secretsmanager:eu-west-1:123456789012:secret:tipline/${name}-AbC123`;
  return {
    publicWebhookUrl: 'https://tipline.example.org/twilio',
    twilioSecretArn: arn('twilio'),
    twilioSigningSecretArn: arn('twilio-signing'),
    openAiSecretArn: arn('openai'),
    databaseSecretArn: arn('database'),
    retentionSecretArn: arn('retention'),
    alarmEmail: 'oncall@example.org',
    alarmHttpsUrl: 'https://pager.example.org/hook',
    migrateOnDeploy: false,
  };
}
