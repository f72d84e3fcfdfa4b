package io.assistantstream.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fast Apollo on loopback, in the clients' JVM. Every text delta carries {@code @@nanoTime@@}, stamped as it is
 * written, so a client in this JVM knows each event's age. Two ways to read the same stream:
 * <ul>
 *   <li>the relay POSTs {@code /services/...} with content {@code bench:COUNT:PERIOD_MICROS} and gets the stream;
 *   <li>the floor: clients GET {@code /direct/NAME} and {@link #emitDirect} writes the stream to all of them, the
 *       way the relay fans out, with nothing in between.
 * </ul>
 * For each stream written to the relay it records how long the write took: the upstream read rate.
 */
final class FastApollo implements AutoCloseable {

    private static final Pattern CONTENT = Pattern.compile("\"content\"\\s*:\\s*\"bench:(\\d+):(\\d+)\"");
    private static final byte[] COMPLETE = "event: complete\ndata: {\"response\":\"done\"}\n\n"
            .getBytes(StandardCharsets.US_ASCII);

    private final HttpServer server;
    private final Map<String, List<HttpExchange>> direct = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> directReady = new ConcurrentHashMap<>();
    final List<long[]> relayStreams = new CopyOnWriteArrayList<>();

    FastApollo() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 2000);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/services/", this::answerRelay);
        server.createContext("/direct/", this::registerDirect);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Expect {@code clients} direct readers of stream {@code name}. */
    void expectDirect(String name, int clients) {
        directReady.put(name, new CountDownLatch(clients));
        direct.put(name, new CopyOnWriteArrayList<>());
    }

    void awaitDirect(String name) throws InterruptedException {
        directReady.get(name).await();
    }

    /** Writes the stream to every direct reader of {@code name}, then ends their responses. */
    void emitDirect(String name, int count, long periodMicros) throws IOException {
        List<HttpExchange> readers = direct.remove(name);
        List<OutputStream> outputs = readers.stream().map(HttpExchange::getResponseBody).toList();
        emit(outputs, count, periodMicros);
        for (HttpExchange reader : readers) {
            reader.close();
        }
    }

    private void registerDirect(HttpExchange exchange) throws IOException {
        String name = exchange.getRequestURI().getPath().substring("/direct/".length());
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        exchange.getResponseBody().write(": ready\n\n".getBytes(StandardCharsets.US_ASCII));
        exchange.getResponseBody().flush();
        direct.get(name).add(exchange);
        directReady.get(name).countDown();
    }

    private void answerRelay(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Matcher question = CONTENT.matcher(body);
        if (!question.find()) {
            exchange.sendResponseHeaders(400, -1);
            return;
        }
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        int count = Integer.parseInt(question.group(1));
        long start = System.nanoTime();
        try (OutputStream out = exchange.getResponseBody()) {
            emit(List.of(out), count, Long.parseLong(question.group(2)));
        }
        relayStreams.add(new long[] {start, System.nanoTime(), count});
    }

    private static void emit(List<OutputStream> outputs, int count, long periodMicros) throws IOException {
        long next = System.nanoTime();
        for (int i = 0; i < count; i++) {
            if (periodMicros > 0) {
                next += periodMicros * 1000;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
            byte[] event = ("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                    + "\"delta\":{\"type\":\"text_delta\",\"text\":\"word @@" + System.nanoTime() + "@@ \"}}\n\n")
                    .getBytes(StandardCharsets.US_ASCII);
            for (OutputStream out : outputs) {
                out.write(event);
                out.flush();
            }
        }
        for (OutputStream out : outputs) {
            out.write(COMPLETE);
            out.flush();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
