package io.assistantstream.upstream.control;

import io.assistantstream.upstream.entity.ServerSentEvent;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The event-stream interpretation of the WHATWG HTML standard (section 9.2.6), fed raw bytes as they arrive.
 *
 * <p>Lines end at CRLF, LF or a lone CR, including a CRLF split across two reads. A line is decoded only once it
 * is whole, so a multi-byte UTF-8 character split across reads arrives intact; bytes that are not UTF-8 become
 * U+FFFD as the standard says. An event whose data buffer is empty is not dispatched, and an event cut off by the
 * end of the stream is dropped. Not thread-safe: one reader feeds one parser.
 */
public final class EventStreamParser {

    /** Thrown when one line or one event outgrows the configured bound, so a hostile stream cannot exhaust memory. */
    public static final class EventTooLargeException extends RuntimeException {
        EventTooLargeException(int limit) {
            super("an upstream event is larger than " + limit + " bytes");
        }
    }

    private static final char BYTE_ORDER_MARK = '\uFEFF';

    private final Consumer<ServerSentEvent> sink;
    private final int maxEventBytes;

    private byte[] line = new byte[256];
    private int lineLength;
    private boolean lastByteWasCarriageReturn;
    private boolean firstLine = true;

    private final StringBuilder data = new StringBuilder();
    private String eventType = "";
    private String lastEventId = "";
    private int eventBytes;

    public EventStreamParser(Consumer<ServerSentEvent> sink, int maxEventBytes) {
        this.sink = sink;
        this.maxEventBytes = maxEventBytes;
    }

    public void feed(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            byte b = bytes[i];
            if (b == '\n') {
                if (lastByteWasCarriageReturn) {
                    lastByteWasCarriageReturn = false;
                    continue;
                }
                endLine();
            } else if (b == '\r') {
                endLine();
                lastByteWasCarriageReturn = true;
            } else {
                lastByteWasCarriageReturn = false;
                append(b);
            }
        }
    }

    private void append(byte b) {
        if (lineLength >= maxEventBytes) {
            throw new EventTooLargeException(maxEventBytes);
        }
        if (lineLength == line.length) {
            line = Arrays.copyOf(line, Math.min(maxEventBytes, lineLength * 2));
        }
        line[lineLength++] = b;
    }

    private void endLine() {
        String text = new String(line, 0, lineLength, StandardCharsets.UTF_8);
        eventBytes += lineLength;
        lineLength = 0;
        if (firstLine) {
            firstLine = false;
            if (!text.isEmpty() && text.charAt(0) == BYTE_ORDER_MARK) {
                text = text.substring(1);
            }
        }
        if (eventBytes > maxEventBytes) {
            throw new EventTooLargeException(maxEventBytes);
        }
        processLine(text);
    }

    private void processLine(String text) {
        if (text.isEmpty()) {
            dispatch();
            return;
        }
        if (text.charAt(0) == ':') {
            return;
        }
        int colon = text.indexOf(':');
        String field = colon < 0 ? text : text.substring(0, colon);
        String value = "";
        if (colon >= 0) {
            int start = colon + 1;
            if (start < text.length() && text.charAt(start) == ' ') {
                start++;
            }
            value = text.substring(start);
        }
        switch (field) {
            case "event" -> eventType = value;
            case "data" -> data.append(value).append('\n');
            case "id" -> {
                if (value.indexOf('\0') < 0) {
                    lastEventId = value;
                }
            }
            // "retry" only tunes a reconnecting client; this reader never reconnects, so it is accepted and unused.
            default -> {
            }
        }
    }

    private void dispatch() {
        eventBytes = 0;
        if (data.length() == 0) {
            eventType = "";
            return;
        }
        data.setLength(data.length() - 1);
        ServerSentEvent event = new ServerSentEvent(lastEventId, eventType.isEmpty() ? "message" : eventType,
                data.toString());
        data.setLength(0);
        eventType = "";
        sink.accept(event);
    }
}
