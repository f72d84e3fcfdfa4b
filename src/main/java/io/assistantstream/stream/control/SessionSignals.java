package io.assistantstream.stream.control;

import java.util.function.BiConsumer;

/**
 * Control messages about a session for whichever server acts on them (a cancel posted to one server for an
 * answer another server reads). One server: delivered in place; with Redis: to every server.
 */
public interface SessionSignals {

    void send(String sessionId, String signal);

    /** Registers the one handler of every server's signals, called with the session id and the signal. */
    void onSignal(BiConsumer<String, String> handler);
}
