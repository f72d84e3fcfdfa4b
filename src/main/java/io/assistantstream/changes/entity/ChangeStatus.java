package io.assistantstream.changes.entity;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * What became of a change: a workflow is applied at once; job code is proposed, then accepted or rejected; an
 * applied or accepted change can be reverted (undone); content that does not pass validation is invalid. A
 * delivery of content already stored is a duplicate (never stored).
 */
public enum ChangeStatus {
    APPLIED, PROPOSED, ACCEPTED, REJECTED, REVERTED, DUPLICATE, INVALID;

    /** As stored and as clients see it: {@code applied}, {@code proposed}, ... */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the change is in force now, and so can be undone. */
    public boolean inForce() {
        return this == APPLIED || this == ACCEPTED;
    }

    /** Whether the change took effect, and so belongs to the answer's list of changes. */
    public boolean tookEffect() {
        return this == APPLIED || this == PROPOSED;
    }
}
