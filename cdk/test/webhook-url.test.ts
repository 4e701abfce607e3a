/**
 * Issue 12, point 7: the webhook's public URL is part of the template, so no deploy can drop it.
 *
 * The Function URL is an attribute of a resource that depends on the webhook, so it cannot sit in
 * the webhook's own environment. The stack stores it in an SSM parameter it owns (fixed name) and
 * names that parameter in the environment. These tests synthesize a first deploy and a second one
 * that changes only the webhook's memory, and check that the URL's source is in both templates,
 * that the second changes nothing but the memory, and that nothing outside the template is needed.
 */
import { Template } from 'aws-cdk-lib/assertions';

import { logicalId, pinnedStage, synth } from './helpers';

const PARAMETER = '/tipline/test/public-webhook-url';

type Resources = Record<string, { Type: string; Properties?: any; DependsOn?: string | string[] }>;
const resourcesOf = (template: Template) => template.toJSON().Resources as Resources;
const webhookIdOf = (template: Template) =>
  logicalId(template, 'AWS::Lambda::Function', { FunctionName: 'tipline-test-webhook' });

/** Every path (a.b.c) at which two JSON values differ. */
function differences(a: unknown, b: unknown, at = ''): string[] {
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) {
    return JSON.stringify(a) === JSON.stringify(b) ? [] : [at];
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].flatMap((k) =>
    differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], at ? `${at}.${k}` : k),
  );
}

/** The logical ids a resource refers to (Ref, Fn::GetAtt, DependsOn). */
function references(resource: Resources[string], ids: Set<string>): Set<string> {
  const found = new Set<string>([resource.DependsOn ?? []].flat());
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') {
      for (const [k, inner] of Object.entries(v)) {
        if (k === 'Ref' && typeof inner === 'string' && ids.has(inner)) found.add(inner);
        else if (k === 'Fn::GetAtt' && Array.isArray(inner) && ids.has(inner[0])) found.add(inner[0]);
        else walk(inner);
      }
    }
  };
  walk(resource.Properties);
  return found;
}

/** A dependency cycle among the resources, or undefined. */
function findCycle(resources: Resources): string[] | undefined {
  const ids = new Set(Object.keys(resources));
  const state = new Map<string, 'open' | 'done'>();
  const visit = (id: string, path: string[]): string[] | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'open') return [...path.slice(path.indexOf(id)), id];
    state.set(id, 'open');
    for (const next of references(resources[id], ids)) {
      const cycle = visit(next, [...path, id]);
      if (cycle) return cycle;
    }
    state.set(id, 'done');
    return undefined;
  };
  for (const id of ids) {
    const cycle = visit(id, []);
    if (cycle) return cycle;
  }
  return undefined;
}

/** What the webhook needs to learn its URL at cold start, all of it in the template. */
function expectUrlSourceInTemplate(template: Template): void {
  const resources = resourcesOf(template);
  const webhookId = webhookIdOf(template);
  const urlId = logicalId(template, 'AWS::Lambda::Url', { TargetFunctionArn: { 'Fn::GetAtt': [webhookId, 'Arn'] } });
  // The environment names the parameter...
  expect(resources[webhookId].Properties.Environment.Variables.PUBLIC_WEBHOOK_URL_PARAMETER).toBe(PARAMETER);
  // ...the parameter holds the Function URL, set by CloudFormation itself...
  template.hasResourceProperties('AWS::SSM::Parameter', {
    Name: PARAMETER,
    Type: 'String',
    Value: { 'Fn::GetAtt': [urlId, 'FunctionUrl'] },
  });
  // ...and the webhook's role may read exactly that parameter.
  const role = resources[webhookId].Properties.Role['Fn::GetAtt'][0];
  const statements = Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles).includes(`"${role}"`))
    .flatMap((r) => r.Properties.PolicyDocument.Statement);
  expect(statements.filter((s) => JSON.stringify(s.Action).includes('ssm:'))).toEqual([
    {
      Sid: 'PublicUrlParameter',
      Effect: 'Allow',
      Action: 'ssm:GetParameter',
      Resource: `arn:aws:ssm:eu-west-1:123456789012:parameter${PARAMETER}`,
    },
  ]);
  // No mechanism outside the template: no custom resource rewrites the function's configuration.
  expect(Object.values(resources).filter((r) => r.Type.startsWith('Custom::') && r.Type !== 'Custom::Trigger')).toEqual([]);
  expect(JSON.stringify(resources)).not.toMatch(/UpdateFunctionConfiguration|PUBLIC_WEBHOOK_URL\\?"\s*:/);
  // And no dependency cycle: the function does not wait for its own URL.
  expect(findCycle(resources)).toBeUndefined();
}

const first = synth({ webhookMemoryMiB: 512 }).template;
const second = synth({ webhookMemoryMiB: 1024 }).template;

test('first deploy: the URL source (parameter, its name in the environment, the grant) is in the template', () => {
  expectUrlSourceInTemplate(first);
});

test('second deploy with a changed webhook memory size still carries the URL source', () => {
  expectUrlSourceInTemplate(second);
  expect(resourcesOf(second)[webhookIdOf(second)].Properties.MemorySize).toBe(1024);
});

test('the second deploy changes only the webhook memory: the parameter and the environment are untouched', () => {
  const webhookId = webhookIdOf(first);
  expect(differences(first.toJSON(), second.toJSON())).toEqual([`Resources.${webhookId}.Properties.MemorySize`]);
});

test('a pinned URL goes into the environment, with no parameter and no SSM access', () => {
  const { template } = synth({ ...pinnedStage(), webhookMemoryMiB: 1024 });
  const resources = resourcesOf(template);
  expect(resources[webhookIdOf(template)].Properties.Environment.Variables).toMatchObject({
    PUBLIC_WEBHOOK_URL: 'https://tipline.example.org/twilio',
  });
  expect(resources[webhookIdOf(template)].Properties.Environment.Variables.PUBLIC_WEBHOOK_URL_PARAMETER).toBeUndefined();
  template.resourceCountIs('AWS::SSM::Parameter', 0);
  expect(JSON.stringify(resources)).not.toContain('ssm:GetParameter');
  expect(findCycle(resources)).toBeUndefined();
});

test('the cycle check is live: a function naming its own URL is reported', () => {
  const resources: Resources = {
    Fn: { Type: 'AWS::Lambda::Function', Properties: { Environment: { Variables: { U: { 'Fn::GetAtt': ['Url', 'FunctionUrl'] } } } } },
    Url: { Type: 'AWS::Lambda::Url', Properties: { TargetFunctionArn: { 'Fn::GetAtt': ['Fn', 'Arn'] } } },
  };
  expect(findCycle(resources)).toEqual(['Fn', 'Url', 'Fn']);
});
