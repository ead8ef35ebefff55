// The prebuilt workflow bundle. `npm run build -w @tradeassist/workflows` writes it once (webpack
// via bundleWorkflowCode, seconds of CPU); the production worker loads it instead of bundling its
// workflows from source at every start, so a deploy starts in well under a second of bundling and
// runs exactly the code that was built and tested.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';

export const WORKFLOWS_PATH = fileURLToPath(new URL('./workflows/index.ts', import.meta.url));
export const WORKFLOW_BUNDLE_PATH = fileURLToPath(new URL('../dist/workflow-bundle.js', import.meta.url));

export async function buildWorkflowBundle(
  outPath = WORKFLOW_BUNDLE_PATH,
): Promise<{ path: string; bytes: number }> {
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH });
  mkdirSync(dirname(outPath), { recursive: true });
  writeFileSync(outPath, code);
  return { path: outPath, bytes: Buffer.byteLength(code) };
}

export type WorkflowSource = { workflowBundle: { codePath: string } } | { workflowsPath: string };

/** Production runs the prebuilt bundle (and refuses to start without it); elsewhere, the source. */
export function workflowSource(nodeEnv: string, bundlePath = WORKFLOW_BUNDLE_PATH): WorkflowSource {
  if (nodeEnv !== 'production') return { workflowsPath: WORKFLOWS_PATH };
  if (!existsSync(bundlePath)) {
    throw new Error(
      `NODE_ENV=production but the workflow bundle ${bundlePath} does not exist: ` +
        'run `npm run build -w @tradeassist/workflows` when building the image',
    );
  }
  return { workflowBundle: { codePath: bundlePath } };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const t0 = performance.now();
  const out = await buildWorkflowBundle(process.argv[2] ?? WORKFLOW_BUNDLE_PATH);
  process.stderr.write(
    `wrote ${out.path} (${(out.bytes / 1024).toFixed(0)} KiB) in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
  );
}
