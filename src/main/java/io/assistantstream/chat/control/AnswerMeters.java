package io.assistantstream.chat.control;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * How answers end, for operators: a counter by outcome ({@code complete}, {@code cancelled} or the error code),
 * the upstream's time to its first event and each answer's duration (histograms), and one log line per answer.
 */
@ApplicationScoped
public class AnswerMeters {

    private static final Logger LOG = Logger.getLogger(AnswerMeters.class.getName());

    private MeterRegistry registry;
    private Timer firstEvent;
    private Timer duration;

    /** For the container's client proxy only. */
    protected AnswerMeters() {
    }

    @Inject
    AnswerMeters(MeterRegistry registry) {
        this.registry = registry;
        firstEvent = Timer.builder("assistant_stream_upstream_first_event")
                .description("From a question to the AI service's first event").publishPercentileHistogram()
                .register(registry);
        duration = Timer.builder("assistant_stream_answer_duration")
                .description("From a question to its answer's end").publishPercentileHistogram().register(registry);
    }

    void finished(LiveAnswer answer, String outcome) {
        Duration took = answer.elapsed();
        Duration toFirstEvent = answer.timeToFirstEvent();
        Counter.builder("assistant_stream_answers").description("Answers that ended, by outcome")
                .tag("outcome", outcome).register(registry).increment();
        duration.record(took);
        if (toFirstEvent != null) {
            firstEvent.record(toFirstEvent);
        }
        int bytes = answer.textSoFar().getBytes(StandardCharsets.UTF_8).length;
        LOG.info(() -> "Answer " + answer.messageId() + " of session " + answer.sessionId() + " ended: " + outcome
                + ", " + answer.chunks() + " chunks, " + bytes + " bytes, first upstream event after "
                + (toFirstEvent == null ? "none" : toFirstEvent.toMillis() + " ms") + ", " + took.toMillis() + " ms in all"
                + (answer.apolloVersion() == null ? "" : ", Apollo " + answer.apolloVersion()));
    }
}
