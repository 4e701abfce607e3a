/**
 * cfn-lint on the synthesized templates (default stage and a variant with every option set).
 *
 * cfn-lint comes from PyPI: the repository's `.venv` (scripts/venv.sh), else `CFN_LINT`,
 * else `cfn-lint` on PATH. When none exists the test fails; it never skips silently.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { buildStack, pinnedStage } from './helpers';

/** The repository's Python tools venv (scripts/venv.sh installs cfn-lint there). */
const REPO_VENV_CFN_LINT = path.resolve(__dirname, '..', '..', '.venv', 'bin', 'cfn-lint');

/** The cfn-lint executable, or an error saying how to get one. */
function findCfnLint(env: NodeJS.ProcessEnv = process.env, venv = REPO_VENV_CFN_LINT): string {
  if (env.CFN_LINT) {
    if (!fs.existsSync(env.CFN_LINT)) throw new Error(`CFN_LINT=${env.CFN_LINT} does not exist`);
    return env.CFN_LINT;
  }
  if (fs.existsSync(venv)) return venv;
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, 'cfn-lint');
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new Error(
    'cfn-lint not found: run scripts/venv.sh at the repository root (installs it into .venv), ' +
      'or set CFN_LINT=/path/to/cfn-lint, or put cfn-lint on PATH (pip install cfn-lint)',
  );
}

function synthesizedTemplate(extra: Parameters<typeof buildStack>[0]): string {
  const { app, stack } = buildStack(extra);
  const assembly = app.synth();
  return path.join(assembly.directory, stack.templateFile);
}

test('cfn-lint finds no errors or warnings in the synthesized templates', () => {
  const cfnLint = findCfnLint();
  const templates = [synthesizedTemplate({}), synthesizedTemplate({ ...pinnedStage(), retainData: false, batchSize: 100 })];
  // W3005 (DependsOn next to a GetAtt that already implies it) is how CDK always renders a
  // function's dependency on its role policy; harmless redundancy, so it is the one check ignored.
  const args = ['--regions', 'eu-west-1', '--ignore-checks', 'W3005', '--', ...templates];
  const result = spawnSync(cfnLint, args, { encoding: 'utf8' });
  if (result.error) throw new Error(`could not run ${cfnLint}: ${result.error.message}`);
  // Exit status is a bit mask: 2 errors, 4 warnings, 8 informational.
  expect({ status: result.status, output: result.stdout + result.stderr }).toEqual({ status: 0, output: '' });
});

test('a missing cfn-lint is an error that says how to install it', () => {
  expect(() => findCfnLint({ CFN_LINT: '/nonexistent/cfn-lint' })).toThrow(/does not exist/);
  expect(() => findCfnLint({ PATH: '' }, '/nonexistent/.venv/bin/cfn-lint')).toThrow(/scripts\/venv\.sh/);
});
