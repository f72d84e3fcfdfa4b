package io.assistantstream.operations.boundary;

import io.assistantstream.platform.Metrics;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;

/**
 * {@code GET /api/metrics}: this server's meters in Prometheus's text format (README, "Operations"). It needs no
 * token and shows no session data: no label holds a session, message or caller.
 */
@Path("metrics")
@RequestScoped
public class MetricsResource {

    @Inject
    Metrics metrics;

    @GET
    @Produces("text/plain; version=0.0.4; charset=utf-8")
    public String scrape() {
        return metrics.scrape();
    }
}
