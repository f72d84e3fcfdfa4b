package io.assistantstream.chat.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** One message of a session: the user's question, or the assistant's answer with how it ended. */
@Entity
@Table(name = "chat_message", indexes = @Index(name = "chat_message_session", columnList = "session_id, position"))
public class ChatMessage {

    public static final String ROLE_USER = "user";
    public static final String ROLE_ASSISTANT = "assistant";

    @Id
    @Column(length = 36)
    private String id;

    @Column(name = "session_id", nullable = false, length = 36)
    private String sessionId;

    /** The message's place in its session, from 1. */
    @Column(nullable = false)
    private int position;

    @Column(nullable = false, length = 16)
    private String role;

    private String content;

    @Column(nullable = false, length = 16)
    private MessageStatus status;

    @Column(name = "error_code", length = 64)
    private String errorCode;

    @Column(name = "error_message", length = 2000)
    private String errorMessage;

    @Column(name = "usage_json")
    private String usageJson;

    @Column(name = "meta_json")
    private String metaJson;

    /** The ids of the changes this answer applied or proposed, comma-separated, in arrival order. */
    @Column(name = "change_ids", length = 2000)
    private String changeIds;

    @Column(name = "created_at", nullable = false)
    private OffsetDateTime createdAt;

    /** The server run that reads this answer, while it streams (see {@code Nodes}). */
    @Column(name = "node_id", length = 36)
    private String nodeId;

    /** The id of the event that announced this answer's question, for clients resuming it from its start. */
    @Column(name = "first_event_id")
    private Long firstEventId;

    protected ChatMessage() {
    }

    public ChatMessage(String id, String sessionId, int position, String role, String content, MessageStatus status,
                       OffsetDateTime createdAt) {
        this.id = id;
        this.sessionId = sessionId;
        this.position = position;
        this.role = role;
        this.content = content;
        this.status = status;
        this.createdAt = createdAt;
    }

    /** Records which server reads the answer and where its exchange begins in the session's events. */
    public void streamFrom(String readingNode, long questionEventId) {
        this.nodeId = readingNode;
        this.firstEventId = questionEventId;
    }

    public String getNodeId() {
        return nodeId;
    }

    public Long getFirstEventId() {
        return firstEventId;
    }

    public void complete(String finalContent, String usage, String meta, String changes) {
        this.status = MessageStatus.COMPLETE;
        this.content = finalContent;
        this.usageJson = usage;
        this.metaJson = meta;
        this.changeIds = changes;
    }

    public void fail(MessageStatus endStatus, String code, String message, String partialContent) {
        this.status = endStatus;
        this.errorCode = code;
        this.errorMessage = message.length() > 2000 ? message.substring(0, 2000) : message;
        this.content = partialContent;
    }

    public String getId() {
        return id;
    }

    public String getSessionId() {
        return sessionId;
    }

    public String getRole() {
        return role;
    }

    public String getContent() {
        return content;
    }

    public MessageStatus getStatus() {
        return status;
    }

    public String getErrorCode() {
        return errorCode;
    }

    public String getErrorMessage() {
        return errorMessage;
    }

    public String getUsageJson() {
        return usageJson;
    }

    public String getMetaJson() {
        return metaJson;
    }

    public String getChangeIds() {
        return changeIds;
    }

    public OffsetDateTime getCreatedAt() {
        return createdAt;
    }
}
