/**
 * One stage of tipline: Twilio → webhook (Function URL) → SQS → processor, with the DLQ,
 * media bucket, secrets, deploy-time migrations, alarms and dashboard around it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import * as cdk from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as triggers from 'aws-cdk-lib/triggers';
import { Construct } from 'constructs';

import { Monitoring } from './monitoring';
import { applyNagSuppressions } from './nag-suppressions';
import { ResolvedSettings, TiplineStackProps, resolveSettings, visibilityTimeoutSeconds } from './settings';

/** The `cdk/` directory: relative asset paths are resolved from here, whatever the working directory. */
const CDK_ROOT = path.resolve(__dirname, '..');

/** The cargo-lambda binaries the stack deploys, one zip each. */
export const LAMBDA_BINARIES = ['webhook', 'processor', 'tipline'] as const;
export type LambdaBinary = (typeof LAMBDA_BINARIES)[number];

/** The zip of one binary under the asset directory, with a clear error when it was not built. */
export function lambdaZip(assetDir: string, binary: LambdaBinary): string {
  const zip = path.resolve(CDK_ROOT, assetDir, binary, 'bootstrap.zip');
  if (!fs.existsSync(zip)) {
    throw new Error(
      `${zip} does not exist. Build the functions at the repository root first: ` +
        'cargo lambda build --release --arm64 --output-format zip ' +
        '(or point -c lambdaAssetDir=<dir> at a directory holding <binary>/bootstrap.zip)',
    );
  }
  return zip;
}

/** The keys each secret's JSON value must hold; the Rust config reads the same names. */
export const SECRET_KEYS = {
  twilio: [
    'TWILIO_ACCOUNT_SID',
    'TWILIO_AUTH_TOKEN',
    'TWILIO_API_KEY',
    'TWILIO_API_SECRET',
    'TWILIO_WHATSAPP_FROM',
    'TWILIO_SHARED_KEYS',
  ],
  // Only what checking a signature needs: the webhook reads this one, never the REST API key.
  twilioSigning: ['TWILIO_AUTH_TOKEN', 'TWILIO_SHARED_KEYS'],
  openAi: ['OPENAI_API_KEY'],
  database: ['DATABASE_URL'],
  retention: ['RETENTION_HMAC_KEY'],
} as const;
type SecretName = keyof typeof SECRET_KEYS;

/** Each secret's name under `tipline/<stage>/`. */
const SECRET_NAMES: Record<SecretName, string> = {
  twilio: 'twilio',
  twilioSigning: 'twilio-signing',
  openAi: 'openai',
  database: 'database',
  retention: 'retention',
};

/** The deployed pipeline for one stage. */
export class TiplineStack extends cdk.Stack {
  public readonly settings: ResolvedSettings;
  public readonly queue: sqs.Queue;
  public readonly deadLetterQueue: sqs.Queue;
  public readonly mediaBucket: s3.Bucket;
  public readonly webhook: lambda.Function;
  public readonly webhookUrl: lambda.FunctionUrl;
  /** Holds the Function URL for the webhook to read at cold start; absent when the URL is pinned. */
  public readonly webhookUrlParameter?: ssm.StringParameter;
  public readonly processor: lambda.Function;
  public readonly migrate: lambda.Function;
  public readonly migrateTrigger?: triggers.Trigger;
  public readonly retention: lambda.Function;
  public readonly retentionSchedule: events.Rule;
  public readonly secrets: Readonly<Record<SecretName, secretsmanager.ISecret>>;
  public readonly alarmTopic: sns.Topic;
  public readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: TiplineStackProps) {
    super(scope, id, props);
    const s = resolveSettings(props.stage, props);
    this.settings = s;
    const stage = props.stage;
    const prefix = `tipline-${stage}`;
    const dataRemoval = s.retainData ? cdk.RemovalPolicy.RETAIN : cdk.RemovalPolicy.DESTROY;
    const processorTimeout = cdk.Duration.seconds(s.processorTimeoutSeconds);
    const webhookTimeout = cdk.Duration.seconds(s.webhookTimeoutSeconds);

    // Queues. SQS keeps a message's original enqueue time in the DLQ, so the DLQ must keep longer.
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      queueName: `${prefix}-dlq`,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: cdk.Duration.days(s.dlqRetentionDays),
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      queueName: `${prefix}-queue`,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: cdk.Duration.days(s.queueRetentionDays),
      // AWS guidance for Lambda consumers: at least 6 x the function timeout, so a batch that
      // waited behind a throttle is not redelivered while it is still being processed.
      visibilityTimeout: cdk.Duration.seconds(visibilityTimeoutSeconds(s.processorTimeoutSeconds)),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: s.maxReceiveCount },
    });

    this.secrets = {
      twilio: this.secret('TwilioSecret', 'twilio', s.twilioSecretArn, s.retainData, stage),
      twilioSigning: this.secret('TwilioSigningSecret', 'twilioSigning', s.twilioSigningSecretArn, s.retainData, stage),
      openAi: this.secret('OpenAiSecret', 'openAi', s.openAiSecretArn, s.retainData, stage),
      database: this.secret('DatabaseSecret', 'database', s.databaseSecretArn, s.retainData, stage),
      retention: this.secret('RetentionSecret', 'retention', s.retentionSecretArn, s.retainData, stage),
    };

    // Media: user screenshots are personal data; private, encrypted, TLS-only, expiring, access-logged.
    const accessLogs = new s3.Bucket(this, 'MediaAccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: cdk.Duration.days(s.accessLogRetentionDays) }],
      removalPolicy: dataRemoval,
    });
    this.mediaBucket = new s3.Bucket(this, 'MediaBucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'media-bucket/',
      lifecycleRules: [
        {
          id: 'expire-media',
          expiration: cdk.Duration.days(s.mediaRetentionDays),
          abortIncompleteMultipartUploadAfter: cdk.Duration.days(1),
        },
      ],
      removalPolicy: dataRemoval,
    });

    const logLevel = s.logLevel as lambda.ApplicationLogLevel;
    const functionDefaults = { logRetention: s.logRetentionDays, logLevel, dataRemoval, assetDir: s.lambdaAssetDir };

    this.processor = this.rustFunction('Processor', {
      ...functionDefaults,
      name: `${prefix}-processor`,
      binary: 'processor',
      description: 'Consumes the tipline queue: analyses each message and replies through Twilio',
      timeout: processorTimeout,
      memoryMiB: s.processorMemoryMiB,
      environment: {
        QUEUE_URL: this.queue.queueUrl,
        MEDIA_STORE_URL: `s3://${this.mediaBucket.bucketName}/media`,
        DATABASE_SECRET_ARN: this.secrets.database.secretArn,
        TWILIO_SECRET_ARN: this.secrets.twilio.secretArn,
        OPENAI_SECRET_ARN: this.secrets.openAi.secretArn,
        MAX_RECEIVES: String(s.maxReceiveCount),
        OPENAI_MODEL: s.openAiModel,
        DELETION_CONFIRM_WINDOW_SECS: String(s.deletionConfirmWindowSeconds),
        ...(s.privacyPolicyUrl !== undefined ? { PRIVACY_POLICY_URL: s.privacyPolicyUrl } : {}),
      },
      // The webhook's fallback path invokes asynchronously; events that fail Lambda's two
      // retries land in the same DLQ as SQS redrives, so one alarm and one redrive cover both.
      deadLetterQueue: this.deadLetterQueue,
      retryAttempts: 2,
    });
    this.processor.addEventSource(
      new sources.SqsEventSource(this.queue, {
        batchSize: s.batchSize,
        maxBatchingWindow: cdk.Duration.seconds(s.maxBatchingWindowSeconds),
        reportBatchItemFailures: true,
        // Caps pollers instead of reserved concurrency, so throttling cannot burn receives.
        maxConcurrency: s.maxConcurrency,
      }),
    );
    this.secrets.database.grantRead(this.processor);
    this.secrets.twilio.grantRead(this.processor);
    this.secrets.openAi.grantRead(this.processor);
    // Deleting (a sender's "delete my data") is allowed under media/ only, like everything else.
    this.mediaAccess(this.processor, ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:DeleteObject']);

    // The webhook may reach only the queue, the processor (fallback), the Twilio signing secret
    // (auth tokens and shared keys, not the REST API key) and the parameter holding its own URL.
    //
    // It checks Twilio's signature against its public URL, so it must know that URL. A pinned URL
    // goes straight into the environment. The Function URL cannot: it is an attribute of a
    // resource that depends on the function, so naming it in the function's own environment is a
    // dependency cycle. Instead the stack writes it to an SSM parameter it owns, with a fixed name,
    // and the environment carries only that name; the webhook reads the parameter at cold start.
    // Both the value and the name are in the template, so no deploy can drop them.
    const webhookEnvironment: Record<string, string> = {
      QUEUE_URL: this.queue.queueUrl,
      FALLBACK_FUNCTION_NAME: this.processor.functionName,
      TWILIO_SIGNING_SECRET_ARN: this.secrets.twilioSigning.secretArn,
    };
    const urlParameterName = `/tipline/${stage}/public-webhook-url`;
    if (s.publicWebhookUrl !== undefined) {
      webhookEnvironment.PUBLIC_WEBHOOK_URL = s.publicWebhookUrl;
    } else {
      webhookEnvironment.PUBLIC_WEBHOOK_URL_PARAMETER = urlParameterName;
    }
    this.webhook = this.rustFunction('Webhook', {
      ...functionDefaults,
      name: `${prefix}-webhook`,
      binary: 'webhook',
      description: 'Twilio WhatsApp webhook: checks the signature and enqueues the message',
      timeout: webhookTimeout,
      memoryMiB: s.webhookMemoryMiB,
      environment: webhookEnvironment,
    });
    this.queue.grantSendMessages(this.webhook);
    this.secrets.twilioSigning.grantRead(this.webhook);
    this.webhook.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'FallbackInvoke',
        actions: ['lambda:InvokeFunction'],
        resources: [this.processor.functionArn],
      }),
    );
    // Twilio signs every request; the function checks the signature, so the URL is public.
    this.webhookUrl = this.webhook.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
    if (s.publicWebhookUrl === undefined) {
      this.webhookUrlParameter = new ssm.StringParameter(this, 'WebhookUrlParameter', {
        parameterName: urlParameterName,
        description: `tipline ${stage}: the webhook's public URL (its Function URL), which Twilio signs requests with`,
        stringValue: this.webhookUrl.url,
        tier: ssm.ParameterTier.STANDARD,
      });
      // The ARN is built from the fixed name, not taken from the parameter: the function depends
      // on its role's policy, so a reference to the parameter here would close the cycle again.
      this.webhook.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'PublicUrlParameter',
          actions: ['ssm:GetParameter'],
          resources: [
            this.formatArn({ service: 'ssm', resource: 'parameter', resourceName: urlParameterName.slice(1) }),
          ],
        }),
      );
    }

    this.migrate = this.rustFunction('Migrate', {
      ...functionDefaults,
      name: `${prefix}-migrate`,
      binary: 'tipline',
      description: 'Runs tipline migrate against the database (deploy-time trigger)',
      timeout: cdk.Duration.seconds(s.migrateTimeoutSeconds),
      memoryMiB: 256,
      environment: {
        TIPLINE_LAMBDA_MODE: 'migrate',
        DATABASE_SECRET_ARN: this.secrets.database.secretArn,
      },
    });
    this.secrets.database.grantRead(this.migrate);
    if (s.migrateOnDeploy) {
      this.migrateTrigger = new triggers.Trigger(this, 'MigrateOnDeploy', {
        handler: this.migrate,
        timeout: cdk.Duration.seconds(s.migrateTimeoutSeconds),
        executeOnHandlerChange: true,
        // Secrets first; the processor only runs the new code once the schema is there.
        executeAfter: [this.secrets.database, this.secrets.twilio, this.secrets.twilioSigning, this.secrets.openAi],
        executeBefore: [this.processor],
      });
      this.pinTriggerProviderLogs(prefix, functionDefaults);
    }

    // Retention: the tipline binary in its retention mode, on a schedule. It pseudonymizes with a
    // key only it can read, and deletes aged media under media/ only.
    this.retention = this.rustFunction('Retention', {
      ...functionDefaults,
      name: `${prefix}-retention`,
      binary: 'tipline',
      description: 'Runs tipline retention: pseudonymizes old numbers, deletes old media and text',
      timeout: cdk.Duration.seconds(s.retentionTimeoutSeconds),
      memoryMiB: 256,
      environment: {
        TIPLINE_LAMBDA_MODE: 'retention',
        MEDIA_STORE_URL: `s3://${this.mediaBucket.bucketName}`,
        DATABASE_SECRET_ARN: this.secrets.database.secretArn,
        TWILIO_SECRET_ARN: this.secrets.twilio.secretArn,
        RETENTION_SECRET_ARN: this.secrets.retention.secretArn,
        RETENTION_PSEUDONYMIZE_DAYS: String(s.retentionPseudonymizeDays),
        RETENTION_MEDIA_DAYS: String(s.retentionMediaDays),
        RETENTION_TEXT_DAYS: String(s.retentionTextDays),
      },
    });
    this.secrets.database.grantRead(this.retention);
    this.secrets.twilio.grantRead(this.retention);
    this.secrets.retention.grantRead(this.retention);
    this.mediaAccess(this.retention, ['s3:DeleteObject']);
    this.retentionSchedule = new events.Rule(this, 'RetentionSchedule', {
      ruleName: `${prefix}-retention`,
      description: `tipline ${stage}: scheduled retention run`,
      schedule: events.Schedule.rate(cdk.Duration.hours(s.retentionIntervalHours)),
      targets: [new targets.LambdaFunction(this.retention, { retryAttempts: 2 })],
    });

    this.alarmTopic = new sns.Topic(this, 'OnCallTopic', {
      topicName: `${prefix}-oncall`,
      displayName: `tipline ${stage} on-call`,
      enforceSSL: true,
    });
    // The topic policy replaces SNS's default one, so CloudWatch needs an explicit allow.
    this.alarmTopic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.alarmTopic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );
    if (s.alarmEmail !== undefined) {
      this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(s.alarmEmail));
    }
    if (s.alarmHttpsUrl !== undefined) {
      this.alarmTopic.addSubscription(
        new subscriptions.UrlSubscription(s.alarmHttpsUrl, { protocol: sns.SubscriptionProtocol.HTTPS }),
      );
    }

    this.monitoring = new Monitoring(this, 'Monitoring', {
      stage,
      queue: this.queue,
      dlq: this.deadLetterQueue,
      processor: this.processor,
      processorTimeout,
      webhook: this.webhook,
      webhookTimeout,
      topic: this.alarmTopic,
      runbookUrl: s.runbookUrl,
      queueDepthThreshold: s.queueDepthThreshold,
      queueAgeThreshold: cdk.Duration.seconds(s.queueAgeThresholdSeconds),
      visibilityTimeout: cdk.Duration.seconds(visibilityTimeoutSeconds(s.processorTimeoutSeconds)),
      maxReceiveCount: s.maxReceiveCount,
      processorErrorsThreshold: s.processorErrorsThreshold,
      webhookErrorsThreshold: s.webhookErrorsThreshold,
      throttlesThreshold: s.throttlesThreshold,
      durationAlarmRatio: s.durationAlarmRatio,
      webhook4xxPercentThreshold: s.webhook4xxPercentThreshold,
      webhook4xxMinRequests: s.webhook4xxMinRequests,
      permanentFailuresThreshold: s.permanentFailuresThreshold,
    });

    const output = (name: string, value: string, description: string) =>
      new cdk.CfnOutput(this, name, { value, description });
    output('WebhookUrl', s.publicWebhookUrl ?? this.webhookUrl.url, "Set as the WhatsApp sender's inbound webhook in Twilio");
    output('FunctionUrl', this.webhookUrl.url, 'The Lambda Function URL behind the webhook');
    if (this.webhookUrlParameter !== undefined) {
      output('WebhookUrlParameterName', urlParameterName, 'SSM parameter the webhook reads its public URL from');
    }
    output('QueueUrl', this.queue.queueUrl, 'Main queue (QUEUE_URL)');
    output('DeadLetterQueueUrl', this.deadLetterQueue.queueUrl, 'DLQ for tipline dlq stats|peek|redrive');
    output('WebhookFunctionName', this.webhook.functionName, 'aws logs tail /aws/lambda/<name>');
    output('ProcessorFunctionName', this.processor.functionName, 'aws logs tail /aws/lambda/<name>');
    output('MigrateFunctionName', this.migrate.functionName, 'Invoke to run migrations by hand');
    output('RetentionFunctionName', this.retention.functionName, 'Invoke with {"dry_run": true} to see what retention would do');
    output('RetentionSecretArn', this.secrets.retention.secretArn, 'Put {"RETENTION_HMAC_KEY": "<32+ random characters>"} here');
    output('MediaBucketName', this.mediaBucket.bucketName, 'Media store');
    output('AlarmTopicArn', this.alarmTopic.topicArn, 'On-call topic');
    output('TwilioSecretArn', this.secrets.twilio.secretArn, 'Put the Twilio credentials JSON here');
    output('TwilioSigningSecretArn', this.secrets.twilioSigning.secretArn, 'Put {"TWILIO_AUTH_TOKEN": …, "TWILIO_SHARED_KEYS": …} here (the webhook reads only this)');
    output('OpenAiSecretArn', this.secrets.openAi.secretArn, 'Put the OpenAI key JSON here');
    output('DatabaseSecretArn', this.secrets.database.secretArn, 'Put the DATABASE_URL JSON here');
    output('DashboardName', this.monitoring.dashboard.dashboardName, 'CloudWatch dashboard');

    applyNagSuppressions(this);
  }

  /**
   * An existing secret by complete ARN, or a new empty one named `tipline/<stage>/<name>`
   * whose value ops put after the first deploy (no secret material ever enters the template).
   */
  private secret(
    id: string,
    name: SecretName,
    existingArn: string | undefined,
    retain: boolean,
    stage: string,
  ): secretsmanager.ISecret {
    if (existingArn !== undefined) return secretsmanager.Secret.fromSecretCompleteArn(this, id, existingArn);
    const secret = new secretsmanager.Secret(this, id, {
      secretName: `tipline/${stage}/${SECRET_NAMES[name]}`,
      description: `tipline ${stage}: JSON object with keys ${SECRET_KEYS[name].join(', ')}`,
      // Retained on update and delete, but removed again if the stack's first creation rolls back.
      removalPolicy: retain ? cdk.RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE : cdk.RemovalPolicy.DESTROY,
    });
    // CDK would otherwise generate a random password; an empty secret makes a missing value obvious.
    (secret.node.defaultChild as secretsmanager.CfnSecret).addPropertyDeletionOverride('GenerateSecretString');
    return secret;
  }

  /** Media object actions for a function, under `media/` only (and listing only that prefix). */
  private mediaAccess(fn: lambda.Function, actions: string[]): void {
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'MediaObjects',
        actions,
        resources: [this.mediaBucket.arnForObjects('media/*')],
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'MediaList',
        actions: ['s3:ListBucket'],
        resources: [this.mediaBucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': ['media/*'] } },
      }),
    );
  }

  /** An arm64 `provided.al2023` function from a cargo-lambda zip, with its own role and log group. */
  private rustFunction(
    id: string,
    opts: {
      name: string;
      binary: LambdaBinary;
      description: string;
      timeout: cdk.Duration;
      memoryMiB: number;
      environment: Record<string, string>;
      logRetention: number;
      logLevel: lambda.ApplicationLogLevel;
      dataRemoval: cdk.RemovalPolicy;
      assetDir: string;
      deadLetterQueue?: sqs.IQueue;
      retryAttempts?: number;
    },
  ): lambda.Function {
    const logGroup = new logs.LogGroup(this, `${id}Logs`, {
      logGroupName: `/aws/lambda/${opts.name}`,
      retention: opts.logRetention as logs.RetentionDays,
      removalPolicy: opts.dataRemoval,
    });
    // A role of our own, without AWSLambdaBasicExecutionRole: it may write to its log group only.
    const role = new iam.Role(this, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${opts.name}`,
    });
    logGroup.grantWrite(role);
    return new lambda.Function(this, id, {
      functionName: opts.name,
      description: opts.description,
      runtime: lambda.Runtime.PROVIDED_AL2023,
      architecture: lambda.Architecture.ARM_64,
      handler: 'bootstrap',
      code: lambda.Code.fromAsset(lambdaZip(opts.assetDir, opts.binary)),
      role,
      timeout: opts.timeout,
      memorySize: opts.memoryMiB,
      environment: opts.environment,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: opts.logLevel,
      // INFO keeps the platform REPORT lines (duration, memory, timeouts) the runbook queries.
      systemLogLevelV2: lambda.SystemLogLevel.INFO,
      deadLetterQueue: opts.deadLetterQueue,
      retryAttempts: opts.retryAttempts,
    });
  }

  /** The trigger's provider function is built by CDK; give it a log group with retention too. */
  private pinTriggerProviderLogs(
    prefix: string,
    defaults: { logRetention: number; dataRemoval: cdk.RemovalPolicy },
  ): void {
    const provider = this.node.children.find((c) => c.node.id.startsWith('AWSCDK.TriggerCustomResourceProvider'));
    const handler = provider?.node.tryFindChild('Handler');
    if (!(handler instanceof cdk.CfnResource) || handler.cfnResourceType !== 'AWS::Lambda::Function') throw new Error('triggers.Trigger no longer creates the expected provider function');
    const logGroup = new logs.LogGroup(this, 'MigrateTriggerProviderLogs', {
      logGroupName: `/aws/lambda/${prefix}-migrate-trigger`,
      retention: defaults.logRetention as logs.RetentionDays,
      removalPolicy: defaults.dataRemoval,
    });
    handler.addPropertyOverride('LoggingConfig', { LogGroup: logGroup.logGroupName });
  }
}
