package io.assistantstream.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The test clients' one reading of an event stream follows the WHATWG rules they are meant to stand for. */
class EventStreamLinesTest {

    private static List<Received> read(String stream) throws IOException {
        List<Received> events = new ArrayList<>();
        EventStreamLines.read(new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)), events::add,
                event -> false);
        return events;
    }

    @Test
    void eventsAreDispatchedByBlankLinesWithTheRulesDefaults() throws IOException {
        List<Received> events = read(": heartbeat\n\n"
                + "event: streaming_chunk\nid: 7\ndata: {\"text\":\n"
                + "data:\"a b\"}\n\n"
                + "data: {\"n\":1}\r\n\r\n"
                + "event: no_data\n\n"
                + "event: streaming_complete\nid: 9\nretry: 1000\ndata: {}\n\n"
                + "event: cut\ndata: {}\n");
        assertEquals(3, events.size(), "a comment, an event without data and one never ended dispatch nothing: " + events);
        assertEquals(new Received("streaming_chunk", 7, Clients.JSON.readTree("{\"text\":\"a b\"}")), events.get(0),
                "data lines join with a line feed; one space after the colon is dropped");
        assertEquals(new Received("message", -1, Clients.JSON.readTree("{\"n\":1}")), events.get(1),
                "no event field is a message; CRLF ends lines too");
        assertEquals("streaming_complete", events.get(2).name());
        assertEquals(9, events.get(2).id());
    }
}
