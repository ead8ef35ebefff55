import { fileURLToPath } from 'node:url';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createTimeSkippingEnv } from '@tradeassist/tests/harness/temporal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ping } from './index.ts';

describe('ping workflow (the worker readiness probe)', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('is registered from workflows/index.ts and answers pong', async () => {
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'ping-test',
      workflowsPath: fileURLToPath(new URL('./index.ts', import.meta.url)),
    });
    const result = await worker.runUntil(
      env.client.workflow.execute<typeof ping>('ping', { taskQueue: 'ping-test', workflowId: 'ping-1' }),
    );
    expect(result).toBe('pong');
  });
});
