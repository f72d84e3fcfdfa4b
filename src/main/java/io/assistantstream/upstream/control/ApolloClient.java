package io.assistantstream.upstream.control;

import io.assistantstream.platform.Json;
import io.assistantstream.platform.RelaySettings;
import io.assistantstream.upstream.entity.AnswerRef;
import io.assistantstream.upstream.entity.AnswerRequest;
import io.assistantstream.upstream.entity.FailureCode;
import io.assistantstream.upstream.entity.ServerSentEvent;
import io.assistantstream.upstream.entity.UpstreamEvent;
import io.assistantstream.upstream.entity.UpstreamSignal;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;

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

    private static final Logger LOG = Logger.getLogger(ApolloClient.class.getName());
    private static final int READ_BUFFER_BYTES = 8192;
    private static final int ERROR_BODY_LIMIT = 4096;

    @Resource
    ManagedExecutorService executor;

    @Resource
    ManagedThreadFactory threadFactory;

    @Inject
    Event<UpstreamSignal> signals;

    @Inject
    RelaySettings settings;

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
        executor.execute(() -> new Reading(request, call).run());
        return call;
    }

    /** Whether the AI service answers at all (its {@code HEAD /services/job_chat}), within the connect timeout. */
    public boolean isReachable(String apolloUrl) {
        HttpRequest probe = HttpRequest.newBuilder(URI.create(apolloUrl + "/services/job_chat"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .timeout(settings.connectTimeout())
                .build();
        try {
            return http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() < 500;
        } catch (IOException | IllegalArgumentException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** One answer being read: owns the parser and the terminal-event bookkeeping. */
    private final class Reading {
        private final AnswerRequest request;
        private final UpstreamCall call;
        private final AnswerRef answer;
        private final ByteChunks body = new ByteChunks();
        private boolean ended;

        Reading(AnswerRequest request, UpstreamCall call) {
            this.request = request;
            this.call = call;
            this.answer = request.answer();
        }

        void run() {
            try {
                HttpResponse<Void> response = connect();
                if (acceptable(response)) {
                    readEvents();
                }
            } catch (ExecutionException e) {
                end(connectFailure(e.getCause()));
            } catch (CancellationException e) {
                end(abortedOr(FailureCode.UPSTREAM_DISCONNECTED, "The request to the AI service was cancelled"));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                end(abortedOr(FailureCode.INTERNAL_ERROR, "The relay was interrupted while waiting for the AI service"));
            } catch (ByteChunks.IdleException e) {
                call.abort(FailureCode.UPSTREAM_TIMEOUT);
                end(abortedOr(FailureCode.UPSTREAM_TIMEOUT, "The AI service went silent"));
            } catch (EventStreamParser.EventTooLargeException e) {
                body.abort();
                end(new UpstreamEvent.Failed(FailureCode.UPSTREAM_PROTOCOL_ERROR,
                        "The AI service sent an oversized event: " + e.getMessage()));
            } catch (IOException e) {
                end(abortedOr(FailureCode.UPSTREAM_DISCONNECTED,
                        "The connection to the AI service broke mid-answer: " + e.getMessage()));
            } catch (RuntimeException e) {
                body.abort();
                LOG.log(Level.SEVERE, "Relaying the answer " + answer.messageId() + " of session "
                        + answer.sessionId() + " failed inside the relay; the answer is ended as internal_error", e);
                end(new UpstreamEvent.Failed(FailureCode.INTERNAL_ERROR,
                        "The relay failed while handling the answer; see the server log"));
            }
        }

        /**
         * Sends the question, once more on a fresh connection if the service hung up before answering at all. A
         * kept-alive connection that the service closes just as it is reused fails that way (the JDK client's
         * "header parser received no bytes"), and the client retries only idempotent requests by itself; as a
         * browser does for a reused connection, the relay asks a second time, since no byte of the answer was
         * read and nothing was relayed yet.
         */
        private HttpResponse<Void> connect() throws InterruptedException, ExecutionException {
            HttpRequest.Builder builder = HttpRequest.newBuilder(
                            URI.create(request.apolloUrl() + "/services/" + request.service() + "/stream"))
                    .timeout(settings.idleTimeout())
                    .header("Content-Type", "application/json")
                    .header("Accept", "text/event-stream")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.write(request.body())));
            settings.apolloApiKey().ifPresent(key -> builder.header("Authorization", "Bearer " + key));
            HttpRequest question = builder.build();
            try {
                return exchange(question);
            } catch (ExecutionException e) {
                if (!hungUpBeforeAnswering(e.getCause()) || call.abortReason() != null) {
                    throw e;
                }
                LOG.info(() -> "The AI service closed the connection before answering message " + answer.messageId()
                        + " of session " + answer.sessionId() + " (" + e.getCause().getMessage()
                        + "); asking once more");
                return exchange(question);
            }
        }

        private HttpResponse<Void> exchange(HttpRequest question) throws InterruptedException, ExecutionException {
            CompletableFuture<HttpResponse<Void>> pending = http.sendAsync(question, responseInfo -> body);
            call.closeWith(() -> {
                pending.cancel(true);
                body.abort();
            });
            return pending.get();
        }

        private static boolean hungUpBeforeAnswering(Throwable cause) {
            return cause instanceof IOException && !(cause instanceof HttpTimeoutException)
                    && !(cause instanceof ConnectException);
        }

        private boolean acceptable(HttpResponse<Void> response)
                throws IOException, InterruptedException, ByteChunks.IdleException {
            int status = response.statusCode();
            if (status < 200 || status > 299) {
                String text = errorBody();
                String reason = text.isBlank() ? "no body" : ApolloEventDecoder.error(text).message();
                end(new UpstreamEvent.Failed(FailureCode.UPSTREAM_HTTP_ERROR,
                        "The AI service answered HTTP " + status + ": " + reason));
                return false;
            }
            String contentType = response.headers().firstValue("Content-Type").orElse("");
            if (!contentType.toLowerCase(Locale.ROOT).startsWith("text/event-stream")) {
                body.abort();
                end(new UpstreamEvent.Failed(FailureCode.UPSTREAM_BAD_CONTENT_TYPE,
                        "The AI service answered with '" + contentType + "' instead of text/event-stream; "
                                + "check that APOLLO_URL points at Apollo"));
                return false;
            }
            return true;
        }

        /** The start of an error answer's body, enough to quote it. */
        private String errorBody() throws IOException, InterruptedException, ByteChunks.IdleException {
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            List<ByteBuffer> buffers;
            while (text.size() < ERROR_BODY_LIMIT && (buffers = body.next(settings.idleTimeout())) != null) {
                for (ByteBuffer buffer : buffers) {
                    byte[] bytes = new byte[buffer.remaining()];
                    buffer.get(bytes);
                    text.write(bytes, 0, bytes.length);
                }
            }
            body.abort();
            byte[] bytes = text.toByteArray();
            return new String(bytes, 0, Math.min(bytes.length, ERROR_BODY_LIMIT), StandardCharsets.UTF_8);
        }

        private void readEvents() throws IOException, InterruptedException {
            EventStreamParser parser = new EventStreamParser(this::onEvent, settings.maxEventBytes());
            byte[] scratch = new byte[READ_BUFFER_BYTES];
            long deadline = System.nanoTime() + settings.maxDuration().toNanos();
            long bytes = 0;
            while (!ended) {
                List<ByteBuffer> buffers;
                try {
                    buffers = body.next(waitAtMost(deadline));
                } catch (ByteChunks.IdleException e) {
                    call.abort(System.nanoTime() >= deadline
                            ? FailureCode.UPSTREAM_DURATION_EXCEEDED : FailureCode.UPSTREAM_TIMEOUT);
                    break;
                }
                if (buffers == null) {
                    break;
                }
                if (System.nanoTime() >= deadline) {
                    call.abort(FailureCode.UPSTREAM_DURATION_EXCEEDED);
                    break;
                }
                for (ByteBuffer buffer : buffers) {
                    bytes += buffer.remaining();
                }
                if (bytes > settings.maxResponseBytes()) {
                    call.abort(FailureCode.UPSTREAM_TOO_LARGE);
                    break;
                }
                for (ByteBuffer buffer : buffers) {
                    while (buffer.hasRemaining() && !ended) {
                        int length = Math.min(scratch.length, buffer.remaining());
                        buffer.get(scratch, 0, length);
                        parser.feed(scratch, 0, length);
                    }
                }
            }
            body.abort();
            end(abortedOr(FailureCode.UPSTREAM_DISCONNECTED,
                    "The AI service closed the stream before the answer was complete"));
        }

        /** The idle timeout, or less when the answer's maximum duration ends sooner. */
        private Duration waitAtMost(long deadline) {
            Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
            return left.compareTo(settings.idleTimeout()) < 0 ? left : settings.idleTimeout();
        }

        private void onEvent(ServerSentEvent event) {
            if (!ended) {
                ApolloEventDecoder.decode(answer, event).ifPresent(this::emit);
            }
        }

        private UpstreamEvent.Failed connectFailure(Throwable cause) {
            if (cause instanceof HttpConnectTimeoutException || cause instanceof ConnectException) {
                return new UpstreamEvent.Failed(FailureCode.UPSTREAM_UNREACHABLE,
                        "Cannot connect to the AI service at " + request.apolloUrl()
                                + "; check APOLLO_URL and that the service is running");
            }
            if (cause instanceof HttpTimeoutException) {
                return new UpstreamEvent.Failed(FailureCode.UPSTREAM_TIMEOUT,
                        "The AI service did not answer within " + settings.idleTimeout().toSeconds() + " s");
            }
            return abortedOr(FailureCode.UPSTREAM_DISCONNECTED,
                    "The connection to the AI service broke before the answer began: " + cause);
        }

        /** The failure a cancel or a limit asked for, or else the given one. */
        private UpstreamEvent.Failed abortedOr(FailureCode code, String message) {
            FailureCode reason = call.abortReason();
            if (reason == null) {
                return new UpstreamEvent.Failed(code, message);
            }
            return new UpstreamEvent.Failed(reason, switch (reason) {
                case CANCELLED -> "The answer was cancelled";
                case SERVER_STOPPING -> "The server is shutting down; ask again in a moment";
                case UPSTREAM_TOO_LARGE -> "The AI service sent more than " + settings.maxResponseBytes()
                        + " bytes for one answer; the answer was stopped (apollo.max-response-bytes)";
                case UPSTREAM_DURATION_EXCEEDED -> "The answer took longer than " + settings.maxDuration().toSeconds()
                        + " s and was stopped (apollo.max-duration-seconds)";
                default -> "The AI service sent nothing for " + settings.idleTimeout().toSeconds()
                        + " s; the answer was stopped (apollo.idle-timeout-seconds)";
            });
        }

        private void end(UpstreamEvent.Failed failure) {
            if (!ended) {
                emit(failure);
            }
        }

        private void emit(UpstreamEvent event) {
            ended = event.isTerminal();
            signals.fire(new UpstreamSignal(answer, event));
        }
    }
}
