// A stand-in for the trade workflow in trigger-recorder.test.ts: returns the first triggerCrossed.
import { condition, setHandler } from '@temporalio/workflow';
import { type TriggerCrossedSignal, triggerCrossedSignal } from '@tradeassist/workflows/client';

export async function firstCross(): Promise<TriggerCrossedSignal> {
  let got: TriggerCrossedSignal | undefined;
  setHandler(triggerCrossedSignal, (s) => {
    got ??= s;
  });
  await condition(() => got !== undefined);
  return got!;
}
