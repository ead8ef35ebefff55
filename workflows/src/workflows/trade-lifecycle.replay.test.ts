// Replays the saved histories of the conversation and trade workflows (__histories__/*.json) against
// the current workflow code: a change that would break a running workflow (a command added,
// removed or reordered without `patched`) fails here. After an intended change that only affects
// new runs, regenerate them: `TA_WRITE_HISTORIES=1 nice -n 10 npx vitest run workflows/src/workflows`.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { HISTORIES_DIR, historyFromObject } from '../activities/trades.test-support.ts';

const files = readdirSync(HISTORIES_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();

describe('saved workflow histories replay on the current code', () => {
  it('has histories of both workflows', () => {
    expect(files.some((f) => f.startsWith('conversation-'))).toBe(true);
    expect(files.filter((f) => f.startsWith('trade-')).length).toBeGreaterThanOrEqual(3);
  });

  it('replays every one without a non-determinism error', async () => {
    const histories = files.map((f) => ({
      workflowId: f.replace(/\.json$/, ''),
      history: historyFromObject(JSON.parse(readFileSync(`${HISTORIES_DIR}${f}`, 'utf8'))),
    }));
    const results: { workflowId: string; error: string | null }[] = [];
    for await (const r of Worker.runReplayHistories(
      { workflowsPath: fileURLToPath(new URL('./index.ts', import.meta.url)) },
      histories,
    )) {
      results.push({ workflowId: r.workflowId, error: r.error ? String(r.error) : null });
    }
    expect(results).toEqual(histories.map((h) => ({ workflowId: h.workflowId, error: null })));
  });
});
