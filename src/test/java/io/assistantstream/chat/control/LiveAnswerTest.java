package io.assistantstream.chat.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.assistantstream.upstream.control.UpstreamCall;
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
    void aCancelAfterTheCallStartedStopsIt() {
        answer.call(call);
        assertNull(call.abortReason());
        answer.abort(FailureCode.SERVER_STOPPING);
        assertEquals(FailureCode.SERVER_STOPPING, call.abortReason());
    }
}
