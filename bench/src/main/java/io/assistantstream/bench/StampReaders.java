package io.assistantstream.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;

/**
 * Clients that read an event stream and record, for every stamped text event, how old it is on arrival. One
 * instance measures one scenario: every reader it opens feeds the same histogram and counts down {@link #done}
 * when its stream ends ({@code streaming_complete} from the relay, as an event name on its SSE and in the frame on
 * its WebSocket; in the data on nchan, which carries the relay's frames; {@code complete} from the upstream).
 */
final class StampReaders implements AutoCloseable {

    private static final String STREAMING_COMPLETE = "\"event\":\"streaming_complete\"";

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    final ConcurrentHistogram latencyNanos = new ConcurrentHistogram(3);
    final LongAdder received = new LongAdder();
    private final LongAccumulator firstReceipt = new LongAccumulator(Math::min, Long.MAX_VALUE);
    private final LongAccumulator lastReceipt = new LongAccumulator(Math::max, Long.MIN_VALUE);
    /** Readers whose stream ended without its final event: the relay cut them off (slow_subscriber). */
    final LongAdder cutOff = new LongAdder();
    /** Readers whose stream had not ended when nothing more arrived (set by the benchmark when it gives up). */
    volatile long neverEnded;
    /** Set while the benchmark hangs up: a stream it ends is not cut off. */
    private volatile boolean closing;
    private final List<Runnable> hangUps = new CopyOnWriteArrayList<>();
    final CountDownLatch connected;
    final CountDownLatch done;

    StampReaders(int readers) {
        connected = new CountDownLatch(readers);
        done = new CountDownLatch(readers);
    }

    /** An SSE reader (the JDK client, asynchronous: no thread per connection). */
    CompletableFuture<?> sse(String url, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.sendAsync(request.build(), HttpResponse.BodyHandlers.fromLineSubscriber(new Lines()));
    }

    /** A WebSocket reader on the relay. */
    CompletableFuture<WebSocket> webSocket(String url) {
        return HTTP.newWebSocketBuilder().buildAsync(URI.create(url), new Frames());
    }

    /** Disconnects every reader, so the relay forgets them before the next scenario. */
    @Override
    public void close() {
        closing = true;
        hangUps.forEach(Runnable::run);
    }

    private void observe(CharSequence text) {
        long now = System.nanoTime();
        int at = indexOf(text, "@@", 0);
        if (at >= 0) {
            int end = indexOf(text, "@@", at + 2);
            latencyNanos.recordValue(Math.max(0, now - Long.parseLong(text.subSequence(at + 2, end).toString())));
            received.increment();
            firstReceipt.accumulate(now);
            lastReceipt.accumulate(now);
        }
    }

    /** Stamped events received per second, from the first receipt to the last. */
    double deliveredPerSecond() {
        return received.sum() / ((lastReceipt.get() - firstReceipt.get()) / 1e9);
    }

    private static int indexOf(CharSequence text, String what, int from) {
        return text.toString().indexOf(what, from);
    }

    /** Counts a reader down once, however its stream ends. */
    private final class Ending {
        private final AtomicBoolean ended = new AtomicBoolean();

        void end(boolean complete) {
            if (ended.compareAndSet(false, true)) {
                if (!complete && !closing) {
                    cutOff.increment();
                }
                done.countDown();
            }
        }
    }

    private final class Lines implements Flow.Subscriber<String> {
        private final Ending ending = new Ending();
        private boolean opened;

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            hangUps.add(subscription::cancel);
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            if (!opened) {
                opened = true;
                connected.countDown();
            }
            if (line.startsWith("data:")) {
                if (line.contains(STREAMING_COMPLETE)) {
                    ending.end(true);
                } else {
                    observe(line);
                }
            } else if (line.equals("event: streaming_complete") || line.equals("event: complete")) {
                ending.end(true);
            }
        }

        @Override
        public void onError(Throwable failure) {
            ending.end(false);
        }

        @Override
        public void onComplete() {
            ending.end(false);
        }
    }

    private final class Frames implements WebSocket.Listener {
        private final Ending ending = new Ending();
        private final StringBuilder frame = new StringBuilder();

        @Override
        public void onOpen(WebSocket socket) {
            hangUps.add(socket::abort);
            connected.countDown();
            socket.request(Long.MAX_VALUE);
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            frame.append(data);
            if (last) {
                if (frame.indexOf(STREAMING_COMPLETE) >= 0) {
                    ending.end(true);
                } else {
                    observe(frame);
                }
                frame.setLength(0);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
            ending.end(false);
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable failure) {
            ending.end(false);
        }
    }
}
