-- Which server reads an answer (so a server that stops or dies leaves answers another server can close) and the
-- id of its question's event (so a client on any server resumes the answer from its start).
alter table chat_message add column node_id varchar(36);
alter table chat_message add column first_event_id bigint;
