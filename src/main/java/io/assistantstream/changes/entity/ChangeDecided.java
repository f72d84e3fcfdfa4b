package io.assistantstream.changes.entity;

/** A proposal was accepted or rejected: the CDI event that becomes {@code change_updated} once committed. */
public record ChangeDecided(String sessionId, String changeId, ChangeStatus status) {
}
