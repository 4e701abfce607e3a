/**
 * Stage settings: the typed props of the stack, their defaults, their validation, and how
 * they are read from `cdk.json` context (`-c stage=prod`, plus `-c key=value` overrides).
 *
 * Every setting is a plain value with its unit in the name, so a key in `cdk.json`, a `-c`
 * flag and a prop are the same word.
 */
import * as cdk from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';

/** The log levels Lambda's advanced logging controls accept for application logs. */
export const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Settings that differ between stages; every one is optional and has a default. */
export interface StageSettings {
  /** Where `cargo lambda build --release --arm64 --output-format zip` put the zips, relative to `cdk/`. */
  readonly lambdaAssetDir?: string;
  /** The URL Twilio posts to when it is not the Function URL (custom domain, proxy). */
  readonly publicWebhookUrl?: string;

  /** SQS receives before a message moves to the DLQ; also the processor's `MAX_RECEIVES`. */
  readonly maxReceiveCount?: number;
  /** How long the main queue keeps a message. */
  readonly queueRetentionDays?: number;
  /** How long the DLQ keeps a message; must be longer than the main queue's retention. */
  readonly dlqRetentionDays?: number;

  readonly processorTimeoutSeconds?: number;
  readonly processorMemoryMiB?: number;
  /** Records per processor invocation. */
  readonly batchSize?: number;
  /** How long the event source waits to fill a batch (groups a sender's text and screenshots). */
  readonly maxBatchingWindowSeconds?: number;
  /** Cap on concurrent processor invocations from the queue (event source `ScalingConfig`). */
  readonly maxConcurrency?: number;

  readonly webhookTimeoutSeconds?: number;
  readonly webhookMemoryMiB?: number;

  readonly migrateTimeoutSeconds?: number;
  /** Run `tipline migrate` as a deploy-time trigger. Turn off for the very first deploy of fresh secrets. */
  readonly migrateOnDeploy?: boolean;

  /** Days before media objects expire from the bucket: the backstop behind the retention job. */
  readonly mediaRetentionDays?: number;

  /** Link to the full privacy policy, sent with the privacy notice (`PRIVACY_POLICY_URL`). */
  readonly privacyPolicyUrl?: string;
  /** How long after "delete my data" a "yes" confirms it (`DELETION_CONFIRM_WINDOW_SECS`). */
  readonly deletionConfirmWindowSeconds?: number;
  /** Days before the retention job replaces phone numbers by keyed pseudonyms. */
  readonly retentionPseudonymizeDays?: number;
  /** Days before the retention job deletes stored media and forgets its keys. */
  readonly retentionMediaDays?: number;
  /** Days before the retention job erases free text (tips, feedback, reply bodies). */
  readonly retentionTextDays?: number;
  /** Hours between scheduled retention runs (an EventBridge rule). */
  readonly retentionIntervalHours?: number;
  readonly retentionTimeoutSeconds?: number;
  /** Complete ARN of an existing secret holding `RETENTION_HMAC_KEY`; created when unset. */
  readonly retentionSecretArn?: string;
  /** Days before S3 server access logs of the media bucket expire. */
  readonly accessLogRetentionDays?: number;
  /** Days every function's log group keeps logs (a CloudWatch Logs retention value). */
  readonly logRetentionDays?: number;
  /** Application log level passed through Lambda's logging config. */
  readonly logLevel?: LogLevel;
  /** Keep buckets, log groups and created secrets when the stack is deleted. */
  readonly retainData?: boolean;

  readonly openAiModel?: string;
  /** Complete ARN of an existing Secrets Manager secret; the stack creates one when unset. */
  readonly twilioSecretArn?: string;
  /** Complete ARN of an existing secret holding only the webhook's signing keys (auth tokens, shared keys). */
  readonly twilioSigningSecretArn?: string;
  readonly openAiSecretArn?: string;
  readonly databaseSecretArn?: string;

  /** E-mail address subscribed to the on-call topic. */
  readonly alarmEmail?: string;
  /** HTTPS endpoint (pager, chat webhook) subscribed to the on-call topic. */
  readonly alarmHttpsUrl?: string;
  /** Base of the runbook links in alarm descriptions; `#<anchor>` is appended. */
  readonly runbookUrl?: string;
  /** Visible messages in the main queue that count as a backlog. */
  readonly queueDepthThreshold?: number;
  /**
   * Age of the oldest message that counts as late. Users wait for this reply. Unset: derived,
   * `maxReceiveCount` x the visibility timeout, the longest a retrying message can stay in the
   * queue; set: must be above 2 x the visibility timeout, so a message that failed twice and is
   * still retrying cannot fire it (that message is the DLQ alarm's, if it fails again).
   */
  readonly queueAgeThresholdSeconds?: number;
  /** Processor invocation errors per 5 minutes that raise the alarm. */
  readonly processorErrorsThreshold?: number;
  /** Webhook invocation errors per 5 minutes that raise the alarm. */
  readonly webhookErrorsThreshold?: number;
  /** Throttles per 5 minutes (either function) that raise the alarm. */
  readonly throttlesThreshold?: number;
  /** Fraction of the timeout that p99 duration may reach before the alarm fires. */
  readonly durationAlarmRatio?: number;
  /** Percentage of the webhook's Function URL requests answered 4xx (per 5 minutes) that raises the alarm. */
  readonly webhook4xxPercentThreshold?: number;
  /** Function URL requests a 5-minute period needs before its 4xx percentage counts (keeps a stray scanner quiet). */
  readonly webhook4xxMinRequests?: number;
  /** Messages the processor recorded as permanently failed (EMF `Permanent`) per 15 minutes that raise the alarm. */
  readonly permanentFailuresThreshold?: number;
}

/** Props of `TiplineStack`. */
export interface TiplineStackProps extends cdk.StackProps, StageSettings {
  /** Stage name (dev, staging, prod); part of every resource name. */
  readonly stage: string;
}

/** The settings with every default applied (derived ones computed from the others). */
export type ResolvedSettings = Required<Omit<StageSettings, OptionalKeys>> & Pick<StageSettings, OptionalKeys>;

/** Settings whose default is computed from other settings rather than fixed. */
type DerivedKeys = 'queueAgeThresholdSeconds';

type OptionalKeys =
  | 'publicWebhookUrl'
  | 'twilioSecretArn'
  | 'twilioSigningSecretArn'
  | 'openAiSecretArn'
  | 'databaseSecretArn'
  | 'retentionSecretArn'
  | 'privacyPolicyUrl'
  | 'alarmEmail'
  | 'alarmHttpsUrl';

/** Defaults, chosen for a production stage; `cdk.json` lowers them for dev. */
export const DEFAULTS: Required<Omit<StageSettings, OptionalKeys | DerivedKeys>> = {
  lambdaAssetDir: '../target/lambda',
  maxReceiveCount: 3,
  queueRetentionDays: 4,
  dlqRetentionDays: 14,
  processorTimeoutSeconds: 60,
  processorMemoryMiB: 512,
  batchSize: 10,
  maxBatchingWindowSeconds: 2,
  maxConcurrency: 10,
  webhookTimeoutSeconds: 10,
  webhookMemoryMiB: 512,
  migrateTimeoutSeconds: 300,
  migrateOnDeploy: true,
  mediaRetentionDays: 30,
  deletionConfirmWindowSeconds: 300,
  retentionPseudonymizeDays: 30,
  retentionMediaDays: 30,
  retentionTextDays: 90,
  retentionIntervalHours: 24,
  retentionTimeoutSeconds: 900,
  accessLogRetentionDays: 90,
  logRetentionDays: 30,
  logLevel: 'INFO',
  retainData: true,
  openAiModel: 'gpt-4o-mini',
  runbookUrl: 'docs/runbook.md',
  queueDepthThreshold: 100,
  processorErrorsThreshold: 1,
  webhookErrorsThreshold: 1,
  throttlesThreshold: 1,
  durationAlarmRatio: 0.8,
  webhook4xxPercentThreshold: 50,
  webhook4xxMinRequests: 5,
  permanentFailuresThreshold: 5,
};

/**
 * The main queue's visibility timeout: AWS guidance for Lambda consumers is at least 6 x the
 * function timeout, so a batch that waited behind a throttle is not redelivered mid-flight.
 */
export function visibilityTimeoutSeconds(processorTimeoutSeconds: number): number {
  return 6 * processorTimeoutSeconds;
}

type Kind = 'number' | 'string' | 'boolean';

/** The type of every setting, used to read untyped context. */
const KINDS: { readonly [K in keyof Required<StageSettings>]: Kind } = {
  lambdaAssetDir: 'string',
  publicWebhookUrl: 'string',
  maxReceiveCount: 'number',
  queueRetentionDays: 'number',
  dlqRetentionDays: 'number',
  processorTimeoutSeconds: 'number',
  processorMemoryMiB: 'number',
  batchSize: 'number',
  maxBatchingWindowSeconds: 'number',
  maxConcurrency: 'number',
  webhookTimeoutSeconds: 'number',
  webhookMemoryMiB: 'number',
  migrateTimeoutSeconds: 'number',
  migrateOnDeploy: 'boolean',
  mediaRetentionDays: 'number',
  privacyPolicyUrl: 'string',
  deletionConfirmWindowSeconds: 'number',
  retentionPseudonymizeDays: 'number',
  retentionMediaDays: 'number',
  retentionTextDays: 'number',
  retentionIntervalHours: 'number',
  retentionTimeoutSeconds: 'number',
  retentionSecretArn: 'string',
  accessLogRetentionDays: 'number',
  logRetentionDays: 'number',
  logLevel: 'string',
  retainData: 'boolean',
  openAiModel: 'string',
  twilioSecretArn: 'string',
  twilioSigningSecretArn: 'string',
  openAiSecretArn: 'string',
  databaseSecretArn: 'string',
  alarmEmail: 'string',
  alarmHttpsUrl: 'string',
  runbookUrl: 'string',
  queueDepthThreshold: 'number',
  queueAgeThresholdSeconds: 'number',
  processorErrorsThreshold: 'number',
  webhookErrorsThreshold: 'number',
  throttlesThreshold: 'number',
  durationAlarmRatio: 'number',
  webhook4xxPercentThreshold: 'number',
  webhook4xxMinRequests: 'number',
  permanentFailuresThreshold: 'number',
};

/** The names of all settings, for documentation and context parsing. */
export const SETTING_KEYS = Object.keys(KINDS) as (keyof StageSettings)[];

/** Log retention values CloudWatch Logs accepts. */
const RETENTION_DAYS = new Set<number>(
  Object.values(logs.RetentionDays).filter((v): v is number => typeof v === 'number'),
);

/** Applies defaults and checks every limit AWS or this design imposes; throws naming the setting. */
export function resolveSettings(stage: string, given: StageSettings): ResolvedSettings {
  if (!/^[a-z][a-z0-9-]{0,19}$/.test(stage)) {
    throw new Error(`stage "${stage}" must be 1-20 lowercase letters, digits or hyphens, starting with a letter`);
  }
  const defined = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
  const merged = { ...DEFAULTS, ...defined } as Omit<ResolvedSettings, DerivedKeys> & Partial<Pick<StageSettings, DerivedKeys>>;
  const visibility = visibilityTimeoutSeconds(merged.processorTimeoutSeconds);
  const s: ResolvedSettings = {
    ...merged,
    queueAgeThresholdSeconds: merged.queueAgeThresholdSeconds ?? merged.maxReceiveCount * visibility,
  };

  const integer = (key: keyof StageSettings, min: number, max: number): void => {
    const v = s[key] as number;
    if (!Number.isInteger(v) || v < min || v > max) {
      throw new Error(`${key} must be an integer from ${min} to ${max}, got ${v}`);
    }
  };
  integer('maxReceiveCount', 1, 1000);
  integer('queueRetentionDays', 1, 14);
  integer('dlqRetentionDays', 1, 14);
  integer('processorTimeoutSeconds', 1, 900);
  integer('processorMemoryMiB', 128, 10240);
  integer('batchSize', 1, 10000);
  integer('maxBatchingWindowSeconds', 0, 300);
  integer('maxConcurrency', 2, 1000);
  integer('webhookTimeoutSeconds', 1, 900);
  integer('webhookMemoryMiB', 128, 10240);
  integer('migrateTimeoutSeconds', 1, 900);
  integer('mediaRetentionDays', 1, 3650);
  integer('deletionConfirmWindowSeconds', 30, 3600);
  integer('retentionPseudonymizeDays', 1, 3650);
  integer('retentionMediaDays', 1, 3650);
  integer('retentionTextDays', 1, 3650);
  integer('retentionIntervalHours', 1, 168);
  integer('retentionTimeoutSeconds', 60, 900);
  if (s.privacyPolicyUrl !== undefined && !/^https:\/\/\S+$/.test(s.privacyPolicyUrl)) {
    throw new Error(`privacyPolicyUrl must be an https:// link, got ${s.privacyPolicyUrl}`);
  }
  integer('accessLogRetentionDays', 1, 3650);
  integer('queueDepthThreshold', 1, 1_000_000);
  integer('queueAgeThresholdSeconds', 60, 1_209_600);
  integer('processorErrorsThreshold', 1, 1_000_000);
  integer('webhookErrorsThreshold', 1, 1_000_000);
  integer('throttlesThreshold', 1, 1_000_000);
  integer('webhook4xxPercentThreshold', 1, 100);
  integer('webhook4xxMinRequests', 1, 1_000_000);
  integer('permanentFailuresThreshold', 1, 1_000_000);

  if (s.dlqRetentionDays <= s.queueRetentionDays) {
    throw new Error(
      `dlqRetentionDays (${s.dlqRetentionDays}) must be longer than queueRetentionDays (${s.queueRetentionDays}): ` +
        'SQS keeps the original enqueue time when it moves a message to the DLQ',
    );
  }
  if (s.batchSize > 10 && s.maxBatchingWindowSeconds < 1) {
    throw new Error(`batchSize ${s.batchSize} > 10 needs maxBatchingWindowSeconds >= 1`);
  }
  if (s.webhookTimeoutSeconds > 14) {
    throw new Error(`webhookTimeoutSeconds must stay below Twilio's 15 s webhook timeout, got ${s.webhookTimeoutSeconds}`);
  }
  if (visibility > 43_200) {
    throw new Error('processorTimeoutSeconds x 6 must fit the 12 h SQS visibility timeout limit');
  }
  if (s.queueAgeThresholdSeconds <= 2 * visibility) {
    throw new Error(
      `queueAgeThresholdSeconds (${s.queueAgeThresholdSeconds}) must be above 2 x the visibility timeout ` +
        `(2 x ${visibility} s): a message that failed twice is that old when it is received again, and it ` +
        `belongs to the DLQ alarm, not the age alarm. Leave it unset for maxReceiveCount x visibility timeout`,
    );
  }
  if (s.queueAgeThresholdSeconds >= s.queueRetentionDays * 86_400) {
    throw new Error(
      `queueAgeThresholdSeconds (${s.queueAgeThresholdSeconds}) must be below the queue's retention ` +
        `(${s.queueRetentionDays} days), or the age alarm can never fire`,
    );
  }
  if (!RETENTION_DAYS.has(s.logRetentionDays)) {
    throw new Error(`logRetentionDays must be a CloudWatch Logs retention value, got ${s.logRetentionDays}`);
  }
  if (!(LOG_LEVELS as readonly string[]).includes(s.logLevel)) {
    throw new Error(`logLevel must be one of ${LOG_LEVELS.join(', ')}, got ${s.logLevel}`);
  }
  if (!(s.durationAlarmRatio > 0 && s.durationAlarmRatio < 1)) {
    throw new Error(`durationAlarmRatio must be between 0 and 1, got ${s.durationAlarmRatio}`);
  }
  if (s.publicWebhookUrl !== undefined && !/^https:\/\/[^\s/]+(\/\S*)?$/.test(s.publicWebhookUrl)) {
    throw new Error(`publicWebhookUrl must be an absolute https:// URL, got ${s.publicWebhookUrl}`);
  }
  if (s.alarmHttpsUrl !== undefined && !s.alarmHttpsUrl.startsWith('https://')) {
    throw new Error(`alarmHttpsUrl must start with https://, got ${s.alarmHttpsUrl}`);
  }
  if (s.alarmEmail !== undefined && !/^[^@\s]+@[^@\s]+$/.test(s.alarmEmail)) {
    throw new Error(`alarmEmail must be an e-mail address, got ${s.alarmEmail}`);
  }
  for (const key of ['twilioSecretArn', 'openAiSecretArn', 'databaseSecretArn'] as const) {
    const arn = s[key];
    // A complete ARN ends in the 6-character suffix Secrets Manager adds; IAM grants need it.
    if (arn !== undefined && !/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+-[A-Za-z0-9]{6}$/.test(arn)) {
      throw new Error(`${key} must be a complete secret ARN (with its 6-character suffix), got ${arn}`);
    }
  }
  return s;
}

/** Reads one context value, which is a string when it came from `-c key=value`. */
function coerce(key: string, kind: Kind, raw: unknown, where: string): string | number | boolean {
  if (typeof raw === kind) return raw as string | number | boolean;
  if (typeof raw === 'string' && kind === 'number' && raw.trim() !== '' && !Number.isNaN(Number(raw))) {
    return Number(raw);
  }
  if (typeof raw === 'string' && kind === 'boolean' && (raw === 'true' || raw === 'false')) {
    return raw === 'true';
  }
  throw new Error(`${where}: ${key} must be a ${kind}, got ${JSON.stringify(raw)}`);
}

/** Reads settings from an object, refusing unknown keys so a typo cannot silently fall back to a default. */
export function parseSettings(raw: unknown, where: string): StageSettings {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new Error(`${where} must be an object of settings`);
  }
  const out: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(raw)) {
    const kind = (KINDS as Record<string, Kind | undefined>)[key];
    if (kind === undefined) {
      throw new Error(`${where}: unknown setting "${key}" (known: ${SETTING_KEYS.join(', ')})`);
    }
    out[key] = coerce(key, kind, value, where);
  }
  return out as StageSettings;
}

/** Anything that answers context lookups, e.g. `app.node`. */
export interface ContextSource {
  tryGetContext(key: string): unknown;
}

/**
 * The stage and its settings from context: `stages.<stage>` in `cdk.json`, then any
 * top-level `-c <setting>=<value>` on top (e.g. `-c alarmEmail=oncall@example.org`).
 */
export function settingsFromContext(context: ContextSource): { stage: string; settings: StageSettings } {
  const stageRaw = context.tryGetContext('stage') ?? 'dev';
  if (typeof stageRaw !== 'string') throw new Error('context "stage" must be a string');
  const stages = context.tryGetContext('stages') ?? {};
  if (typeof stages !== 'object' || stages === null) throw new Error('context "stages" must be an object');
  const known = Object.keys(stages);
  if (!(stageRaw in stages)) {
    throw new Error(`stage "${stageRaw}" is not in cdk.json "stages" (known: ${known.join(', ') || 'none'})`);
  }
  const fromStage = parseSettings((stages as Record<string, unknown>)[stageRaw], `stages.${stageRaw}`);
  const overrides: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) {
    const value = context.tryGetContext(key);
    if (value !== undefined) overrides[key] = value;
  }
  return { stage: stageRaw, settings: { ...fromStage, ...parseSettings(overrides, 'context') } };
}
