package io.assistantstream.delivery.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.assistantstream.platform.Settings;
import com.fasterxml.jackson.databind.JsonNode;
import io.assistantstream.delivery.control.Questions;
import io.assistantstream.delivery.control.SocketReading;
import io.assistantstream.delivery.control.WebSocketSubscriber;
import io.assistantstream.platform.Json;
import io.assistantstream.session.entity.SessionRole;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class SessionSocketTest {

    /** A socket that records the text frames sent to it; nothing else of it is used on this path. */
    private static Session recordingSocket(List<String> sent) {
        RemoteEndpoint.Async remote = (RemoteEndpoint.Async) Proxy.newProxyInstance(
                SessionSocketTest.class.getClassLoader(), new Class<?>[] {RemoteEndpoint.Async.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("sendText")) {
                        sent.add((String) args[0]);
                        if (args.length == 2) {
                            ((jakarta.websocket.SendHandler) args[1]).onResult(new jakarta.websocket.SendResult());
                            return null;
                        }
                        return CompletableFuture.completedFuture(null);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        return (Session) Proxy.newProxyInstance(SessionSocketTest.class.getClassLoader(), new Class<?>[] {Session.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getAsyncRemote" -> remote;
                    case "isOpen" -> true;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** An endpoint attached to session-1 on the given socket, as its open handler would leave it. */
    static SessionSocket attached(Session socket, Questions questions, SessionRole role) {
        SessionSocket endpoint = new SessionSocket();
        endpoint.services = new SocketServices();
        endpoint.services.settings = Settings.of().api();
        endpoint.services.questions = questions;
        // No timer: this socket completes every frame at once, so no farewell ever waits for one.
        endpoint.subscriber = new WebSocketSubscriber("session-1", Runnable::run, socket, 65_536, null);
        endpoint.role = role;
        endpoint.reading = new SocketReading(endpoint.subscriber, (subscriber, lastSeen) -> {
        });
        return endpoint;
    }

    @Test
    void aFrameThatFailsInsideTheServerIsLoggedWithItsSessionAndAnswered() throws Exception {
        List<String> sent = new CopyOnWriteArrayList<>();
        Session socket = recordingSocket(sent);
        SessionSocket endpoint = attached(socket, (sessionId, body) -> {
            throw new IllegalStateException("the database went away");
        }, SessionRole.OWNER);
        List<LogRecord> logged = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger log = Logger.getLogger(SessionSocket.class.getName());
        log.addHandler(handler);
        try {
            endpoint.message(socket, "{\"type\":\"message\",\"content\":\"hello\"}");
        } finally {
            log.removeHandler(handler);
        }
        assertEquals(1, sent.size(), "the client is answered: " + sent);
        JsonNode frame = Json.read(sent.get(0));
        assertEquals("error", frame.path("event").asText());
        assertEquals(500, frame.path("data").path("status").asInt());
        assertTrue(logged.stream().anyMatch(record -> record.getLevel() == Level.WARNING
                && record.getMessage().contains("session-1")), "logged at WARNING with the session");
    }

    @Test
    void aWatchOnlySocketCannotAsk() throws Exception {
        List<String> sent = new CopyOnWriteArrayList<>();
        Session socket = recordingSocket(sent);
        List<JsonNode> asked = new CopyOnWriteArrayList<>();
        SessionSocket endpoint = attached(socket, (sessionId, body) -> asked.add(body), SessionRole.VIEWER);
        endpoint.message(socket, "{\"type\":\"message\",\"content\":\"hello\"}");
        assertEquals(List.of(), asked);
        JsonNode frame = Json.read(sent.get(0));
        assertEquals(403, frame.path("data").path("status").asInt(), frame.toString());
        assertTrue(frame.path("data").path("detail").asText().contains("watch-only"), frame.toString());
    }
}
