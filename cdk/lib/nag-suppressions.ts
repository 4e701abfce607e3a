/**
 * cdk-nag AwsSolutions findings that are accepted on purpose, each with its reason, in one
 * place so a reviewer sees every exception at once. A test fails on any finding not listed here.
 */
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { NagSuppressions } from 'cdk-nag';

import type { TiplineStack } from './tipline-stack';

/** Records the accepted findings on the stack's resources. */
export function applyNagSuppressions(stack: TiplineStack): void {
  const createdSecrets = Object.values(stack.secrets).filter(
    (secret): secret is secretsmanager.Secret => secret instanceof secretsmanager.Secret,
  );
  if (createdSecrets.length > 0) {
    NagSuppressions.addResourceSuppressions(createdSecrets, [
      {
        id: 'AwsSolutions-SMG4',
        reason:
          'These hold credentials issued by third parties: the Twilio auth token / API key and the OpenAI key are ' +
          'rotated in those vendors\' consoles (the webhook accepts several auth tokens during a rotation), and the ' +
          'database URL is rotated by whoever runs the database. No Secrets Manager rotation Lambda can rotate them. ' +
          'The retention HMAC key is kept on purpose: a new key would give one sender two pseudonyms.',
      },
    ]);
  }

  NagSuppressions.addResourceSuppressions(
    [stack.processor.role!, stack.retention.role!],
    [
      {
        id: 'AwsSolutions-IAM5',
        reason:
          'Media object keys are derived from each message and unknown in advance; the wildcard is limited to ' +
          'the object actions each function needs (the processor: get/put/delete; retention: delete) under the ' +
          'media/ prefix of this stack\'s own bucket.',
        appliesTo: [{ regex: '/^Resource::<MediaBucket[0-9A-F]{8}\\.Arn>\\/media\\/\\*$/' }],
      },
    ],
    true,
  );
}
