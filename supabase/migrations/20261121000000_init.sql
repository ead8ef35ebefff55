-- Placeholder: the schema arrives in the next migrations.
create table if not exists public.schema_probe (id int primary key);
