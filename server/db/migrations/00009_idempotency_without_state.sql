-- An idempotency record is now written with the answer, in the request's own transaction; a request
-- still running holds an advisory lock instead of a 'running' row (server/http/idempotency.ts).
alter table idempotency_keys drop column state;
alter table idempotency_keys alter column response_status set not null;
alter table idempotency_keys alter column response_body set not null;
