import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { useTestDatabase } from '@tradeassist/tests/harness/db';
import { createTimeSkippingEnv } from '@tradeassist/tests/harness/temporal';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationWorkflowId } from '../contract.ts';
import { createTrader } from '../testing/notification-fixtures.ts';
import { conversationHandOff, startInboundSweeper } from './inbound-sweeper.ts';

const db = useTestDatabase();
let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await createTimeSkippingEnv();
});
afterAll(async () => {
  await env?.teardown();
});

let sid = 0;
async function inbound(
  from: string,
  userId: string | null,
  body: string,
  ageSeconds: number,
  handedOff = false,
) {
  const [row] = await db.sql<{ id: string }[]>`
    insert into public.sms_messages (user_id, direction, from_number, to_number, body, provider_sid, status, created_at, handed_off_at)
    values (${userId}, 'in', ${from}, '+15555550199', ${body}, ${`SMtest${++sid}`}, 'received',
            now() - make_interval(secs => ${ageSeconds}), ${handedOff ? new Date() : null})
    returning id`;
  return row!.id;
}

describe('inbound SMS sweeper', () => {
  it('re-signals stuck messages of known users to their conversation, in order, and marks them', async () => {
    const trader = await createTrader(db.sql);
    const phone = trader.phone!;
    const stuck1 = await inbound(phone, trader.id, 'took AAPL 150.20 stop 148', 30);
    const stuck2 = await inbound(phone, trader.id, 'status', 20);
    const fresh = await inbound(phone, trader.id, 'pnl', 1); // the webhook may still be at it
    await inbound('+15550009999', null, 'who is this', 30); // unknown number: not for a conversation
    await inbound(phone, trader.id, 'done already', 30, true);

    const sweeper = startInboundSweeper({
      sql: db.sql as never,
      handOff: conversationHandOff(env.client, 'sweeper-test'),
      logger: pino({ level: 'silent' }),
      intervalMs: 60_000,
    });
    expect(await sweeper.sweepOnce()).toBe(2);
    expect(await sweeper.sweepOnce()).toBe(0);
    await sweeper.stop();

    const history = await env.client.workflow.getHandle(conversationWorkflowId(phone)).fetchHistory();
    const started = history.events?.find((e) => e.workflowExecutionStartedEventAttributes);
    expect(started?.workflowExecutionStartedEventAttributes?.workflowType?.name).toBe('conversation');
    const signals = (history.events ?? [])
      .map((e) => e.workflowExecutionSignaledEventAttributes)
      .filter((s) => s != null);
    expect(signals.map((s) => s.signalName)).toEqual(['inboundSms', 'inboundSms']);
    const payloads = signals.map((s) =>
      JSON.parse(Buffer.from(s.input!.payloads![0]!.data!).toString('utf8')),
    );
    expect(payloads.map((p) => [p.messageId, p.body])).toEqual([
      [stuck1, 'took AAPL 150.20 stop 148'],
      [stuck2, 'status'],
    ]);
    const marked =
      await db.sql`select id from public.sms_messages where handed_off_at is not null and direction = 'in'`;
    expect(marked.map((r) => r.id)).toEqual(expect.arrayContaining([stuck1, stuck2]));
    expect(marked.map((r) => r.id)).not.toContain(fresh);
  });
});
