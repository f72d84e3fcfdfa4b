package io.assistantstream.stream.control;

/** The event log cannot serve a session now (its store is unreachable); the caller should retry shortly. */
public class EventLogUnavailable extends RuntimeException {

    public EventLogUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
