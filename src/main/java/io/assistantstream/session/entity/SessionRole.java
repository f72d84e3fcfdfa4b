package io.assistantstream.session.entity;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * What a session's token lets its holder do: the owner's token changes the session (asks, cancels, accepts,
 * rejects, undoes); a viewer's token, handed out as a watch-only link, reads and subscribes only.
 */
public enum SessionRole {
    OWNER, VIEWER;

    /** As clients see it in the session's {@code access} field: {@code owner}, {@code viewer}. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
