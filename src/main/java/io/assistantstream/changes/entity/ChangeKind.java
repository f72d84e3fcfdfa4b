package io.assistantstream.changes.entity;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a change is about: a whole workflow document, or one job's code. */
public enum ChangeKind {
    WORKFLOW, JOB_CODE;

    /** As stored and as clients see it: {@code workflow}, {@code job_code}. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
