// The trader's rules in the `rules` table: the row holds name, enabled, cooldown and channels; the
// `definition` column holds the rest of the core rule definition (scope, sessions, condition), as the
// screener's rule sync reads it back.
import type { RuleDefinition } from '@tradeassist/core/rule';
import { db } from './db.ts';

export interface RuleRow {
  id: string;
  name: string;
  enabled: boolean;
  cooldown_seconds: number;
  channels: string[];
  definition: Record<string, unknown>;
  version: number;
  updated_at: string;
}

/** The definition's channel names -> the table's (the dashboard is `web` there). */
const TABLE_CHANNEL = { dashboard: 'web', sms: 'sms', push: 'push' } as const;

export async function listRules(userId: string): Promise<RuleRow[]> {
  return db()<RuleRow[]>`
    select id::text as id, name, enabled, cooldown_seconds, channels, definition, version,
           to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as updated_at
      from public.rules where user_id = ${userId}
     order by created_at desc, id`;
}

export class RuleNameTaken extends Error {
  constructor(readonly ruleName: string) {
    super(`a rule named ${JSON.stringify(ruleName)} already exists`);
  }
}

export async function insertRule(def: RuleDefinition): Promise<string> {
  const sql = db();
  const definition = { scope: def.scope, sessions: def.sessions, condition: def.condition };
  try {
    const [row] = await sql<{ id: string }[]>`
      insert into public.rules (id, user_id, name, definition, enabled, cooldown_seconds, channels)
      values (${def.id}, ${def.user_id}, ${def.name}, ${sql.json(definition as never)}, ${def.enabled},
              ${def.cooldown_s}, ${def.channels.map((c) => TABLE_CHANNEL[c])})
      returning id::text as id`;
    return row!.id;
  } catch (e) {
    if ((e as { code?: string }).code === '23505') throw new RuleNameTaken(def.name);
    throw e;
  }
}

export async function setRuleEnabled(userId: string, id: string, enabled: boolean): Promise<boolean> {
  const rows = await db()`
    update public.rules set enabled = ${enabled} where id = ${id} and user_id = ${userId} returning id`;
  return rows.length === 1;
}
