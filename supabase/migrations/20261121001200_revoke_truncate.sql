-- Supabase's default grants give anon and authenticated every table privilege, RLS narrowing what
-- they reach. TRUNCATE is the exception RLS does not cover (it empties a table without looking at
-- a single policy), and REFERENCES/TRIGGER have no use from a browser: take them away, for these
-- tables and for tables later migrations create.
revoke truncate, references, trigger on all tables in schema public from anon, authenticated;
alter default privileges in schema public revoke truncate, references, trigger on tables from anon, authenticated;
