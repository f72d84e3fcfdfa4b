package io.assistantstream.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.sse.SseEventSource;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assertions;
import org.glassfish.tyrus.client.ClientManager;

/** Real clients on real sockets: the JDK's HTTP client for REST, Jersey for SSE, Tyrus for WebSocket. */
final class Clients {

    static final ObjectMapper JSON = new ObjectMapper();
    /**
     * HTTP/1.1, as browsers and curl speak to an http:// address: the JDK's default offers an h2c upgrade, and
     * after Payara resets an HTTP/2 stream over a large header, the connection answers the next requests 431.
     */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final Client JAXRS = ClientBuilder.newClient();
    private static final ClientManager TYRUS = ClientManager.createClient();

    private Clients() {
    }

    record Answer(int status, String contentType, JsonNode body, String location, String retryAfter) {
    }

    /**
     * The tokens of the sessions the tests created, by session id: like a browser that keeps its sessions'
     * tokens, the helpers below present the right one for any URL of a known session.
     */
    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();
    private static final Pattern SESSION_ID = Pattern.compile("/sessions/([^/?]+)");

    static void rememberToken(String sessionId, String token) {
        TOKENS.put(sessionId, token);
    }

    static String tokenFor(String url) {
        Matcher session = SESSION_ID.matcher(url);
        return session.find() ? TOKENS.get(session.group(1)) : null;
    }

    /**
     * The URL with the session's owner token as the access_token parameter (for SSE and WebSocket clients),
     * unless it carries a token of its own.
     */
    static String withToken(String url) {
        String token = tokenFor(url);
        return token == null || url.contains("access_token=") ? url
                : url + (url.contains("?") ? "&" : "?") + "access_token=" + token;
    }

    static Answer send(String method, String url, String contentType, String body) throws Exception {
        return send(method, url, contentType, body, tokenFor(url));
    }

    /** A request that presents exactly the given session token (none when null). */
    static Answer send(String method, String url, String contentType, String body, String token) throws Exception {
        return send(method, url, contentType, body, token == null ? Map.of() : Map.of("X-Session-Token", token));
    }

    /** A request with exactly the given headers (besides the content type). */
    static Answer send(String method, String url, String contentType, String body, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        headers.forEach(request::header);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        String text = response.body();
        boolean isJson = response.headers().firstValue("Content-Type").orElse("").contains("json");
        JsonNode json = text == null || text.isBlank() ? null
                : isJson ? JSON.readTree(text) : JSON.getNodeFactory().textNode(text);
        if (json != null && json.has("token") && json.has("id")) {
            rememberToken(json.get("id").asText(), json.get("token").asText());
        }
        return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), json,
                response.headers().firstValue("Location").orElse(null),
                response.headers().firstValue("Retry-After").orElse(null));
    }

    static Answer post(String url, String json) throws Exception {
        return send("POST", url, "application/json", json);
    }

    static Answer get(String url) throws Exception {
        return send("GET", url, null, null);
    }

    /** An SSE subscription through Jersey's SseEventSource; comments and heartbeats are not recorded. */
    /**
     * Creates a workflow session as another caller would, with curl from a loopback address of its own (in open mode
     * a caller is its address); the HTTP status it got.
     */
    static String createSessionFrom(String sourceAddress, String root) throws Exception {
        Process curl = new ProcessBuilder("curl", "-s", "--interface", sourceAddress, "-o", "/dev/null",
                "-w", "%{http_code}", "-H", "Content-Type: application/json", "-d", "{\"kind\":\"workflow\"}",
                root + "/api/sessions").redirectErrorStream(true).start();
        String status = new String(curl.getInputStream().readAllBytes()).strip();
        if (!curl.waitFor(30, TimeUnit.SECONDS)) {
            curl.destroyForcibly();
            throw new AssertionError("curl did not end within 30 s");
        }
        return status;
    }

    /** How many sessions a caller created before its quota refused it, and on which servers it was refused. */
    record QuotaSpent(int created, List<String> refusedBy) {
    }

    /**
     * Creates sessions as the caller at {@code sourceAddress}, on the two servers in turn, until both refused (at
     * most {@code attempts}); every answer must be 201 or, once the quota is spent, 429 and nothing created after.
     */
    static QuotaSpent spendSessionQuota(String sourceAddress, String firstRoot, String secondRoot, int attempts)
            throws Exception {
        int created = 0;
        List<String> refusedBy = new ArrayList<>();
        for (int i = 0; i < attempts && refusedBy.size() < 2; i++) {
            String root = i % 2 == 0 ? firstRoot : secondRoot;
            String status = createSessionFrom(sourceAddress, root);
            if (status.equals("201")) {
                Assertions.assertTrue(refusedBy.isEmpty(),
                        "no session is created once the quota is spent");
                created++;
            } else {
                Assertions.assertEquals("429", status, "created or refused for the quota");
                refusedBy.add(root);
            }
        }
        return new QuotaSpent(created, refusedBy);
    }

    static SseEventSource sse(String eventsUrl, Recorder recorder) {
        WebTarget target = JAXRS.target(withToken(eventsUrl));
        SseEventSource source = SseEventSource.target(target).reconnectingEvery(1, TimeUnit.HOURS).build();
        source.register(event -> {
            if (event.getName() != null) {
                try {
                    recorder.add(new Received(event.getName(), event.getId() == null ? -1 : Long.parseLong(event.getId()),
                            JSON.readTree(event.readData())));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        source.open();
        return source;
    }

    /** A WebSocket opened with exactly the URL given (no token added), for access tests. */
    static final ThrowingConnector TYRUS_RAW = (url, recorder) -> connect(url, recorder, null);

    interface ThrowingConnector {
        Session apply(String url, Recorder recorder) throws Exception;
    }

    /** A WebSocket subscription through Tyrus; {@code firstFrame} (if any) is sent as soon as it opens. */
    static Session webSocket(String wsUrl, Recorder recorder, String firstFrame) throws Exception {
        return connect(TYRUS, withToken(wsUrl), recorder, firstFrame);
    }

    /** A WebSocket on a client of its own, whose reading threads no other test connection shares. */
    static Session isolatedWebSocket(String wsUrl, Recorder recorder) throws Exception {
        return connect(ClientManager.createClient(), withToken(wsUrl), recorder, null);
    }

    private static Session connect(String wsUrl, Recorder recorder, String firstFrame) throws Exception {
        return connect(TYRUS, wsUrl, recorder, firstFrame);
    }

    private static Session connect(ClientManager client, String wsUrl, Recorder recorder, String firstFrame)
            throws Exception {
        Endpoint endpoint = new Endpoint() {
            @Override
            public void onOpen(Session session, EndpointConfig config) {
                session.addMessageHandler(new MessageHandler.Whole<String>() {
                    @Override
                    public void onMessage(String text) {
                        try {
                            JsonNode frame = JSON.readTree(text);
                            recorder.add(new Received(frame.path("event").asText(),
                                    frame.has("id") ? frame.get("id").asLong() : -1, frame.path("data")));
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                });
                if (firstFrame != null) {
                    try {
                        session.getBasicRemote().sendText(firstFrame);
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }

            @Override
            public void onClose(Session session, CloseReason closeReason) {
                recorder.add(new Received("ws_closed", -1,
                        JSON.createObjectNode().put("code", closeReason.getCloseCode().getCode())
                                .put("reason", closeReason.getReasonPhrase())));
            }
        };
        return client.connectToServer(endpoint, ClientEndpointConfig.Builder.create().build(), URI.create(wsUrl));
    }

    /** A 4xx or 5xx as the relay must give it: the status, a problem+json body with words, no stack trace. */
    static void assertProblem(Clients.Answer answer, int status) {
        Assertions.assertEquals(status, answer.status(), String.valueOf(answer.body()));
        Assertions.assertEquals("application/problem+json", answer.contentType());
        Assertions.assertEquals(status, answer.body().path("status").asInt());
        Assertions.assertNotNull(answer.body().get("title"));
        Assertions.assertTrue(answer.body().path("detail").isTextual(), answer.body().toString());
        Assertions.assertTrue(!answer.body().toString().contains("Exception"), "no stack trace: " + answer.body());
    }
}
