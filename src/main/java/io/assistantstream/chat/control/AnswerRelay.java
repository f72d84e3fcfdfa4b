package io.assistantstream.chat.control;

import io.assistantstream.changes.control.ChangeService;
import io.assistantstream.changes.entity.ChangeOutcome;
import io.assistantstream.chat.entity.ChatMessage;
import io.assistantstream.chat.entity.MessageStatus;
import io.assistantstream.platform.Json;
import io.assistantstream.platform.StreamSettings;
import io.assistantstream.stream.control.EventLog;
import io.assistantstream.stream.entity.ClientEvent;
import io.assistantstream.upstream.entity.AnswerRef;
import io.assistantstream.upstream.entity.FailureCode;
import io.assistantstream.upstream.entity.ProposedChange;
import io.assistantstream.upstream.entity.UpstreamEvent;
import io.assistantstream.upstream.entity.UpstreamSignal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one place where upstream events become client events. It observes every {@link UpstreamSignal}
 * synchronously, on the thread reading that answer, so a change is stored and announced before any later
 * upstream event of the same answer is relayed, and the final message is persisted before it is announced.
 */
@ApplicationScoped
public class AnswerRelay {

    private static final Logger LOG = Logger.getLogger(AnswerRelay.class.getName());
    private static final int STORED_END_CHECKS = 50;
    private static final int STORED_END_PAUSE_MILLIS = 20;

    private final LiveAnswers liveAnswers;
    private final EventLog eventLog;
    private final ChangeService changeService;
    private final ConversationStore store;
    private final AnswerMeters meters;
    private final Duration partialSaveInterval;

    @Inject
    AnswerRelay(LiveAnswers liveAnswers, EventLog eventLog, ChangeService changeService,
                ConversationStore store, AnswerMeters meters, StreamSettings stream) {
        this.liveAnswers = liveAnswers;
        this.eventLog = eventLog;
        this.changeService = changeService;
        this.store = store;
        this.meters = meters;
        this.partialSaveInterval = stream == null ? null : stream.partialSaveInterval();
    }

    /** For the container's client proxy only. */
    protected AnswerRelay() {
        this(null, null, null, null, null, null);
    }

    void onUpstream(@Observes UpstreamSignal signal) {
        AnswerRef ref = signal.answer();
        LiveAnswer answer = liveAnswers.find(ref.messageId()).orElse(null);
        if (answer == null) {
            LOG.warning(() -> "Dropped an upstream event for message " + ref.messageId() + " of session "
                    + ref.sessionId() + ": that answer is no longer streaming");
            return;
        }
        answer.upstreamAnswered();
        UpstreamEvent event = signal.event();
        if (event instanceof UpstreamEvent.StatusLine status) {
            eventLog.append(new ClientEvent.StatusUpdate(ref.sessionId(), ref.messageId(), status.text()));
        } else if (event instanceof UpstreamEvent.TextDelta delta) {
            answer.append(delta.text());
            eventLog.append(new ClientEvent.StreamingChunk(ref.sessionId(), ref.messageId(), delta.text()));
            savePartial(answer);
        } else if (event instanceof UpstreamEvent.ChangesArrived arrived) {
            announce(answer, receive(answer, arrived.change()));
        } else if (event instanceof UpstreamEvent.ToolChange called) {
            ChangeOutcome outcome = receive(answer, called.change());
            announce(answer, outcome);
            called.reply().answer(outcome.status().wireName(), outcome.error());
        } else if (event instanceof UpstreamEvent.Completed completed) {
            finish(answer, () -> complete(answer, completed), MessageStatus.COMPLETE.wireName());
        } else if (event instanceof UpstreamEvent.Failed failed) {
            finish(answer, () -> fail(answer, failed), failed.code().wireName());
        }
    }

    /**
     * Stores the text so far once per {@code stream.partial-save-millis}, after the chunk is relayed: a server
     * killed mid-answer leaves that much of it for the server that closes the answer as {@code server_restarted}.
     * A database that fails here costs the answer nothing; its end is stored whole as usual.
     */
    private void savePartial(LiveAnswer answer) {
        String partial = answer.partialDue(System.nanoTime(), partialSaveInterval);
        if (partial == null) {
            return;
        }
        try {
            store.savePartial(answer.messageId(), partial);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not store the text so far of answer " + answer.messageId() + " of session "
                    + answer.sessionId() + " (" + e + "); it streams on, and its end is stored as usual");
        }
    }

    private void announce(LiveAnswer answer, ChangeOutcome outcome) {
        if (outcome.tookEffect()) {
            answer.addChange(outcome.changeId());
        }
        eventLog.publish(new ClientEvent.StreamingChanges(answer.sessionId(), answer.messageId(),
                outcome.changeId(), outcome.kind().wireName(), outcome.yaml(), outcome.code(), outcome.diff(),
                outcome.codeDiffs(), outcome.status().wireName(), outcome.error()));
    }

    /**
     * The final payload may repeat the streamed change (a duplicate, not announced) or carry the only one: job_chat's
     * {@code suggested_code}, or global_chat's workflow attachment on its step path.
     */
    private void complete(LiveAnswer answer, UpstreamEvent.Completed completed) {
        answer.servedBy(completed.apolloVersion());
        if (completed.responseYaml() != null) {
            announceUnlessDuplicate(answer, new ProposedChange.WorkflowYaml(completed.responseYaml()));
        }
        if (completed.workflowAttachment() != null) {
            announceUnlessDuplicate(answer, new ProposedChange.WorkflowYaml(completed.workflowAttachment()));
        }
        if (completed.suggestedCode() != null) {
            announceUnlessDuplicate(answer, new ProposedChange.JobCode(completed.suggestedCode()));
        }
        ChatMessage stored = store.completeAnswer(answer.messageId(), completed.response(),
                completed.usage() == null ? null : Json.write(completed.usage()),
                completed.meta() == null ? null : Json.write(completed.meta()),
                answer.changeIds());
        awaitStoredEnd(answer);
        eventLog.publish(new ClientEvent.StreamingComplete(answer.sessionId(), MessageViews.of(stored)));
    }

    /**
     * Waits, at most about a second, until a fresh read no longer shows the answer streaming, so that no client
     * hears of its end before a view of the session can show it (a database whose reads lag its commits, as
     * Payara's H2 with its query cache did: the pre-boot commands); one read when all is well, and a line when it
     * had to wait.
     */
    private void awaitStoredEnd(LiveAnswer answer) {
        for (int check = 0; check < STORED_END_CHECKS; check++) {
            boolean streaming;
            try {
                streaming = store.isStreaming(answer.sessionId(), answer.messageId());
            } catch (RuntimeException e) {
                return; // the end is stored; a read that fails now must not turn it into a failure
            }
            if (!streaming) {
                if (check > 0) {
                    int waited = check * STORED_END_PAUSE_MILLIS;
                    LOG.warning(() -> "Answer " + answer.messageId() + " of session " + answer.sessionId()
                            + " read as streaming for " + waited + " ms after its end was stored; announced now");
                }
                return;
            }
            try {
                Thread.sleep(STORED_END_PAUSE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        LOG.warning(() -> "Answer " + answer.messageId() + " of session " + answer.sessionId() + " still reads as "
                + "streaming a second after its end was stored; its end is announced anyway");
    }

    private void announceUnlessDuplicate(LiveAnswer answer, ProposedChange change) {
        ChangeOutcome outcome = receive(answer, change);
        if (!outcome.isDuplicate()) {
            announce(answer, outcome);
        }
    }

    /** Validates, stores and applies the change before anything that came after it is relayed. */
    private ChangeOutcome receive(LiveAnswer answer, ProposedChange change) {
        return changeService.receive(new AnswerRef(answer.sessionId(), answer.messageId()), change);
    }

    private void fail(LiveAnswer answer, UpstreamEvent.Failed failed) {
        MessageStatus status = failed.code() == FailureCode.CANCELLED ? MessageStatus.CANCELLED : MessageStatus.ERROR;
        String hint = failed.code().operatorHint();
        LOG.log(hint == null ? Level.INFO : Level.WARNING, () -> "Answer " + answer.messageId() + " of session "
                + answer.sessionId() + " ended with " + failed.code().wireName() + ": " + failed.message()
                + (hint == null ? "" : "; " + hint));
        try {
            store.failAnswer(answer.messageId(), status, failed.code().wireName(), failed.message(),
                    answer.textSoFar());
            awaitStoredEnd(answer);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "Could not store the failure of answer " + answer.messageId() + " of session "
                    + answer.sessionId() + "; it stays 'streaming' until the next restart marks it failed", e);
        }
        eventLog.publish(new ClientEvent.StreamingError(answer.sessionId(), answer.messageId(),
                new ClientEvent.ErrorBody(failed.code().wireName(), failed.message())));
    }

    /**
     * Ends the answer: whatever the ending throws (a database that is down, say), the answer leaves the live set,
     * and a completion that could not be stored becomes a {@code streaming_error} rather than silence.
     */
    private void finish(LiveAnswer answer, Runnable ending, String outcome) {
        String ended = outcome;
        try {
            ending.run();
        } catch (RuntimeException e) {
            ended = FailureCode.INTERNAL_ERROR.wireName();
            LOG.log(Level.SEVERE, "Could not finish answer " + answer.messageId() + " of session "
                    + answer.sessionId() + "; clients are told it failed", e);
            eventLog.publish(new ClientEvent.StreamingError(answer.sessionId(), answer.messageId(),
                    new ClientEvent.ErrorBody(FailureCode.INTERNAL_ERROR.wireName(),
                            "The answer could not be stored; see the server log")));
        } finally {
            liveAnswers.remove(answer.messageId());
        }
        meters.finished(answer, ended);
    }
}
