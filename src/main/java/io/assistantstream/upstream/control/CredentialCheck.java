package io.assistantstream.upstream.control;

import java.time.Instant;

/**
 * Whether the AI service accepted {@code apollo.api-key}, as the latest answer's status showed: Apollo 3 checks
 * the key only on a service call, and a call costs a model answer, so health reports what answers saw instead of
 * spending one.
 */
public final class CredentialCheck {

    /** What is known of the key. */
    public enum Verdict {
        /** No answer was asked for since start-up. */
        UNKNOWN,
        /** The latest answer was not refused for its credential. */
        ACCEPTED,
        /** The latest answer was refused with 401 or 403. */
        REFUSED;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The verdict and when it was seen ({@code at} null while unknown). */
    public record State(Verdict verdict, Instant at) {
    }

    private volatile State state = new State(Verdict.UNKNOWN, null);

    void observe(int status) {
        if (status == 401 || status == 403) {
            state = new State(Verdict.REFUSED, Instant.now());
        } else if (status >= 200 && status < 300) {
            state = new State(Verdict.ACCEPTED, Instant.now());
        }
    }

    public State state() {
        return state;
    }
}
