package io.assistantstream.session.entity;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The events a session's subscribers see, one record per event name of the contract (api.md). Field names are
 * serialised in snake_case; absent (null) fields are left out.
 */
public sealed interface ClientEvent {

    /** The wire name, as in {@code event: NAME}. */
    String name();

    /** The session the event belongs to. */
    String sessionId();

    record MessageCreated(String sessionId, MessageView message) implements ClientEvent {
        public String name() {
            return "message_created";
        }
    }

    record StatusUpdate(String sessionId, String messageId, String status) implements ClientEvent {
        public String name() {
            return "status_update";
        }
    }

    record StreamingChunk(String sessionId, String messageId, String content) implements ClientEvent {
        public String name() {
            return "streaming_chunk";
        }
    }

    record StreamingChanges(String sessionId, String messageId, String changeId, String kind, String yaml,
                            String code, String diff, String status, String error) implements ClientEvent {
        public String name() {
            return "streaming_changes";
        }
    }

    record ChangeUpdated(String sessionId, String changeId, String status) implements ClientEvent {
        public String name() {
            return "change_updated";
        }
    }

    record StreamingComplete(String sessionId, MessageView message) implements ClientEvent {
        public String name() {
            return "streaming_complete";
        }
    }

    record StreamingError(String sessionId, String messageId, ErrorBody error) implements ClientEvent {
        public String name() {
            return "streaming_error";
        }
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
