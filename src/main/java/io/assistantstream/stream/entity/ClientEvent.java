package io.assistantstream.stream.entity;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The events a session's subscribers see, one record per event name of the contract (api.md). Field names are
 * serialised in snake_case; absent (null) fields are left out.
 */
public sealed interface ClientEvent {

    /** The wire name, as in {@code event: NAME}: the record's name in snake case ({@code message_created}). */
    default String name() {
        return WireNames.of(getClass());
    }

    /** The session the event belongs to. */
    String sessionId();

    record MessageCreated(String sessionId, MessageView message) implements ClientEvent {
    }

    record StatusUpdate(String sessionId, String messageId, String status) implements ClientEvent {
    }

    record StreamingChunk(String sessionId, String messageId, String content) implements ClientEvent {
    }

    /** {@code codeDiffs}: for a global session's workflow, one entry per step whose code it changed. */
    record StreamingChanges(String sessionId, String messageId, String changeId, String kind, String yaml,
                            String code, String diff, List<CodeDiff> codeDiffs, String status, String error)
            implements ClientEvent {
    }

    /** What a whole-workflow change did to one step's code: {@code job} is its key, {@code diff} unified. */
    record CodeDiff(String job, String name, String diff) {
    }

    record ChangeUpdated(String sessionId, String changeId, String status, String workflowYaml, String jobCode)
            implements ClientEvent {
    }

    record StreamingComplete(String sessionId, MessageView message) implements ClientEvent {
    }

    record StreamingError(String sessionId, String messageId, ErrorBody error) implements ClientEvent {
    }

    /** {@code error} of a streaming_error: a stable code and words for the user. */
    record ErrorBody(String code, String message) {
    }

    /** A message as clients see it, in events and in {@code GET /api/sessions/{id}}. */
    record MessageView(String id, String role, String content, String status, String createdAt,
                       JsonNode usage, JsonNode meta,
                       List<String> changes, ErrorBody error) {
    }
}
