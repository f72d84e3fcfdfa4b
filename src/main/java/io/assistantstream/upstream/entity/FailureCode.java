package io.assistantstream.upstream.entity;

import io.assistantstream.platform.UpstreamSettings;
import java.util.Locale;

/** Why an answer ended without a result; the wire name is what clients see as {@code error.code}. */
public enum FailureCode {
    /** No AI service is configured (neither {@code APOLLO_URL} nor the demo upstream). */
    UPSTREAM_NOT_CONFIGURED,
    /** The connection to the AI service could not be opened. */
    UPSTREAM_UNREACHABLE,
    /** The AI service refused the credential (401 or 403): {@code apollo.api-key} is missing or wrong. */
    UPSTREAM_UNAUTHORIZED,
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
    /** The model provider does not know the configured model ({@code model.name}). */
    MODEL_NOT_FOUND,
    /** The model provider refused for now: too many requests or tokens; its retry-after is quoted. */
    RATE_LIMITED,
    /** The conversation is longer than the model's context window. */
    CONTEXT_TOO_LONG,
    /** The model provider is overloaded (Anthropic's 529, a 503) or said so mid-stream. */
    MODEL_OVERLOADED,
    /** The model stopped at its token limit ({@code model.max-tokens}): the answer is incomplete. */
    ANSWER_TRUNCATED,
    /** The user cancelled the answer. */
    CANCELLED,
    /** The server shut down while the answer streamed. */
    SERVER_STOPPING,
    /** The server reading the answer stopped or died; another server (or its next start) closed the answer. */
    SERVER_RESTARTED,
    /** The relay itself failed while handling the answer. */
    INTERNAL_ERROR;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * What the user is told when an answer ends this way with nothing more specific to say (the service's own
     * error, an HTTP status and the like are quoted where they are known), naming the setting a limit comes from.
     */
    public String message(UpstreamSettings limits) {
        return switch (this) {
            case UPSTREAM_NOT_CONFIGURED ->
                    "No AI service is configured; set APOLLO_URL (or demo.upstream.enabled=true for the demo)";
            case UPSTREAM_UNREACHABLE -> "Cannot connect to the AI service; check APOLLO_URL";
            case UPSTREAM_UNAUTHORIZED ->
                    "The AI service refused the credential; set apollo.api-key (APOLLO_API_KEY)";
            case UPSTREAM_HTTP_ERROR -> "The AI service refused the question";
            case UPSTREAM_BAD_CONTENT_TYPE -> "The AI service did not answer with an event stream; check APOLLO_URL";
            case UPSTREAM_TIMEOUT -> "The AI service sent nothing for " + limits.idleTimeout().toSeconds()
                    + " s; the answer was stopped (apollo.idle-timeout-seconds)";
            case UPSTREAM_DURATION_EXCEEDED -> "The answer took longer than " + limits.maxDuration().toSeconds()
                    + " s and was stopped (apollo.max-duration-seconds)";
            case UPSTREAM_TOO_LARGE -> "The AI service sent more than " + limits.maxResponseBytes()
                    + " bytes for one answer; the answer was stopped (apollo.max-response-bytes)";
            case UPSTREAM_DISCONNECTED -> "The AI service closed the stream before the answer was complete";
            case UPSTREAM_ERROR -> "The AI service reported an error";
            case UPSTREAM_PROTOCOL_ERROR -> "The AI service sent something the relay cannot read";
            case MODEL_NOT_FOUND -> "The model provider does not know the configured model; check model.name";
            case RATE_LIMITED -> "The model provider is rate limiting; ask again in a moment";
            case CONTEXT_TOO_LONG -> "The conversation is too long for the model; start a new session";
            case MODEL_OVERLOADED -> "The model is overloaded; ask again in a moment";
            case ANSWER_TRUNCATED -> "The model stopped at its token limit (model.max-tokens); the answer is incomplete";
            case CANCELLED -> "The answer was cancelled";
            case SERVER_STOPPING -> "The server is shutting down; ask again in a moment";
            case SERVER_RESTARTED -> "The server reading this answer stopped while it was streaming; ask again";
            case INTERNAL_ERROR -> "The relay failed while handling the answer; see the server log";
        };
    }

    /** What an operator can do about an answer that ended this way (null: nothing, it was the user's choice). */
    public String operatorHint() {
        return switch (this) {
            case UPSTREAM_NOT_CONFIGURED -> "set APOLLO_URL";
            case UPSTREAM_UNREACHABLE, UPSTREAM_BAD_CONTENT_TYPE ->
                    "check APOLLO_URL and that the AI service runs; GET /api/health/ready reports whether it answers";
            case UPSTREAM_UNAUTHORIZED -> "set apollo.api-key (APOLLO_API_KEY) to the key of a client registered "
                    + "with that Apollo; GET /api/health shows whether the latest answer's key was accepted";
            case UPSTREAM_HTTP_ERROR, UPSTREAM_ERROR -> "see the AI service's own logs for this request";
            case UPSTREAM_TIMEOUT, UPSTREAM_DURATION_EXCEEDED, UPSTREAM_TOO_LARGE ->
                    "if answers this long are expected, raise the apollo.* limit named above";
            case UPSTREAM_DISCONNECTED, UPSTREAM_PROTOCOL_ERROR ->
                    "if it repeats, check the network to the AI service and its version";
            case SERVER_STOPPING, SERVER_RESTARTED -> "the user can ask again once the server is back";
            case MODEL_NOT_FOUND -> "set model.name to a model the provider at model.base-url serves";
            case RATE_LIMITED, MODEL_OVERLOADED -> "if it persists, raise the provider account's limits";
            case CONTEXT_TOO_LONG -> "a model with a larger context window takes longer conversations";
            case ANSWER_TRUNCATED -> "raise model.max-tokens if answers this long are expected";
            case INTERNAL_ERROR -> "see the stack trace logged with it, and report it";
            case CANCELLED -> null;
        };
    }
}
