package io.assistantstream.platform;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/**
 * The one meter registry of this server (Micrometer, scraped in Prometheus's text format at
 * {@code /api/metrics}). Each capability registers its own meters where it measures them; every name starts
 * with {@code assistant_stream_} and no label ever holds a session or message id.
 */
@ApplicationScoped
public class Metrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    /** Dependent-scoped: Micrometer's registries have final methods, which a CDI client proxy cannot wrap. */
    @Produces
    MeterRegistry registry() {
        return registry;
    }

    public String scrape() {
        return registry.scrape();
    }
}
