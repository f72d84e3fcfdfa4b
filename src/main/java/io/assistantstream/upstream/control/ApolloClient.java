package io.assistantstream.upstream.control;

import io.assistantstream.platform.Json;
import io.assistantstream.platform.UpstreamSettings;
import io.assistantstream.upstream.entity.AnswerRequest;
import io.assistantstream.upstream.entity.UpstreamSignal;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The client of the AI service: POSTs a question to {@code {APOLLO_URL}/services/{service}/stream} and reads the
 * event stream as it arrives, firing one {@link UpstreamSignal} per upstream event. Each answer is read on a
 * container-managed thread; every way an answer can end is turned into exactly one terminal event.
 *
 * <p>The JDK's {@code java.net.http} client is used rather than Jersey's {@code EventInput}: the latter exists on
 * Payara only, while this one streams incrementally on every server and lets the relay's own WHATWG parser see
 * the raw bytes.
 */
@ApplicationScoped
public class ApolloClient {


    @Resource
    ManagedExecutorService executor;

    @Resource
    ManagedThreadFactory threadFactory;

    @Inject
    Event<UpstreamSignal> signals;

    @Inject
    UpstreamSettings settings;

    private final CredentialCheck credential = new CredentialCheck();
    private HttpClient http;
    private ExecutorService bodyDelivery;

    /**
     * The HTTP client hands every piece of a response body to its executor. A managed executor would wrap each
     * hand-over in a managed task, and Payara captures the application's context for each (a class-loader scan:
     * milliseconds per chunk in the benchmark's profile), so the client gets plain tasks on container threads.
     */
    @PostConstruct
    void init() {
        bodyDelivery = Executors.newCachedThreadPool(threadFactory);
        http = HttpClient.newBuilder()
                .executor(bodyDelivery)
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .build();
    }

    @PreDestroy
    void stop() {
        bodyDelivery.shutdownNow();
    }

    /** Starts streaming an answer in the background; the returned handle cancels it. */
    public UpstreamCall start(AnswerRequest request) {
        UpstreamCall call = new UpstreamCall(request.answer());
        AnswerReader reader = new AnswerReader(request, call, settings, body -> send(request, call, body),
                event -> signals.fire(new UpstreamSignal(request.answer(), event)));
        executor.execute(reader::run);
        return call;
    }

    /**
     * Whether the AI service answers at all, within the connect timeout: its {@code GET /livez}, which needs no
     * credential (Apollo 3 checks the credential on every {@code /services/} call, a {@code HEAD} included).
     */
    public boolean isReachable(String apolloUrl) {
        HttpRequest probe = HttpRequest.newBuilder(URI.create(apolloUrl + "/livez"))
                .timeout(settings.connectTimeout())
                .build();
        try {
            return http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException | IllegalArgumentException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Sends one question; the body arrives through {@code body}, and closing the call stops both. */
    private HttpResponse<Void> send(AnswerRequest request, UpstreamCall call, ByteChunks body)
            throws InterruptedException, ExecutionException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(
                        URI.create(request.apolloUrl() + "/services/" + request.service() + "/stream"))
                .timeout(settings.idleTimeout())
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(
                        Json.write(ApolloRequests.withCredential(request.body(), settings.apolloApiKey()))));
        // Apollo 3 reads the key from the body only; an Apollo before it read this header, and Apollo 3 ignores it.
        settings.apolloApiKey().ifPresent(key -> builder.header("Authorization", "Bearer " + key));
        CompletableFuture<HttpResponse<Void>> pending = http.sendAsync(builder.build(), responseInfo -> body);
        call.closeWith(() -> {
            pending.cancel(true);
            body.abort();
        });
        HttpResponse<Void> response = pending.get();
        credential.observe(response.statusCode());
        return response;
    }

    /** What the AI service last said of the credential: Apollo 3 checks it only on a service call. */
    public CredentialCheck credential() {
        return credential;
    }
}
