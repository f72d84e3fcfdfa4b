package io.assistantstream.upstream.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.assistantstream.upstream.entity.AnswerRef;
import io.assistantstream.upstream.entity.AnswerRequest;
import io.assistantstream.upstream.entity.FailureCode;
import io.assistantstream.upstream.entity.UpstreamEvent;
import io.assistantstream.platform.Json;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;

/** The reader's one path, against a service that answers from memory (the wire itself is tested in the ITs). */
class AnswerReaderTest {

    private final AnswerRequest request = new AnswerRequest(new AnswerRef("s", "m"), "workflow_chat",
            "http://apollo:3000", Json.object());
    private final UpstreamCall call = new UpstreamCall(request.answer());
    private final List<UpstreamEvent> events = new ArrayList<>();

    @SuppressWarnings("unchecked")
    private static HttpResponse<Void> head(int status, String contentType) {
        HttpHeaders headers = HttpHeaders.of(Map.of("Content-Type", List.of(contentType)), (name, value) -> true);
        return (HttpResponse<Void>) Proxy.newProxyInstance(AnswerReaderTest.class.getClassLoader(),
                new Class<?>[] {HttpResponse.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "statusCode" -> status;
                    case "headers" -> headers;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** A service that sends this head and body, the body in one piece, then ends it (or breaks it). */
    private AnswerReader.Exchange answering(int status, String contentType, String body, IOException breakWith) {
        return chunks -> {
            chunks.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                }

                @Override
                public void cancel() {
                }
            });
            chunks.onNext(List.of(ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8))));
            if (breakWith != null) {
                chunks.onError(breakWith);
            } else {
                chunks.onComplete();
            }
            return head(status, contentType);
        };
    }

    private UpstreamEvent readWith(AnswerReader.Exchange exchange) {
        UpstreamEvent.Failed failed = new AnswerReader(request.answer(), request.apolloUrl(), call,
                UpstreamFailuresTest.LIMITS, new AnswerBudget(UpstreamFailuresTest.LIMITS, System.nanoTime()), exchange,
                new ApolloStream(request.answer(), UpstreamFailuresTest.LIMITS.apolloApiKey(), events::add)).read();
        if (failed != null) {
            events.add(failed);
        }
        assertEquals(1, events.stream().filter(UpstreamEvent::isTerminal).count(), "one terminal event: " + events);
        return events.get(events.size() - 1);
    }

    private static FailureCode failure(UpstreamEvent event) {
        return ((UpstreamEvent.Failed) event).code();
    }

    @Test
    void aCompleteAnswerEndsWithItsCompletion() {
        UpstreamEvent last = readWith(answering(200, "text/event-stream",
                "event: complete\ndata: {\"response\":\"done\"}\n\n", null));
        assertTrue(last instanceof UpstreamEvent.Completed, String.valueOf(last));
    }

    @Test
    void anErrorStatusQuotesTheServicesWords() {
        UpstreamEvent last = readWith(answering(503, "application/json", "{\"message\":\"overloaded\"}", null));
        assertEquals(FailureCode.UPSTREAM_HTTP_ERROR, failure(last));
        assertTrue(((UpstreamEvent.Failed) last).message().contains("503"));
    }

    @Test
    void anAnswerThatIsNotAnEventStreamIsRefused() {
        assertEquals(FailureCode.UPSTREAM_BAD_CONTENT_TYPE, failure(readWith(answering(200, "text/html", "<html>", null))));
    }

    @Test
    void aStreamThatEndsBeforeItsCompletionIsDisconnected() {
        assertEquals(FailureCode.UPSTREAM_DISCONNECTED, failure(readWith(answering(200, "text/event-stream",
                "event: content_block_delta\ndata: {\"type\":\"content_block_delta\"}\n\n", null))));
    }

    @Test
    void aStreamThatBreaksKeepsWhatArrivedAndEndsDisconnected() {
        UpstreamEvent last = readWith(answering(200, "text/event-stream",
                "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                        + "\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}\n\n", new IOException("reset")));
        assertEquals(FailureCode.UPSTREAM_DISCONNECTED, failure(last));
        assertTrue(events.get(0) instanceof UpstreamEvent.TextDelta, "the delta before the cut: " + events);
    }

    @Test
    void aCancelBeforeTheAnswerEndsItAsCancelled() {
        call.cancel();
        assertEquals(FailureCode.CANCELLED, failure(readWith(answering(200, "text/event-stream",
                "event: complete\ndata: {\"response\":\"done\"}\n\n", null))));
    }

    @Test
    void aHangUpBeforeAnyAnswerIsAskedOnceMore() {
        AnswerReader.Exchange answers = answering(200, "text/event-stream",
                "event: complete\ndata: {\"response\":\"x\"}\n\n", null);
        int[] attempts = {0};
        AnswerReader.Exchange hangsUpOnce = chunks -> {
            if (attempts[0]++ == 0) {
                throw new ExecutionException(new IOException("header parser received no bytes"));
            }
            return answers.send(chunks);
        };
        assertTrue(readWith(hangsUpOnce) instanceof UpstreamEvent.Completed);
        assertEquals(2, attempts[0], "the hang-up, then the question once more");
    }
}
