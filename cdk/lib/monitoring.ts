/**
 * The on-call view of the pipeline: alarms that page through one SNS topic, each linking to
 * its runbook section, and a dashboard with the same metrics.
 */
import * as cdk from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

import { AlarmKey, RUNBOOK_ANCHORS, runbookLink } from './runbook';

/**
 * Where the processor's Embedded Metric Format counts land (`processor/src/metrics.rs`): one
 * namespace, one dimension. `Processed`, `Duplicate`, `Permanent` and `Retryable` are per-batch
 * outcome counts (`Permanent`: messages recorded as permanently failed, alarmed); `AuthFailures`
 * counts groups refused by Twilio with 401/403 (a credential problem), `FallbackReplies` the
 * honest "we couldn't check this" replies, `AnalyzerFallbacks` verdicts from the offline rules
 * because the model failed or was too slow, and `HedgedCalls` analyses that sent a second model
 * request because the first was past its latency budget.
 */
export const PROCESSOR_EMF = {
  namespace: 'tipline',
  dimensions: { Service: 'processor' },
  outcomes: ['Processed', 'Duplicate', 'Permanent', 'Retryable'],
  permanentFailures: 'Permanent',
  fallbackReplies: 'FallbackReplies',
  analyzerFallbacks: 'AnalyzerFallbacks',
  hedgedCalls: 'HedgedCalls',
  authFailures: 'AuthFailures',
} as const;

/** What the alarms watch and where they send notifications. */
export interface MonitoringProps {
  readonly stage: string;
  readonly queue: sqs.IQueue;
  readonly dlq: sqs.IQueue;
  readonly processor: lambda.IFunction;
  readonly processorTimeout: cdk.Duration;
  readonly webhook: lambda.IFunction;
  readonly webhookTimeout: cdk.Duration;
  readonly topic: sns.ITopic;
  readonly runbookUrl: string;
  readonly queueDepthThreshold: number;
  readonly queueAgeThreshold: cdk.Duration;
  /** The main queue's visibility timeout; the age threshold must stay above twice it. */
  readonly visibilityTimeout: cdk.Duration;
  readonly maxReceiveCount: number;
  readonly processorErrorsThreshold: number;
  readonly webhookErrorsThreshold: number;
  readonly throttlesThreshold: number;
  readonly durationAlarmRatio: number;
  readonly webhook4xxPercentThreshold: number;
  readonly webhook4xxMinRequests: number;
  readonly permanentFailuresThreshold: number;
}

/** Alarms and dashboard for one stage. */
export class Monitoring extends Construct {
  /** Every alarm, by runbook key. */
  public readonly alarms: Readonly<Record<AlarmKey, cloudwatch.Alarm>>;
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    if (props.queueAgeThreshold.toSeconds() <= 2 * props.visibilityTimeout.toSeconds()) {
      throw new Error('the queue-age threshold must be above 2 x the visibility timeout (see settings.ts)');
    }
    const oneMinute = cdk.Duration.minutes(1);
    const fiveMinutes = cdk.Duration.minutes(5);

    const queueDepth = props.queue.metricApproximateNumberOfMessagesVisible({ period: oneMinute, statistic: 'Maximum' });
    const queueAge = props.queue.metricApproximateAgeOfOldestMessage({ period: oneMinute, statistic: 'Maximum' });
    const dlqDepth = props.dlq.metricApproximateNumberOfMessagesVisible({ period: oneMinute, statistic: 'Maximum' });
    const lambdaMetrics = (fn: lambda.IFunction) => ({
      errors: fn.metricErrors({ period: fiveMinutes, statistic: 'Sum' }),
      throttles: fn.metricThrottles({ period: fiveMinutes, statistic: 'Sum' }),
      durationP99: fn.metricDuration({ period: fiveMinutes, statistic: 'p99' }),
      invocations: fn.metricInvocations({ period: fiveMinutes, statistic: 'Sum' }),
      concurrency: fn.metric('ConcurrentExecutions', { period: fiveMinutes, statistic: 'Maximum' }),
    });
    const processor = lambdaMetrics(props.processor);
    const webhook = lambdaMetrics(props.webhook);
    // Function URL metrics share the FunctionName dimension; 5xx means both durable paths failed.
    const webhook5xx = props.webhook.metric('Url5xxCount', { period: fiveMinutes, statistic: 'Sum' });
    const webhook4xx = props.webhook.metric('Url4xxCount', { period: fiveMinutes, statistic: 'Sum' });
    const webhookRequests = props.webhook.metric('UrlRequestCount', { period: fiveMinutes, statistic: 'Sum' });
    // A wrong URL or auth token turns every real request into a 403, so alarm on the share of
    // 4xx, and only in periods with enough requests that a stray scanner cannot page anyone.
    const webhook4xxPercent = new cloudwatch.MathExpression({
      expression: `IF(requests >= ${props.webhook4xxMinRequests}, 100 * FILL(rejected, 0) / requests, 0)`,
      usingMetrics: { requests: webhookRequests, rejected: webhook4xx },
      period: fiveMinutes,
      label: 'Webhook URL 4xx (% of requests)',
    });

    const emf = (metricName: string, period: cdk.Duration) =>
      new cloudwatch.Metric({
        namespace: PROCESSOR_EMF.namespace,
        metricName,
        dimensionsMap: { ...PROCESSOR_EMF.dimensions },
        period,
        statistic: 'Sum',
      });
    const fifteenMinutes = cdk.Duration.minutes(15);
    const permanentFailures = emf(PROCESSOR_EMF.permanentFailures, fifteenMinutes);
    const authFailures = emf(PROCESSOR_EMF.authFailures, fiveMinutes);
    const outcomes = PROCESSOR_EMF.outcomes.map((name) => emf(name, fiveMinutes));

    const nearTimeout = (timeout: cdk.Duration) => Math.floor(timeout.toMilliseconds() * props.durationAlarmRatio);
    const percent = Math.round(props.durationAlarmRatio * 100);

    const alarm = (
      key: AlarmKey,
      metric: cloudwatch.IMetric,
      summary: string,
      rule: {
        threshold: number;
        comparison: cloudwatch.ComparisonOperator;
        evaluationPeriods: number;
        datapointsToAlarm: number;
      },
    ): cloudwatch.Alarm => {
      const created = new cloudwatch.Alarm(this, key, {
        alarmName: `tipline-${props.stage}-${RUNBOOK_ANCHORS[key]}`,
        alarmDescription: `${summary} Runbook: ${runbookLink(props.runbookUrl, key)}`,
        metric,
        threshold: rule.threshold,
        comparisonOperator: rule.comparison,
        evaluationPeriods: rule.evaluationPeriods,
        datapointsToAlarm: rule.datapointsToAlarm,
        // Lambda and idle SQS queues publish nothing when nothing happens; silence is healthy.
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(new actions.SnsAction(props.topic));
      created.addOkAction(new actions.SnsAction(props.topic));
      return created;
    };
    const above = cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD;
    const atLeast = cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD;
    const sustained = { evaluationPeriods: 5, datapointsToAlarm: 3 };
    const once = { evaluationPeriods: 1, datapointsToAlarm: 1 };

    this.alarms = {
      queueDepth: alarm(
        'queueDepth',
        queueDepth,
        `More than ${props.queueDepthThreshold} messages wait in the tipline-${props.stage} queue: the processor is not keeping up.`,
        { threshold: props.queueDepthThreshold, comparison: above, ...sustained },
      ),
      queueAge: alarm(
        'queueAge',
        queueAge,
        `The oldest message in the tipline-${props.stage} queue is older than ${props.queueAgeThreshold.toSeconds()} s ` +
          `(above ${props.maxReceiveCount} receives x the ${props.visibilityTimeout.toSeconds()} s visibility timeout, unless set): ` +
          `not a retry but a stall or a backlog; users are waiting for their verdict.`,
        { threshold: props.queueAgeThreshold.toSeconds(), comparison: above, ...sustained },
      ),
      dlqNotEmpty: alarm(
        'dlqNotEmpty',
        dlqDepth,
        `The tipline-${props.stage} DLQ holds messages that failed every attempt; their senders may have no reply.`,
        { threshold: 0, comparison: above, ...once },
      ),
      processorErrors: alarm(
        'processorErrors',
        processor.errors,
        `Processor invocations failed as a whole (crash, timeout or init error): the whole batch is retried.`,
        { threshold: props.processorErrorsThreshold, comparison: atLeast, ...once },
      ),
      processorThrottles: alarm(
        'processorThrottles',
        processor.throttles,
        `Processor invocations were throttled; throttled SQS batches still use up receives.`,
        { threshold: props.throttlesThreshold, comparison: atLeast, ...once },
      ),
      processorDuration: alarm(
        'processorDuration',
        processor.durationP99,
        `Processor p99 duration is above ${percent}% of its ${props.processorTimeout.toSeconds()} s timeout.`,
        { threshold: nearTimeout(props.processorTimeout), comparison: above, evaluationPeriods: 3, datapointsToAlarm: 2 },
      ),
      webhookErrors: alarm(
        'webhookErrors',
        webhook.errors,
        `Webhook invocations failed (crash, timeout or init error): Twilio got no answer and uses its fallback URL.`,
        { threshold: props.webhookErrorsThreshold, comparison: atLeast, ...once },
      ),
      webhook5xx: alarm(
        'webhook5xx',
        webhook5xx,
        `The webhook answered 5xx: neither the queue nor the fallback invoke took the message.`,
        { threshold: props.webhookErrorsThreshold, comparison: atLeast, ...once },
      ),
      webhookThrottles: alarm(
        'webhookThrottles',
        webhook.throttles,
        `Webhook invocations were throttled: Twilio got 429s for inbound messages.`,
        { threshold: props.throttlesThreshold, comparison: atLeast, ...once },
      ),
      webhookDuration: alarm(
        'webhookDuration',
        webhook.durationP99,
        `Webhook p99 duration is above ${percent}% of its ${props.webhookTimeout.toSeconds()} s timeout; Twilio gives up after 15 s.`,
        { threshold: nearTimeout(props.webhookTimeout), comparison: above, evaluationPeriods: 3, datapointsToAlarm: 2 },
      ),
      webhook4xx: alarm(
        'webhook4xx',
        webhook4xxPercent,
        `At least ${props.webhook4xxPercentThreshold}% of the webhook's requests were answered 4xx (in periods with ` +
          `${props.webhook4xxMinRequests}+ requests): a wrong URL or auth token makes every real Twilio request 403.`,
        { threshold: props.webhook4xxPercentThreshold, comparison: atLeast, evaluationPeriods: 3, datapointsToAlarm: 2 },
      ),
      permanentFailures: alarm(
        'permanentFailures',
        permanentFailures,
        `The processor recorded at least ${props.permanentFailuresThreshold} messages as permanently failed in 15 minutes; ` +
          `they are not retried and not in the DLQ. Replay them from the database.`,
        { threshold: props.permanentFailuresThreshold, comparison: atLeast, ...once },
      ),
      authFailures: alarm(
        'authFailures',
        authFailures,
        `Twilio or OpenAI refused the processor's credentials (401/403): messages are retried, but none is answered ` +
          `until the secret is fixed.`,
        { threshold: 1, comparison: atLeast, ...once },
      ),
    };

    const timeoutLine = (timeout: cdk.Duration): cloudwatch.HorizontalAnnotation => ({
      value: timeout.toMilliseconds(),
      label: 'timeout',
      color: cloudwatch.Color.RED,
    });
    const graph = (title: string, left: cloudwatch.IMetric[], extra: Partial<cloudwatch.GraphWidgetProps> = {}) =>
      new cloudwatch.GraphWidget({ title, left, width: 8, height: 6, ...extra });

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `tipline-${props.stage}`,
      defaultInterval: cdk.Duration.hours(3),
    });
    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({
        title: 'Alarms',
        alarms: Object.values(this.alarms),
        width: 24,
        height: 3,
      }),
    );
    this.dashboard.addWidgets(
      graph('Queue depth (visible)', [queueDepth], {
        leftAnnotations: [{ value: props.queueDepthThreshold, label: 'alarm', color: cloudwatch.Color.ORANGE }],
      }),
      graph('Age of oldest message (s)', [queueAge], {
        leftAnnotations: [{ value: props.queueAgeThreshold.toSeconds(), label: 'alarm', color: cloudwatch.Color.ORANGE }],
      }),
      graph('DLQ depth (visible)', [dlqDepth]),
    );
    this.dashboard.addWidgets(
      graph('Processor invocations, errors, throttles', [processor.invocations, processor.errors, processor.throttles]),
      graph('Processor duration p99 (ms)', [processor.durationP99], {
        leftAnnotations: [timeoutLine(props.processorTimeout)],
      }),
      graph('Processor concurrency', [processor.concurrency]),
    );
    this.dashboard.addWidgets(
      graph('Webhook invocations, errors, throttles', [webhook.invocations, webhook.errors, webhook.throttles]),
      graph('Webhook duration p99 (ms)', [webhook.durationP99], {
        leftAnnotations: [timeoutLine(props.webhookTimeout)],
      }),
      graph('Webhook URL 4xx / 5xx', [webhook4xx, webhook5xx], { right: [webhookRequests] }),
    );
    this.dashboard.addWidgets(
      graph('Webhook URL 4xx (% of requests)', [webhook4xxPercent], {
        leftAnnotations: [{ value: props.webhook4xxPercentThreshold, label: 'alarm', color: cloudwatch.Color.ORANGE }],
        leftYAxis: { min: 0, max: 100 },
      }),
      graph('Processor outcomes (per batch record)', outcomes),
      graph('Permanent and auth failures', [permanentFailures, authFailures], {
        leftAnnotations: [
          { value: props.permanentFailuresThreshold, label: 'permanent alarm (15 min)', color: cloudwatch.Color.ORANGE },
          { value: 1, label: 'auth alarm', color: cloudwatch.Color.RED },
        ],
      }),
      graph('Fallback replies, analyser fallbacks and hedged model calls', [
        emf(PROCESSOR_EMF.fallbackReplies, fiveMinutes),
        emf(PROCESSOR_EMF.analyzerFallbacks, fiveMinutes),
        emf(PROCESSOR_EMF.hedgedCalls, fiveMinutes),
      ]),
    );
  }
}
