package io.assistantstream.upstream.entity;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the AI service said, reduced to what the relay acts on. Diagnostics ({@code log}, block boundaries,
 * signatures) never become one of these; every answer ends in exactly one {@link Completed} or {@link Failed}.
 */
public sealed interface UpstreamEvent {

    /** A progress line for the user ({@code thinking_delta}). */
    record StatusLine(String text) implements UpstreamEvent {
    }

    /** A slice of the answer's markdown ({@code text_delta}). */
    record TextDelta(String text) implements UpstreamEvent {
    }

    /** A structured change ({@code changes}), before or after the text. */
    record ChangesArrived(ProposedChange change) implements UpstreamEvent {
    }

    /**
     * A model's tool call that carries a change ({@code update_workflow}, {@code propose_job_code}): relayed as
     * {@link ChangesArrived} is, and {@code reply} learns what became of the change, for the model's next step.
     */
    record ToolChange(ProposedChange change, ToolReply reply) implements UpstreamEvent {
    }

    /**
     * The service's final result. {@code responseYaml} and {@code suggestedCode} repeat (or, for newer job_chat,
     * first carry) the change, as does {@code workflowAttachment} for global_chat (the whole workflow, its only
     * change on the step path); {@code usage} and {@code meta} are kept as the service sent them.
     */
    record Completed(String response, String responseYaml, String suggestedCode, String workflowAttachment,
                     JsonNode usage, JsonNode meta) implements UpstreamEvent {

        /** The Apollo version the service reports in {@code meta.apollo_version}, or null. */
        public String apolloVersion() {
            JsonNode version = meta == null ? null : meta.get("apollo_version");
            return version != null && version.isTextual() ? version.asText() : null;
        }
    }

    /** The answer ended without a result: the service's own error, a transport fault, a timeout or a cancel. */
    record Failed(FailureCode code, String message) implements UpstreamEvent {
    }

    default boolean isTerminal() {
        return this instanceof Completed || this instanceof Failed;
    }
}
