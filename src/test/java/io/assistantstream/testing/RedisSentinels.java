package io.assistantstream.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import redis.clients.jedis.Jedis;

/**
 * Redis that fails over, on loopback: a primary, one replica and three sentinels (Debian's {@code redis-server}, the
 * sentinels in its {@code --sentinel} mode), watching the primary as {@value #PRIMARY_NAME} with a quorum of two,
 * down after 1 s, a failover allowed every 5 s.
 */
public final class RedisSentinels implements AutoCloseable {

    public static final String PRIMARY_NAME = "assistant";

    private final RedisServer primary;
    private final List<Process> processes = new ArrayList<>();
    private final List<Integer> sentinelPorts = new ArrayList<>();

    private RedisSentinels(RedisServer primary) {
        this.primary = primary;
    }

    public static RedisSentinels start() throws IOException, InterruptedException {
        RedisSentinels cluster = new RedisSentinels(RedisServer.start());
        try {
            cluster.startReplica();
            for (int i = 0; i < 3; i++) {
                cluster.startSentinel();
            }
            Awaitility.await("the sentinels agree on the replica").atMost(java.time.Duration.ofSeconds(20))
                    .ignoreExceptions().until(cluster::sentinelsSeeTheReplica);
            return cluster;
        } catch (RuntimeException | IOException e) {
            cluster.close();
            throw e;
        }
    }

    /** {@code redis-sentinel://} naming the three sentinels and the primary. */
    public String url() {
        return "redis-sentinel://" + sentinelPorts.stream().map(port -> "127.0.0.1:" + port)
                .collect(Collectors.joining(",")) + "/" + PRIMARY_NAME;
    }

    public int primaryPort() {
        return primary.port();
    }

    /** The port of the server the first sentinel names primary now. */
    public int namedPrimaryPort() {
        try (Jedis sentinel = new Jedis("127.0.0.1", sentinelPorts.get(0))) {
            return Integer.parseInt(sentinel.sentinelGetMasterAddrByName(PRIMARY_NAME).get(1));
        }
    }

    /** Kills the primary at once, as a crash would. */
    public void killPrimary() throws InterruptedException {
        primary.kill();
    }

    private void startReplica() throws IOException {
        int port = FreePort.next();
        Path directory = Files.createTempDirectory("redis-replica");
        start(List.of("redis-server", "--bind", "127.0.0.1", "--port", Integer.toString(port), "--save", "",
                "--appendonly", "no", "--dir", directory.toString(), "--replicaof", "127.0.0.1",
                Integer.toString(primary.port())), directory);
        Awaitility.await("the replica is in sync").atMost(java.time.Duration.ofSeconds(20)).ignoreExceptions()
                .until(() -> {
                    try (Jedis replica = new Jedis("127.0.0.1", port)) {
                        return replica.info("replication").contains("master_link_status:up");
                    }
                });
    }

    private void startSentinel() throws IOException {
        int port = FreePort.next();
        Path directory = Files.createTempDirectory("redis-sentinel");
        Path config = directory.resolve("sentinel.conf");
        Files.writeString(config, String.join("\n", "bind 127.0.0.1", "port " + port, "dir " + directory,
                "sentinel monitor " + PRIMARY_NAME + " 127.0.0.1 " + primary.port() + " 2",
                "sentinel down-after-milliseconds " + PRIMARY_NAME + " 1000",
                "sentinel failover-timeout " + PRIMARY_NAME + " 5000",
                "sentinel parallel-syncs " + PRIMARY_NAME + " 1", ""));
        start(List.of("redis-server", config.toString(), "--sentinel"), directory);
        sentinelPorts.add(port);
    }

    private boolean sentinelsSeeTheReplica() {
        for (int port : sentinelPorts) {
            try (Jedis sentinel = new Jedis("127.0.0.1", port)) {
                if (sentinel.sentinelReplicas(PRIMARY_NAME).isEmpty()) {
                    return false;
                }
            }
        }
        return true;
    }

    private void start(List<String> command, Path directory) throws IOException {
        processes.add(new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(directory.resolve("redis.log").toFile()).start());
    }

    @Override
    public void close() throws InterruptedException {
        for (Process process : processes) {
            process.destroyForcibly();
        }
        primary.close();
    }
}
