package io.assistantstream.changes.entity;

/**
 * A change was accepted, rejected or reverted: the CDI event that becomes {@code change_updated} once committed.
 * It carries the content now in force where the decision changed it: the job's code after an accept, the
 * workflow or code restored by a revert (null otherwise).
 */
public record ChangeDecided(String sessionId, String changeId, ChangeStatus status, String workflowYaml,
                            String jobCode) {
}
