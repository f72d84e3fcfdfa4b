package io.assistantstream.upstream.model;

import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEvent;
import dev.langchain4j.http.client.sse.ServerSentEventContext;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import dev.langchain4j.http.client.sse.ServerSentEventParsingHandle;
import io.assistantstream.platform.UpstreamSettings;
import io.assistantstream.upstream.control.AnswerBudget;
import io.assistantstream.upstream.control.AnswerReader;
import io.assistantstream.upstream.control.UpstreamCall;
import io.assistantstream.upstream.control.UpstreamHttp;
import io.assistantstream.upstream.entity.AnswerRef;
import io.assistantstream.upstream.entity.UpstreamEvent;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The HTTP client LangChain4j is given: the relay's own, so a model's answer is read under the same bounds as
 * Apollo's (idle time, total time and bytes across every step, cancel that closes the connection at once), with
 * the relay's WHATWG parser. It is synchronous: {@code execute} returns when the stream has ended, so every
 * callback of LangChain4j runs on the answer's own thread, in order, and a tool call's change is applied before
 * the next byte is read. A stream that breaks off before its provider's last event fails; it never completes.
 */
final class RelayHttpClient implements HttpClient {

    /** Headers the JDK client sets itself and refuses from callers. */
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");

    /** The stream's proper end and what an error in it means: one per provider. */
    record Wire(Predicate<io.assistantstream.upstream.entity.ServerSentEvent> isLast, ModelRefusals refusals) {
    }

    private final UpstreamHttp http;
    private final AnswerRef answer;
    private final UpstreamCall call;
    private final UpstreamSettings limits;
    private final AnswerBudget budget;
    private final Wire wire;

    RelayHttpClient(UpstreamHttp http, AnswerRef answer, UpstreamCall call, UpstreamSettings limits,
                    AnswerBudget budget, Wire wire) {
        this.http = http;
        this.answer = answer;
        this.call = call;
        this.limits = limits;
        this.budget = budget;
        this.wire = wire;
    }

    /** LangChain4j builds its clients from a builder: this one hands out this client. */
    HttpClientBuilder asBuilder() {
        RelayHttpClient client = this;
        return new HttpClientBuilder() {
            @Override
            public Duration connectTimeout() {
                return limits.connectTimeout();
            }

            @Override
            public HttpClientBuilder connectTimeout(Duration timeout) {
                return this;
            }

            @Override
            public Duration readTimeout() {
                return limits.idleTimeout();
            }

            @Override
            public HttpClientBuilder readTimeout(Duration timeout) {
                return this;
            }

            @Override
            public HttpClient build() {
                return client;
            }
        };
    }

    @Override
    public SuccessfulHttpResponse execute(HttpRequest request) {
        throw new UnsupportedOperationException("The relay asks models by streaming only, not " + request.url());
    }

    @Override
    public void execute(HttpRequest request, ServerSentEventParser ignored, ServerSentEventListener listener) {
        java.net.http.HttpRequest.Builder out = java.net.http.HttpRequest.newBuilder(URI.create(request.url()))
                .timeout(limits.idleTimeout())
                .method(request.method().name(), request.body() == null
                        ? java.net.http.HttpRequest.BodyPublishers.noBody()
                        : java.net.http.HttpRequest.BodyPublishers.ofString(request.body()));
        request.headers().forEach((name, values) -> {
            if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> out.header(name, value));
            }
        });
        Stream stream = new Stream(listener);
        UpstreamEvent.Failed failed = new AnswerReader(answer, request.url(), call, limits, budget,
                body -> http.send(out.build(), call, body), stream).read();
        UpstreamEvent.Failed failure = stream.failure != null ? stream.failure : failed;
        if (failure != null) {
            listener.onError(new Stopped(failure));
        } else {
            listener.onClose();
        }
    }

    /** One request's stream, handed to LangChain4j event by event; an error in it stops it. */
    private final class Stream implements AnswerReader.Protocol, ServerSentEventParsingHandle {

        private final ServerSentEventListener listener;
        private boolean opened;
        private volatile boolean cancelled;
        private UpstreamEvent.Failed failure;

        Stream(ServerSentEventListener listener) {
            this.listener = listener;
        }

        @Override
        public UpstreamEvent.Failed refusal(int status, HttpHeaders headers, String body) {
            return wire.refusals().ofStatus(status, headers, body);
        }

        @Override
        public String setting() {
            return "model.base-url";
        }

        @Override
        public boolean accept(io.assistantstream.upstream.entity.ServerSentEvent event) {
            failure = wire.refusals().inStream(event.type(), event.data()).orElse(null);
            if (failure != null) {
                return true;
            }
            if (!opened) {
                opened = true;
                listener.onOpen(SuccessfulHttpResponse.builder().statusCode(200)
                        .headers(Map.of("Content-Type", java.util.List.of("text/event-stream"))).build());
            }
            listener.onEvent(new ServerSentEvent(event.type(), event.data()), new ServerSentEventContext(this));
            return cancelled || wire.isLast().test(event);
        }

        @Override
        public void cancel() {
            cancelled = true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }
    }

    /** Handed to LangChain4j's error path when the relay already knows why the stream stopped. */
    static final class Stopped extends RuntimeException {
        final transient UpstreamEvent.Failed failure;

        Stopped(UpstreamEvent.Failed failure) {
            super(failure.code().wireName() + ": " + failure.message(), null, false, false);
            this.failure = failure;
        }
    }
}
