package io.assistantstream.it;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The event-stream rules (WHATWG HTML, "Interpreting an event stream") as every hand-made test client reads a
 * stream, fed one line at a time: {@code event} names the event ({@code message} when absent), {@code data} lines
 * join with line feeds, one space after the colon is dropped, comments and unknown fields are ignored, and a blank
 * line dispatches the event when it has data. The relay's events carry JSON data; {@code id} is the event's own,
 * or -1 (the rules' last-event-id buffer is left to the clients that resume, which track it themselves).
 */
final class EventStreamLines {

    private String name = "message";
    private long id = -1;
    private final StringBuilder data = new StringBuilder();
    private boolean hasData;

    /** Takes one line without its line end; returns the event a blank line dispatches, else null. */
    Received line(String line) throws JsonProcessingException {
        if (line.isEmpty()) {
            Received event = hasData ? new Received(name, id, Clients.JSON.readTree(data.toString())) : null;
            name = "message";
            id = -1;
            data.setLength(0);
            hasData = false;
            return event;
        }
        int colon = line.indexOf(':');
        if (colon == 0) {
            return null;
        }
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        value = value.startsWith(" ") ? value.substring(1) : value;
        switch (field) {
            case "event" -> name = value;
            case "id" -> id = value.isEmpty() ? -1 : Long.parseLong(value);
            case "data" -> {
                data.append(hasData ? "\n" : "").append(value);
                hasData = true;
            }
            default -> {
                // retry and unknown fields: nothing a test client uses
            }
        }
        return null;
    }

    /**
     * Reads {@code in} (UTF-8) to its end, or until {@code until} holds for an event, handing each event to
     * {@code sink} as it is dispatched.
     */
    static void read(InputStream in, Consumer<Received> sink, Predicate<Received> until) throws IOException {
        BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        EventStreamLines stream = new EventStreamLines();
        String line;
        while ((line = lines.readLine()) != null) {
            Received event = stream.line(line);
            if (event != null) {
                sink.accept(event);
                if (until.test(event)) {
                    return;
                }
            }
        }
    }

    /**
     * Reads an HTTP response's head (status line and headers, up to the blank line) byte by byte, so nothing of
     * the body is consumed, and returns it.
     */
    static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int b;
        while ((b = in.read()) != -1) {
            head.append((char) b);
            if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                break;
            }
        }
        return head.toString();
    }
}
