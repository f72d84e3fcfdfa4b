package io.assistantstream.stream.redis;

import io.assistantstream.platform.RedisSettings;
import io.assistantstream.stream.control.EventLogUnavailable;
import io.assistantstream.stream.entity.SequencedEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.Map;
import java.util.function.Function;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.util.Pool;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.resps.StreamEntry;

/**
 * The Redis commands of the shared event log, each bounded by {@code redis.timeout-millis}: a session's events
 * live in a stream ({@code PREFIX:{SESSION}:events}, entry id {@code N-0} for event id N), its counters in a hash
 * ({@code PREFIX:{SESSION}:meta}), and each new event is also published on {@code PREFIX:{SESSION}:live}. Every
 * failure of Redis comes out as {@link EventLogUnavailable}.
 */
final class RedisStore {

    /** The latest id, the highest id no longer retained, and the retained events after the requested id. */
    record Replay(long lastId, long floor, List<SequencedEvent> events) {
    }

    /**
     * What one publish call numbered: ids {@code firstId} to {@code firstId + count - 1}; {@code behind}: Redis's
     * history of the session ended before the highest id the caller had published (it lost events).
     */
    record Published(long firstId, int count, boolean behind) {
    }

    /** An event as it is handed to Redis, which numbers it. */
    record Unnumbered(String name, String dataJson) {
    }

    private final String prefix;
    private final Supplier<HostAndPort> primary;
    private final JedisClientConfig commandConfig;
    private final Pool<Jedis> pool;
    private final Script publish = new Script("publish.lua");
    private final Script replay = new Script("replay.lua");

    /**
     * {@code pool}: the server's command connections, which the store uses but does not own; {@code primary}: the
     * Redis server they go to now (with Sentinel it moves), where the live feed connects.
     */
    RedisStore(RedisSettings settings, Pool<Jedis> pool, Supplier<HostAndPort> primary) {
        this.prefix = settings.keyPrefix();
        this.primary = primary;
        this.commandConfig = settings.clientConfig();
        this.pool = pool;
    }

    /** A connection of its own for the live feed, with a read timeout of {@code readTimeout}. */
    Jedis feedConnection(Duration readTimeout) {
        DefaultJedisClientConfig config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(commandConfig.getConnectionTimeoutMillis())
                .socketTimeoutMillis((int) readTimeout.toMillis())
                .ssl(commandConfig.isSsl())
                .user(commandConfig.getUser())
                .password(commandConfig.getPassword())
                .database(commandConfig.getDatabase())
                .clientName("assistant-stream-feed")
                .build();
        return new Jedis(primary.get(), config);
    }

    String liveChannel(String sessionId) {
        return key(sessionId, "live");
    }

    String signalChannel() {
        return prefix + ":signals";
    }

    /**
     * Publishes the events in order; what came back: the first one's id and how many were published (fewer than
     * given when the session's block of ids ran out, or none when Redis's history is behind {@code highest}: the
     * caller reserves a block, {@code blockStart} next time).
     */
    Published publish(String sessionId, List<Unnumbered> events, int retained, Duration retention,
                      String blockStart, int blockSize, long highest) {
        List<String> args = new ArrayList<>(6 + 2 * events.size());
        args.add(Integer.toString(retained));
        args.add(Long.toString(Math.max(1, retention.toSeconds())));
        args.add(liveChannel(sessionId));
        args.add(blockStart);
        args.add(Integer.toString(blockSize));
        args.add(Long.toString(highest));
        for (Unnumbered event : events) {
            args.add(event.name());
            args.add(event.dataJson());
        }
        List<?> reply = (List<?>) run(jedis -> publish.eval(jedis,
                List.of(key(sessionId, "meta"), key(sessionId, "events")), args));
        return new Published((Long) reply.get(0), ((Long) reply.get(1)).intValue(), (Long) reply.get(2) == 1);
    }

    /** Everything retained after {@code afterId} ({@link io.assistantstream.stream.control.EventLog#BEFORE_FIRST}: all). */
    Replay replay(String sessionId, long afterId) {
        List<?> reply = (List<?>) run(jedis -> replay.eval(jedis,
                List.of(key(sessionId, "meta"), key(sessionId, "events")), List.of(Long.toString(afterId))));
        List<SequencedEvent> events = new ArrayList<>();
        for (Object entry : (List<?>) reply.get(2)) {
            List<?> idAndFields = (List<?>) entry;
            List<?> fields = (List<?>) idAndFields.get(1);
            events.add(event(text(idAndFields.get(0)), fields));
        }
        return new Replay(Long.parseLong(text(reply.get(0))), Long.parseLong(text(reply.get(1))), events);
    }

    /** The retained events with ids strictly between the two, to fill a gap in what the live feed brought. */
    List<SequencedEvent> between(String sessionId, long afterId, long beforeId) {
        List<StreamEntry> entries = run(jedis -> jedis.xrange(key(sessionId, "events"),
                new StreamEntryID(afterId, 1), new StreamEntryID(beforeId - 1, 0)));
        List<SequencedEvent> events = new ArrayList<>(entries.size());
        for (StreamEntry entry : entries) {
            Map<String, String> fields = entry.getFields();
            events.add(new SequencedEvent(entry.getID().getTime(), fields.get("n"), fields.get("d")));
        }
        return events;
    }

    /** The session's latest id, or -1 when Redis holds nothing of it. */
    long lastId(String sessionId) {
        String last = run(jedis -> jedis.hget(key(sessionId, "meta"), "last"));
        return last == null ? -1 : Long.parseLong(last);
    }

    void signal(String message) {
        run(jedis -> jedis.publish(signalChannel(), message));
    }

    void markAlive(String nodeId, Duration ttl) {
        run(jedis -> jedis.psetex(prefix + ":node:" + nodeId, ttl.toMillis(), "alive"));
    }

    boolean isAlive(String nodeId) {
        return run(jedis -> jedis.exists(prefix + ":node:" + nodeId));
    }

    String ping() {
        return run(Jedis::ping);
    }

    /** The events a live message carries, a line {@code ID NAME DATA} each (JSON has no raw line breaks). */
    static List<SequencedEvent> parseLive(String message) {
        List<SequencedEvent> events = new ArrayList<>();
        int start = 0;
        while (start < message.length()) {
            int end = message.indexOf('\n', start);
            end = end < 0 ? message.length() : end;
            int space = message.indexOf(' ', start);
            int second = message.indexOf(' ', space + 1);
            events.add(new SequencedEvent(Long.parseLong(message.substring(start, space)),
                    message.substring(space + 1, second), message.substring(second + 1, end)));
            start = end + 1;
        }
        return events;
    }

    private <T> T run(Function<Jedis, T> command) {
        try (Jedis jedis = pool.getResource()) {
            return command.apply(jedis);
        } catch (JedisException e) {
            throw new EventLogUnavailable("Redis at " + primary.get() + " did not answer: " + e.getMessage(), e);
        }
    }

    private String key(String sessionId, String what) {
        // The braces keep a session's keys in one hash slot, should the Redis be a cluster.
        return prefix + ":{" + sessionId + "}:" + what;
    }

    private static SequencedEvent event(String entryId, List<?> fields) {
        String name = null;
        String data = null;
        for (int i = 0; i + 1 < fields.size(); i += 2) {
            String field = text(fields.get(i));
            if ("n".equals(field)) {
                name = text(fields.get(i + 1));
            } else if ("d".equals(field)) {
                data = text(fields.get(i + 1));
            }
        }
        return new SequencedEvent(Long.parseLong(entryId.substring(0, entryId.indexOf('-'))), name, data);
    }

    private static String text(Object reply) {
        return reply instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(reply);
    }


    /** A Lua script run by its digest, loaded again when Redis has forgotten it (a restart, SCRIPT FLUSH). */
    private static final class Script {
        private final String source;
        private volatile String sha;

        Script(String resource) {
            try (InputStream in = RedisStore.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("missing script " + resource);
                }
                source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        Object eval(Jedis jedis, List<String> keys, List<String> args) {
            String known = sha;
            if (known != null) {
                try {
                    return jedis.evalsha(known, keys, args);
                } catch (JedisDataException e) {
                    if (e.getMessage() == null || !e.getMessage().startsWith("NOSCRIPT")) {
                        throw e;
                    }
                }
            }
            sha = jedis.scriptLoad(source);
            return jedis.evalsha(sha, keys, args);
        }
    }
}
