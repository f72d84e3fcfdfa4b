package io.assistantstream.chat.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.assistantstream.upstream.control.UpstreamCall;
import java.time.Duration;
import io.assistantstream.upstream.entity.AnswerRef;
import io.assistantstream.upstream.entity.FailureCode;
import org.junit.jupiter.api.Test;

class LiveAnswerTest {

    private final LiveAnswer answer = new LiveAnswer("s", "m");
    private final UpstreamCall call = new UpstreamCall(new AnswerRef("s", "m"));

    @Test
    void aCancelBeforeTheCallStartedStopsItAsItStarts() {
        answer.cancel();
        answer.call(call);
        assertEquals(FailureCode.CANCELLED, call.abortReason());
    }

    @Test
    void theTextSoFarIsDueOncePerIntervalAndOnlyWhenThereIsNewText() {
        LiveAnswer streaming = new LiveAnswer("s", "m", 0);
        Duration second = Duration.ofSeconds(1);
        streaming.append("Hel");
        assertNull(streaming.partialDue(999_999_999, second), "not before a second since the question");
        assertEquals("Hel", streaming.partialDue(1_000_000_000, second));
        streaming.append("lo");
        assertNull(streaming.partialDue(1_500_000_000, second), "not twice within a second");
        assertEquals("Hello", streaming.partialDue(2_000_000_000, second));
        assertNull(streaming.partialDue(9_000_000_000L, second), "nothing new, nothing to store");
        streaming.append("!");
        assertEquals("Hello!", streaming.partialDue(9_000_000_001L, second));
    }

    @Test
    void aCancelAfterTheCallStartedStopsIt() {
        answer.call(call);
        assertNull(call.abortReason());
        answer.abort(FailureCode.SERVER_STOPPING);
        assertEquals(FailureCode.SERVER_STOPPING, call.abortReason());
    }
}
