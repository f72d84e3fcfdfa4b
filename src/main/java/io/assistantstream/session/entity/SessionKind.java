package io.assistantstream.session.entity;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What a session is about: a whole workflow (Apollo's workflow_chat), one job's code (job_chat), or a workflow
 * with every step's code (Apollo 3's global_chat).
 */
public enum SessionKind {
    WORKFLOW, JOB, GLOBAL;

    /** Whether the session's subject is a workflow document (its changes are whole workflows). */
    public boolean holdsWorkflow() {
        return this != JOB;
    }

    /** As stored and as clients send and see it: {@code workflow}, {@code job}. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<SessionKind> fromWire(String name) {
        return Arrays.stream(values()).filter(kind -> kind.wireName().equals(name)).findFirst();
    }
}
