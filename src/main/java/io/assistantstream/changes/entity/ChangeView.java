package io.assistantstream.changes.entity;

/** A stored change as {@code GET /api/sessions/{id}} lists it. */
public record ChangeView(String id, String messageId, ChangeKind kind, ChangeStatus status, String yaml, String code,
                         String diff, String error, String createdAt) {

    public static ChangeView of(SessionChange change) {
        boolean workflow = change.getKind() == ChangeKind.WORKFLOW;
        String content = change.getContent();
        return new ChangeView(change.getId(), change.getMessageId(), change.getKind(), change.getStatus(),
                workflow ? content : null, workflow ? null : content, change.getDiff(), change.getError(),
                change.getCreatedAt().toString());
    }
}
