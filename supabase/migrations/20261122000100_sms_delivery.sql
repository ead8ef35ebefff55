-- What the SMS edge needs on top of sms_messages: idempotent outbound sends and the hand-off of
-- inbound messages to the conversation workflow.

-- Outbound: one row per logical message (`reply-<inbound id>`, `alert-<alert id>-<user id>`, ...).
-- The outbox inserts the row on this key before it calls the provider, so a retried activity finds
-- the row instead of sending again. Null on inbound rows (they are keyed on provider_sid).
alter table public.sms_messages
  add column idempotency_key text
    constraint sms_messages_idempotency_key_key unique
    constraint sms_messages_idempotency_key_format check (length(idempotency_key) between 1 and 200),
  -- Set (once) just before the provider is called: a row with it set and no provider_sid is "in
  -- doubt" (the process may have died after the provider accepted). The outbox never resends such a
  -- row (at most once); the provider's status callback, which quotes the row id, fills in the sid.
  add column send_attempted_at timestamptz,
  -- Inbound: when the webhook handed the message to the conversation workflow (signal-with-start),
  -- or handled it itself (STOP/START/HELP). Null: not handed off yet; the workflow worker's sweeper
  -- re-signals such rows.
  add column handed_off_at timestamptz,
  add constraint sms_messages_outbound_key check (direction = 'out' or idempotency_key is null),
  add constraint sms_messages_handoff_inbound check (direction = 'in' or handed_off_at is null);

-- The sweeper's scan: inbound rows of known users still waiting for their hand-off (a handful at most).
create index sms_messages_pending_handoff_idx on public.sms_messages (created_at)
  where direction = 'in' and handed_off_at is null and user_id is not null;
