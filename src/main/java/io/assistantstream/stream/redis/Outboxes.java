package io.assistantstream.stream.redis;

import io.assistantstream.platform.Json;
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
import java.util.logging.Logger;

/**
 * The events each session's answer has produced and Redis has not numbered yet, sent in order, one publish call at
 * a time per session: whatever queued while the previous call was on its way goes in the next one. An answer's
 * thread reads its upstream on while its events travel, and a burst costs a round trip per batch, not per event
 * (one call per event held a Redis server to a fifth of the in-memory rate in the benchmark's cluster rows).
 * A caller that needs the event's id waits for its batch, which also waits for every event queued before it; so
 * does one whose session has {@code maxQueued} events waiting, which bounds the memory a stalled Redis can hold.
 */
final class Outboxes {

    /** The highest id this server published in a session, and when. */
    private record Highest(long id, long atNanos) {
    }

    private static final Highest NONE = new Highest(0, 0);
    private static final Logger LOG = Logger.getLogger(Outboxes.class.getName());

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
    private final ConcurrentMap<String, Highest> highest = new ConcurrentHashMap<>();

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

    /**
     * The sequenced mark of a session whose history has a hole (events Redis did not take, or lost): clients
     * reading past it reload the stored session.
     */
    static RedisStore.Unnumbered truncationMarker(String sessionId) {
        return new RedisStore.Unnumbered("replay_truncated", Json.write(Json.object()
                .put("session_id", sessionId)
                .put("reason", "event_log_interrupted")
                .put("last_event_id", 0)));
    }

    /** Forgets the highest ids of sessions this server published nothing in since {@code idle}: Redis has expired them. */
    void forgetIdle(Duration idle) {
        long now = System.nanoTime();
        highest.values().removeIf(known -> now - known.atNanos() > idle.toNanos());
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
        static final int CLOSED = -1;
        static final int START_SENDING = 0;
        private final String sessionId;
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
                boolean marked = false;
                while (done < batch.size()) {
                    List<RedisStore.Unnumbered> events = new ArrayList<>(batch.size() - done + 1);
                    if (marked) {
                        events.add(truncationMarker(sessionId));
                    }
                    batch.subList(done, batch.size()).forEach(pending -> events.add(pending.event()));
                    RedisStore.Published published = store.publish(sessionId, events, retained, retention, blockStart,
                            EventIdReservations.BLOCK, highest.getOrDefault(sessionId, NONE).id());
                    int numbered = published.count();
                    long id = published.firstId();
                    if (marked && numbered > 0) {
                        marked = false;
                        numbered--;
                        id++;
                    }
                    for (int i = 0; i < numbered; i++) {
                        batch.get(done + i).id().complete(id + i);
                    }
                    done += numbered;
                    if (published.count() > 0) {
                        highest.put(sessionId, new Highest(published.firstId() + published.count() - 1, System.nanoTime()));
                    } else if (published.behind()) {
                        LOG.warning("Session " + sessionId + ": Redis has lost the last events this server published "
                                + "(a replica promoted before it had them); the session's ids go on from a new block, "
                                + "after a replay_truncated that has every client reload the stored session");
                        marked = true;
                    }
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
