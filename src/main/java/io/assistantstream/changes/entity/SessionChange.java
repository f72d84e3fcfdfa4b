package io.assistantstream.changes.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;
import java.time.OffsetDateTime;

/**
 * A structured change a session received, stored once per (session, kind, content): the unique constraint is what
 * makes "exactly once" hold across threads, tabs and servers. Invalid content is stored too, so the same broken
 * content arriving again is recognised rather than reported twice.
 */
@Entity
@Table(name = "session_change",
        uniqueConstraints = @UniqueConstraint(name = "session_change_once",
                columnNames = {"session_id", "kind", "content_digest"}),
        indexes = @Index(name = "session_change_session", columnList = "session_id, created_at"))
public class SessionChange {

    @Id
    @Column(length = 36)
    private String id;

    @Column(name = "session_id", nullable = false, length = 36)
    private String sessionId;

    /** The assistant message the change came with. */
    @Column(name = "message_id", nullable = false, length = 36)
    private String messageId;

    @Column(nullable = false, length = 16)
    private ChangeKind kind;

    /** SHA-256 (hex) of the content with line ends normalised to LF. */
    @Column(name = "content_digest", nullable = false, length = 64)
    private String contentDigest;

    /** The YAML or code; null when the change could not be read at all. */
    private String content;

    /** For job code: the unified diff from the job's code at the time of the proposal. */
    private String diff;

    @Column(nullable = false, length = 16)
    private ChangeStatus status;

    /** What the change replaced when it took effect (the workflow, or the job's code), so it can be undone. */
    @Column(name = "replaced_content")
    private String replacedContent;

    /** Whether {@link #replacedContent} was kept: false until the change takes effect, and for older rows. */
    @Column(name = "replaced_known", nullable = false)
    private boolean replacedKnown;

    @Column(length = 2000)
    private String error;

    @Column(name = "created_at", nullable = false)
    private OffsetDateTime createdAt;

    /** The column's width ({@code session_change.error}); a longer reason is cut rather than failing the insert. */
    static final int ERROR_CHARS = 2000;

    protected SessionChange() {
    }

    public SessionChange(String id, String sessionId, String messageId, ChangeKind kind, String contentDigest,
                         String content, String diff, ChangeStatus status, String error, OffsetDateTime createdAt) {
        this.id = id;
        this.sessionId = sessionId;
        this.messageId = messageId;
        this.kind = kind;
        this.contentDigest = contentDigest;
        this.content = content;
        this.diff = diff;
        this.status = status;
        this.error = error == null || error.length() <= ERROR_CHARS ? error : error.substring(0, ERROR_CHARS - 1) + "…";
        this.createdAt = createdAt;
    }

    public String getId() {
        return id;
    }

    public String getSessionId() {
        return sessionId;
    }

    public String getMessageId() {
        return messageId;
    }

    public ChangeKind getKind() {
        return kind;
    }

    public String getContentDigest() {
        return contentDigest;
    }

    public String getContent() {
        return content;
    }

    public String getDiff() {
        return diff;
    }

    public ChangeStatus getStatus() {
        return status;
    }

    public void setStatus(ChangeStatus status) {
        this.status = status;
    }

    /** Records what this change replaces as it takes effect. */
    public void replacing(String before) {
        this.replacedContent = before;
        this.replacedKnown = true;
    }

    public String getReplacedContent() {
        return replacedContent;
    }

    public boolean isReplacedKnown() {
        return replacedKnown;
    }

    public String getError() {
        return error;
    }

    public OffsetDateTime getCreatedAt() {
        return createdAt;
    }
}
