package io.assistantstream.upstream.entity;

import java.util.Locale;

/** Why an answer ended without a result; the wire name is what clients see as {@code error.code}. */
public enum FailureCode {
    /** No AI service is configured (neither {@code APOLLO_URL} nor the demo upstream). */
    UPSTREAM_NOT_CONFIGURED,
    /** The connection to the AI service could not be opened. */
    UPSTREAM_UNREACHABLE,
    /** The AI service answered with a status other than 2xx. */
    UPSTREAM_HTTP_ERROR,
    /** The AI service answered 2xx, but not with {@code text/event-stream}. */
    UPSTREAM_BAD_CONTENT_TYPE,
    /** Nothing arrived from the AI service for longer than the idle timeout. */
    UPSTREAM_TIMEOUT,
    /** The answer streamed for longer than the configured maximum duration. */
    UPSTREAM_DURATION_EXCEEDED,
    /** The answer was larger than the configured maximum response size. */
    UPSTREAM_TOO_LARGE,
    /** The stream ended (or broke) before {@code complete} or {@code error}. */
    UPSTREAM_DISCONNECTED,
    /** The AI service sent its own {@code error} event. */
    UPSTREAM_ERROR,
    /** The final {@code complete} payload could not be read, or an event outgrew the size bound. */
    UPSTREAM_PROTOCOL_ERROR,
    /** The user cancelled the answer. */
    CANCELLED,
    /** The server shut down while the answer streamed. */
    SERVER_STOPPING,
    /** The relay itself failed while handling the answer. */
    INTERNAL_ERROR;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
