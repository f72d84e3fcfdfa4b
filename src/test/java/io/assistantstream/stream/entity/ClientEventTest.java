package io.assistantstream.stream.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClientEventTest {

    @Test
    void everyEventHasTheContractsName() {
        List<ClientEvent> events = List.of(
                new ClientEvent.MessageCreated("s", null),
                new ClientEvent.StatusUpdate("s", "m", "x"),
                new ClientEvent.StreamingChunk("s", "m", "x"),
                new ClientEvent.StreamingChanges("s", "m", "c", "workflow", null, null, null, null, "applied", null),
                new ClientEvent.ChangeUpdated("s", "c", "accepted", null, "a();"),
                new ClientEvent.StreamingComplete("s", null),
                new ClientEvent.StreamingError("s", "m", null));
        assertEquals(List.of("message_created", "status_update", "streaming_chunk", "streaming_changes",
                "change_updated", "streaming_complete", "streaming_error"),
                events.stream().map(ClientEvent::name).toList());
    }
}
