package io.assistantstream.stream.redis;

import io.assistantstream.stream.control.EventIdReservations;
import io.assistantstream.stream.control.EventLogUnavailable;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The events each session's answer has produced and Redis has not numbered yet, sent in order, one publish call at
 * a time per session: whatever queued while the previous call was on its way goes in the next one. An answer's
 * thread reads its upstream on while its events travel, and a burst costs a round trip per batch, not per event
 * (one call per event held a Redis server to a fifth of the in-memory rate in the benchmark's cluster rows).
 * A caller that needs the event's id waits for its batch, which also waits for every event queued before it; so
 * does one whose session has {@code maxQueued} events waiting, which bounds the memory a stalled Redis can hold.
 */
final class Outboxes {

    /** An event waiting to be published, and its id once Redis gave one (0 when it could not be published). */
    record Pending(RedisStore.Unnumbered event, CompletableFuture<Long> id) {
    }

    private final RedisStore store;
    private final EventIdReservations reservations;
    private final Executor executor;
    private final int retained;
    private final Duration retention;
    private final int maxBatch;
    private final int maxQueued;
    private final BiConsumer<String, EventLogUnavailable> onFailure;
    private final ConcurrentMap<String, Outbox> outboxes = new ConcurrentHashMap<>();

    /** {@code onFailure}: told, on the sending thread, of each batch of a session Redis did not take. */
    Outboxes(RedisStore store, EventIdReservations reservations, Executor executor, int retained, Duration retention,
             int maxQueued, BiConsumer<String, EventLogUnavailable> onFailure) {
        this.store = store;
        this.reservations = reservations;
        this.executor = executor;
        this.retained = retained;
        this.retention = retention;
        // A batch never holds more events than the stream retains, so trimming the stream never drops one of its own.
        this.maxBatch = Math.max(1, Math.min(256, retained));
        this.maxQueued = maxQueued;
        this.onFailure = onFailure;
    }

    /** Queues the event after the session's earlier ones; waits for its id when asked or when the queue is full. */
    Pending add(String sessionId, String name, String dataJson, boolean waitForId) {
        Pending pending = new Pending(new RedisStore.Unnumbered(name, dataJson), new CompletableFuture<>());
        while (true) {
            Outbox outbox = outboxes.computeIfAbsent(sessionId, Outbox::new);
            int queued = outbox.add(pending);
            if (queued == Outbox.CLOSED) {
                continue;
            }
            if (queued == Outbox.START_SENDING) {
                start(outbox);
            }
            if (waitForId || queued >= maxQueued) {
                pending.id().join();
            }
            return pending;
        }
    }

    /** Waits until nothing is queued, or the time is up; true when nothing is. */
    boolean awaitEmpty(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!outboxes.isEmpty()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
        return true;
    }

    private void start(Outbox outbox) {
        try {
            executor.execute(outbox::send);
        } catch (RejectedExecutionException stopping) {
            outbox.send();
        }
    }

    /** One session's queue. Once found empty by its sender it is closed and replaced, never reused. */
    private final class Outbox {
        private final String sessionId;
        static final int CLOSED = -1;
        static final int START_SENDING = 0;
        private final ArrayDeque<Pending> queue = new ArrayDeque<>();
        private boolean sending;
        private boolean closed;

        Outbox(String sessionId) {
            this.sessionId = sessionId;
        }

        /**
         * How many wait with it, {@link #START_SENDING} when nothing sends (the caller starts it), or
         * {@link #CLOSED} when this outbox takes no more.
         */
        synchronized int add(Pending pending) {
            if (closed) {
                return CLOSED;
            }
            queue.add(pending);
            if (!sending) {
                sending = true;
                return START_SENDING;
            }
            return queue.size();
        }

        /** Sends batches until nothing waits, then closes this outbox; the next event opens a new one. */
        void send() {
            List<Pending> batch;
            while (!(batch = takeBatchOrClose()).isEmpty()) {
                publish(batch);
            }
        }

        private synchronized List<Pending> takeBatchOrClose() {
            if (queue.isEmpty()) {
                sending = false;
                closed = true;
                outboxes.remove(sessionId, this);
                return List.of();
            }
            List<Pending> batch = new ArrayList<>(Math.min(queue.size(), maxBatch));
            while (batch.size() < maxBatch && !queue.isEmpty()) {
                batch.add(queue.poll());
            }
            return batch;
        }

        private void publish(List<Pending> batch) {
            int done = 0;
            try {
                String blockStart = "";
                while (done < batch.size()) {
                    List<RedisStore.Unnumbered> events = batch.subList(done, batch.size()).stream()
                            .map(Pending::event).toList();
                    RedisStore.Published published = store.publish(sessionId, events, retained, retention, blockStart,
                            EventIdReservations.BLOCK);
                    for (int i = 0; i < published.count(); i++) {
                        batch.get(done + i).id().complete(published.firstId() + i);
                    }
                    done += published.count();
                    if (done < batch.size()) {
                        if (published.count() == 0 && !blockStart.isEmpty()) {
                            throw new EventLogUnavailable("Redis refused a new block of ids for session " + sessionId,
                                    null);
                        }
                        blockStart = Long.toString(reservations.reserve(sessionId, EventIdReservations.BLOCK));
                    }
                }
            } catch (EventLogUnavailable e) {
                onFailure.accept(sessionId, e);
            } catch (RuntimeException e) {
                onFailure.accept(sessionId, new EventLogUnavailable("publishing failed: " + e, e));
            } finally {
                for (int i = done; i < batch.size(); i++) {
                    batch.get(i).id().complete(0L);
                }
            }
        }
    }
}
