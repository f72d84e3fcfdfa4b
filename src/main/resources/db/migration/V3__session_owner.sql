-- Who created a session: the caller's JWT subject, or "address:IP" in open mode (null for sessions from before
-- callers were known). The owner lists its sessions, and its quotas count against it.
alter table chat_session add column owner varchar(320);
create index chat_session_owner on chat_session (owner, created_at);
