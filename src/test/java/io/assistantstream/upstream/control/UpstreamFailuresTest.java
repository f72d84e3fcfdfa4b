package io.assistantstream.upstream.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.assistantstream.platform.Settings;
import io.assistantstream.platform.UpstreamSettings;
import io.assistantstream.upstream.entity.FailureCode;
import io.assistantstream.upstream.entity.UpstreamEvent;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

class UpstreamFailuresTest {

    static final UpstreamSettings LIMITS = Settings.of("apollo.url=http://apollo:3000",
            "apollo.max-event-bytes=1024", "apollo.max-response-bytes=1100").upstream();

    private static FailureCode code(Throwable failure, FailureCode askedFor, boolean began) {
        return UpstreamFailures.of(failure, askedFor, began, "http://apollo:3000", "APOLLO_URL", LIMITS).code();
    }

    @Test
    void eachFailureHasItsCode() {
        assertEquals(FailureCode.UPSTREAM_UNREACHABLE, code(new ConnectException("refused"), null, false));
        assertEquals(FailureCode.UPSTREAM_UNREACHABLE, code(new HttpConnectTimeoutException("slow"), null, false));
        assertEquals(FailureCode.UPSTREAM_TIMEOUT, code(new HttpTimeoutException("no head"), null, false));
        assertEquals(FailureCode.UPSTREAM_TIMEOUT, code(new ByteChunks.IdleException(), null, true));
        assertEquals(FailureCode.UPSTREAM_PROTOCOL_ERROR,
                code(new EventStreamParser.EventTooLargeException(2 << 20), null, true));
        assertEquals(FailureCode.UPSTREAM_DISCONNECTED, code(new IOException("reset"), null, true));
        assertEquals(FailureCode.UPSTREAM_DISCONNECTED, code(new CancellationException(), null, false));
        assertEquals(FailureCode.INTERNAL_ERROR, code(new IllegalStateException("bug"), null, true));
    }

    @Test
    void aReasonTheRelayAskedForWinsOverTheFailureItCaused() {
        assertEquals(FailureCode.CANCELLED, code(new IOException("closed"), FailureCode.CANCELLED, true));
        assertEquals(FailureCode.SERVER_STOPPING, code(new CancellationException(), FailureCode.SERVER_STOPPING, false));
    }

    @Test
    void theWordsSayWhereTheAnswerBrokeAndNameTheLimitsSetting() {
        String before = UpstreamFailures.of(new IOException("x"), null, false, "u", "APOLLO_URL", LIMITS).message();
        String during = UpstreamFailures.of(new IOException("x"), null, true, "u", "APOLLO_URL", LIMITS).message();
        assertTrue(before.contains("before the answer began"), before);
        assertTrue(during.contains("mid-answer"), during);
        UpstreamEvent.Failed tooLarge = UpstreamFailures.stopped(FailureCode.UPSTREAM_TOO_LARGE, LIMITS);
        assertTrue(tooLarge.message().contains("1100 bytes") && tooLarge.message().contains("apollo.max-response-bytes"));
        assertTrue(FailureCode.UPSTREAM_TIMEOUT.message(LIMITS).contains("120 s"));
    }

    @Test
    void everyCodeHasWordsForTheUser() {
        for (FailureCode code : FailureCode.values()) {
            assertTrue(!code.message(LIMITS).isBlank(), code.name());
        }
    }

    @Test
    void onlyAHangUpBeforeAnyAnswerIsAskedAgain() {
        assertTrue(RetryBeforeAnswer.worthRetrying(new IOException("header parser received no bytes")));
        assertTrue(!RetryBeforeAnswer.worthRetrying(new ConnectException("refused")));
        assertTrue(!RetryBeforeAnswer.worthRetrying(new HttpTimeoutException("slow")));
        assertTrue(!RetryBeforeAnswer.worthRetrying(new IllegalStateException("bug")));
    }

    @Test
    void theBudgetStopsAnAnswerAtItsSizeAndItsDeadline() {
        AnswerBudget budget = new AnswerBudget(LIMITS, 0);
        assertNull(budget.spend(List.of(ByteBuffer.allocate(600)), 1));
        assertEquals(FailureCode.UPSTREAM_TOO_LARGE, budget.spend(List.of(ByteBuffer.allocate(600)), 2));
        long pastDeadline = Duration.ofSeconds(601).toNanos();
        assertEquals(FailureCode.UPSTREAM_DURATION_EXCEEDED, new AnswerBudget(LIMITS, 0)
                .spend(List.of(ByteBuffer.allocate(1)), pastDeadline));
        assertEquals(FailureCode.UPSTREAM_DURATION_EXCEEDED, budget.silence(pastDeadline));
        assertEquals(FailureCode.UPSTREAM_TIMEOUT, budget.silence(1));
        assertEquals(Duration.ofSeconds(120), budget.nextWait(0));
        assertEquals(Duration.ofSeconds(5), budget.nextWait(Duration.ofSeconds(595).toNanos()));
    }
}
