package io.assistantstream.changes.control;

import io.assistantstream.changes.entity.ChangeDecided;
import io.assistantstream.changes.entity.ChangeKind;
import io.assistantstream.changes.entity.ChangeOutcome;
import io.assistantstream.changes.entity.ChangeStatus;
import io.assistantstream.changes.entity.ChangeView;
import io.assistantstream.changes.entity.SessionChange;
import io.assistantstream.session.entity.ChatSession;
import io.assistantstream.session.entity.SessionKind;
import io.assistantstream.stream.entity.ClientEvent;
import io.assistantstream.platform.Sha256;
import io.assistantstream.platform.ProblemException;
import io.assistantstream.platform.ChangeSettings;
import io.assistantstream.platform.Timestamps;
import io.assistantstream.upstream.entity.AnswerRef;
import io.assistantstream.upstream.entity.ProposedChange;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import java.util.List;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * Where a structured change is validated, stored and applied, exactly once per (session, kind, content): a valid
 * workflow is applied at once, job code is proposed with a diff until the user accepts or rejects it, and content
 * seen before (in the final payload, a retried request, another tab or server) is a duplicate that changes nothing.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class ChangeService {

    private static final Logger LOG = Logger.getLogger(ChangeService.class.getName());

    @EJB
    ChangeLedger ledger;

    @Inject
    ChangeSettings settings;

    @Inject
    Event<ChangeDecided> decisions;

    @Inject
    MeterRegistry registry;

    /** What a change amounts to before it is stored: its kind, content (null if unreadable) and verdict. */
    private record Candidate(ChangeKind kind, String content, String digestSource, String diff, ChangeStatus status,
                             String error) {
    }

    public ChangeOutcome receive(AnswerRef context, ProposedChange change) {
        ChatSession session = ledger.session(context.sessionId());
        Candidate candidate = judge(session, change);
        SessionChange row = new SessionChange(UUID.randomUUID().toString(), context.sessionId(), context.messageId(),
                candidate.kind(), digest(candidate.digestSource()), candidate.content(), candidate.diff(),
                candidate.status(), candidate.error(), Timestamps.now());
        ChangeLedger.Recorded recorded;
        try {
            recorded = ledger.record(row);
        } catch (EJBException | PersistenceException e) {
            // Another server stored the same content between our look-up and insert: the constraint caught it.
            recorded = new ChangeLedger.Recorded(ledger.find(row.getSessionId(), row.getKind(), row.getContentDigest())
                    .orElseThrow(() -> e), false);
        }
        SessionChange stored = recorded.change();
        ChangeStatus status = recorded.isNew() ? stored.getStatus() : ChangeStatus.DUPLICATE;
        count(stored.getKind(), status);
        if (status == ChangeStatus.INVALID) {
            LOG.info(() -> "Session " + context.sessionId() + " received an invalid " + stored.getKind().wireName()
                    + " change (" + stored.getId() + "): " + stored.getError() + ". Nothing was applied.");
        }
        boolean workflow = stored.getKind() == ChangeKind.WORKFLOW;
        return new ChangeOutcome(stored.getId(), stored.getKind(), workflow ? stored.getContent() : null,
                workflow ? null : stored.getContent(), stored.getDiff(), codeDiffs(session, stored), status,
                stored.getError());
    }

    /** For a global session's workflow: what it did to each step's code, against the workflow it replaced. */
    private List<ClientEvent.CodeDiff> codeDiffs(ChatSession session, SessionChange change) {
        if (session.getKind() != SessionKind.GLOBAL || change.getKind() != ChangeKind.WORKFLOW
                || change.getStatus() == ChangeStatus.INVALID || !change.isReplacedKnown()) {
            return null;
        }
        return WorkflowCodeDiffs.between(change.getReplacedContent(), change.getContent(), settings.maxChangeBytes());
    }

    /** Accepts ({@code accept}) or rejects a proposed job-code change; doing it twice changes nothing. */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public ChangeView decide(String sessionId, String changeId, boolean accept) {
        SessionChange change = ledger.byId(sessionId, changeId).orElseThrow(() ->
                ProblemException.notFound("No change " + changeId + " in session " + sessionId));
        ChangeStatus target = accept ? ChangeStatus.ACCEPTED : ChangeStatus.REJECTED;
        if (target == change.getStatus()) {
            return ChangeView.of(change);
        }
        if (change.getKind() != ChangeKind.JOB_CODE || change.getStatus() != ChangeStatus.PROPOSED) {
            throw ProblemException.conflict("Change " + changeId + " is a " + change.getKind().wireName() + " change with status "
                    + change.getStatus().wireName() + "; only a proposed job-code change can be accepted or rejected");
        }
        if (accept) {
            ChatSession session = ledger.lockSession(sessionId);
            change.replacing(session.getJobCode());
            session.setJobCode(change.getContent());
        }
        change.setStatus(target);
        count(change.getKind(), target);
        decisions.fire(new ChangeDecided(sessionId, changeId, target, null, accept ? change.getContent() : null));
        return ChangeView.of(change);
    }

    /**
     * Undoes an applied workflow or an accepted job-code change: the session gets back what the change replaced.
     * Doing it twice changes nothing. Refused (409) when a later change is in force, since undoing this one would
     * silently lose it: the later one is undone first, newest first, as an editor's undo goes.
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public ChangeView revert(String sessionId, String changeId) {
        SessionChange change = ledger.byId(sessionId, changeId).orElseThrow(() ->
                ProblemException.notFound("No change " + changeId + " in session " + sessionId));
        if (change.getStatus() == ChangeStatus.REVERTED) {
            return ChangeView.of(change);
        }
        if (!change.getStatus().inForce()) {
            throw ProblemException.conflict("Change " + changeId + " is a " + change.getKind().wireName()
                    + " change with status " + change.getStatus().wireName()
                    + "; only an applied workflow or an accepted job-code change can be undone");
        }
        if (!change.isReplacedKnown()) {
            throw ProblemException.conflict("Change " + changeId + " was stored before this server kept what a "
                    + "change replaces, so it cannot be undone");
        }
        ChatSession session = ledger.lockSession(sessionId);
        boolean workflow = change.getKind() == ChangeKind.WORKFLOW;
        String current = workflow ? session.getWorkflowYaml() : session.getJobCode();
        if (current == null || !digest(current).equals(digest(change.getContent()))) {
            String later = current == null ? "" : ledger.inForceWith(sessionId, change.getKind(), current)
                    .map(c -> " (change " + c.getId() + ")").orElse("");
            throw ProblemException.conflict("Undoing change " + changeId + " would lose the " + change.getKind().wireName()
                    + " change made after it" + later + ": undo that one first");
        }
        if (workflow) {
            session.setWorkflowYaml(change.getReplacedContent());
        } else {
            session.setJobCode(change.getReplacedContent());
        }
        change.setStatus(ChangeStatus.REVERTED);
        count(change.getKind(), ChangeStatus.REVERTED);
        LOG.info(() -> "Session " + sessionId + ": change " + changeId + " was undone; the "
                + change.getKind().wireName() + " is back to what it was before it");
        decisions.fire(new ChangeDecided(sessionId, changeId, ChangeStatus.REVERTED,
                workflow ? change.getReplacedContent() : null, workflow ? null : change.getReplacedContent()));
        return ChangeView.of(change);
    }

    public List<ChangeView> ofSession(String sessionId) {
        ChatSession session = ledger.session(sessionId);
        return ledger.ofSession(sessionId).stream().map(change -> ChangeView.of(change, codeDiffs(session, change)))
                .toList();
    }

    /** Changes by kind and what became of them, for operators. */
    private void count(ChangeKind kind, ChangeStatus status) {
        Counter.builder("assistant_stream_changes").description("Changes received, decided and undone")
                .tag("kind", kind.wireName()).tag("status", status.wireName()).register(registry).increment();
    }

    private Candidate judge(ChatSession session, ProposedChange change) {
        ChangeKind sessionKind = session.holdsWorkflow() ? ChangeKind.WORKFLOW : ChangeKind.JOB_CODE;
        if (change instanceof ProposedChange.WorkflowYaml workflow) {
            String yaml = workflow.yaml();
            if (!session.holdsWorkflow()) {
                return invalid(ChangeKind.WORKFLOW, yaml, yaml, "a job session takes job code, not a workflow");
            }
            List<String> problems = new WorkflowValidator(settings.maxChangeBytes()).problems(yaml);
            return problems.isEmpty()
                    ? new Candidate(ChangeKind.WORKFLOW, yaml, yaml, null, ChangeStatus.APPLIED, null)
                    : invalid(ChangeKind.WORKFLOW, yaml, yaml, String.join("; ", problems));
        }
        if (change instanceof ProposedChange.JobCode job) {
            return jobCode(session, job.code());
        }
        if (change instanceof ProposedChange.JobCodeEdits edits) {
            String source = "code_edits:" + edits.edits();
            if (session.holdsWorkflow()) {
                return invalid(ChangeKind.JOB_CODE, null, source, "a " + session.getKind().wireName()
                        + " session takes a whole workflow, not code edits");
            }
            try {
                return jobCode(session, CodeEdits.apply(session.getJobCode(), edits.edits()));
            } catch (CodeEdits.EditFailedException e) {
                return invalid(ChangeKind.JOB_CODE, null, source, e.getMessage());
            }
        }
        String reason = ((ProposedChange.Unreadable) change).reason();
        return invalid(sessionKind, null, "unreadable:" + reason, reason);
    }

    private Candidate jobCode(ChatSession session, String code) {
        if (session.holdsWorkflow()) {
            return invalid(ChangeKind.JOB_CODE, code, code, "a " + session.getKind().wireName()
                    + " session takes a whole workflow, not job code");
        }
        if (code.length() > settings.maxChangeBytes()) {
            return invalid(ChangeKind.JOB_CODE, null, code,
                    "the proposed code is larger than " + settings.maxChangeBytes() + " characters");
        }
        String diff = UnifiedDiffs.of(session.getJobName(), session.getJobCode(), code);
        return new Candidate(ChangeKind.JOB_CODE, code, code, diff, ChangeStatus.PROPOSED, null);
    }

    private static Candidate invalid(ChangeKind kind, String content, String digestSource, String error) {
        return new Candidate(kind, content, digestSource, null, ChangeStatus.INVALID, error);
    }

    /** SHA-256 of the content with every line end made LF, so CRLF and LF copies of one change are one change. */
    static String digest(String content) {
        return Sha256.hex(content.replace("\r\n", "\n").replace('\r', '\n'));
    }
}
