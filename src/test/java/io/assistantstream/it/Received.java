package io.assistantstream.it;

import com.fasterxml.jackson.databind.JsonNode;

/** One event as a test client received it. {@code id} is -1 for a notice sent without an id. */
record Received(String name, long id, JsonNode data) {

    boolean endsAnswer(String messageId) {
        return ("streaming_complete".equals(name) && messageId.equals(data.path("message").path("id").asText()))
                || ("streaming_error".equals(name) && messageId.equals(data.path("message_id").asText()));
    }
}
