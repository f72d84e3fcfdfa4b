-- Sessions, their messages and the changes applied or proposed in them.
-- ${large_text} is text on PostgreSQL and clob on H2 (answers and YAML documents can exceed any varchar).

create table chat_session (
    id                 varchar(36)  not null primary key,
    kind               varchar(16)  not null,
    title              varchar(200),
    workflow_yaml      ${large_text},
    job_name           varchar(200),
    job_adaptor        varchar(200),
    job_code           ${large_text},
    created_at         timestamp with time zone not null,
    token_hash         varchar(64)  not null,
    event_ids_reserved bigint       not null
);

create table chat_message (
    id            varchar(36)   not null primary key,
    session_id    varchar(36)   not null references chat_session (id),
    position      integer       not null,
    role          varchar(16)   not null,
    content       ${large_text},
    status        varchar(16)   not null,
    error_code    varchar(64),
    error_message varchar(2000),
    usage_json    ${large_text},
    meta_json     ${large_text},
    change_ids    varchar(2000),
    created_at    timestamp with time zone not null
);

create index chat_message_session on chat_message (session_id, position);

create table session_change (
    id             varchar(36)   not null primary key,
    session_id     varchar(36)   not null references chat_session (id),
    message_id     varchar(36)   not null,
    kind           varchar(16)   not null,
    content_digest varchar(64)   not null,
    content        ${large_text},
    diff           ${large_text},
    status         varchar(16)   not null,
    error          varchar(2000),
    created_at     timestamp with time zone not null,
    constraint session_change_once unique (session_id, kind, content_digest)
);

create index session_change_session on session_change (session_id, created_at);
