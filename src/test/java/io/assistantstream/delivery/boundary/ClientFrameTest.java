package io.assistantstream.delivery.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ClientFrameTest {

    @Test
    void aResumeCarriesItsIdAsNumberOrTextOrNone() {
        assertEquals(new ClientFrame.Resume(OptionalLong.of(42)), ClientFrame.parse("{\"type\":\"resume\",\"last_event_id\":42}"));
        assertEquals(new ClientFrame.Resume(OptionalLong.of(7)), ClientFrame.parse("{\"type\":\"resume\",\"last_event_id\":\"7\"}"));
        assertEquals(new ClientFrame.Resume(OptionalLong.empty()), ClientFrame.parse("{\"type\":\"resume\",\"last_event_id\":null}"));
        ClientFrame.Refused negative = assertInstanceOf(ClientFrame.Refused.class,
                ClientFrame.parse("{\"type\":\"resume\",\"last_event_id\":-3}"));
        assertEquals(400, negative.status());
        assertTrue(negative.detail().contains("non-negative"), negative.detail());
    }

    @Test
    void aMessageIsTheQuestionWithoutItsType() {
        ClientFrame.Message message = assertInstanceOf(ClientFrame.Message.class,
                ClientFrame.parse("{\"type\":\"message\",\"content\":\"hello\"}"));
        assertEquals("{\"content\":\"hello\"}", message.body().toString());
    }

    @Test
    void anythingElseIsRefusedWithAReason() {
        ClientFrame.Refused broken = assertInstanceOf(ClientFrame.Refused.class, ClientFrame.parse("{\"type\":"));
        assertTrue(broken.detail().startsWith("The frame is not valid JSON"), broken.detail());
        for (String frame : new String[] {"{\"type\":\"cancel\"}", "[1,2]", "\"resume\"", "{}"}) {
            ClientFrame.Refused refused = assertInstanceOf(ClientFrame.Refused.class, ClientFrame.parse(frame), frame);
            assertEquals(400, refused.status());
            assertTrue(refused.detail().contains("\"resume\" or \"message\""), refused.detail());
        }
    }
}
