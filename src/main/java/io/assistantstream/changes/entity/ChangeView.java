package io.assistantstream.changes.entity;

import io.assistantstream.stream.entity.ClientEvent;
import java.util.List;

/** A stored change as {@code GET /api/sessions/{id}} lists it; {@code codeDiffs} as in {@link ChangeOutcome}. */
public record ChangeView(String id, String messageId, ChangeKind kind, ChangeStatus status, String yaml, String code,
                         String diff, List<ClientEvent.CodeDiff> codeDiffs, String error, String createdAt) {

    public static ChangeView of(SessionChange change) {
        return of(change, null);
    }

    public static ChangeView of(SessionChange change, List<ClientEvent.CodeDiff> codeDiffs) {
        boolean workflow = change.getKind() == ChangeKind.WORKFLOW;
        String content = change.getContent();
        return new ChangeView(change.getId(), change.getMessageId(), change.getKind(), change.getStatus(),
                workflow ? content : null, workflow ? null : content, change.getDiff(), codeDiffs, change.getError(),
                change.getCreatedAt().toString());
    }
}
