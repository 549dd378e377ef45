-- API requests run `set role ck_app` (00007). A superuser may; any other owner of the database — a
-- managed PostgreSQL's admin user, which has CREATEROLE but is no superuser — must be a member of
-- ck_app, and creating a role does not make its creator one (PostgreSQL 16 gives it ADMIN alone), so
-- every request failed with "permission denied to set role". The owner that migrates is the owner
-- that serves.
grant ck_app to current_user;
