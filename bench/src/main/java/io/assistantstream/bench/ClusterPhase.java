package io.assistantstream.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The cluster rows: the same readers on one server with its log in memory, on one server with its log on Redis,
 * and on two servers on one Redis, where the answer is read by one server and its subscribers are on the other
 * (all of them, or every other session's). Every server here is Payara Micro on one PostgreSQL, so the log is the
 * only difference between the rows.
 */
final class ClusterPhase {

    private static final int LATENCY_SUBSCRIBERS = 100;
    private static final int LATENCY_EVENTS = 200;
    private static final long LATENCY_PERIOD_MICROS = 20_000;
    private static final int SATURATION_SUBSCRIBERS = 1000;
    private static final int SATURATION_EVENTS = 2000;

    private final Bench bench;
    private final Path root;
    private final String apolloUrl;
    private final Map<String, String> config;

    ClusterPhase(Bench bench, Path root, String apolloUrl, Map<String, String> config) {
        this.bench = bench;
        this.root = root;
        this.apolloUrl = apolloUrl;
        this.config = config;
    }

    /** Where a route's questions are asked and where its subscribers connect. */
    private record Route(String label, RelayServer asked, RelayServer watched, boolean everyOther) implements Hub {

        private static final AtomicInteger OPENED = new AtomicInteger();

        @Override
        public Channel open() throws Exception {
            Channel channel = asked.open();
            if (asked == watched || (everyOther && OPENED.incrementAndGet() % 2 == 0)) {
                return channel;
            }
            String from = "127.0.0.1:" + asked.port() + "/";
            String to = "127.0.0.1:" + watched.port() + "/";
            return new Channel(channel.name(), channel.sseUrl().replace(from, to), channel.token(),
                    channel.webSocketUrl().replace(from, to), channel.rawSsePath());
        }

        @Override
        public void stream(Channel channel, int events, long periodMicros) throws Exception {
            asked.stream(channel, events, periodMicros);
        }

        @Override
        public int port() {
            return watched.port();
        }

        @Override
        public String name() {
            return asked.name();
        }

        @Override
        public Footprint footprint() throws Exception {
            return watched.footprint();
        }

        @Override
        public void awaitNoSubscribers() throws Exception {
            asked.awaitNoSubscribers();
            watched.awaitNoSubscribers();
        }
    }

    /** One route's figures: latency p50 and p99 (ms) and delivered events/s, SSE then WebSocket. */
    private record Figures(double[] p50, double[] p99, double[] perSecond, long[] cutOff) {
        Figures() {
            this(new double[2], new double[2], new double[2], new long[2]);
        }
    }

    void run() throws Exception {
        bench.line("## One server, Redis, two servers (Payara Micro on one PostgreSQL, Redis on loopback)");
        bench.line("");
        bench.line("Latency: " + LATENCY_SUBSCRIBERS + " subscribers in sessions of 10, " + LATENCY_EVENTS
                + " events at " + 1_000_000 / LATENCY_PERIOD_MICROS + "/s. Delivered: " + SATURATION_SUBSCRIBERS
                + " subscribers in sessions of 10, " + SATURATION_EVENTS + " events per session flat out."
                + " \"Other server\": the answer is read by one server, its subscribers are on the second;"
                + " \"spread\": every other session's subscribers are on the second.");
        bench.line("");
        bench.line("| log | SSE p50 | SSE p99 | WebSocket p50 | WebSocket p99 | SSE events/s | WebSocket events/s | readers cut off |");
        bench.line("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            Map<String, String> shared = new HashMap<>(config);
            shared.putAll(Map.of("DB_URL", postgres.getJdbcUrl("postgres", "postgres"), "DB_USER", "postgres",
                    "DB_PASSWORD", "postgres"));
            Figures memory;
            try (RelayServer server = RelayServer.payaraOnPostgres(root, apolloUrl, shared)) {
                memory = measure(new Route("memory, one server", server, server, false));
            }
            try (Redis redis = Redis.start()) {
                shared.put("REDIS_URL", redis.url());
                try (RelayServer first = RelayServer.payaraOnPostgres(root, apolloUrl, shared);
                     RelayServer second = RelayServer.payaraOnPostgres(root, apolloUrl, shared)) {
                    Figures oneServer = measure(new Route("Redis, one server", first, first, false));
                    Figures otherServer = measure(new Route("Redis, subscribers on the other server", first, second,
                            false));
                    measure(new Route("Redis, spread over two servers", first, second, true));
                    bench.line("");
                    bench.line(String.format(Locale.ROOT, "Redis ÷ memory, delivered events/s on one server:"
                                    + " **%.2f** (SSE), **%.2f** (WebSocket). Other server − same server, p50:"
                                    + " **%+.2f ms** (SSE), **%+.2f ms** (WebSocket).",
                            oneServer.perSecond[0] / memory.perSecond[0], oneServer.perSecond[1] / memory.perSecond[1],
                            otherServer.p50[0] - oneServer.p50[0], otherServer.p50[1] - oneServer.p50[1]));
                }
            }
        }
        bench.line("");
    }

    private Figures measure(Route route) throws Exception {
        // A round on each transport first, not measured: the first answers on a fresh server run before the JIT
        // has compiled its paths (a Redis server's first latency row read 6 times its later ones).
        for (boolean webSocket : new boolean[] {false, true}) {
            bench.delivered(route, LATENCY_SUBSCRIBERS, webSocket, 0, SATURATION_EVENTS, 0);
        }
        Figures figures = new Figures();
        for (int t = 0; t < 2; t++) {
            boolean webSocket = t == 1;
            StampReaders timed = bench.delivered(route, LATENCY_SUBSCRIBERS, webSocket, 0, LATENCY_EVENTS,
                    LATENCY_PERIOD_MICROS);
            Bench.Percentiles latency = Bench.Percentiles.of(timed.latencyNanos);
            figures.p50[t] = latency.p50();
            figures.p99[t] = latency.p99();
            StampReaders saturated = bench.delivered(route, SATURATION_SUBSCRIBERS, webSocket, 0, SATURATION_EVENTS, 0);
            figures.perSecond[t] = saturated.deliveredPerSecond();
            figures.cutOff[t] = saturated.cutOff.sum();
        }
        bench.line(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %.2f | %,.0f | %,.0f | %d SSE, %d WebSocket |",
                route.label(), figures.p50[0], figures.p99[0], figures.p50[1], figures.p99[1], figures.perSecond[0],
                figures.perSecond[1], figures.cutOff[0], figures.cutOff[1]));
        return figures;
    }

    /** Debian's redis-server on a free loopback port, nothing written to disk. */
    private record Redis(Process process, int port) implements AutoCloseable {

        static Redis start() throws Exception {
            int port;
            try (ServerSocket free = new ServerSocket(0)) {
                port = free.getLocalPort();
            }
            Path directory = Files.createTempDirectory("bench-redis");
            Process process = new ProcessBuilder(List.of("redis-server", "--bind", "127.0.0.1", "--port",
                    Integer.toString(port), "--save", "", "--appendonly", "no", "--dir", directory.toString()))
                    .redirectErrorStream(true).redirectOutput(directory.resolve("redis.log").toFile()).start();
            for (int attempt = 0; attempt < 500; attempt++) {
                try (Socket ignored = new Socket("127.0.0.1", port)) {
                    return new Redis(process, port);
                } catch (IOException notYet) {
                    Thread.sleep(20);
                }
            }
            process.destroyForcibly();
            throw new IllegalStateException("redis-server did not listen within 10 s; see " + directory);
        }

        String url() {
            return "redis://127.0.0.1:" + port;
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
