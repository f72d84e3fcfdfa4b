package io.assistantstream.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Where a test reaches a running relay (its {@link #root()}), and the two requests nearly every test starts with.
 */
abstract class AgainstServer {

    /** The relay's address, e.g. {@code http://127.0.0.1:8080/assistant-stream}. */
    abstract String root();

    String api() {
        return root() + "/api";
    }

    String ws() {
        return root().replaceFirst("^http", "ws") + "/ws";
    }

    String socketUrl(String sessionId) {
        return ws() + "/sessions/" + sessionId;
    }

    String newSession() throws Exception {
        return newSession("workflow");
    }

    String newSession(String kind) throws Exception {
        return Clients.post(api() + "/sessions", "{\"kind\":\"" + kind + "\"}").body().path("id").asText();
    }

    /** Posts a question and returns the id of the answer it starts; fails the test unless the relay took it. */
    String ask(String sessionId, String question) throws Exception {
        Clients.Answer posted = Clients.post(api() + "/sessions/" + sessionId + "/messages",
                Clients.JSON.createObjectNode().put("content", question).toString());
        assertEquals(202, posted.status(), "the question is taken: " + posted.body());
        return posted.body().path("assistant_message_id").asText();
    }
}
