package io.assistantstream.delivery.boundary;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assistantstream.platform.Json;
import io.assistantstream.platform.ProblemException;
import java.util.OptionalLong;

/** What a client may send on the WebSocket (api.md): a {@code resume}, a {@code message}, or something refused. */
sealed interface ClientFrame {

    /** Read on after this id (none: from where the socket stands). */
    record Resume(OptionalLong lastSeenId) implements ClientFrame {
    }

    /** A question, as the HTTP API takes it (the frame without its type). */
    record Message(ObjectNode body) implements ClientFrame {
    }

    /** Answered with an error frame of this status; the socket stays open. */
    record Refused(int status, String detail) implements ClientFrame {
    }

    static ClientFrame parse(String text) {
        JsonNode frame;
        try {
            frame = Json.read(text);
        } catch (JsonProcessingException e) {
            return new Refused(400, "The frame is not valid JSON: " + e.getOriginalMessage());
        }
        String type = frame.isObject() ? Json.text(frame, "type") : null;
        if ("resume".equals(type)) {
            JsonNode id = frame.get("last_event_id");
            try {
                return new Resume(LastEventIds.parse(id == null || id.isNull() ? null : id.asText()));
            } catch (ProblemException e) {
                return new Refused(e.status(), e.getMessage());
            }
        }
        if ("message".equals(type)) {
            return new Message(((ObjectNode) frame.deepCopy()).without("type"));
        }
        return new Refused(400, "A frame's type must be \"resume\" or \"message\"");
    }
}
