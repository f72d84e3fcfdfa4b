package io.assistantstream.chat.entity;

import io.assistantstream.session.entity.SessionKind;
import io.assistantstream.session.entity.SessionRole;
import io.assistantstream.changes.entity.ChangeView;
import io.assistantstream.stream.entity.ClientEvent.MessageView;
import java.util.List;

/**
 * {@code GET /api/sessions/{id}}: the session, its messages in order, every change it received (newest last, with
 * its status), what is streaming now, and what the token that read it may do ({@code access}).
 */
public record SessionView(String id, SessionKind kind, String title, String createdAt, String workflowYaml, Job job,
                          List<MessageView> messages, List<ChangeView> appliedChanges, Streaming streaming,
                          long lastEventId, SessionRole access) {

    /** The job of a job session. */
    public record Job(String name, String adaptor, String code) {
    }

    /**
     * The answer in flight: the id of the session's latest event, and of the first event of its exchange (the
     * question's {@code message_created}): a client that rebuilds the answer resumes after {@code firstEventId - 1}.
     */
    public record Streaming(String messageId, long lastEventId, long firstEventId) {
    }

    /** The answer to {@code POST /api/sessions}: the only time the session's token is shown. */
    public record Created(String id, SessionKind kind, String token, String title, String createdAt) {
    }

    /** A session in its owner's list (no token: the list is for finding a session, the token for opening it). */
    public record Listed(String id, SessionKind kind, String title, String createdAt) {
    }

    /** The answer to {@code POST /api/sessions/{id}/messages}. */
    public record Posted(String messageId, String assistantMessageId) {
    }
}
