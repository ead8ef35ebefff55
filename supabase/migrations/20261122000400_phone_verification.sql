-- Phone verification: the settings page texts a 6-digit code to the number the trader typed; the
-- number goes into profiles.phone (phone_verified = true) only once the code comes back. One live
-- code per user (a new request replaces it). Only a salted hash of the code is stored, with its
-- expiry and the wrong tries so far, so that a leaked row or log never gives the code away and
-- guessing is cut off after a few tries. Written only by the web server (service role): the
-- trader's own database role can neither read nor write it.
create table public.phone_verifications (
  user_id uuid primary key references auth.users (id) on delete cascade,
  phone text not null constraint phone_verifications_phone_e164 check (public.is_e164(phone)),
  -- sha256(salt || ':' || phone || ':' || code), hex.
  code_hash text not null constraint phone_verifications_code_hash_hex check (code_hash ~ '^[0-9a-f]{64}$'),
  salt text not null constraint phone_verifications_salt_hex check (salt ~ '^[0-9a-f]{32}$'),
  expires_at timestamptz not null,
  attempts integer not null default 0 constraint phone_verifications_attempts_range check (attempts between 0 and 100),
  -- Codes sent in the current hour-long window (resends are limited: each one costs an SMS).
  sends integer not null default 1 constraint phone_verifications_sends_positive check (sends >= 1),
  window_started_at timestamptz not null default now(),
  last_sent_at timestamptz not null default now(),
  created_at timestamptz not null default now(),
  constraint phone_verifications_expiry_after_send check (expires_at > last_sent_at)
);

alter table public.phone_verifications enable row level security;
-- No policies: only the service role (which bypasses RLS) touches it.
revoke all on public.phone_verifications from anon, authenticated;
