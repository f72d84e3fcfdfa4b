package io.assistantstream.upstream.control;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The body of a streaming response as the reader pulls it: every byte that arrived is handed out, in order, before
 * the end or the error that followed it. (The JDK's {@code ofInputStream} drops bytes still buffered when the
 * connection breaks, so a cut stream would lose the events that did arrive.) One piece is requested at a time, so
 * a slow reader pushes back on the network instead of buffering without bound.
 */
public final class ByteChunks implements HttpResponse.BodySubscriber<Void> {

    /** Nothing arrived within the idle timeout. */
    static final class IdleException extends Exception {
        IdleException() {
            super("no bytes within the idle timeout", null, false, false);
        }
    }

    private static final Object END = new Object();

    private final BlockingQueue<Object> items = new LinkedBlockingQueue<>();
    private volatile Flow.Subscription subscription;

    /** Done at once: the response is handed over when its headers arrive, and the body is pulled afterwards. */
    @Override
    public CompletionStage<Void> getBody() {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void onSubscribe(Flow.Subscription newSubscription) {
        subscription = newSubscription;
        newSubscription.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        items.add(item);
    }

    @Override
    public void onError(Throwable failure) {
        items.add(failure);
    }

    @Override
    public void onComplete() {
        items.add(END);
    }

    /** The next buffers, or null at the end of the body (or after {@link #abort}). */
    @SuppressWarnings("unchecked")
    List<ByteBuffer> next(Duration idleTimeout) throws IOException, InterruptedException, IdleException {
        Object item = items.poll(idleTimeout.toNanos(), TimeUnit.NANOSECONDS);
        if (item == null) {
            throw new IdleException();
        }
        if (item == END) {
            items.add(END);
            return null;
        }
        if (item instanceof Throwable failure) {
            throw new IOException(failure.getMessage() == null ? failure.toString() : failure.getMessage(), failure);
        }
        subscription.request(1);
        return (List<ByteBuffer>) item;
    }

    /** Stops the body from any thread: the reader's next call returns the end. */
    void abort() {
        Flow.Subscription current = subscription;
        if (current != null) {
            current.cancel();
        }
        items.add(END);
    }
}
