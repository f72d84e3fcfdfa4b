package io.assistantstream.chat.boundary;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assistantstream.session.control.SessionStore;
import io.assistantstream.chat.control.UpstreamLocator;
import io.assistantstream.platform.AuthSettings;
import io.assistantstream.platform.Json;
import io.assistantstream.stream.control.EventLog;
import io.assistantstream.upstream.control.ApolloClient;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code GET /api/health}: 200 with the AI service's reachability and the event log's state, 503 when the
 * database does not answer. An unreachable Redis is reported ({@code "status": "degraded"}) but keeps the 200:
 * the server still takes questions and stores answers, and its clients are told to resume when Redis is back.
 */
@Path("health")
@RequestScoped
public class HealthResource {

    private static final Logger LOG = Logger.getLogger(HealthResource.class.getName());

    @Inject
    SessionStore sessions;

    @Inject
    ApolloClient apollo;

    @Inject
    EventLog eventLog;

    @Inject
    UpstreamLocator upstream;

    @Inject
    AuthSettings auth;

    @Context
    HttpServletRequest request;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response health() {
        upstream.learnSelf(request.getLocalPort(), request.getContextPath());
        ObjectNode body = Json.object();
        boolean databaseUp = databaseAnswers();
        EventLog.Health log = eventLog.health();
        body.put("status", !databaseUp ? "down" : log.up() ? "up" : "degraded");
        body.put("database", databaseUp ? "up" : "down");
        body.putObject("event_log").put("kind", log.kind()).put("status", log.up() ? "up" : "down")
                .put("detail", log.detail());
        // "not_configured": jwt mode without an issuer, so every session creation is refused until it is set.
        body.putObject("callers").put("mode", auth.open() ? "open" : "jwt")
                .put("status", auth.open() ? "anyone" : auth.verifiesCallers() ? "verified" : "not_configured");
        ObjectNode upstreamNode = body.putObject("upstream");
        Optional<String> url = upstream.apolloUrl();
        upstreamNode.put("configured", url.isPresent());
        url.ifPresent(u -> upstreamNode.put("url", u).put("reachable", apollo.isReachable(u)));
        return Response.status(databaseUp ? 200 : 503).entity(Json.write(body)).build();
    }

    private boolean databaseAnswers() {
        try {
            sessions.ping();
            return true;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Health check: the database does not answer", e);
            return false;
        }
    }
}
