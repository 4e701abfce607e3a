/**
 * The default stage's template: every property the pipeline's reliability and security rest on.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import * as cdk from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';

import { RUNBOOK_ANCHORS } from '../lib/runbook';
import { logicalId, synth } from './helpers';

const { stack, template } = synth();
const resources = template.toJSON().Resources as Record<string, { Type: string; Properties?: any; DependsOn?: string[] }>;

const queueId = logicalId(template, 'AWS::SQS::Queue', { QueueName: 'tipline-test-queue' });
const dlqId = logicalId(template, 'AWS::SQS::Queue', { QueueName: 'tipline-test-dlq' });
const processorId = logicalId(template, 'AWS::Lambda::Function', { FunctionName: 'tipline-test-processor' });
const webhookId = logicalId(template, 'AWS::Lambda::Function', { FunctionName: 'tipline-test-webhook' });
const migrateId = logicalId(template, 'AWS::Lambda::Function', { FunctionName: 'tipline-test-migrate' });
const bucketId = stack.getLogicalId(stack.mediaBucket.node.defaultChild as cdk.CfnElement);
const topicId = logicalId(template, 'AWS::SNS::Topic');
const secretId = (name: string) => logicalId(template, 'AWS::SecretsManager::Secret', { Name: `tipline/test/${name}` });

/** All statements of the inline/default policies attached to a role. */
function roleStatements(roleLogicalId: string): any[] {
  return Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy')
    .filter((r) => JSON.stringify(r.Properties.Roles).includes(`"${roleLogicalId}"`))
    .flatMap((r) => r.Properties.PolicyDocument.Statement);
}
const roleOf = (functionId: string): string => resources[functionId].Properties.Role['Fn::GetAtt'][0];

describe('queues', () => {
  test('main queue: SSE, TLS only, 4 days retention, redrive to the DLQ after 3 receives', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'tipline-test-queue',
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 4 * 86400,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: 3 },
    });
  });

  test('DLQ: SSE and a longer retention (14 days) than the main queue', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'tipline-test-dlq',
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 86400,
      RedrivePolicy: Match.absent(),
    });
    expect(resources[dlqId].Properties.MessageRetentionPeriod).toBeGreaterThan(
      resources[queueId].Properties.MessageRetentionPeriod,
    );
  });

  test('visibility timeout is at least 6 x the processor timeout', () => {
    const timeout = resources[processorId].Properties.Timeout as number;
    expect(resources[queueId].Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * timeout);
    expect(resources[queueId].Properties.VisibilityTimeout).toBe(360);
  });

  test.each([queueId, dlqId])('queue %s denies non-TLS access', (id) => {
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: id }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });
});

describe('processor', () => {
  test('consumes the queue in batches, reports item failures, capped by maxConcurrency', () => {
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      FunctionName: { Ref: processorId },
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 2,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 10 },
    });
  });

  test('no function uses reserved concurrency', () => {
    template.allResourcesProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: Match.absent() });
  });

  test('environment names the queue, media store, secrets, max receives and model', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'tipline-test-processor',
      Environment: {
        Variables: {
          QUEUE_URL: { Ref: queueId },
          MEDIA_STORE_URL: { 'Fn::Join': ['', ['s3://', { Ref: bucketId }, '/media']] },
          DATABASE_SECRET_ARN: { Ref: secretId('database') },
          TWILIO_SECRET_ARN: { Ref: secretId('twilio') },
          OPENAI_SECRET_ARN: { Ref: secretId('openai') },
          MAX_RECEIVES: '3',
          OPENAI_MODEL: 'gpt-4o-mini',
        },
      },
    });
  });

  test('failed asynchronous (fallback) invocations go to the DLQ after 2 retries', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'tipline-test-processor',
      DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] } },
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: processorId },
      MaximumRetryAttempts: 2,
    });
  });

  test('may read the three secrets, consume the queue, write the DLQ and read/write/delete media only', () => {
    const statements = roleStatements(roleOf(processorId));
    const flat = JSON.stringify(statements);
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
          Resource: expect.arrayContaining([
            { Ref: secretId('database') },
            { Ref: secretId('twilio') },
            { Ref: secretId('openai') },
          ]),
        }),
        expect.objectContaining({
          Action: ['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:GetObject', 's3:PutObject'],
          Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/media/*']] },
        }),
        expect.objectContaining({
          Action: 's3:ListBucket',
          Condition: { StringLike: { 's3:prefix': ['media/*'] } },
        }),
        expect.objectContaining({ Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': [dlqId, 'Arn'] } }),
      ]),
    );
    // A sender's "delete my data" deletes their media, under media/ and nowhere else.
    for (const statement of statements.filter((st: any) => JSON.stringify(st.Action).includes('s3:Delete'))) {
      expect(statement.Resource).toEqual({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/media/*']] });
    }
    expect(flat).not.toContain(secretId('retention'));
    expect(flat).not.toMatch(/"Resource":"\*"/);
  });
});

describe('retention', () => {
  const retentionId = logicalId(template, 'AWS::Lambda::Function', { FunctionName: 'tipline-test-retention' });

  test('a schedule runs the tipline binary in its retention mode with the stage ages', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 day)',
      Targets: Match.arrayWith([Match.objectLike({ Arn: { 'Fn::GetAtt': [retentionId, 'Arn'] } })]),
    });
    expect(resources[retentionId].Properties.Environment.Variables).toMatchObject({
      TIPLINE_LAMBDA_MODE: 'retention',
      RETENTION_SECRET_ARN: { Ref: secretId('retention') },
      RETENTION_PSEUDONYMIZE_DAYS: '30',
      RETENTION_MEDIA_DAYS: '30',
      RETENTION_TEXT_DAYS: '90',
    });
  });

  test('may delete media under media/ only and read the key, database and Twilio secrets', () => {
    const statements = roleStatements(roleOf(retentionId));
    const flat = JSON.stringify(statements);
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Action: 's3:DeleteObject',
          Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/media/*']] },
        }),
      ]),
    );
    expect(flat).toContain(secretId('retention'));
    expect(flat).not.toContain('s3:PutObject');
    expect(flat).not.toContain(secretId('openai'));
  });
});

describe('webhook', () => {
  test('has a public Function URL: Twilio signs requests and the function checks them', () => {
    template.hasResourceProperties('AWS::Lambda::Url', {
      AuthType: 'NONE',
      TargetFunctionArn: { 'Fn::GetAtt': [webhookId, 'Arn'] },
    });
  });

  test('environment names the queue, the fallback function, the Twilio signing secret and the URL parameter only', () => {
    const variables = resources[webhookId].Properties.Environment.Variables;
    expect(variables).toEqual({
      QUEUE_URL: { Ref: queueId },
      FALLBACK_FUNCTION_NAME: { Ref: processorId },
      TWILIO_SIGNING_SECRET_ARN: { Ref: secretId('twilio-signing') },
      PUBLIC_WEBHOOK_URL_PARAMETER: '/tipline/test/public-webhook-url',
    });
  });

  test('the Function URL is stored in an SSM parameter of the stack, named in the environment', () => {
    const urlId = logicalId(template, 'AWS::Lambda::Url');
    template.hasResourceProperties('AWS::SSM::Parameter', {
      Name: '/tipline/test/public-webhook-url',
      Type: 'String',
      Value: { 'Fn::GetAtt': [urlId, 'FunctionUrl'] },
    });
    // Nothing outside the template writes the webhook's configuration any more.
    expect(Object.values(resources).filter((r) => r.Type.startsWith('Custom::') && r.Type !== 'Custom::Trigger')).toEqual([]);
    expect(JSON.stringify(resources)).not.toContain('UpdateFunctionConfiguration');
  });

  test('least privilege: send to the queue, read the Twilio signing secret, invoke the processor, read its URL parameter; nothing else', () => {
    const statements = roleStatements(roleOf(webhookId));
    const flat = JSON.stringify(statements);
    // The signing keys only: the secret with the REST API key (which can send as us) is out of reach.
    expect(flat).not.toContain(`"${secretId('twilio')}"`);
    expect(flat).not.toContain(secretId('retention'));
    expect(flat).not.toContain(dlqId);
    expect(flat).not.toContain(secretId('database'));
    expect(flat).not.toContain(secretId('openai'));
    expect(flat).not.toContain(bucketId);
    expect(flat).not.toContain('s3:');
    expect(statements.map((s) => s.Action)).toEqual([
      ['logs:CreateLogStream', 'logs:PutLogEvents'],
      ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'],
      ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
      'lambda:InvokeFunction',
      'ssm:GetParameter',
    ]);
    expect(statements[1].Resource).toEqual({ 'Fn::GetAtt': [queueId, 'Arn'] });
    expect(statements[2].Resource).toEqual({ Ref: secretId('twilio-signing') });
    expect(statements[3].Resource).toEqual({ 'Fn::GetAtt': [processorId, 'Arn'] });
    expect(statements[4].Resource).toBe('arn:aws:ssm:eu-west-1:123456789012:parameter/tipline/test/public-webhook-url');
    expect(resources[roleOf(webhookId)].Properties.ManagedPolicyArns).toBeUndefined();
  });
});

describe('functions', () => {
  test.each([
    ['webhook', 10, 512],
    ['processor', 60, 512],
    ['migrate', 300, 256],
  ])('%s: arm64 provided.al2023 bootstrap, JSON logs, timeout %i s, %i MiB', (name, timeout, memory) => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: `tipline-test-${name}`,
      Runtime: 'provided.al2023',
      Architectures: ['arm64'],
      Handler: 'bootstrap',
      Timeout: timeout,
      MemorySize: memory,
      LoggingConfig: {
        LogFormat: 'JSON',
        ApplicationLogLevel: 'INFO',
        SystemLogLevel: 'INFO',
        LogGroup: { Ref: Match.anyValue() },
      },
    });
  });

  test('each function is deployed from its own cargo-lambda zip', () => {
    const assetOf = (id: string) => resources[id].Properties.Code.S3Key as string;
    const keys = [assetOf(webhookId), assetOf(processorId), assetOf(migrateId)];
    expect(new Set(keys).size).toBe(3);
    // Template.fromStack synthesized the app, staging each zip as asset.<hash>.zip in its outdir.
    const outdir = (stack.node.root as cdk.App).outdir;
    const staged = (key: string) => fs.readFileSync(path.join(outdir, `asset.${key.replace(/\.zip$/, '')}.zip`));
    expect(staged(assetOf(webhookId)).toString('latin1')).toContain('stub webhook');
    expect(staged(assetOf(processorId)).toString('latin1')).toContain('stub processor');
    expect(staged(assetOf(migrateId)).toString('latin1')).toContain('stub tipline');
  });

  test('every function, including CDK-built providers, logs to a log group with 30 days retention', () => {
    const functions = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::Lambda::Function');
    expect(functions.length).toBeGreaterThanOrEqual(4);
    for (const [id, fn] of functions) {
      const logGroupRef = fn.Properties.LoggingConfig?.LogGroup?.Ref;
      expect([id, logGroupRef && resources[logGroupRef].Type]).toEqual([id, 'AWS::Logs::LogGroup']);
      expect([id, resources[logGroupRef].Properties.RetentionInDays]).toEqual([id, 30]);
    }
  });

  test('no function carries a secret value in its environment', () => {
    for (const fn of Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::Function')) {
      const names = Object.keys(fn.Properties.Environment?.Variables ?? {});
      for (const name of names) {
        expect(name).not.toMatch(/TOKEN|PASSWORD|API_KEY|API_SECRET|^DATABASE_URL$/);
      }
    }
  });
});

describe('migrations at deploy', () => {
  test('migrate function runs `tipline migrate` with the database secret only', () => {
    expect(resources[migrateId].Properties.Environment.Variables).toEqual({
      TIPLINE_LAMBDA_MODE: 'migrate',
      DATABASE_SECRET_ARN: { Ref: secretId('database') },
    });
    const flat = JSON.stringify(roleStatements(roleOf(migrateId)));
    expect(flat).toContain(secretId('database'));
    expect(flat).not.toContain(secretId('twilio'));
    expect(flat).not.toContain(secretId('openai'));
  });

  test('a trigger invokes the current migrate version after the secrets exist and before the processor', () => {
    const [triggerId, trigger] = Object.entries(resources).find(([, r]) => r.Type === 'Custom::Trigger')!;
    expect(trigger.Properties).toMatchObject({
      HandlerArn: { Ref: expect.stringMatching(/^MigrateCurrentVersion/) },
      InvocationType: 'RequestResponse',
      ExecuteOnHandlerChange: true,
      Timeout: '300000',
    });
    expect(trigger.DependsOn).toEqual(
      expect.arrayContaining([secretId('database'), secretId('twilio'), secretId('openai')]),
    );
    expect(resources[processorId].DependsOn).toContain(triggerId);
  });
});

describe('media bucket', () => {
  test('private, encrypted, access-logged, objects expire after 30 days', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ ExpirationInDays: 30, Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }),
        ]),
      },
      LoggingConfiguration: { DestinationBucketName: { Ref: Match.stringLikeRegexp('^MediaAccessLogs') } },
    });
    expect(resources[bucketId].Properties.LoggingConfiguration).toBeDefined();
  });

  test('the bucket policy refuses requests without TLS', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Principal: { AWS: '*' },
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  test('kept when the stack is deleted (retainData defaults to true)', () => {
    expect(template.toJSON().Resources[bucketId].DeletionPolicy).toBe('Retain');
  });
});

describe('secrets', () => {
  test.each(['twilio', 'twilio-signing', 'openai', 'database', 'retention'])('%s secret is created empty and survives stack deletion', (name) => {
    const secret = template.toJSON().Resources[secretId(name)];
    expect(secret.Properties.SecretString).toBeUndefined();
    expect(secret.Properties.GenerateSecretString).toBeUndefined();
    expect(secret.DeletionPolicy).toBe('RetainExceptOnCreate');
    expect(secret.UpdateReplacePolicy).toBe('Retain');
  });
});

describe('alarms', () => {
  const topicRef = { Ref: topicId };
  const cases: [keyof typeof RUNBOOK_ANCHORS, Record<string, unknown>][] = [
    ['queueDepth', { Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible', Statistic: 'Maximum', Threshold: 100, ComparisonOperator: 'GreaterThanThreshold', Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }] }],
    ['queueAge', { Namespace: 'AWS/SQS', MetricName: 'ApproximateAgeOfOldestMessage', Statistic: 'Maximum', Threshold: 3 * 360, ComparisonOperator: 'GreaterThanThreshold', Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }] }],
    ['dlqNotEmpty', { Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 1, Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId, 'QueueName'] } }] }],
    ['processorErrors', { Namespace: 'AWS/Lambda', MetricName: 'Errors', Statistic: 'Sum', Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', Dimensions: [{ Name: 'FunctionName', Value: { Ref: processorId } }] }],
    ['processorThrottles', { Namespace: 'AWS/Lambda', MetricName: 'Throttles', Statistic: 'Sum', Threshold: 1, Dimensions: [{ Name: 'FunctionName', Value: { Ref: processorId } }] }],
    ['processorDuration', { Namespace: 'AWS/Lambda', MetricName: 'Duration', ExtendedStatistic: 'p99', Threshold: 48000, ComparisonOperator: 'GreaterThanThreshold', Dimensions: [{ Name: 'FunctionName', Value: { Ref: processorId } }] }],
    ['webhookErrors', { Namespace: 'AWS/Lambda', MetricName: 'Errors', Statistic: 'Sum', Threshold: 1, Dimensions: [{ Name: 'FunctionName', Value: { Ref: webhookId } }] }],
    ['webhook5xx', { Namespace: 'AWS/Lambda', MetricName: 'Url5xxCount', Statistic: 'Sum', Threshold: 1, Dimensions: [{ Name: 'FunctionName', Value: { Ref: webhookId } }] }],
    ['webhookThrottles', { Namespace: 'AWS/Lambda', MetricName: 'Throttles', Statistic: 'Sum', Threshold: 1, Dimensions: [{ Name: 'FunctionName', Value: { Ref: webhookId } }] }],
    ['webhookDuration', { Namespace: 'AWS/Lambda', MetricName: 'Duration', ExtendedStatistic: 'p99', Threshold: 8000, ComparisonOperator: 'GreaterThanThreshold', Dimensions: [{ Name: 'FunctionName', Value: { Ref: webhookId } }] }],
    ['webhook4xx', {
      Threshold: 50,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      Metrics: [
        { Id: 'expr_1', Expression: 'IF(requests >= 5, 100 * FILL(rejected, 0) / requests, 0)', ReturnData: true, Label: Match.anyValue() },
        { Id: 'requests', ReturnData: false, MetricStat: { Period: 300, Stat: 'Sum', Metric: { Namespace: 'AWS/Lambda', MetricName: 'UrlRequestCount', Dimensions: [{ Name: 'FunctionName', Value: { Ref: webhookId } }] } } },
        { Id: 'rejected', ReturnData: false, MetricStat: { Period: 300, Stat: 'Sum', Metric: { Namespace: 'AWS/Lambda', MetricName: 'Url4xxCount', Dimensions: [{ Name: 'FunctionName', Value: { Ref: webhookId } }] } } },
      ],
    }],
    ['permanentFailures', { Namespace: 'tipline', MetricName: 'Permanent', Statistic: 'Sum', Period: 900, Threshold: 5, ComparisonOperator: 'GreaterThanOrEqualToThreshold', EvaluationPeriods: 1, Dimensions: [{ Name: 'Service', Value: 'processor' }] }],
    ['authFailures', { Namespace: 'tipline', MetricName: 'AuthFailures', Statistic: 'Sum', Period: 300, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', EvaluationPeriods: 1, Dimensions: [{ Name: 'Service', Value: 'processor' }] }],
  ];

  test('one alarm per runbook section', () => {
    template.resourceCountIs('AWS::CloudWatch::Alarm', Object.keys(RUNBOOK_ANCHORS).length);
    expect(cases.map(([key]) => key).sort()).toEqual(Object.keys(RUNBOOK_ANCHORS).sort());
  });

  test.each(cases)('%s: metric, threshold, missing data not breaching, notifies on-call, links the runbook', (key, props) => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `tipline-test-${RUNBOOK_ANCHORS[key]}`,
      AlarmDescription: Match.stringLikeRegexp(`Runbook: docs/runbook\\.md#${RUNBOOK_ANCHORS[key]}$`),
      TreatMissingData: 'notBreaching',
      AlarmActions: [topicRef],
      OKActions: [topicRef],
      ...props,
    });
  });

  test('the on-call topic requires TLS and lets CloudWatch publish; no subscription unless configured', () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topicId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish' }),
        ]),
      },
    });
    template.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  test('the dashboard shows the alarmed metrics', () => {
    const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
    expect(dashboards).toHaveLength(1);
    expect(dashboards[0].Properties.DashboardName).toBe('tipline-test');
    const body = JSON.stringify(dashboards[0].Properties.DashboardBody);
    for (const metric of [
      'ApproximateNumberOfMessagesVisible',
      'ApproximateAgeOfOldestMessage',
      'Errors',
      'Throttles',
      'Duration',
      'Url5xxCount',
      'Url4xxCount',
      'UrlRequestCount',
      'ConcurrentExecutions',
      // The processor's EMF counts (processor/src/metrics.rs), namespace tipline, Service=processor.
      'Processed',
      'Duplicate',
      'Permanent',
      'Retryable',
      'AuthFailures',
      'FallbackReplies',
      'AnalyzerFallbacks',
      'HedgedCalls',
    ]) {
      expect(body).toContain(metric);
    }
    expect(body).toContain(dlqId);
    // The alarm status widget lists every alarm.
    for (const alarmId of Object.keys(template.findResources('AWS::CloudWatch::Alarm'))) {
      expect(body).toContain(alarmId);
    }
  });
});

describe('outputs', () => {
  test('expose what on-call and Twilio setup need', () => {
    const outputs = Object.keys(template.toJSON().Outputs);
    expect(outputs).toEqual(
      expect.arrayContaining([
        'WebhookUrl',
        'QueueUrl',
        'DeadLetterQueueUrl',
        'ProcessorFunctionName',
        'WebhookFunctionName',
        'TwilioSecretArn',
        'DatabaseSecretArn',
        'OpenAiSecretArn',
        'WebhookUrlParameterName',
      ]),
    );
    template.hasOutput('WebhookUrlParameterName', { Value: '/tipline/test/public-webhook-url' });
    template.hasOutput('WebhookUrl', { Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WebhookFunctionUrl'), 'FunctionUrl'] } });
  });
});
