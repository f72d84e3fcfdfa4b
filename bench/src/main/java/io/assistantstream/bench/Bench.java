package io.assistantstream.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * The relay benchmark, one run: added latency per event against the direct floor, throughput at saturation and
 * with stalled subscribers, memory per idle subscriber, the parser's MB/s and start-up time. Writes
 * results/SERVER.md and results/latency-SERVER.png (SERVER: payara or wildfly). Arguments: the repository root (default: ..).
 */
public final class Bench {

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");
    private static final int[] SUBSCRIBERS = {1, 100, 1000};
    private static final int LATENCY_EVENTS = 200;
    private static final long LATENCY_PERIOD_MICROS = 20_000;
    private static final int SATURATION_EVENTS = 2000;

    private final FastApollo apollo;
    private final RelayServer relay;
    /** Payara Micro's start-up from a prepared root directory with a class data sharing archive; 0 on WildFly. */
    private final long preparedStartupMillis;
    private final StringBuilder report = new StringBuilder();
    /** Names the result files: payara or wildfly. */
    private final String serverKey;

    private record Session(String id, String token) {
    }

    private record Percentiles(double p50, double p99, double p999) {
        static Percentiles of(Histogram nanos) {
            return new Percentiles(nanos.getValueAtPercentile(50) / 1e6, nanos.getValueAtPercentile(99) / 1e6,
                    nanos.getValueAtPercentile(99.9) / 1e6);
        }

        Percentiles minus(Percentiles floor) {
            return new Percentiles(p50 - floor.p50, p99 - floor.p99, p999 - floor.p999);
        }
    }

    private Bench(FastApollo apollo, RelayServer relay, long preparedStartupMillis, String serverKey) {
        this.serverKey = serverKey;
        this.apollo = apollo;
        this.relay = relay;
        this.preparedStartupMillis = preparedStartupMillis;
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : "..").toAbsolutePath().normalize();
        boolean wildfly = "wildfly".equals(System.getProperty("bench.server", "payara"));
        Map<String, String> config = Map.of("STREAM_MAX_SUBSCRIBERS", "20000",
                "STREAM_MAX_SUBSCRIBERS_PER_SESSION", "200",
                // Room for a whole saturation answer, so a reader is never cut while measured.
                "STREAM_SUBSCRIBER_QUEUE_EVENTS", Integer.toString(SATURATION_EVENTS + 100));
        try (FastApollo apollo = new FastApollo()) {
            long prepared = wildfly ? 0 : RelayServer.payaraPreparedStartupMillis(root, apollo.url(), config);
            try (RelayServer relay = wildfly ? RelayServer.wildfly(root, apollo.url(), config)
                    : RelayServer.payara(root, apollo.url(), config)) {
                new Bench(apollo, relay, prepared, wildfly ? "wildfly" : "payara").run(relay.name);
            }
        }
    }

    private void run(String server) throws Exception {
        line("# Relay benchmark, " + LocalDate.now());
        line("");
        line("Machine: " + Runtime.getRuntime().availableProcessors() + " cores, "
                + machineMemory() + ", JDK " + System.getProperty("java.version") + ", server " + server
                + " (-Xmx1g), clients and fake upstream in one JVM on loopback.");
        line("");
        line("Start-up (launch to /api/health answering 200): **" + relay.startupMillis + " ms**"
                + (preparedStartupMillis > 0 ? "; from a prepared root directory with a class data sharing archive"
                + " (launch-micro.jar after a --warmup run): **" + preparedStartupMillis + " ms**" : ""));
        line("");
        // -Dbench.phases=latency,throughput runs a part (a profiling run, say); the default is all of them.
        List<String> phases = List.of(System.getProperty("bench.phases", "memory,latency,throughput,parser")
                .split(","));
        // Memory first, on a fresh server: later phases leave replay events retained for a while, which would
        // blur the baseline.
        if (phases.contains("memory")) {
            memory();
        }
        if (phases.contains("latency")) {
            latency();
        }
        if (phases.contains("throughput")) {
            throughput();
        }
        if (phases.contains("parser")) {
            parser();
        }
        Files.writeString(Path.of("results", serverKey + ".md"), report);
    }

    private void latency() throws Exception {
        line("## Added latency per text event (" + LATENCY_EVENTS + " events per session at "
                + 1_000_000 / LATENCY_PERIOD_MICROS + "/s; ms)");
        line("");
        line("| subscribers | path | p50 | p99 | p99.9 | relay − floor p50 | p99 | p99.9 |");
        line("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        List<double[]> plot = new ArrayList<>();
        for (int subscribers : SUBSCRIBERS) {
            Percentiles floor = Percentiles.of(floor(subscribers));
            row(subscribers, "direct (floor)", floor, null);
            Percentiles webSocket = Percentiles.of(relayed(subscribers, true, 0).latencyNanos);
            row(subscribers, "relay, WebSocket", webSocket, webSocket.minus(floor));
            Percentiles sse = Percentiles.of(relayed(subscribers, false, 0).latencyNanos);
            row(subscribers, "relay, SSE", sse, sse.minus(floor));
            plot.add(new double[] {subscribers, floor.p50, floor.p99, webSocket.p50, webSocket.p99, sse.p50, sse.p99});
        }
        line("");
        line("![latency against subscribers](bench/results/latency-" + serverKey + ".png)");
        line("");
        chart(plot);
    }

    private void row(int subscribers, String path, Percentiles measured, Percentiles added) {
        line(String.format(Locale.ROOT, "| %d | %s | %.2f | %.2f | %.2f | %s |", subscribers, path, measured.p50,
                measured.p99, measured.p999, added == null ? "– | – | –" : String.format(Locale.ROOT,
                        "%.2f | %.2f | %.2f", added.p50, added.p99, added.p999)));
    }

    private static int sessionsFor(int subscribers) {
        return Math.max(1, subscribers / 10);
    }

    /** The floor: the same clients read the same stream straight from the upstream. */
    private Histogram floor(int subscribers) throws Exception {
        int sessions = sessionsFor(subscribers);
        int perSession = subscribers / sessions;
        StampReaders readers = new StampReaders(subscribers);
        List<CompletableFuture<?>> open = new ArrayList<>();
        for (int s = 0; s < sessions; s++) {
            String name = "floor-" + subscribers + "-" + s;
            apollo.expectDirect(name, perSession);
            for (int c = 0; c < perSession; c++) {
                open.add(readers.sse(apollo.url() + "/direct/" + name, null));
            }
        }
        List<Thread> emitters = new ArrayList<>();
        for (int s = 0; s < sessions; s++) {
            String name = "floor-" + subscribers + "-" + s;
            apollo.awaitDirect(name);
            emitters.add(startThread(() -> {
                try {
                    apollo.emitDirect(name, LATENCY_EVENTS, LATENCY_PERIOD_MICROS);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        awaitDone(readers, "the floor with " + subscribers + " subscribers");
        for (Thread emitter : emitters) {
            emitter.join();
        }
        readers.close();
        return readers.latencyNanos;
    }

    /** The relay: sessions × 10 subscribers on one transport; {@code stalledPerSession} raw clients never read. */
    private StampReaders relayed(int subscribers, boolean webSocket, int stalledPerSession) throws Exception {
        return relayed(subscribers, webSocket, stalledPerSession, LATENCY_EVENTS, LATENCY_PERIOD_MICROS);
    }

    private StampReaders relayed(int subscribers, boolean webSocket, int stalledPerSession, int events,
                                 long periodMicros) throws Exception {
        int sessions = sessionsFor(subscribers);
        int perSession = subscribers / sessions - stalledPerSession;
        StampReaders readers = new StampReaders(sessions * perSession);
        List<Session> created = new ArrayList<>();
        List<Socket> stalled = new ArrayList<>();
        for (int s = 0; s < sessions; s++) {
            Session session = createSession();
            created.add(session);
            for (int c = 0; c < perSession; c++) {
                if (webSocket) {
                    readers.webSocket(relay.webSocketBase() + session.id() + "?last_event_id=0&access_token="
                            + session.token());
                } else {
                    readers.sse(relay.api() + "/sessions/" + session.id() + "/events?last_event_id=0",
                            session.token());
                }
            }
            for (int c = 0; c < stalledPerSession; c++) {
                stalled.add(stalledSubscriber(session));
            }
        }
        if (!readers.connected.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("Not every subscriber connected");
        }
        for (Session session : created) {
            ask(session, "bench:" + events + ":" + periodMicros);
        }
        awaitDone(readers, subscribers + " " + (webSocket ? "WebSocket" : "SSE") + " subscribers");
        readers.close();
        for (Socket socket : stalled) {
            socket.close();
        }
        return readers;
    }

    private void throughput() throws Exception {
        line("## Throughput (100 sessions × 10 subscribers, " + SATURATION_EVENTS
                + " events per session, upstream as fast as it goes)");
        line("");
        line("Delivered events per second from the first event received to the last, across all readers.");
        line("");
        line("| run | delivered events/s | upstream read, events/s | readers cut off |");
        line("| --- | ---: | ---: | ---: |");
        // -Dbench.saturation=stalled runs one of the three (a profiling run, say).
        List<String> runs = List.of(System.getProperty("bench.saturation", "websocket,sse,stalled").split(","));
        if (runs.contains("websocket")) {
            saturate("WebSocket, all reading", true, 0);
        }
        if (runs.contains("sse")) {
            saturate("SSE, all reading", false, 0);
        }
        if (runs.contains("stalled")) {
            saturate("WebSocket, 1 in 10 stalled (raw socket, 8 KB receive buffer)", true, 1);
        }
        line("");
    }

    private void saturate(String run, boolean webSocket, int stalledPerSession) throws Exception {
        apollo.relayStreams.clear();
        StampReaders readers = relayed(1000, webSocket, stalledPerSession, SATURATION_EVENTS, 0);
        long upstreamStart = apollo.relayStreams.stream().mapToLong(s -> s[0]).min().orElseThrow();
        long upstreamEnd = apollo.relayStreams.stream().mapToLong(s -> s[1]).max().orElseThrow();
        long upstreamEvents = apollo.relayStreams.stream().mapToLong(s -> s[2]).sum();
        line(String.format(Locale.ROOT, "| %s | %,.0f | %,.0f | %d |", run, readers.deliveredPerSecond(),
                upstreamEvents / ((upstreamEnd - upstreamStart) / 1e9), readers.cutOff.sum()));
    }

    private void memory() throws Exception {
        line("## Idle subscribers (SSE, 100 per session)");
        line("");
        line("| subscribers | heap after GC | resident | heap per subscriber | resident per subscriber |");
        line("| ---: | ---: | ---: | ---: | ---: |");
        long heapBefore = relay.heapUsedBytes();
        long rssBefore = relay.residentBytes();
        line(String.format(Locale.ROOT, "| 0 | %,d KB | %,d KB | | |", heapBefore / 1024, rssBefore / 1024));
        StampReaders idle = new StampReaders(10_000);
        int open = 0;
        for (int target : new int[] {1000, 10_000}) {
            while (open < target) {
                Session session = createSession();
                for (int c = 0; c < 100; c++) {
                    idle.sse(relay.api() + "/sessions/" + session.id() + "/events", session.token());
                }
                open += 100;
            }
            while (idle.connected.getCount() > 10_000 - target) {
                Thread.sleep(100);
            }
            long heap = relay.heapUsedBytes();
            long rss = relay.residentBytes();
            line(String.format(Locale.ROOT, "| %,d | %,d KB | %,d KB | %,d B | %,d B |", target, heap / 1024,
                    rss / 1024, (heap - heapBefore) / target, (rss - rssBefore) / target));
        }
        idle.close();
        line("");
    }

    private void parser() throws Exception {
        ParserBenchmark sample = new ParserBenchmark();
        sample.prepare();
        RunResult result = new Runner(new OptionsBuilder().include(ParserBenchmark.class.getSimpleName())
                .forks(1).warmupIterations(3).warmupTime(org.openjdk.jmh.runner.options.TimeValue.seconds(2))
                .measurementIterations(5).measurementTime(org.openjdk.jmh.runner.options.TimeValue.seconds(2))
                .build()).runSingle();
        double megabytesPerSecond = result.getPrimaryResult().getScore() * sample.streamBytes() / 1e6;
        line("## SSE parser (JMH, one thread, 4 MiB of text deltas in 16 KiB reads)");
        line("");
        line(String.format(Locale.ROOT, "**%.0f MB/s** (± %.0f)", megabytesPerSecond,
                result.getPrimaryResult().getScoreError() * sample.streamBytes() / 1e6));
        line("");
    }

    private Socket stalledSubscriber(Session session) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(8 * 1024);
        socket.connect(new InetSocketAddress("127.0.0.1", relay.port));
        OutputStream out = socket.getOutputStream();
        out.write(("GET /assistant-stream/api/sessions/" + session.id() + "/events?last_event_id=0 HTTP/1.0\r\n"
                + "Authorization: Bearer " + session.token() + "\r\nAccept: text/event-stream\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    private Session createSession() throws Exception {
        String body = post(relay.api() + "/sessions", null, "{\"kind\":\"workflow\"}", 201);
        Matcher id = ID.matcher(body);
        Matcher token = TOKEN.matcher(body);
        if (!id.find() || !token.find()) {
            throw new IllegalStateException("Unexpected session: " + body);
        }
        return new Session(id.group(1), token.group(1));
    }

    private void ask(Session session, String question) throws Exception {
        post(relay.api() + "/sessions/" + session.id() + "/messages", session.token(),
                "{\"content\":\"" + question + "\"}", 202);
    }

    private static String post(String url, String token, String json, int expected) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type",
                "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = StampReaders.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException("POST " + url + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return response.body();
    }

    private static void awaitDone(StampReaders readers, String what) throws InterruptedException {
        if (!readers.done.await(300, TimeUnit.SECONDS)) {
            throw new IllegalStateException(what + ": " + readers.done.getCount() + " streams did not finish");
        }
    }

    private void chart(List<double[]> rows) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(520)
                .title("Latency per event against subscribers (" + LocalDate.now() + ")")
                .xAxisTitle("concurrent subscribers").yAxisTitle("ms from upstream write to client").build();
        chart.getStyler().setXAxisLogarithmic(true);
        double[] x = rows.stream().mapToDouble(r -> r[0]).toArray();
        String[] names = {"direct p50", "direct p99", "WebSocket p50", "WebSocket p99", "SSE p50", "SSE p99"};
        for (int i = 0; i < names.length; i++) {
            int column = i + 1;
            chart.addSeries(names[i], x, rows.stream().mapToDouble(r -> r[column]).toArray());
        }
        BitmapEncoder.saveBitmap(chart, "results/latency-" + serverKey, BitmapEncoder.BitmapFormat.PNG);
    }

    private static Thread startThread(Runnable task) {
        Thread thread = new Thread(task);
        thread.start();
        return thread;
    }

    private static String machineMemory() {
        try {
            Matcher total = Pattern.compile("MemTotal:\\s+(\\d+) kB").matcher(Files.readString(Path.of("/proc/meminfo")));
            return total.find() ? Long.parseLong(total.group(1)) / (1024 * 1024) + " GiB" : "memory unknown";
        } catch (IOException e) {
            return "memory unknown";
        }
    }

    private void line(String text) {
        System.out.println(text);
        report.append(text).append('\n');
    }
}
