package io.assistantstream.session.entity;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a session is about: a whole workflow, or one job's code. */
public enum SessionKind {
    WORKFLOW, JOB;

    /** As stored and as clients send and see it: {@code workflow}, {@code job}. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<SessionKind> fromWire(String name) {
        return Arrays.stream(values()).filter(kind -> kind.wireName().equals(name)).findFirst();
    }
}
