package io.assistantstream.delivery.boundary;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assistantstream.session.control.SessionAccess;
import io.assistantstream.delivery.control.HandshakePositions;
import io.assistantstream.delivery.control.SocketReading;
import io.assistantstream.delivery.control.WebSocketSubscriber;
import io.assistantstream.platform.Json;
import io.assistantstream.caller.entity.Caller;
import io.assistantstream.platform.ProblemException;
import io.assistantstream.session.entity.SessionGrant;
import io.assistantstream.session.entity.SessionRole;
import io.assistantstream.stream.entity.SequencedEvent;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.util.List;
import java.util.OptionalLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code ws://HOST/CONTEXT/ws/sessions/{id}?access_token=TOKEN}: the session's event stream as text frames, plus
 * two client frames, {@code resume} and {@code message}. A missing or wrong token or an unknown session closes the
 * socket with 1008. A watch-only token follows the session; its {@code message} frames get a 403 error frame.
 *
 * <p>A socket opened with {@code ?last_event_id=N} reads from after N at once; one opened without starts from
 * where the session stood at its handshake, held until its first frame ({@link SocketReading}).
 */
@ServerEndpoint(value = "/ws/sessions/{id}", configurator = SessionSocket.Handshake.class)
public class SessionSocket {

    /** Records where the session stands while the handshake is answered, before the client sees the socket open. */
    public static final class Handshake extends ServerEndpointConfig.Configurator {
        @Override
        public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
            String path = request.getRequestURI().getPath();
            String sessionId = path.substring(path.lastIndexOf('/') + 1);
            CDI.current().select(HandshakePositions.class).get().record(sessionId);
        }
    }

    private static final Logger LOG = Logger.getLogger(SessionSocket.class.getName());
    private static final long FRAME_CEILING_BYTES = 1 << 20;

    @Inject
    SocketServices services;

    WebSocketSubscriber subscriber;
    SessionRole role;
    SocketReading reading;

    @OnOpen
    public void open(Session socket, @PathParam("id") String sessionId) throws IOException {
        OptionalLong handshakePosition = services.handshakePositions().take(sessionId);
        socket.setMaxTextMessageBufferSize(services.settings().maxBodyBytes());
        // Tyrus (Payara) re-arms the idle timer on every frame sent: it cancels the last timer task and schedules
        // a new one on the container's scheduler, which keeps a cancelled task queued until it would have run, so
        // with an idle timeout every frame leaves a task behind for that long. With none, each runs and is gone
        // at once (server-config/payara gives that scheduler the threads to keep up); heartbeats keep the
        // connection alive, and a dead peer shows up as a failed write.
        socket.setMaxIdleTimeout(0);
        SessionGrant grant;
        try {
            // The token comes as access_token: a browser's WebSocket cannot send headers, and the handshake's
            // headers reach an endpoint only through its shared configurator, which is no place for a secret.
            grant = services.access().check(sessionId, first(socket, "access_token"),
                    caller(first(socket, "authorization")));
        } catch (ProblemException e) {
            String orCaller = services.auth().open() ? "" : " or caller";
            String reason = switch (e.status()) {
                case 401 -> "missing token" + orCaller;
                case 403 -> "wrong token" + orCaller;
                case 503 -> "callers cannot be verified";
                default -> "unknown session";
            };
            socket.close(new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, reason));
            return;
        }
        WebSocketSubscriber candidate = services.subscriptions().webSocketSubscriber(sessionId, socket);
        try {
            services.subscriptions().register(candidate, grant.session().quotaHolder());
        } catch (ProblemException e) {
            socket.close(services.lifecycle().draining()
                    ? new CloseReason(CloseReason.CloseCodes.SERVICE_RESTART, "server restarting")
                    : new CloseReason(CloseReason.CloseCodes.TRY_AGAIN_LATER,
                    e.quota() != null ? "quota " + e.quota() + " spent" : "too many subscribers"));
            return;
        }
        subscriber = candidate;
        role = grant.role();
        List<String> lastEventId = socket.getRequestParameterMap().get("last_event_id");
        OptionalLong lastSeen;
        try {
            lastSeen = LastEventIds.parse(lastEventId == null || lastEventId.isEmpty() ? null : lastEventId.get(0));
        } catch (ProblemException e) {
            socket.close(new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, "bad last_event_id"));
            return;
        }
        reading = new SocketReading(subscriber, services.subscriptions()::attach);
        if (lastSeen.isPresent()) {
            reading.startAfter(lastSeen);
            return;
        }
        try {
            reading.hold(handshakePosition.isPresent() ? handshakePosition
                    : OptionalLong.of(services.subscriptions().position(sessionId)), services.scheduler(),
                    services.stream().websocketAttachGrace());
        } catch (ProblemException e) {
            subscriber.interrupted();
        }
    }

    private static String first(Session socket, String parameter) {
        List<String> values = socket.getRequestParameterMap().get(parameter);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /**
     * The caller a handshake's authorization parameter names, verified here: the HTTP filter may not see a
     * WebSocket upgrade on every server. A token that does not verify is refused like no caller.
     */
    private Caller caller(String jwt) {
        if (jwt == null || !services.auth().verifiesCallers()) {
            return null;
        }
        try {
            return services.callerTokens().verify(jwt);
        } catch (ProblemException refused) {
            LOG.warning(() -> "Refused a caller's token on a WebSocket: " + refused.getMessage());
            return null;
        }
    }

    /** Frames above the hard ceiling are refused by the container (1009) before they are read into memory. */
    @OnMessage(maxMessageSize = FRAME_CEILING_BYTES)
    public void message(Session socket, String text) throws IOException {
        if (reading == null) {
            return;
        }
        if (text.length() > services.settings().maxBodyBytes()) {
            socket.close(new CloseReason(CloseReason.CloseCodes.TOO_BIG,
                    "frame larger than " + services.settings().maxBodyBytes() + " bytes"));
            return;
        }
        ClientFrame frame = ClientFrame.parse(text);
        if (frame instanceof ClientFrame.Resume resume) {
            reading.resume(resume.lastSeenId());
            return;
        }
        reading.resume(OptionalLong.empty());
        if (frame instanceof ClientFrame.Refused refused) {
            reply(refused.status(), refused.detail());
        } else if (frame instanceof ClientFrame.Message message) {
            ask(message.body());
        }
    }

    private void ask(ObjectNode question) {
        try {
            SessionAccess.requireOwnerRole(role);
            services.questions().post(subscriber.sessionId(), question);
        } catch (ProblemException e) {
            reply(e);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "A message frame in session " + subscriber.sessionId()
                    + " failed; the client was told so. Check the server log for its cause", e);
            reply(500, "The server could not handle this frame; try again, and report it if it keeps failing");
        }
    }

    @OnClose
    public void close() {
        if (reading != null) {
            reading.stop();
        }
        if (subscriber != null) {
            subscriber.close(null, null);
        }
    }

    @OnError
    public void error(Throwable failure) {
        LOG.log(Level.FINE, "WebSocket error" + (subscriber == null ? "" : " in session " + subscriber.sessionId()),
                failure);
    }

    /** An answer to this client only, through its own sender (a socket must never have two writers). */
    private void reply(int status, String detail) {
        send(Json.object().put("status", status).put("detail", detail));
    }

    /** A refusal as the HTTP API gives it: status, detail, and for a quota its name and when to try again. */
    private void reply(ProblemException refused) {
        var data = Json.object().put("status", refused.status()).put("detail", refused.getMessage());
        if (refused.quota() != null) {
            data.put("quota", refused.quota());
        }
        if (refused.retryAfterSeconds() > 0) {
            data.put("retry_after", refused.retryAfterSeconds());
        }
        send(data);
    }

    private void send(ObjectNode data) {
        subscriber.tell(new SequencedEvent(0, "error", Json.write(data)));
    }
}
