-- Every SMS in and out. Inbound rows are written by the Twilio webhook, idempotent on MessageSid
-- (provider_sid unique: Twilio retries a webhook it thinks failed); outbound rows get their SID
-- when Twilio accepts them and then move forward through status callbacks.
create table public.sms_messages (
  id uuid primary key default gen_random_uuid(),
  -- Null: a number we do not know (yet); kept so the conversation can still be answered.
  user_id uuid references auth.users (id) on delete set null,
  direction text not null check (direction in ('in', 'out')),
  -- Null only on an outbound row whose sender Twilio has not reported yet (a Messaging Service
  -- picks one of its numbers when it sends; the answer or a status callback says which).
  from_number text constraint sms_messages_from_e164 check (public.is_e164(from_number)),
  to_number text not null constraint sms_messages_to_e164 check (public.is_e164(to_number)),
  -- Twilio accepts at most 1600 characters in one message body.
  body text not null check (length(body) <= 1600),
  provider_sid text constraint sms_messages_provider_sid_key unique
    constraint sms_messages_provider_sid_format check (provider_sid ~ '^[A-Za-z0-9_-]{1,64}$'),
  status text not null
    check (status in ('queued', 'sent', 'delivered', 'failed', 'undelivered', 'received')),
  error_code text check (length(error_code) <= 32),
  -- What the parser understood (an Intent of CONTRACTS.md) and which parser said so.
  parsed_intent jsonb constraint sms_messages_parsed_intent_object check (jsonb_typeof(parsed_intent) = 'object'),
  alert_id bigint references public.alerts (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint sms_messages_status_direction check ((direction = 'in') = (status = 'received')),
  constraint sms_messages_inbound_has_sid check (direction = 'out' or provider_sid is not null),
  constraint sms_messages_inbound_has_from check (direction = 'out' or from_number is not null)
);
create index sms_messages_user_created_idx on public.sms_messages (user_id, created_at desc);
-- The conversation with one phone number, newest first: what it sent us and what we sent it.
create index sms_messages_from_created_idx on public.sms_messages (from_number, created_at desc);
create index sms_messages_to_created_idx on public.sms_messages (to_number, created_at desc);
create index sms_messages_alert_id_idx on public.sms_messages (alert_id) where alert_id is not null;

create trigger sms_messages_forward_status before update of status on public.sms_messages
  for each row execute function public.enforce_forward_status();
create trigger sms_messages_set_updated_at before update on public.sms_messages
  for each row execute function public.set_updated_at();

-- The trader reads their own conversation; only the webhook and workflows (service role) write.
alter table public.sms_messages enable row level security;
create policy sms_messages_select_own on public.sms_messages for select to authenticated
  using (user_id = (select auth.uid()));
