/**
 * Non-default stage settings reach the template: a pinned public URL, existing secrets,
 * subscriptions, tuned queue/processor settings, no deploy-time migration, disposable data.
 */
import { Match } from 'aws-cdk-lib/assertions';

import { logicalId, synth } from './helpers';

const account = '123456789012';
const secretArn = (name: string) => `arn:aws:secretsmanager:eu-west-1:${account}:secret:tipline/shared/${name}-AbC123`;

const { template } = synth(
  {
    publicWebhookUrl: 'https://tipline.example.org/twilio/whatsapp',
    twilioSecretArn: secretArn('twilio'),
    twilioSigningSecretArn: secretArn('twilio-signing'),
    openAiSecretArn: secretArn('openai'),
    databaseSecretArn: secretArn('database'),
    retentionSecretArn: secretArn('retention'),
    alarmEmail: 'oncall@example.org',
    alarmHttpsUrl: 'https://pager.example.org/hooks/tipline',
    runbookUrl: 'https://git.example.org/tipline/blob/main/docs/runbook.md',
    maxReceiveCount: 5,
    queueRetentionDays: 7,
    dlqRetentionDays: 14,
    processorTimeoutSeconds: 120,
    processorMemoryMiB: 1024,
    batchSize: 50,
    maxBatchingWindowSeconds: 5,
    maxConcurrency: 25,
    webhookTimeoutSeconds: 8,
    mediaRetentionDays: 7,
    logRetentionDays: 14,
    logLevel: 'DEBUG',
    migrateOnDeploy: false,
    retainData: false,
    openAiModel: 'gpt-4.1-mini',
    queueDepthThreshold: 500,
    queueAgeThresholdSeconds: 1800,
    durationAlarmRatio: 0.9,
  },
  'staging',
);
const resources = template.toJSON().Resources as Record<string, any>;
const queueId = logicalId(template, 'AWS::SQS::Queue', { QueueName: 'tipline-staging-queue' });
const processorId = logicalId(template, 'AWS::Lambda::Function', { FunctionName: 'tipline-staging-processor' });
const webhookId = logicalId(template, 'AWS::Lambda::Function', { FunctionName: 'tipline-staging-webhook' });

test('a configured public URL goes straight into the environment; no URL parameter is needed', () => {
  const variables = resources[webhookId].Properties.Environment.Variables;
  expect(variables.PUBLIC_WEBHOOK_URL).toBe('https://tipline.example.org/twilio/whatsapp');
  expect(variables.PUBLIC_WEBHOOK_URL_PARAMETER).toBeUndefined();
  template.resourceCountIs('AWS::SSM::Parameter', 0);
  expect(JSON.stringify(resources)).not.toContain('ssm:');
  expect(template.toJSON().Outputs.WebhookUrlParameterName).toBeUndefined();
  template.hasOutput('WebhookUrl', { Value: 'https://tipline.example.org/twilio/whatsapp' });
});

test('existing secrets are used by ARN and none are created', () => {
  template.resourceCountIs('AWS::SecretsManager::Secret', 0);
  expect(resources[processorId].Properties.Environment.Variables).toMatchObject({
    DATABASE_SECRET_ARN: secretArn('database'),
    TWILIO_SECRET_ARN: secretArn('twilio'),
    OPENAI_SECRET_ARN: secretArn('openai'),
  });
  template.hasResourceProperties('AWS::IAM::Policy', {
    PolicyDocument: {
      Statement: Match.arrayWith([
        Match.objectLike({ Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'], Resource: secretArn('twilio-signing') }),
      ]),
    },
    Roles: [{ Ref: resources[webhookId].Properties.Role['Fn::GetAtt'][0] }],
  });
});

test('queue and event source follow the stage settings', () => {
  template.hasResourceProperties('AWS::SQS::Queue', {
    QueueName: 'tipline-staging-queue',
    VisibilityTimeout: 720,
    MessageRetentionPeriod: 7 * 86400,
    RedrivePolicy: Match.objectLike({ maxReceiveCount: 5 }),
  });
  template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
    BatchSize: 50,
    MaximumBatchingWindowInSeconds: 5,
    ScalingConfig: { MaximumConcurrency: 25 },
    FunctionResponseTypes: ['ReportBatchItemFailures'],
  });
  expect(resources[processorId].Properties).toMatchObject({
    Timeout: 120,
    MemorySize: 1024,
    LoggingConfig: { ApplicationLogLevel: 'DEBUG' },
  });
  expect(resources[processorId].Properties.Environment.Variables).toMatchObject({
    MAX_RECEIVES: '5',
    OPENAI_MODEL: 'gpt-4.1-mini',
  });
  expect(resources[webhookId].Properties.Timeout).toBe(8);
  expect(resources[queueId].Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * 120);
});

test('alarms follow thresholds and link the configured runbook', () => {
  template.hasResourceProperties('AWS::CloudWatch::Alarm', {
    AlarmName: 'tipline-staging-queue-depth',
    Threshold: 500,
    AlarmDescription: Match.stringLikeRegexp('https://git\\.example\\.org/tipline/blob/main/docs/runbook\\.md#queue-depth$'),
  });
  template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'tipline-staging-queue-age', Threshold: 1800 });
  template.hasResourceProperties('AWS::CloudWatch::Alarm', {
    AlarmName: 'tipline-staging-processor-duration',
    Threshold: 108000,
  });
});

test('e-mail and HTTPS endpoints subscribe to the on-call topic', () => {
  const topicId = logicalId(template, 'AWS::SNS::Topic');
  template.hasResourceProperties('AWS::SNS::Subscription', {
    Protocol: 'email',
    Endpoint: 'oncall@example.org',
    TopicArn: { Ref: topicId },
  });
  template.hasResourceProperties('AWS::SNS::Subscription', {
    Protocol: 'https',
    Endpoint: 'https://pager.example.org/hooks/tipline',
    TopicArn: { Ref: topicId },
  });
});

test('without migrateOnDeploy the migrate function exists but no trigger runs it', () => {
  expect(Object.values(resources).filter((r) => r.Type === 'Custom::Trigger')).toHaveLength(0);
  template.hasResourceProperties('AWS::Lambda::Function', { FunctionName: 'tipline-staging-migrate' });
});

test('retainData false: buckets and log groups are deleted with the stack; retention follows the stage', () => {
  for (const bucket of Object.values(template.findResources('AWS::S3::Bucket'))) {
    expect(bucket.DeletionPolicy).toBe('Delete');
  }
  for (const group of Object.values(template.findResources('AWS::Logs::LogGroup'))) {
    expect(group.DeletionPolicy).toBe('Delete');
    expect(group.Properties.RetentionInDays).toBe(14);
  }
  template.hasResourceProperties('AWS::S3::Bucket', {
    LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ ExpirationInDays: 7 })]) },
  });
});
