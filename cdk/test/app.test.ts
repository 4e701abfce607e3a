/**
 * The app as `cdk synth` runs it: each stage in cdk.json synthesizes with cdk-nag applied
 * (dev and prod in-process, staging through the real entry point and the cdk.json command).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import * as cdk from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';

import { addTiplineStage } from '../lib/app';
import { cdkJsonContext, stubAssetDir } from './helpers';

const assets = stubAssetDir();

test.each(['dev', 'prod'])('stage %s synthesizes cleanly with its cdk.json settings', (stage) => {
  const app = new cdk.App({ context: { ...cdkJsonContext(), stage, lambdaAssetDir: assets } });
  const stack = addTiplineStage(app);
  expect(stack.stackName).toBe(`Tipline-${stage}`);
  const annotations = Annotations.fromStack(stack);
  expect(annotations.findError('*', Match.anyValue())).toEqual([]);
  expect(annotations.findWarning('*', Match.stringLikeRegexp('AwsSolutions-'))).toEqual([]);
  const template = Template.fromStack(stack);
  const maxConcurrency = (cdkJsonContext().stages as Record<string, { maxConcurrency: number }>)[stage].maxConcurrency;
  template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { ScalingConfig: { MaximumConcurrency: maxConcurrency } });
  expect(stack.tags.tagValues()).toEqual({ project: 'tipline', stage });
});

test('the cdk.json app command synthesizes the staging stage from the entry point', () => {
  const cdkJson = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'cdk.json'), 'utf8'));
  const [command, ...args] = (cdkJson.app as string).split(' ');
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'tipline-app-'));
  // The CDK CLI passes context and the output directory to the app through these variables.
  const result = spawnSync(command, args, {
    cwd: path.join(__dirname, '..'),
    encoding: 'utf8',
    env: {
      ...process.env,
      CDK_OUTDIR: outdir,
      CDK_CONTEXT_JSON: JSON.stringify({ ...cdkJson.context, stage: 'staging', lambdaAssetDir: assets }),
    },
  });
  expect({ status: result.status, stderr: result.stderr.replace(/^npm warn.*\n/gm, '') }).toEqual({ status: 0, stderr: '' });
  const template = JSON.parse(fs.readFileSync(path.join(outdir, 'Tipline-staging.template.json'), 'utf8'));
  expect(Object.keys(template.Resources).length).toBeGreaterThan(40);
  // cdk-nag ran inside the app and wrote its report next to the template.
  expect(fs.existsSync(path.join(outdir, 'AwsSolutions--Tipline-staging-NagReport.csv'))).toBe(true);
});
