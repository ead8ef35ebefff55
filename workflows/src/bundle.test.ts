import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createTimeSkippingEnv } from '@tradeassist/tests/harness/temporal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorkflowBundle, WORKFLOWS_PATH, workflowSource } from './bundle.ts';
import type { ping } from './workflows/index.ts';

describe('prebuilt workflow bundle', () => {
  let env: TestWorkflowEnvironment;
  const dir = mkdtempSync(join(tmpdir(), 'wf-bundle-'));
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
  });
  afterAll(async () => {
    await env?.teardown();
    rmSync(dir, { recursive: true, force: true });
  });

  it('builds, and a production worker runs ping from it', async () => {
    const path = join(dir, 'workflow-bundle.js');
    const built = await buildWorkflowBundle(path);
    expect(built.bytes).toBeGreaterThan(10_000);
    const source = workflowSource('production', path);
    expect(source).toEqual({ workflowBundle: { codePath: path } });
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'bundle-test',
      ...source,
    });
    const result = await worker.runUntil(
      env.client.workflow.execute<typeof ping>('ping', {
        taskQueue: 'bundle-test',
        workflowId: 'bundle-ping',
      }),
    );
    expect(result).toBe('pong');
  });

  it('refuses to start in production without the bundle, and uses the source otherwise', () => {
    expect(() => workflowSource('production', join(dir, 'missing.js'))).toThrow(
      /workflow bundle .*missing\.js does not exist: run `npm run build -w @tradeassist\/workflows`/,
    );
    expect(workflowSource('development', join(dir, 'missing.js'))).toEqual({ workflowsPath: WORKFLOWS_PATH });
  });
});
