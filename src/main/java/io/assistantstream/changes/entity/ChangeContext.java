package io.assistantstream.changes.entity;

/** Where a change lands: the session, and the assistant message it came with. */
public record ChangeContext(String sessionId, String messageId) {
}
