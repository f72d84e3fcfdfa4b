package io.assistantstream.testing;

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
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A model provider on a real loopback socket that speaks OpenAI's Chat Completions ({@code POST
 * /v1/chat/completions}) or Anthropic's Messages ({@code POST /v1/messages}) streaming wire, replaying recorded-style
 * streams from {@code src/test/resources/providers/PROVIDER/NAME-STEP.sse} split at random byte boundaries (a step
 * past the last file replays the last). The question picks the behaviour: {@code fixture:NAME} replays that
 * conversation (the step is one more than the assistant turns after the question), {@code http:STATUS} refuses
 * with the provider's error body (an optional {@code :retry=N} sends Retry-After, {@code :context} says the prompt
 * is too long), {@code hang:NAME} sends the first three fifths of NAME's first step and then only comments until the
 * client closes. Every request is kept, its body parsed.
 */
public final class FakeModelServer implements AutoCloseable {

    public static final Path STREAMS = Path.of("src/test/resources/providers");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern HTTP = Pattern.compile("http:(\\d{3})(:retry=(\\d+))?(:context)?");

    public record Request(String path, String authorization, String apiKey, JsonNode body) {
    }

    private final String provider;
    private final HttpServer server;
    private final Random random = new Random(42);
    public final List<Request> requests = new CopyOnWriteArrayList<>();
    /** Counted down when a hanging stream's client hung up. */
    public final CountDownLatch hungUp = new CountDownLatch(1);

    /** {@code provider}: openai or anthropic. */
    public FakeModelServer(String provider) throws IOException {
        this.provider = provider;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.createContext("/v1/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
            requests.add(new Request(exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("x-api-key"), body));
            String expected = "openai".equals(provider) ? "/v1/chat/completions" : "/v1/messages";
            if (!expected.equals(exchange.getRequestURI().getPath())) {
                refuse(exchange, 404, "not_found_error", "No route " + exchange.getRequestURI().getPath());
                return;
            }
            Conversation asked = Conversation.of(provider, body);
            Matcher http = HTTP.matcher(asked.question());
            if (http.matches()) {
                if (http.group(3) != null) {
                    exchange.getResponseHeaders().add("retry-after", http.group(3));
                }
                int status = Integer.parseInt(http.group(1));
                refuse(exchange, status, errorType(status, http.group(4) != null), http.group(4) != null
                        ? "This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens."
                        : "Refused with " + status);
                return;
            }
            if (asked.question().startsWith("hang:")) {
                hang(exchange, stream(asked.question().substring(5), 1));
                return;
            }
            replay(exchange, stream(asked.question().substring("fixture:".length()), asked.step()));
        }
    }

    private byte[] stream(String name, int step) throws IOException {
        Path file = STREAMS.resolve(provider).resolve(name + "-" + step + ".sse");
        while (!Files.exists(file) && step > 1) {
            file = STREAMS.resolve(provider).resolve(name + "-" + --step + ".sse");
        }
        return Files.readAllBytes(file);
    }

    private void replay(HttpExchange exchange, byte[] stream) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream; charset=utf-8");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        for (int at = 0; at < stream.length; ) {
            int piece = Math.min(stream.length - at, 1 + random.nextInt(97));
            out.write(stream, at, piece);
            out.flush();
            at += piece;
        }
    }

    private void hang(HttpExchange exchange, byte[] stream) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        out.write(stream, 0, stream.length * 3 / 5);
        out.flush();
        try {
            while (true) {
                Thread.sleep(50);
                out.write(':');
                out.flush();
            }
        } catch (IOException closed) {
            hungUp.countDown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String errorType(int status, boolean context) {
        if (context) {
            return "openai".equals(provider) ? "context_length_exceeded" : "invalid_request_error";
        }
        return switch (status) {
            case 401 -> "openai".equals(provider) ? "invalid_api_key" : "authentication_error";
            case 404 -> "openai".equals(provider) ? "model_not_found" : "not_found_error";
            case 429 -> "openai".equals(provider) ? "rate_limit_exceeded" : "rate_limit_error";
            case 529 -> "overloaded_error";
            default -> "api_error";
        };
    }

    /** The provider's own error body: OpenAI's {@code error} object with a code, Anthropic's typed error. */
    private void refuse(HttpExchange exchange, int status, String type, String message) throws IOException {
        String body = "openai".equals(provider)
                ? JSON.writeValueAsString(JSON.createObjectNode().set("error", JSON.createObjectNode()
                        .put("message", message).put("type", "invalid_request_error").put("code", type)))
                : JSON.writeValueAsString(JSON.createObjectNode().put("type", "error").set("error",
                        JSON.createObjectNode().put("type", type).put("message", message)));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    /** What a request asks: the user's question and which step of its answer this is. */
    record Conversation(String question, int step) {
        static Conversation of(String provider, JsonNode body) {
            String question = "";
            int assistantTurns = 0;
            for (JsonNode message : body.path("messages")) {
                String role = message.path("role").asText();
                String text = plainText(message.path("content"));
                if ("user".equals(role) && text != null) {
                    question = text;
                    assistantTurns = 0;
                } else if ("assistant".equals(role)) {
                    assistantTurns++;
                }
            }
            return new Conversation(question, assistantTurns + 1);
        }

        /** A message's text when it is the user's own words (not a tool's result). */
        private static String plainText(JsonNode content) {
            if (content.isTextual()) {
                return content.asText();
            }
            for (JsonNode block : content) {
                if ("text".equals(block.path("type").asText())) {
                    return block.path("text").asText();
                }
            }
            return null;
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
