package io.assistantstream.delivery.boundary;

import io.assistantstream.delivery.control.Subscriptions;
import io.assistantstream.platform.Json;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /api/health/subscribers}: how many clients this server delivers to, by transport
 * ({@code {"sse":N,"websocket":N}}). A client that closed its connection stops counting once the server noticed.
 */
@Path("health/subscribers")
@RequestScoped
public class SubscribersResource {

    @Inject
    Subscriptions subscriptions;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public String counts() {
        var body = Json.object();
        subscriptions.countsByTransport().forEach((transport, count) -> body.put(transport.wireName(), count));
        return Json.write(body);
    }
}
