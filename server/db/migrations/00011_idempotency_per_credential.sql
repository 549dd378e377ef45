-- An Idempotency-Key belongs to the credential that sent it, not to the whole studio: two integrations
-- of one studio that happen to pick the same key no longer collide, and no credential can replay
-- another's stored answer (server/http/idempotency.ts).
alter table idempotency_keys drop constraint idempotency_keys_pkey;
alter table idempotency_keys add primary key (tenant_id, credential, key);

-- A replay answers with the first answer's headers that describe it (Content-Type, ETag, Location),
-- not only its status and body. Records from before have none.
alter table idempotency_keys add column response_headers jsonb not null default '{}';

-- Minting an embed session no longer takes an Idempotency-Key, and its answer is never stored: drop
-- the answers stored before, which hold a session token in plain text.
delete from idempotency_keys where position('ck_ses_' in response_body) > 0;
