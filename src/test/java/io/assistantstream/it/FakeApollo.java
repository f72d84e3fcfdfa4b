package io.assistantstream.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An Apollo 3 stand-in on a real loopback socket. As Apollo 3 does, it reads the credential from the body only
 * (with a key configured, a request without it gets {@code 401} JSON), answers {@code GET /livez} always and a
 * {@code HEAD /services/…} never without the credential (a HEAD has no body to carry it), and streams
 * global_chat only when asked with {@code options.stream} (otherwise a {@code log} and {@code complete}).
 * The question's {@code content} picks the behaviour:
 * a fixture's own question (its {@code question.content}) replays that fixture at a readable pace,
 * {@code fixture:NAME} replays a contract fixture (or one of {@link #ORDERINGS}) byte for byte (in pieces of {@code ;piece=N} bytes with
 * {@code ;pause=MS} between them when given; {@code ;name=X} renames its workflow, making it another change), {@code http:STATUS:json|text} fails with that status,
 * {@code html} answers 200 with the wrong content type, {@code silent} sends one status and then nothing, {@code quiet-close} one status, then closes cleanly after
 * 1.5 s of quiet,
 * {@code hostile} streams markdown carrying HTML that must render inert, and {@code demo:QUESTION} relays the
 * answer of the WAR's own demo service (at {@link #demoUrl}) to that question.
 */
final class FakeApollo {

    static final Path FIXTURES = Path.of(System.getProperty("assistantstream.fixtures", "src/test/resources/fixtures"));
    /** Apollo 3's orderings beyond the contract's fixtures, in the same format. */
    static final Path ORDERINGS = Path.of("src/test/resources/apollo3-orderings");
    /** The key a test configures as apollo.api-key when it runs the fake with a credential. */
    static final String KEY = "lightning-client-key-0f3c";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The demo service inside the deployed WAR, for {@code demo:} questions. */
    static volatile String demoUrl;

    private final int port;
    private HttpServer server;
    final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    /** Each request's service: {@code job_chat}, {@code workflow_chat} or {@code global_chat}, in step with requests. */
    final List<String> services = new CopyOnWriteArrayList<>();
    private volatile String requiredKey;
    final java.util.concurrent.atomic.AtomicInteger livenessChecks = new java.util.concurrent.atomic.AtomicInteger();

    FakeApollo() throws IOException {
        this(null);
    }

    /** With {@code requiredKey}, every service call must carry it as the body's {@code api_key}. */
    FakeApollo(String requiredKey) throws IOException {
        this.requiredKey = requiredKey;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        port = server.getAddress().getPort();
        listen();
    }

    /** From now on the fake takes only {@code key}, as after the key was rotated at Apollo. */
    void requireKey(String key) {
        requiredKey = key;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Stops accepting connections, so the relay meets a refused connection. */
    void stopListening() {
        server.stop(0);
    }

    void resumeListening() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
        listen();
    }

    private void listen() {
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/services/", this::handle);
        server.createContext("/livez", exchange -> {
            livenessChecks.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }

    private void handle(HttpExchange exchange) throws IOException {
        if ("HEAD".equals(exchange.getRequestMethod())) {
            exchange.sendResponseHeaders(requiredKey == null ? 200 : 401, -1);
            exchange.close();
            return;
        }
        JsonNode body = JSON.readTree(exchange.getRequestBody());
        requests.add(body);
        String path = exchange.getRequestURI().getPath();
        services.add(path.replaceAll("^/services/([^/]+).*$", "$1"));
        if (requiredKey != null && !requiredKey.equals(body.path("api_key").asText(null))) {
            refuse(exchange, 401, "UNAUTHORIZED", "Missing or invalid API token");
            return;
        }
        if (path.startsWith("/services/global_chat") && !body.path("options").path("stream").asBoolean()) {
            notStreamed(exchange);
            return;
        }
        String content = FixtureQuestions.scenarioFor(body.path("content").asText());
        String[] parts = content.split(";");
        String scenario = parts[0];
        int piece = Integer.MAX_VALUE;
        long pause = 0;
        String workflowName = null;
        for (int i = 1; i < parts.length; i++) {
            String[] option = parts[i].split("=");
            if (option[0].equals("piece")) {
                piece = Integer.parseInt(option[1]);
            } else if (option[0].equals("pause")) {
                pause = Long.parseLong(option[1]);
            } else if (option[0].equals("name")) {
                workflowName = option[1];
            }
        }
        boolean cut = false;
        try {
            if (scenario.startsWith("fixture:")) {
                cut = replay(exchange, scenario.substring("fixture:".length()), piece, pause, workflowName);
            } else if (scenario.startsWith("http:")) {
                String[] http = scenario.split(":");
                boolean json = http[2].equals("json");
                byte[] answer = (json ? "{\"code\":" + http[1] + ",\"type\":\"PROVIDER_ERROR\",\"message\":\"Model overloaded\"}"
                        : "<html>Bad gateway</html>").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", json ? "application/json" : "text/html");
                exchange.sendResponseHeaders(Integer.parseInt(http[1]), answer.length);
                exchange.getResponseBody().write(answer);
            } else if (scenario.equals("html")) {
                byte[] answer = "<html>hello</html>".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "text/html");
                exchange.sendResponseHeaders(200, answer.length);
                exchange.getResponseBody().write(answer);
            } else if (scenario.startsWith("demo:")) {
                relayDemo(exchange, body, content.substring("demo:".length()));
            } else if (scenario.startsWith("burst:")) {
                burst(exchange, Integer.parseInt(scenario.substring("burst:".length())));
            } else if (scenario.equals("hostile")) {
                hostile(exchange);
            } else if (scenario.equals("quiet-close")) {
                exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
                exchange.sendResponseHeaders(200, 0);
                exchange.getResponseBody().write(STATUS_EVENT);
                exchange.getResponseBody().flush();
                Thread.sleep(1_500);
            } else if (scenario.equals("silent")) {
                exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
                exchange.sendResponseHeaders(200, 0);
                OutputStream out = exchange.getResponseBody();
                out.write(STATUS_EVENT);
                out.flush();
                Thread.sleep(30_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // The relay hung up (cancel, timeout): nothing left to do.
        } finally {
            if (!cut) {
                exchange.close();
            }
        }
        if (cut) {
            // Throwing makes the JDK server drop the connection without the last chunk: a cut stream.
            throw new IllegalStateException("dropping the connection mid-event, as the fixture asks");
        }
    }

    private static final byte[] STATUS_EVENT = ("event: content_block_delta\ndata: {\"type\":\"content_block_delta\","
            + "\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"Thinking hard...\"}}\n\n")
            .getBytes(StandardCharsets.UTF_8);

    /** The words of a burst: what the page must show once it has them all. */
    static String burstText(int deltas) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < deltas; i++) {
            text.append("w").append(i).append(' ');
        }
        return text.toString();
    }

    /** A whole answer of that many text deltas written at once, as Apollo 3's planner sends its text, then complete. */
    private static void burst(HttpExchange exchange, int deltas) throws IOException {
        StringBuilder events = new StringBuilder();
        for (int i = 0; i < deltas; i++) {
            events.append("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                    + "\"delta\":{\"type\":\"text_delta\",\"text\":\"w").append(i).append(" \"}}\n\n");
        }
        events.append("event: complete\ndata: {\"response\":\"").append(burstText(deltas)).append("\"}\n\n");
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        exchange.getResponseBody().write(events.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void refuse(HttpExchange exchange, int status, String type, String message) throws IOException {
        byte[] answer = JSON.createObjectNode().put("code", status).put("type", type).put("message", message)
                .toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, answer.length);
        exchange.getResponseBody().write(answer);
        exchange.close();
    }

    /** global_chat asked without {@code options.stream}: its log lines and the result, nothing streamed. */
    private static void notStreamed(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        exchange.getResponseBody().write(("event: log\ndata: \"INFO:global_chat:not streaming\"\n\n"
                + "event: complete\ndata: {\"response\":\"Answered without streaming.\",\"attachments\":[]}\n\n")
                .getBytes(StandardCharsets.UTF_8));
        exchange.close();
    }

    private void relayDemo(HttpExchange exchange, JsonNode body, String question) throws IOException {
        String path = exchange.getRequestURI().getPath();
        java.net.HttpURLConnection demo = (java.net.HttpURLConnection) java.net.URI.create(demoUrl + path.substring(
                path.indexOf("/services/"))).toURL().openConnection();
        demo.setRequestMethod("POST");
        demo.setDoOutput(true);
        demo.setRequestProperty("Content-Type", "application/json");
        demo.getOutputStream().write(((com.fasterxml.jackson.databind.node.ObjectNode) body.deepCopy())
                .put("content", question).toString().getBytes(StandardCharsets.UTF_8));
        exchange.getResponseHeaders().add("Content-Type", demo.getContentType());
        exchange.sendResponseHeaders(demo.getResponseCode(), 0);
        OutputStream out = exchange.getResponseBody();
        byte[] buffer = new byte[1024];
        try (var in = demo.getInputStream()) {
            for (int read; (read = in.read(buffer)) != -1; ) {
                out.write(buffer, 0, read);
                out.flush();
            }
        }
    }

    static final String HOSTILE_TEXT = "Here is an image <img src=x onerror=alert(1)> and a script "
            + "<script>alert(2)</script> and a [link](javascript:alert(3)). **Done.**";

    private void hostile(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        StringBuilder stream = new StringBuilder();
        for (String piece : HOSTILE_TEXT.split("(?<=\\G.{9})")) {
            JsonNode delta = JSON.createObjectNode().put("type", "content_block_delta").put("index", 0)
                    .set("delta", JSON.createObjectNode().put("type", "text_delta").put("text", piece));
            stream.append("event: content_block_delta\ndata: ").append(delta.toString()).append("\n\n");
        }
        stream.append("event: complete\ndata: ")
                .append(JSON.createObjectNode().put("response", HOSTILE_TEXT)).append("\n\n");
        out.write(stream.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Replays a fixture; true when the connection must then be cut rather than ended. */
    private boolean replay(HttpExchange exchange, String fixture, int piece, long pause, String workflowName)
            throws IOException, InterruptedException {
        Path file = Files.exists(FIXTURES.resolve(fixture + ".sse")) ? FIXTURES.resolve(fixture + ".sse")
                : ORDERINGS.resolve(fixture + ".sse");
        byte[] bytes = Files.readAllBytes(file);
        if (workflowName != null) {
            bytes = new String(bytes, StandardCharsets.UTF_8).replace("name: Patient-Sync", "name: " + workflowName)
                    .getBytes(StandardCharsets.UTF_8);
        }
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        for (int from = 0; from < bytes.length; from += piece) {
            out.write(bytes, from, Math.min(piece, bytes.length - from));
            out.flush();
            if (pause > 0) {
                Thread.sleep(pause);
            }
        }
        return fixture.startsWith("dropped");
    }
}
