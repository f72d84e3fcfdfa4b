package io.assistantstream.changes.entity;

import java.util.Set;

/**
 * Where a change lands: the session (its kind and its job's current code, against which edits apply) and the
 * answer it came with. {@code seenDigests} belongs to the answer and remembers every content it already carried.
 */
public record ChangeContext(String sessionId, String messageId, boolean workflowSession, String currentJobCode,
                            Set<String> seenDigests) {
}
