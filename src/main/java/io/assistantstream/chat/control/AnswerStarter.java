package io.assistantstream.chat.control;

import io.assistantstream.chat.entity.ChatMessage;
import io.assistantstream.chat.entity.Question;
import io.assistantstream.platform.ModelSettings;
import io.assistantstream.platform.UpstreamSettings;
import io.assistantstream.session.entity.ChatSession;
import io.assistantstream.upstream.control.ApolloClient;
import io.assistantstream.upstream.control.ApolloRequests;
import io.assistantstream.upstream.entity.AnswerRef;
import io.assistantstream.upstream.entity.ApolloQuestion;
import io.assistantstream.upstream.entity.FailureCode;
import io.assistantstream.upstream.entity.UpstreamEvent;
import io.assistantstream.upstream.entity.UpstreamSignal;
import io.assistantstream.upstream.model.ModelClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends a stored question to the AI service: Apollo, or the model {@code model.provider} names; or ends its answer
 * at once when there is none to send it to.
 */
@ApplicationScoped
public class AnswerStarter {

    private static final Logger LOG = Logger.getLogger(AnswerStarter.class.getName());

    @Inject
    UpstreamSettings upstreamLimits;

    @Inject
    ApolloClient apollo;

    @Inject
    UpstreamLocator upstream;

    @Inject
    ModelSettings model;

    @Inject
    ModelClient models;

    @Inject
    Event<UpstreamSignal> signals;

    /** Starts reading the answer to {@code question}, asked after {@code earlier} in {@code session}. */
    void start(ChatSession session, List<ChatMessage> earlier, Question question, LiveAnswer answer, AnswerRef ref) {
        if (!model.asksApollo()) {
            startModel(UpstreamQuestions.of(session, earlier, question), answer, ref);
            return;
        }
        Optional<String> apolloUrl = upstream.apolloUrl();
        if (apolloUrl.isEmpty()) {
            signals.fire(new UpstreamSignal(ref, new UpstreamEvent.Failed(FailureCode.UPSTREAM_NOT_CONFIGURED,
                    FailureCode.UPSTREAM_NOT_CONFIGURED.message(upstreamLimits))));
        } else {
            startUpstream(UpstreamQuestions.of(session, earlier, question), answer, ref, apolloUrl.get());
        }
    }

    private void startUpstream(ApolloQuestion question, LiveAnswer answer, AnswerRef ref, String apolloUrl) {
        startOrFail(ref, apolloUrl, () -> answer.call(apollo.start(ApolloRequests.of(ref, apolloUrl, question))));
    }

    private void startModel(ApolloQuestion question, LiveAnswer answer, AnswerRef ref) {
        startOrFail(ref, model.baseUrl(), () -> answer.call(models.start(ref, question)));
    }

    /**
     * A start that throws (the request cannot be built or sent) ends the answer like any failure, stored and
     * announced, so the session takes questions again instead of answering 409 until a restart.
     */
    private void startOrFail(AnswerRef ref, String url, Runnable start) {
        try {
            start.run();
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "Could not start answer " + ref.messageId() + " of session " + ref.sessionId()
                    + " (" + url + "); it ended as internal_error. Check the AI service's settings and the cause below", e);
            signals.fire(new UpstreamSignal(ref, new UpstreamEvent.Failed(FailureCode.INTERNAL_ERROR,
                    "The question could not be sent to the AI service; try again")));
        }
    }
}
