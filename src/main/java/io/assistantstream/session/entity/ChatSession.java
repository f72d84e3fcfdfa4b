package io.assistantstream.session.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** An AI session: a conversation about one workflow or one job, and that workflow's or job's current state. */
@Entity
@Table(name = "chat_session")
public class ChatSession {


    @Id
    @Column(length = 36)
    private String id;

    @Column(nullable = false, length = 16)
    private SessionKind kind;

    @Column(length = 200)
    private String title;

    @Column(name = "workflow_yaml")
    private String workflowYaml;

    @Column(name = "job_name", length = 200)
    private String jobName;

    @Column(name = "job_adaptor", length = 200)
    private String jobAdaptor;

    @Column(name = "job_code")
    private String jobCode;

    @Column(name = "created_at", nullable = false)
    private OffsetDateTime createdAt;

    /** SHA-256 (hex) of the session's token; the token itself is never stored. */
    @Column(name = "token_hash", nullable = false, length = 64)
    private String tokenHash;

    /** SHA-256 (hex) of the session's current watch-only token; null until its owner asks for one. */
    @Column(name = "viewer_token_hash", length = 64)
    private String viewerTokenHash;

    /** The caller that created the session (its JWT subject, or "address:IP" in open mode). */
    @Column(length = 320)
    private String owner;

    /** The highest event id handed out to any server run for this session (see EventIdReservations). */
    @Column(name = "event_ids_reserved", nullable = false)
    private long eventIdsReserved;

    protected ChatSession() {
    }

    public ChatSession(String id, SessionKind kind, String title, OffsetDateTime createdAt, String tokenHash,
                       String owner) {
        this.id = id;
        this.owner = owner;
        this.kind = kind;
        this.title = title;
        this.createdAt = createdAt;
        this.tokenHash = tokenHash;
    }

    public String getId() {
        return id;
    }

    public SessionKind getKind() {
        return kind;
    }

    /** A workflow or global session: its changes are whole workflows, and it has no single job. */
    public boolean holdsWorkflow() {
        return kind.holdsWorkflow();
    }

    public String getTitle() {
        return title;
    }

    public String getWorkflowYaml() {
        return workflowYaml;
    }

    public void setWorkflowYaml(String workflowYaml) {
        this.workflowYaml = workflowYaml;
    }

    public String getJobName() {
        return jobName;
    }

    public String getJobAdaptor() {
        return jobAdaptor;
    }

    public String getJobCode() {
        return jobCode;
    }

    public void setJob(String name, String adaptor, String code) {
        this.jobName = name;
        this.jobAdaptor = adaptor;
        this.jobCode = code;
    }

    public void setJobCode(String jobCode) {
        this.jobCode = jobCode;
    }

    public String getOwner() {
        return owner;
    }

    /** Whose quotas the session spends: its owner's (a session from before owners were stored spends its own). */
    public String quotaHolder() {
        return owner == null ? "session:" + id : owner;
    }

    public String getTokenHash() {
        return tokenHash;
    }

    public String getViewerTokenHash() {
        return viewerTokenHash;
    }

    /** A new watch-only token replaces the last one, so links handed out before stop working. */
    public void setViewerTokenHash(String viewerTokenHash) {
        this.viewerTokenHash = viewerTokenHash;
    }

    public OffsetDateTime getCreatedAt() {
        return createdAt;
    }

    /** Reserves the next {@code size} event ids and returns the last id before them. */
    public long reserveEventIds(int size) {
        long before = eventIdsReserved;
        eventIdsReserved += size;
        return before;
    }
}
