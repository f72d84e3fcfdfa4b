package io.assistantstream.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * The relay benchmark, one run: latency per event against the direct floor, throughput at saturation and with
 * stalled subscribers, memory per idle subscriber, the parser's MB/s and start-up time, each scenario on the relay
 * and on nginx + nchan (when bench/run.sh started it) with the same readers. Writes results/SERVER.md and
 * results/latency-SERVER.png (SERVER: payara or wildfly). Arguments: the repository root (default: ..).
 */
public final class Bench {

    private static final int[] SUBSCRIBERS = {1, 100, 1000};
    private static final int LATENCY_EVENTS = 200;
    private static final long LATENCY_PERIOD_MICROS = 20_000;
    private static final int SATURATION_EVENTS = 2000;
    /**
     * Idle subscribers measured. 50,000 would need 50,000 descriptors in one process; this machine's hard limit is
     * 20,000 (setrlimit above it is refused even to root), so the largest step stays under it.
     */
    private static final int[] IDLE_STEPS = {1000, 10_000, 18_000};
    private static final int IDLE_PER_CHANNEL = 100;
    private static final int QUIET_SECONDS = 20;

    private final FastApollo apollo;
    private final RelayServer relay;
    private final List<Hub> hubs;
    /** Payara Micro's start-up from a prepared root directory with a class data sharing archive; 0 on WildFly. */
    private final long preparedStartupMillis;
    /** Launch to /api/health answering, each launch on a fresh server directory. */
    private final List<Long> startupMillis;
    private final StringBuilder report = new StringBuilder();
    /** Names the result files: payara or wildfly. */
    private final String serverKey;
    /** What the cluster phase launches its servers from: the repository and the benchmark's settings. */
    private final Path root;
    private final Map<String, String> config;
    /** Figures of the relay against nchan, for the ratio table at the end: label, relay, nchan, better when. */
    private final List<String[]> ratios = new ArrayList<>();

    record Percentiles(double p50, double p99, double p999) {
        static Percentiles of(Histogram nanos) {
            return new Percentiles(nanos.getValueAtPercentile(50) / 1e6, nanos.getValueAtPercentile(99) / 1e6,
                    nanos.getValueAtPercentile(99.9) / 1e6);
        }

        Percentiles minus(Percentiles floor) {
            return new Percentiles(p50 - floor.p50, p99 - floor.p99, p999 - floor.p999);
        }
    }

    private Bench(Path root, Map<String, String> config, FastApollo apollo, RelayServer relay, NchanHub nchan,
                  long preparedStartupMillis, List<Long> startupMillis, String serverKey) {
        this.root = root;
        this.config = config;
        this.startupMillis = startupMillis;
        this.serverKey = serverKey;
        this.apollo = apollo;
        this.relay = relay;
        // -Dbench.systems=nchan measures one of the two (while tuning the peer, say); the default is both.
        List<String> systems = List.of(System.getProperty("bench.systems", "relay,nchan").split(","));
        this.hubs = Stream.of(relay, nchan)
                .filter(hub -> hub != null && systems.contains(hub.label())).toList();
        this.preparedStartupMillis = preparedStartupMillis;
    }

    private static RelayServer launch(boolean wildfly, Path root, String apolloUrl, Map<String, String> config)
            throws Exception {
        return wildfly ? RelayServer.wildfly(root, apolloUrl, config) : RelayServer.payara(root, apolloUrl, config);
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : "..").toAbsolutePath().normalize();
        boolean wildfly = "wildfly".equals(System.getProperty("bench.server", "payara"));
        // A reader that keeps up is never cut while measured: the session's history (5,000 events by default)
        // holds a whole saturation answer, and a burst is no reason to cut a client off.
        Map<String, String> config = Map.of("STREAM_MAX_SUBSCRIBERS", "60000",
                "STREAM_MAX_SUBSCRIBERS_PER_SESSION", "200");
        try (FastApollo apollo = new FastApollo()) {
            NchanHub nchan = NchanHub.fromRunScript(apollo.url());
            long prepared = wildfly ? 0 : RelayServer.payaraPreparedStartupMillis(root, apollo.url(), config);
            // Start-up moves by seconds from one launch to the next on a busy VM: a few launches, each on a
            // fresh server directory, and the one measured after them.
            List<Long> startups = new ArrayList<>();
            for (int launch = 1; launch < Integer.getInteger("bench.startups", 3); launch++) {
                try (RelayServer once = launch(wildfly, root, apollo.url(), config)) {
                    startups.add(once.startupMillis);
                }
            }
            try (RelayServer relay = launch(wildfly, root, apollo.url(), config)) {
                startups.add(relay.startupMillis);
                new Bench(root, config, apollo, relay, nchan, prepared, startups, wildfly ? "wildfly" : "payara").run();
            }
        }
    }

    private void run() throws Exception {
        line("# Relay benchmark, " + LocalDate.now());
        line("");
        line("Machine: " + Runtime.getRuntime().availableProcessors() + " cores, "
                + machineMemory() + ", JDK " + System.getProperty("java.version") + "; "
                + hubs.stream().map(Hub::name).collect(Collectors.joining(" and ")) + " (the relay's JVM with"
                + " -Xmx1g); clients, fake upstream and nchan's publisher in one JVM on loopback.");
        line("");
        List<Long> sorted = startupMillis.stream().sorted().toList();
        line("Start-up (launch to /api/health answering 200, a fresh server directory each time): **"
                + sorted.get(sorted.size() / 2) + " ms** median of " + sorted.size() + " launches ("
                + startupMillis.stream().map(String::valueOf).collect(Collectors.joining(", ")) + " ms)"
                + (preparedStartupMillis > 0 ? "; from a prepared root directory with a class data sharing archive"
                + " (launch-micro.jar after a --warmup run): **" + preparedStartupMillis + " ms**" : "")
                + (System.getProperty("bench.nchan.startup-ms") == null ? "" : "; nginx + nchan (launch to its"
                + " first answer): **" + System.getProperty("bench.nchan.startup-ms") + " ms**"));
        line("");
        // -Dbench.phases=latency,throughput runs a part (a profiling run, say); the default is all of them.
        List<String> phases = List.of(System.getProperty("bench.phases",
                "memory,latency,throughput,cluster,parser")
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
        // The cluster rows are Payara's: its servers start in seconds, so three of them fit in one run.
        if (phases.contains("cluster") && "payara".equals(serverKey)) {
            new ClusterPhase(this, root, apollo.url(), config).run();
        }
        if (phases.contains("parser")) {
            parser();
        }
        ratioTable();
        Files.writeString(Path.of("results", serverKey + ".md"), report);
    }

    private void latency() throws Exception {
        line("## Latency per text event (" + LATENCY_EVENTS + " events per session at "
                + 1_000_000 / LATENCY_PERIOD_MICROS + "/s; ms)");
        line("");
        line("| subscribers | path | p50 | p99 | p99.9 | − floor p50 | p99 | p99.9 |");
        line("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        List<double[]> plot = new ArrayList<>();
        for (int subscribers : SUBSCRIBERS) {
            Percentiles floor = Percentiles.of(floor(subscribers));
            row(subscribers, "direct (floor)", floor, null);
            List<Double> points = new ArrayList<>(List.of((double) subscribers, floor.p50, floor.p99));
            List<Percentiles> byHub = new ArrayList<>();
            for (Hub hub : hubs) {
                for (boolean webSocket : new boolean[] {true, false}) {
                    hub.takeHarnessAges();
                    StampReaders readers = delivered(hub, subscribers, webSocket, 0, LATENCY_EVENTS,
                            LATENCY_PERIOD_MICROS);
                    Percentiles measured = Percentiles.of(readers.latencyNanos);
                    row(subscribers, hub.label() + ", " + (webSocket ? "WebSocket" : "SSE") + lost(readers,
                            subscribers, LATENCY_EVENTS), measured, measured.minus(floor));
                    Histogram harness = hub.takeHarnessAges();
                    if (harness != null) {
                        row(subscribers, "… of it, the benchmark's " + hub.label() + " publisher: age when its POST "
                                + "was written", Percentiles.of(harness), null);
                    }
                    points.add(measured.p50);
                    points.add(measured.p99);
                    byHub.add(measured);
                }
            }
            if (hubs.size() == 2) {
                for (int t = 0; t < 2; t++) {
                    String transport = t == 0 ? "WebSocket" : "SSE";
                    ratios.add(new String[] {"latency p50 at " + subscribers + ", " + transport + " (ms)",
                            fixed(byHub.get(t).p50), fixed(byHub.get(2 + t).p50), "lower"});
                    ratios.add(new String[] {"latency p99 at " + subscribers + ", " + transport + " (ms)",
                            fixed(byHub.get(t).p99), fixed(byHub.get(2 + t).p99), "lower"});
                }
            }
            plot.add(points.stream().mapToDouble(Double::doubleValue).toArray());
        }
        line("");
        line("![latency against subscribers](bench/results/latency-" + serverKey + ".png)");
        line("");
        chart(plot);
    }

    /** What a hub failed to deliver, for the row's label: nothing when it delivered every event. */
    private static String lost(StampReaders readers, int subscribers, int events) {
        long missing = (long) subscribers * events - readers.received.sum();
        return missing <= 0 && readers.neverEnded == 0 ? "" : String.format(Locale.ROOT,
                " (%,d events never arrived; %d of %d streams never ended)", missing, readers.neverEnded, subscribers);
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
        for (int s = 0; s < sessions; s++) {
            String name = "floor-" + subscribers + "-" + s;
            apollo.expectDirect(name, perSession);
            for (int c = 0; c < perSession; c++) {
                readers.sse(apollo.url() + "/direct/" + name, null);
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

    /** Sessions × 10 subscribers on one transport of {@code hub}; {@code stalledPerSession} raw clients never read. */
    StampReaders delivered(Hub hub, int subscribers, boolean webSocket, int stalledPerSession, int events,
                                   long periodMicros) throws Exception {
        int sessions = sessionsFor(subscribers);
        int perSession = subscribers / sessions - stalledPerSession;
        StampReaders readers = new StampReaders(sessions * perSession);
        List<Hub.Channel> opened = new ArrayList<>();
        List<Socket> stalled = new ArrayList<>();
        for (int s = 0; s < sessions; s++) {
            Hub.Channel channel = hub.open();
            opened.add(channel);
            for (int c = 0; c < perSession; c++) {
                if (webSocket) {
                    readers.webSocket(channel.webSocketUrl());
                } else {
                    readers.sse(channel.sseUrl(), channel.token());
                }
            }
            for (int c = 0; c < stalledPerSession; c++) {
                stalled.add(stalledSubscriber(hub, channel));
            }
        }
        if (!readers.connected.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("Not every subscriber of " + hub.label() + " connected");
        }
        for (Hub.Channel channel : opened) {
            hub.stream(channel, events, periodMicros);
        }
        awaitDone(readers, subscribers + " " + (webSocket ? "WebSocket" : "SSE") + " subscribers of " + hub.label());
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
        line("| system | run | delivered events/s | upstream read, events/s | readers cut off | events never delivered | streams never ended |");
        line("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
        // -Dbench.saturation=stalled runs one of the three (a profiling run, say).
        List<String> runs = List.of(System.getProperty("bench.saturation", "websocket,sse,stalled").split(","));
        Map<String, double[]> byRun = new LinkedHashMap<>();
        for (Hub hub : hubs) {
            int column = hubs.indexOf(hub);
            if (runs.contains("websocket")) {
                byRun.computeIfAbsent("WebSocket, all reading", k -> new double[2])[column]
                        = saturate(hub, "WebSocket, all reading", true, 0);
            }
            if (runs.contains("sse")) {
                byRun.computeIfAbsent("SSE, all reading", k -> new double[2])[column]
                        = saturate(hub, "SSE, all reading", false, 0);
            }
            if (runs.contains("stalled")) {
                byRun.computeIfAbsent("WebSocket, 1 in 10 stalled", k -> new double[2])[column]
                        = saturate(hub, "WebSocket, 1 in 10 stalled (raw socket, 8 KB receive buffer)", true, 1);
            }
        }
        line("");
        if (hubs.size() == 2) {
            byRun.forEach((run, rates) -> ratios.add(new String[] {"delivered events/s, " + run,
                    String.format(Locale.ROOT, "%,.0f", rates[0]), String.format(Locale.ROOT, "%,.0f", rates[1]),
                    "higher"}));
        }
    }

    private double saturate(Hub hub, String run, boolean webSocket, int stalledPerSession) throws Exception {
        apollo.relayStreams.clear();
        StampReaders readers = delivered(hub, 1000, webSocket, stalledPerSession, SATURATION_EVENTS, 0);
        long upstreamStart = apollo.relayStreams.stream().mapToLong(s -> s[0]).min().orElseThrow();
        long upstreamEnd = apollo.relayStreams.stream().mapToLong(s -> s[1]).max().orElseThrow();
        long upstreamEvents = apollo.relayStreams.stream().mapToLong(s -> s[2]).sum();
        double delivered = readers.deliveredPerSecond();
        int reading = 1000 - 100 * stalledPerSession;
        // A reader cut off by the relay resumes in real use; here it is counted, and what it missed with it.
        long neverDelivered = (long) reading * SATURATION_EVENTS - readers.received.sum();
        line(String.format(Locale.ROOT, "| %s | %s | %,.0f | %,.0f | %d | %,d | %d |", hub.label(), run, delivered,
                upstreamEvents / ((upstreamEnd - upstreamStart) / 1e9), readers.cutOff.sum(),
                neverDelivered, readers.neverEnded));
        return delivered;
    }

    private void memory() throws Exception {
        line("## Idle subscribers (" + IDLE_PER_CHANNEL + " per session)");
        line("");
        line("Heap: live heap after a full collection (the relay's JVM). Resident: proportional set size of the"
                + " process (nginx: master and workers, shared memory counted once); a JVM's resident size also"
                + " holds heap it has grown into and not returned, so it moves by tens of MB between steps.");
        line("");
        line("| system | transport | subscribers | heap after GC | resident | heap per subscriber | resident per subscriber |");
        line("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
        for (boolean webSocket : new boolean[] {false, true}) {
            long[] bytesEach = new long[hubs.size()];
            for (Hub hub : hubs) {
                bytesEach[hubs.indexOf(hub)] = idleSubscribers(hub, webSocket);
            }
            if (hubs.size() == 2) {
                ratios.add(new String[] {"bytes per idle " + (webSocket ? "WebSocket" : "SSE") + " subscriber at "
                        + String.format(Locale.ROOT, "%,d", IDLE_STEPS[IDLE_STEPS.length - 1])
                        + " (relay: live heap; nchan: resident)", String.format(Locale.ROOT, "%,d", bytesEach[0]),
                        String.format(Locale.ROOT, "%,d", bytesEach[1]), "lower"});
            }
        }
        line("");
    }

    /**
     * Opens idle subscribers step by step, a row per step; the bytes per subscriber at the last step (the live
     * heap where there is one: a JVM's resident size follows its heap sizing more than its subscribers).
     */
    private long idleSubscribers(Hub hub, boolean webSocket) throws Exception {
        String transport = webSocket ? "WebSocket" : "SSE";
        Hub.Footprint before = hub.footprint();
        line(String.format(Locale.ROOT, "| %s | %s | 0 | %s | %,d KB | | |", hub.label(), transport,
                kilobytes(before.heapBytes()), before.residentBytes() / 1024));
        int largest = IDLE_STEPS[IDLE_STEPS.length - 1];
        StampReaders idle = new StampReaders(largest);
        int open = 0;
        long bytesEach = 0;
        for (int target : IDLE_STEPS) {
            while (open < target) {
                Hub.Channel channel = hub.open();
                for (int c = 0; c < IDLE_PER_CHANNEL; c++) {
                    if (webSocket) {
                        idle.webSocket(channel.webSocketUrl());
                    } else {
                        idle.sse(channel.sseUrl(), channel.token());
                    }
                }
                open += IDLE_PER_CHANNEL;
            }
            while (idle.connected.getCount() > largest - target) {
                Thread.sleep(100);
            }
            Hub.Footprint now = hub.footprint();
            long heapEach = before.heapBytes() < 0 ? -1 : (now.heapBytes() - before.heapBytes()) / target;
            long residentEach = (now.residentBytes() - before.residentBytes()) / target;
            bytesEach = heapEach < 0 ? residentEach : heapEach;
            line(String.format(Locale.ROOT, "| %s | %s | %,d | %s | %,d KB | %s | %,d B |", hub.label(), transport,
                    target, kilobytes(now.heapBytes()), now.residentBytes() / 1024,
                    heapEach < 0 ? "–" : String.format(Locale.ROOT, "%,d B", heapEach), residentEach));
            if (target == largest && hub == relay && Boolean.getBoolean("bench.histogram")) {
                // A profiling aid: what the relay keeps per idle subscriber (-Dbench.histogram=true).
                Files.writeString(Path.of("results", "histogram-" + serverKey + "-" + transport.toLowerCase(Locale.ROOT)
                        + ".txt"), relay.histogram());
            }
        }
        idle.close();
        hub.awaitNoSubscribers();
        return bytesEach;
    }

    private static String kilobytes(long bytes) {
        return bytes < 0 ? "–" : String.format(Locale.ROOT, "%,d KB", bytes / 1024);
    }

    private void ratioTable() {
        if (ratios.isEmpty()) {
            return;
        }
        line("## The relay against nchan in this run");
        line("");
        line("| figure | relay | nchan | relay ÷ nchan | better when |");
        line("| --- | ---: | ---: | ---: | --- |");
        for (String[] figure : ratios) {
            double relayValue = Double.parseDouble(figure[1].replace(",", ""));
            double nchanValue = Double.parseDouble(figure[2].replace(",", ""));
            double ratio = relayValue / nchanValue;
            line(String.format(Locale.ROOT, "| %s | %s | %s | " + (ratio < 0.1 ? "%.4f" : "%.2f") + " | %s |",
                    figure[0], figure[1], figure[2], ratio, figure[3]));
        }
        line("");
    }

    private static String fixed(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
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

    private static Socket stalledSubscriber(Hub hub, Hub.Channel channel) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(8 * 1024);
        socket.connect(new InetSocketAddress("127.0.0.1", hub.port()));
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + channel.rawSsePath() + " HTTP/1.0\r\n"
                + (channel.token() == null ? "" : "Authorization: Bearer " + channel.token() + "\r\n")
                + "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    /**
     * Waits until every stream has ended, or nothing has arrived for {@value #QUIET_SECONDS} s: a hub that drops
     * messages leaves streams that never end (nchan, when a subscriber falls behind its message buffer), and
     * those are counted, not waited for.
     */
    private static void awaitDone(StampReaders readers, String what) throws InterruptedException {
        long received = -1;
        long quietSince = System.nanoTime();
        while (!readers.done.await(1, TimeUnit.SECONDS)) {
            long now = readers.received.sum();
            if (now != received) {
                received = now;
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince > TimeUnit.SECONDS.toNanos(QUIET_SECONDS)) {
                readers.neverEnded = readers.done.getCount();
                System.out.println("(" + what + ": " + readers.neverEnded + " streams never ended)");
                return;
            }
        }
    }

    private void chart(List<double[]> rows) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(520)
                .title("Latency per event against subscribers (" + LocalDate.now() + ")")
                .xAxisTitle("concurrent subscribers").yAxisTitle("ms from upstream write to client").build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        double[] x = rows.stream().mapToDouble(r -> r[0]).toArray();
        List<String> names = new ArrayList<>(List.of("direct p50", "direct p99"));
        for (Hub hub : hubs) {
            for (String series : new String[] {"WebSocket p50", "WebSocket p99", "SSE p50", "SSE p99"}) {
                names.add(hub.label() + " " + series);
            }
        }
        for (int i = 0; i < names.size(); i++) {
            int column = i + 1;
            chart.addSeries(names.get(i), x, rows.stream().mapToDouble(r -> Math.max(0.01, r[column])).toArray());
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

    void line(String text) {
        System.out.println(text);
        report.append(text).append('\n');
    }
}
