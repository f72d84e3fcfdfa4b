-- Undo of applied changes: what each applied or accepted change replaced (the workflow or the job's code before
-- it), kept so that a revert restores it after any restart. Changes stored before this column existed cannot be
-- undone (replaced_known is false for them: a null replaced_content could mean "there was nothing" or "unknown").
alter table session_change add column replaced_content ${large_text};
alter table session_change add column replaced_known boolean default false not null;

-- Watch-only links: the hash of the session's current viewer token (null until its owner asks for one).
alter table chat_session add column viewer_token_hash varchar(64);
