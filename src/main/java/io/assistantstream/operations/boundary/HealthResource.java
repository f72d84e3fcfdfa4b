package io.assistantstream.operations.boundary;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assistantstream.session.control.SessionStore;
import io.assistantstream.chat.control.UpstreamLocator;
import io.assistantstream.platform.AuthSettings;
import io.assistantstream.platform.SchemaMigrations;
import io.assistantstream.platform.Json;
import io.assistantstream.platform.Lifecycle;
import io.assistantstream.stream.control.EventLog;
import io.assistantstream.upstream.control.ApolloClient;
import io.assistantstream.upstream.control.CredentialCheck;
import io.assistantstream.platform.UpstreamSettings;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code GET /api/health}: 200 with the AI service's reachability and the event log's state, 503 when the
 * database does not answer. An unreachable Redis is reported ({@code "status": "degraded"}) but keeps the 200:
 * the server still takes questions and stores answers, and its clients are told to resume when Redis is back.
 *
 * <p>For orchestrators, in MicroProfile Health's shape but the WAR's own (Payara and WildFly each serve their
 * own {@code /health} differently, and neither at the application's path): {@code /api/health/live} answers
 * while the application runs; {@code /api/health/ready} is 503 until the schema is migrated and while the
 * database, or Redis where configured, does not answer. The AI service's reachability is reported there, never
 * a reason for 503: a server that cannot reach it still serves sessions, history and subscriptions.
 */
@Path("health")
@RequestScoped
public class HealthResource {

    private static final Logger LOG = Logger.getLogger(HealthResource.class.getName());
    private static final int DATABASE_ANSWER_SECONDS = 2;

    @Resource
    ManagedExecutorService executor;

    @Inject
    Lifecycle lifecycle;

    @Inject
    SessionStore sessions;

    @Inject
    ApolloClient apollo;

    @Inject
    EventLog eventLog;

    @Inject
    UpstreamLocator upstream;

    @Inject
    UpstreamSettings upstreamSettings;

    @Inject
    AuthSettings auth;

    @Inject
    SchemaMigrations migrations;

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
        CredentialCheck.State credential = apollo.credential().state();
        ObjectNode credentialNode = upstreamNode.putObject("credential")
                .put("configured", upstreamSettings.apolloApiKey().isPresent())
                .put("status", credential.verdict().wireName());
        if (credential.at() != null) {
            credentialNode.put("seen_at", credential.at().toString());
        }
        return Response.status(databaseUp ? 200 : 503).entity(Json.write(body)).build();
    }

    @GET
    @Path("live")
    @Produces(MediaType.APPLICATION_JSON)
    public String live() {
        return Json.write(Json.object().put("status", "UP"));
    }

    @GET
    @Path("ready")
    @Produces(MediaType.APPLICATION_JSON)
    public Response ready() {
        upstream.learnSelf(request.getLocalPort(), request.getContextPath());
        boolean migrated = migrations.isMigrated();
        boolean databaseUp = migrated && databaseAnswers();
        EventLog.Health log = eventLog.health();
        boolean serving = !lifecycle.draining();
        boolean ready = migrated && databaseUp && log.up() && serving;
        ObjectNode body = Json.object().put("status", ready ? "UP" : "DOWN");
        ArrayNode checks = body.putArray("checks");
        check(checks, "schema", migrated, migrated ? "migrated" : "migrations have not run yet");
        check(checks, "database", databaseUp, databaseUp ? "answers" : "does not answer");
        check(checks, "event-log", log.up(), log.kind() + ": " + log.detail());
        check(checks, "server", serving, serving ? "serving" : "stopping: draining its answers, takes nothing new");
        Optional<String> url = upstream.apolloUrl();
        body.putObject("reported").put("upstream", url.map(u -> apollo.isReachable(u) ? "reachable" : "unreachable")
                .orElse("not_configured"));
        return Response.status(ready ? 200 : 503).entity(Json.write(body)).build();
    }

    private static void check(ArrayNode checks, String name, boolean up, String detail) {
        checks.addObject().put("name", name).put("status", up ? "UP" : "DOWN").put("detail", detail);
    }

    /**
     * Within {@value #DATABASE_ANSWER_SECONDS} s: a database that hangs (paused, or behind a dropped network)
     * would otherwise hold the probe until the driver's own timeouts, and an orchestrator's probe would time out
     * instead of reading "down".
     */
    private boolean databaseAnswers() {
        Future<?> ping = executor.submit(() -> sessions.ping());
        try {
            ping.get(DATABASE_ANSWER_SECONDS, TimeUnit.SECONDS);
            return true;
        } catch (TimeoutException e) {
            ping.cancel(true);
            LOG.warning("Health check: the database did not answer within " + DATABASE_ANSWER_SECONDS
                    + " s; check that it runs and that this server reaches it (DB_URL)");
            return false;
        } catch (ExecutionException e) {
            LOG.log(Level.WARNING, "Health check: the database does not answer; check that it runs and DB_URL",
                    e.getCause());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
