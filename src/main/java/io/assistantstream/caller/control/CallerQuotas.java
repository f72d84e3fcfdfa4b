package io.assistantstream.caller.control;

import io.assistantstream.caller.entity.Quota;
import io.assistantstream.platform.ProblemException;
import io.assistantstream.platform.QuotaSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The one place that decides whether a caller may do a thing ({@code quota.*}): create a session, ask a question,
 * have one more answer streaming, hold one more subscriber. Asked before the work and outside any database
 * transaction. What counts per window it spends ({@link RateQuotas}, on Redis when there is one); what counts
 * what is held at once it is told by whoever holds it (the conversation's streaming answers, the subscribers).
 */
@ApplicationScoped
public class CallerQuotas {

    @Inject
    QuotaSettings settings;

    @Inject
    RateQuotas windows;

    /** For the container. */
    public CallerQuotas() {
    }

    /** Outside a container (tests). */
    public CallerQuotas(QuotaSettings settings, RateQuotas windows) {
        this.settings = settings;
        this.windows = windows;
    }

    /** @throws ProblemException 429 {@code sessions} */
    public RateQuotas.Taken spendSession(String callerId) {
        return windows.take(Quota.SESSIONS, callerId);
    }

    /** @throws ProblemException 429 {@code questions} */
    public RateQuotas.Taken spendQuestion(String callerId) {
        return windows.take(Quota.QUESTIONS, callerId);
    }

    /**
     * @param streaming how many answers of the caller stream now, over all its sessions on every server (two
     *                  questions to two sessions in the same instant may both pass)
     * @throws ProblemException 429 {@code streaming_answers}
     */
    public void allowAnotherStreamingAnswer(long streaming) {
        if (streaming >= settings.streamingAnswers()) {
            throw ProblemException.overQuota(Quota.STREAMING_ANSWERS.wireName(), "Quota streaming_answers spent: "
                    + "at most " + settings.streamingAnswers() + " answers streaming at once for one caller "
                    + "(quota.streaming-answers); wait for one to finish or cancel it", 5);
        }
    }

    /** @param held how many subscribers the caller holds on this server */
    public boolean allowsAnotherSubscriber(int held) {
        return held < settings.subscribers();
    }

    /** The refusal when {@link #allowsAnotherSubscriber} said no. */
    public ProblemException subscribersSpent() {
        return ProblemException.overQuota(Quota.SUBSCRIBERS.wireName(), "Quota subscribers spent: at most "
                + settings.subscribers() + " subscribers at once for one caller on a server (quota.subscribers); "
                + "close one first", 2);
    }
}
