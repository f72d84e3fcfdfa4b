package io.assistantstream.delivery.control;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a transport may ask of the application: a question posted over a WebSocket frame. The chat logic
 * implements it, so the transports know the event log and session access but not the chat logic.
 */
public interface Questions {

    /** Stores the question and starts its answer, as {@code POST …/messages} does; refusals are problems. */
    void post(String sessionId, JsonNode body);
}
