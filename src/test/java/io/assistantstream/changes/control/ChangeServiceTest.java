package io.assistantstream.changes.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.assistantstream.platform.Settings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.assistantstream.changes.entity.ChangeDecided;
import io.assistantstream.changes.entity.ChangeKind;
import io.assistantstream.changes.entity.ChangeOutcome;
import io.assistantstream.changes.entity.ChangeStatus;
import io.assistantstream.changes.entity.SessionChange;
import io.assistantstream.platform.ProblemException;
import io.assistantstream.session.entity.ChatSession;
import io.assistantstream.session.entity.SessionKind;
import io.assistantstream.testing.SyncEvent;
import io.assistantstream.upstream.entity.AnswerRef;
import io.assistantstream.upstream.entity.ProposedChange;
import jakarta.ejb.EJBException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The change rules without a container: the ledger is an in-memory map with the database's unique key. */
class ChangeServiceTest {

    private static final String WORKFLOW = """
            name: Morning report
            jobs:
              fetch:
                name: Fetch
                adaptor: "@openfn/language-http@latest"
                body: get('/report');
            triggers:
              daily:
                type: cron
                cron_expression: "0 7 * * *"
            edges:
              daily->fetch:
                source_trigger: daily
                target_job: fetch
                condition_type: always
            """;

    /** Stores rows under (session, kind, digest) like the unique constraint; {@code raceOnce} plays another server. */
    static final class MemoryLedger extends ChangeLedger {
        final Map<String, ChatSession> sessions = new LinkedHashMap<>();
        final Map<String, SessionChange> rows = new LinkedHashMap<>();
        SessionChange raceOnce;

        @Override
        public ChatSession session(String sessionId) {
            return sessions.get(sessionId);
        }

        @Override
        public ChatSession lockSession(String sessionId) {
            return sessions.get(sessionId);
        }

        @Override
        public Recorded record(SessionChange change) {
            if (raceOnce != null) {
                rows.put(key(raceOnce.getSessionId(), raceOnce.getKind(), raceOnce.getContentDigest()), raceOnce);
                raceOnce = null;
                throw new EJBException("unique constraint violated");
            }
            Optional<SessionChange> earlier = find(change.getSessionId(), change.getKind(), change.getContentDigest());
            if (earlier.isPresent()) {
                return new Recorded(earlier.get(), false);
            }
            rows.put(key(change.getSessionId(), change.getKind(), change.getContentDigest()), change);
            applyIfValidWorkflow(sessions.get(change.getSessionId()), change);
            return new Recorded(change, true);
        }

        @Override
        public Optional<SessionChange> find(String sessionId, ChangeKind kind, String digest) {
            return Optional.ofNullable(rows.get(key(sessionId, kind, digest)));
        }

        @Override
        public List<SessionChange> ofSession(String sessionId) {
            return rows.values().stream().filter(c -> c.getSessionId().equals(sessionId)).toList();
        }

        @Override
        public Optional<SessionChange> byId(String sessionId, String changeId) {
            return rows.values().stream()
                    .filter(c -> c.getId().equals(changeId) && c.getSessionId().equals(sessionId)).findFirst();
        }

        private static String key(String sessionId, ChangeKind kind, String digest) {
            return sessionId + "/" + kind + "/" + digest;
        }
    }

    final MemoryLedger ledger = new MemoryLedger();
    final List<ChangeDecided> decided = new ArrayList<>();
    final ChangeService service = new ChangeService();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    ChangeServiceTest() {
        service.ledger = ledger;
        service.settings = Settings.of("changes.max-bytes=4000").changes();
        service.decisions = new SyncEvent<>(decided::add);
        service.registry = registry;
        ledger.sessions.put("wf", new ChatSession("wf", SessionKind.WORKFLOW, "w", OffsetDateTime.now(), "h", "owner"));
        ChatSession job = new ChatSession("job", SessionKind.JOB, "j", OffsetDateTime.now(), "h", "owner");
        job.setJob("Fetch", "@openfn/language-http@latest", "get('/a');\n");
        ledger.sessions.put("job", job);
        ChatSession global = new ChatSession("global", SessionKind.GLOBAL, "g", OffsetDateTime.now(), "h", "owner");
        global.setWorkflowYaml(WORKFLOW);
        ledger.sessions.put("global", global);
    }

    ChangeOutcome receive(String sessionId, ProposedChange change) {
        return service.receive(new AnswerRef(sessionId, "m1"), change);
    }

    @Test
    void aValidWorkflowIsAppliedAtOnceAndItsRepeatIsADuplicate() {
        ChangeOutcome first = receive("wf", new ProposedChange.WorkflowYaml(WORKFLOW));
        assertEquals(ChangeStatus.APPLIED, first.status());
        assertEquals(WORKFLOW, ledger.sessions.get("wf").getWorkflowYaml());

        ChangeOutcome again = receive("wf", new ProposedChange.WorkflowYaml(WORKFLOW.replace("\n", "\r\n")));
        assertEquals(ChangeStatus.DUPLICATE, again.status(), "a CRLF copy is the same change");
        assertEquals(1, registry.counter("assistant_stream_changes", "kind", "workflow", "status", "duplicate").count());
        assertEquals(first.changeId(), again.changeId());
        assertEquals(1, ledger.rows.size());
    }

    @Test
    void anInvalidWorkflowIsStoredWithItsReasonsAndAppliesNothing() {
        ChangeOutcome outcome = receive("wf", new ProposedChange.WorkflowYaml("name: x\njobs: {}\n"));
        assertEquals(ChangeStatus.INVALID, outcome.status());
        assertTrue(outcome.error().contains("jobs"), outcome.error());
        assertNull(ledger.sessions.get("wf").getWorkflowYaml());
        assertEquals(ChangeStatus.DUPLICATE, receive("wf", new ProposedChange.WorkflowYaml("name: x\njobs: {}\n")).status(),
                "an invalid change repeated is not announced again");
    }

    @Test
    void aChangeOfTheWrongKindForTheSessionIsInvalid() {
        assertEquals("a job session takes job code, not a workflow",
                receive("job", new ProposedChange.WorkflowYaml(WORKFLOW)).error());
        assertEquals("a workflow session takes a whole workflow, not job code",
                receive("wf", new ProposedChange.JobCode("get('/b');")).error());
        assertEquals("a workflow session takes a whole workflow, not code edits", receive("wf",
                new ProposedChange.JobCodeEdits(List.of(new ProposedChange.CodeEdit("replace", "a", "b")))).error());
    }

    @Test
    void jobCodeIsProposedWithADiffAndOversizedCodeIsRefused() {
        ChangeOutcome proposed = receive("job", new ProposedChange.JobCode("get('/b');\n"));
        assertEquals(ChangeStatus.PROPOSED, proposed.status());
        assertTrue(proposed.diff().contains("-get('/a');") && proposed.diff().contains("+get('/b');"), proposed.diff());
        assertEquals("get('/a');\n", ledger.sessions.get("job").getJobCode(), "proposed, not applied");

        ChangeOutcome big = receive("job", new ProposedChange.JobCode("x".repeat(4001)));
        assertEquals(ChangeStatus.INVALID, big.status());
        assertNull(big.code(), "oversized content is not stored");
    }

    @Test
    void codeEditsApplyToTheCurrentCodeOrSayWhyNot() {
        ChangeOutcome edited = receive("job", new ProposedChange.JobCodeEdits(
                List.of(new ProposedChange.CodeEdit("replace", "/a", "/c"))));
        assertEquals(ChangeStatus.PROPOSED, edited.status());
        assertEquals("get('/c');\n", edited.code());

        ChangeOutcome missing = receive("job", new ProposedChange.JobCodeEdits(
                List.of(new ProposedChange.CodeEdit("replace", "nowhere", "x"))));
        assertEquals(ChangeStatus.INVALID, missing.status());
    }

    @Test
    void anUnreadableChangeIsStoredAsInvalidWithItsReason() {
        ChangeOutcome outcome = receive("wf", new ProposedChange.Unreadable("changes is not an object"));
        assertEquals(ChangeStatus.INVALID, outcome.status());
        assertEquals(ChangeKind.WORKFLOW, outcome.kind());
        assertEquals("changes is not an object", outcome.error());
    }

    @Test
    void aRaceLostToAnotherServerIsADuplicateOfItsRow() {
        SessionChange theirs = new SessionChange("theirs", "wf", "m0", ChangeKind.WORKFLOW, ChangeService.digest(WORKFLOW),
                WORKFLOW, null, ChangeStatus.APPLIED, null, OffsetDateTime.now());
        ledger.raceOnce = theirs;
        ChangeOutcome outcome = receive("wf", new ProposedChange.WorkflowYaml(WORKFLOW));
        assertEquals(ChangeStatus.DUPLICATE, outcome.status());
        assertEquals("theirs", outcome.changeId());
    }

    @Test
    void acceptingAppliesTheCodeOnceAndTheOppositeDecisionIsAConflict() {
        String id = receive("job", new ProposedChange.JobCode("get('/b');\n")).changeId();
        assertEquals(ChangeStatus.ACCEPTED, service.decide("job", id, true).status());
        assertEquals("get('/b');\n", ledger.sessions.get("job").getJobCode());
        assertEquals(ChangeStatus.ACCEPTED, service.decide("job", id, true).status(), "accepting twice is no change");
        assertEquals(List.of(new ChangeDecided("job", id, ChangeStatus.ACCEPTED, null, "get('/b');\n")), decided,
                "announced once, with the code now in force");

        ProblemException conflict = assertThrows(ProblemException.class, () -> service.decide("job", id, false));
        assertEquals(409, conflict.status());
    }

    @Test
    void onlyAProposedJobChangeOfThisSessionCanBeDecided() {
        String workflow = receive("wf", new ProposedChange.WorkflowYaml(WORKFLOW)).changeId();
        assertEquals(409, assertThrows(ProblemException.class, () -> service.decide("wf", workflow, true)).status());
        assertEquals(404, assertThrows(ProblemException.class, () -> service.decide("job", workflow, true)).status(),
                "another session's change is not found here");
        assertTrue(decided.isEmpty());
    }

    @Test
    void undoingTheLatestWorkflowRestoresTheOneBeforeAndAnEarlierOneWaitsForIt() {
        ledger.sessions.get("wf").setWorkflowYaml("name: Original\n");
        String first = receive("wf", new ProposedChange.WorkflowYaml(WORKFLOW)).changeId();
        String second = receive("wf", new ProposedChange.WorkflowYaml(WORKFLOW.replace("Morning", "Evening"))).changeId();

        ProblemException later = assertThrows(ProblemException.class, () -> service.revert("wf", first));
        assertEquals(409, later.status());
        assertTrue(later.getMessage().contains(second), "names the change that would be lost: " + later.getMessage());

        assertEquals(ChangeStatus.REVERTED, service.revert("wf", second).status());
        assertEquals(WORKFLOW, ledger.sessions.get("wf").getWorkflowYaml());
        assertEquals(ChangeStatus.REVERTED, service.revert("wf", second).status(), "undoing twice is no change");
        service.revert("wf", first);
        assertEquals("name: Original\n", ledger.sessions.get("wf").getWorkflowYaml());
        assertEquals(List.of(new ChangeDecided("wf", second, ChangeStatus.REVERTED, WORKFLOW, null),
                new ChangeDecided("wf", first, ChangeStatus.REVERTED, "name: Original\n", null)), decided);
        assertEquals(ChangeStatus.DUPLICATE, receive("wf", new ProposedChange.WorkflowYaml(WORKFLOW)).status(),
                "an undone change arriving again (a retried answer) is not applied again");
    }

    @Test
    void anAcceptedJobChangeCanBeUndoneButAProposalOrARejectionCannot() {
        String accepted = receive("job", new ProposedChange.JobCode("get('/b');\n")).changeId();
        service.decide("job", accepted, true);
        String proposed = receive("job", new ProposedChange.JobCode("get('/c');\n")).changeId();
        assertEquals(409, assertThrows(ProblemException.class, () -> service.revert("job", proposed)).status());
        service.decide("job", proposed, false);
        assertEquals(409, assertThrows(ProblemException.class, () -> service.revert("job", proposed)).status());

        assertEquals(ChangeStatus.REVERTED, service.revert("job", accepted).status());
        assertEquals("get('/a');\n", ledger.sessions.get("job").getJobCode());
        assertEquals(409, assertThrows(ProblemException.class, () -> service.decide("job", accepted, false)).status(),
                "an undone change is not decided again");
    }

    @Test
    void aGlobalWorkflowIsAppliedWithTheDiffOfEachStepWhoseCodeChangedAndUndoneAsAWhole() {
        String planned = WORKFLOW.replace("body: get('/report');", "body: get('/report?since=yesterday');")
                .replace("triggers:", "  mail:\n    name: Mail it\n    adaptor: \"@openfn/language-mailgun@latest\"\n"
                        + "    body: sendMail($.data);\ntriggers:");
        ChangeOutcome outcome = receive("global", new ProposedChange.WorkflowYaml(planned));
        assertEquals(ChangeStatus.APPLIED, outcome.status(), String.valueOf(outcome.error()));
        assertEquals(List.of("fetch", "mail"), outcome.codeDiffs().stream().map(d -> d.job()).toList());
        assertTrue(outcome.codeDiffs().get(0).diff().contains("+get('/report?since=yesterday');"),
                outcome.codeDiffs().get(0).diff());
        assertEquals("Mail it", outcome.codeDiffs().get(1).name());
        assertEquals(planned, ledger.sessions.get("global").getWorkflowYaml());
        assertEquals(outcome.codeDiffs(), service.ofSession("global").get(0).codeDiffs(), "the stored view has them too");

        assertEquals(ChangeStatus.INVALID, receive("global", new ProposedChange.JobCode("x();")).status(),
                "a global session's changes are whole workflows");
        service.revert("global", outcome.changeId());
        assertEquals(WORKFLOW, ledger.sessions.get("global").getWorkflowYaml(), "every step's code is back");
        assertNull(receive("wf", new ProposedChange.WorkflowYaml(planned)).codeDiffs(),
                "a workflow session's change has no per-step diffs");
    }
}
