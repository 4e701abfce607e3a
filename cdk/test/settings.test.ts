/**
 * Stage settings: defaults, limits, and reading them from `cdk.json` context. No synthesis.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import {
  ContextSource,
  DEFAULTS,
  SETTING_KEYS,
  StageSettings,
  parseSettings,
  resolveSettings,
  settingsFromContext,
  visibilityTimeoutSeconds,
} from '../lib/settings';
import { lambdaZip } from '../lib/tipline-stack';
import { cdkJsonContext } from './helpers';

const context = (values: Record<string, unknown>): ContextSource => ({ tryGetContext: (key) => values[key] });

describe('resolveSettings', () => {
  test('defaults: 3 receives, 4 vs 14 days retention, 60 s processor, batch 10, concurrency 10, 30 days', () => {
    const s = resolveSettings('prod', {});
    expect(s).toMatchObject({
      maxReceiveCount: 3,
      queueRetentionDays: 4,
      dlqRetentionDays: 14,
      processorTimeoutSeconds: 60,
      batchSize: 10,
      maxConcurrency: 10,
      mediaRetentionDays: 30,
      logRetentionDays: 30,
      lambdaAssetDir: '../target/lambda',
      runbookUrl: 'docs/runbook.md',
    });
    expect(s.publicWebhookUrl).toBeUndefined();
  });

  test('the queue-age threshold defaults to maxReceiveCount x the visibility timeout (6 x processor timeout)', () => {
    expect(resolveSettings('prod', {}).queueAgeThresholdSeconds).toBe(3 * 360);
    expect(resolveSettings('prod', { maxReceiveCount: 5, processorTimeoutSeconds: 120 }).queueAgeThresholdSeconds).toBe(5 * 720);
    expect(resolveSettings('prod', { queueAgeThresholdSeconds: 721 }).queueAgeThresholdSeconds).toBe(721);
    expect(visibilityTimeoutSeconds(60)).toBe(360);
  });

  test('alarm defaults: webhook 4xx at 50 % of 5+ requests, 5 permanent failures per 15 min', () => {
    expect(resolveSettings('prod', {})).toMatchObject({
      webhook4xxPercentThreshold: 50,
      webhook4xxMinRequests: 5,
      permanentFailuresThreshold: 5,
    });
  });

  test('given values win over defaults; undefined does not erase a default', () => {
    const s = resolveSettings('dev', { maxConcurrency: 3, batchSize: undefined });
    expect(s.maxConcurrency).toBe(3);
    expect(s.batchSize).toBe(DEFAULTS.batchSize);
  });

  test.each<[StageSettings, RegExp]>([
    [{ dlqRetentionDays: 4 }, /dlqRetentionDays \(4\) must be longer than queueRetentionDays \(4\)/],
    [{ maxConcurrency: 1 }, /maxConcurrency must be an integer from 2 to 1000/],
    [{ maxConcurrency: 1001 }, /maxConcurrency must be an integer from 2 to 1000/],
    [{ batchSize: 100, maxBatchingWindowSeconds: 0 }, /batchSize 100 > 10 needs maxBatchingWindowSeconds >= 1/],
    [{ maxBatchingWindowSeconds: 301 }, /maxBatchingWindowSeconds/],
    [{ webhookTimeoutSeconds: 15 }, /Twilio's 15 s webhook timeout/],
    [{ processorTimeoutSeconds: 901 }, /processorTimeoutSeconds/],
    [{ logRetentionDays: 31 }, /logRetentionDays must be a CloudWatch Logs retention value/],
    [{ logLevel: 'VERBOSE' as never }, /logLevel must be one of/],
    [{ durationAlarmRatio: 1.2 }, /durationAlarmRatio/],
    [{ maxReceiveCount: 0 }, /maxReceiveCount/],
    [{ queueAgeThresholdSeconds: 1.5 }, /queueAgeThresholdSeconds must be an integer/],
    [{ queueAgeThresholdSeconds: 300 }, /queueAgeThresholdSeconds \(300\) must be above 2 x the visibility timeout \(2 x 360 s\)/],
    [{ queueAgeThresholdSeconds: 720 }, /must be above 2 x the visibility timeout/],
    [{ processorTimeoutSeconds: 120, queueAgeThresholdSeconds: 1440 }, /must be above 2 x the visibility timeout \(2 x 720 s\)/],
    [{ processorTimeoutSeconds: 900, maxReceiveCount: 100, queueRetentionDays: 4 }, /must be below the queue's retention/],
    [{ webhook4xxPercentThreshold: 0 }, /webhook4xxPercentThreshold must be an integer from 1 to 100/],
    [{ webhook4xxPercentThreshold: 101 }, /webhook4xxPercentThreshold/],
    [{ webhook4xxMinRequests: 0 }, /webhook4xxMinRequests/],
    [{ permanentFailuresThreshold: 0 }, /permanentFailuresThreshold/],
    [{ publicWebhookUrl: 'http://example.org/twilio' }, /publicWebhookUrl must be an absolute https:\/\/ URL/],
    [{ alarmHttpsUrl: 'http://pager.example.org' }, /alarmHttpsUrl must start with https:\/\//],
    [{ alarmEmail: 'not-an-address' }, /alarmEmail/],
    [
      { databaseSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:tipline/prod/database' },
      /complete secret ARN/,
    ],
  ])('refuses %j', (given, message) => {
    expect(() => resolveSettings('prod', given)).toThrow(message);
  });

  test.each(['Prod', '1st', 'a_b', 'x'.repeat(21), ''])('refuses stage name %j', (stage) => {
    expect(() => resolveSettings(stage, {})).toThrow(/stage/);
  });
});

describe('parseSettings', () => {
  test('refuses unknown keys so a typo cannot fall back to a default', () => {
    expect(() => parseSettings({ maxConcurency: 5 }, 'stages.prod')).toThrow(
      /stages\.prod: unknown setting "maxConcurency"/,
    );
  });

  test('reads -c strings as numbers and booleans', () => {
    expect(parseSettings({ maxConcurrency: '20', retainData: 'false', alarmEmail: 'a@b.c' }, 'context')).toEqual({
      maxConcurrency: 20,
      retainData: false,
      alarmEmail: 'a@b.c',
    });
  });

  test.each([
    [{ maxConcurrency: 'many' }, /maxConcurrency must be a number/],
    [{ retainData: 'yes' }, /retainData must be a boolean/],
    [{ alarmEmail: 5 }, /alarmEmail must be a string/],
  ])('refuses wrongly typed %j', (raw, message) => {
    expect(() => parseSettings(raw, 'context')).toThrow(message);
  });

  test('every setting has a documented row in cdk/README.md', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
    for (const key of SETTING_KEYS) expect([key, readme.includes(`| \`${key}\``)]).toEqual([key, true]);
  });
});

describe('settingsFromContext', () => {
  const fromCdkJson = cdkJsonContext();

  test.each(['dev', 'staging', 'prod'])('cdk.json stage %s is valid', (stage) => {
    const { settings } = settingsFromContext(context({ ...fromCdkJson, stage }));
    expect(() => resolveSettings(stage, settings)).not.toThrow();
  });

  test('the stage defaults to dev, whose settings come from cdk.json', () => {
    const { stage, settings } = settingsFromContext(context(fromCdkJson));
    expect(stage).toBe('dev');
    expect(settings.maxConcurrency).toBe(2);
    expect(settings.retainData).toBe(false);
  });

  test('-c flags override the stage settings', () => {
    const { settings } = settingsFromContext(
      context({ ...fromCdkJson, stage: 'prod', maxConcurrency: '25', alarmEmail: 'oncall@example.org' }),
    );
    expect(settings.maxConcurrency).toBe(25);
    expect(settings.alarmEmail).toBe('oncall@example.org');
    expect(settings.retainData).toBe(true);
  });

  test('an unknown stage names the known ones', () => {
    expect(() => settingsFromContext(context({ ...fromCdkJson, stage: 'qa' }))).toThrow(
      /stage "qa" is not in cdk.json "stages" \(known: dev, staging, prod\)/,
    );
  });
});

describe('lambdaZip', () => {
  test('a missing zip tells how to build it', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'tipline-noassets-'));
    expect(() => lambdaZip(empty, 'webhook')).toThrow(/cargo lambda build --release --arm64 --output-format zip/);
  });

  test('relative directories resolve from cdk/, not the working directory', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tipline-assets-'));
    fs.mkdirSync(path.join(dir, 'processor'));
    fs.writeFileSync(path.join(dir, 'processor', 'bootstrap.zip'), '');
    const relative = path.relative(path.join(__dirname, '..'), dir);
    expect(lambdaZip(relative, 'processor')).toBe(path.join(dir, 'processor', 'bootstrap.zip'));
  });
});
