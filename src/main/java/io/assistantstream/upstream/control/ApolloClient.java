package io.assistantstream.upstream.control;

import io.assistantstream.platform.Json;
import io.assistantstream.platform.UpstreamSettings;
import io.assistantstream.upstream.entity.AnswerRequest;
import io.assistantstream.upstream.entity.UpstreamEvent;
import io.assistantstream.upstream.entity.UpstreamSignal;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * The client of Apollo: POSTs a question to {@code {APOLLO_URL}/services/{service}/stream} and reads the event
 * stream as it arrives, firing one {@link UpstreamSignal} per upstream event. Each answer is read on a
 * container-managed thread; every way an answer can end is turned into exactly one terminal event.
 */
@ApplicationScoped
public class ApolloClient {

    @Resource
    ManagedExecutorService executor;

    @Inject
    Event<UpstreamSignal> signals;

    @Inject
    UpstreamSettings settings;

    @Inject
    UpstreamHttp http;

    private final CredentialCheck credential = new CredentialCheck();

    /** Starts streaming an answer in the background; the returned handle cancels it. */
    public UpstreamCall start(AnswerRequest request) {
        UpstreamCall call = new UpstreamCall(request.answer());
        Consumer<UpstreamEvent> events = event -> signals.fire(new UpstreamSignal(request.answer(), event));
        ApolloStream stream = new ApolloStream(request.answer(), settings.apolloApiKey(), events);
        AnswerReader reader = new AnswerReader(request.answer(), request.apolloUrl(), call, settings,
                new AnswerBudget(settings, System.nanoTime()), body -> send(request, call, body), stream);
        executor.execute(() -> {
            UpstreamEvent.Failed failed = reader.read();
            if (failed != null) {
                events.accept(failed);
            }
        });
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
            return http.client().send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
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
        HttpResponse<Void> response = http.send(builder.build(), call, body);
        credential.observe(response.statusCode());
        return response;
    }

    /** What the AI service last said of the credential: Apollo 3 checks it only on a service call. */
    public CredentialCheck credential() {
        return credential;
    }
}
