package io.assistantstream.upstream.control;

import io.assistantstream.platform.UpstreamSettings;
import io.assistantstream.upstream.entity.AnswerRef;
import io.assistantstream.upstream.entity.FailureCode;
import io.assistantstream.upstream.entity.ServerSentEvent;
import io.assistantstream.upstream.entity.UpstreamEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reads one streamed response, in one straight path: send the request (once more if the service hung up before
 * answering), check the status and the content type, then parse the event stream and hand each event to the
 * {@link Protocol} until it says the stream ended, the call is cancelled or a limit is hit. Whatever happens, it
 * returns: null when the protocol saw the stream's end, otherwise why the stream did not get there.
 */
public final class AnswerReader {

    /** Sends the request and returns the response head; its body arrives through the given subscriber. */
    public interface Exchange {
        HttpResponse<Void> send(ByteChunks body) throws InterruptedException, ExecutionException;
    }

    /**
     * What the stream is read for: Apollo's events, decoded and handed on, or a model provider's, handed to
     * LangChain4j. It words a refusal, names where the service is configured, and says when the stream ended.
     */
    public interface Protocol {
        /** Why a response with a status other than 2xx refused the request ({@code body}: its start). */
        UpstreamEvent.Failed refusal(int status, HttpHeaders headers, String body);

        /** Where the service's address is set, for the words of a failure: APOLLO_URL, model.base-url. */
        String setting();

        /** Hands on one event; true once the stream has ended (nothing more is read). */
        boolean accept(ServerSentEvent event);
    }

    private static final Logger LOG = Logger.getLogger(AnswerReader.class.getName());
    private static final int READ_BUFFER_BYTES = 8192;
    private static final int ERROR_BODY_LIMIT = 4096;

    private final AnswerRef answer;
    private final String url;
    private final UpstreamCall call;
    private final UpstreamSettings limits;
    private final AnswerBudget budget;
    private final Exchange exchange;
    private final Protocol protocol;
    private ByteChunks body = new ByteChunks();
    private boolean began;
    private long lastBytesNanos = System.nanoTime();
    private boolean ended;

    /** {@code url}: where the request goes, for the words of a failure; {@code budget}: what the answer may spend. */
    public AnswerReader(AnswerRef answer, String url, UpstreamCall call, UpstreamSettings limits, AnswerBudget budget,
                 Exchange exchange, Protocol protocol) {
        this.answer = answer;
        this.url = url;
        this.call = call;
        this.limits = limits;
        this.budget = budget;
        this.exchange = exchange;
        this.protocol = protocol;
    }

    public UpstreamEvent.Failed read() {
        try {
            HttpResponse<Void> response = ask();
            began = true;
            UpstreamEvent.Failed refused = refusal(response);
            if (refused != null) {
                return refused;
            }
            FailureCode stoppedBy = readEvents();
            if (ended) {
                return null;
            }
            FailureCode reason = call.abortReason() != null ? call.abortReason() : stoppedBy;
            return reason == null ? UpstreamFailures.closedAfterQuiet(System.nanoTime() - lastBytesNanos)
                    : UpstreamFailures.stopped(reason, limits);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return UpstreamFailures.of(e, call.abortReason(), began, url, protocol.setting(), limits);
        } catch (Exception e) {
            Throwable failure = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            if (failure instanceof RuntimeException && !(failure instanceof EventStreamParser.EventTooLargeException)) {
                LOG.log(Level.SEVERE, "Relaying the answer " + answer.messageId() + " of session "
                        + answer.sessionId() + " failed inside the relay; the answer is ended as internal_error", e);
            }
            return UpstreamFailures.of(failure, call.abortReason(), began, url, protocol.setting(), limits);
        } finally {
            body.abort();
        }
    }

    private HttpResponse<Void> ask() throws InterruptedException, ExecutionException {
        try {
            return exchange.send(body);
        } catch (ExecutionException e) {
            if (!RetryBeforeAnswer.worthRetrying(e.getCause()) || call.abortReason() != null) {
                throw e;
            }
            LOG.info(() -> "The AI service closed the connection before answering message " + answer.messageId()
                    + " of session " + answer.sessionId() + " (" + e.getCause().getMessage() + "); asking once more");
            body = new ByteChunks();
            return exchange.send(body);
        }
    }

    /** Why the response is not an answer (a status other than 2xx, not an event stream), or null. */
    private UpstreamEvent.Failed refusal(HttpResponse<Void> response)
            throws IOException, InterruptedException, ByteChunks.IdleException {
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            return protocol.refusal(status, response.headers(), errorBody());
        }
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        if (!contentType.toLowerCase(Locale.ROOT).startsWith("text/event-stream")) {
            return new UpstreamEvent.Failed(FailureCode.UPSTREAM_BAD_CONTENT_TYPE, "The AI service answered with '"
                    + contentType + "' instead of text/event-stream; check " + protocol.setting());
        }
        return null;
    }

    /** The start of an error answer's body, enough to quote it. */
    private String errorBody() throws IOException, InterruptedException, ByteChunks.IdleException {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        List<ByteBuffer> buffers;
        while (text.size() < ERROR_BODY_LIMIT && (buffers = body.next(limits.idleTimeout())) != null) {
            for (ByteBuffer buffer : buffers) {
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                text.write(bytes, 0, bytes.length);
            }
        }
        byte[] bytes = text.toByteArray();
        return new String(bytes, 0, Math.min(bytes.length, ERROR_BODY_LIMIT), StandardCharsets.UTF_8);
    }

    /**
     * Parses the stream until the answer's terminal event, its end, a cancel, or a limit; returns the limit that
     * stopped it, or null.
     */
    private FailureCode readEvents() throws IOException, InterruptedException {
        EventStreamParser parser = new EventStreamParser(this::onEvent, limits.maxEventBytes());
        byte[] scratch = new byte[READ_BUFFER_BYTES];
        while (!ended && call.abortReason() == null) {
            List<ByteBuffer> buffers;
            try {
                buffers = body.next(budget.nextWait(System.nanoTime()));
            } catch (ByteChunks.IdleException e) {
                return budget.silence(System.nanoTime());
            }
            if (buffers == null) {
                return null;
            }
            lastBytesNanos = System.nanoTime();
            FailureCode overBudget = budget.spend(buffers, System.nanoTime());
            if (overBudget != null) {
                return overBudget;
            }
            for (ByteBuffer buffer : buffers) {
                while (buffer.hasRemaining() && !ended && call.abortReason() == null) {
                    int length = Math.min(scratch.length, buffer.remaining());
                    buffer.get(scratch, 0, length);
                    parser.feed(scratch, 0, length);
                }
            }
        }
        return null;
    }

    private void onEvent(ServerSentEvent event) {
        if (!ended) {
            ended = protocol.accept(event);
        }
    }
}
