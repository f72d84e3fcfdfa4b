package io.assistantstream.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.assistantstream.changes.control.ChangeService;
import io.assistantstream.upstream.entity.AnswerRef;
import io.assistantstream.changes.entity.ChangeOutcome;
import io.assistantstream.changes.entity.ChangeStatus;
import io.assistantstream.caller.entity.Caller;
import io.assistantstream.chat.control.SessionCatalog;
import io.assistantstream.chat.entity.SessionView;
import io.assistantstream.session.entity.SessionRole;
import io.assistantstream.platform.Json;
import io.assistantstream.upstream.entity.ProposedChange;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Runs inside the server: many threads deliver the same change at once, and the database keeps one. */
@ExtendWith(ArquillianExtension.class)
class ChangeRaceIT {

    static final int RACERS = 100;

    @Inject
    ChangeService changes;

    @Inject
    SessionCatalog catalog;

    @Resource
    ManagedExecutorService executor;

    @Deployment
    static WebArchive deployment() {
        return Deployments.war()
                .addClass(ChangeRaceIT.class);
    }

    Map<String, Long> race(String sessionId, ProposedChange change) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<ChangeOutcome>> outcomes = new ArrayList<>();
        for (int i = 0; i < RACERS; i++) {
            String messageId = "racer-" + i;
            outcomes.add(executor.submit(() -> {
                start.await();
                return changes.receive(new AnswerRef(sessionId, messageId), change);
            }));
        }
        start.countDown();
        List<ChangeOutcome> results = new ArrayList<>();
        for (Future<ChangeOutcome> outcome : outcomes) {
            results.add(outcome.get());
        }
        assertEquals(1, results.stream().map(ChangeOutcome::changeId).distinct().count(),
                "every racer names the one stored change");
        return results.stream().collect(Collectors.groupingBy(outcome -> outcome.status().wireName(), Collectors.counting()));
    }

    @Test
    void aHundredDeliveriesOfOneWorkflowApplyItOnce() throws Exception {
        SessionView.Created session = catalog.createSession(Json.object().put("kind", "workflow"), Caller.subject("race"));
        String yaml = "name: Raced\njobs:\n  A:\n    name: A\n    adaptor: \"@openfn/language-common@latest\"\n"
                + "    body: \"fn(s => s)\"\ntriggers:\n  hook:\n    type: webhook\nedges:\n  hook->A:\n"
                + "    source_trigger: hook\n    target_job: A\n    condition_type: always\n";
        Map<String, Long> statuses = race(session.id(), new ProposedChange.WorkflowYaml(yaml));
        assertEquals(Map.of("applied", 1L, "duplicate", (long) RACERS - 1), statuses);
        SessionView view = catalog.view(session.id(), SessionRole.OWNER);
        assertEquals(1, view.appliedChanges().size());
        assertEquals(yaml, view.workflowYaml());
    }

    @Test
    void aHundredDeliveriesOfOneJobCodeProposeItOnce() throws Exception {
        SessionView.Created session = catalog.createSession(Json.object().put("kind", "job")
                .set("job", Json.object().put("name", "J").put("code", "a();\n")), Caller.subject("race"));
        Map<String, Long> statuses = race(session.id(), new ProposedChange.JobCode("a();\r\nb();\r\n"));
        assertEquals(Map.of("proposed", 1L, "duplicate", (long) RACERS - 1), statuses);
        assertEquals(1, catalog.view(session.id(), SessionRole.OWNER).appliedChanges().size());
        assertEquals("a();\n", catalog.view(session.id(), SessionRole.OWNER).job().code(), "proposed, not applied");
        Function<String, ChangeOutcome> again = code -> changes.receive(new AnswerRef(session.id(), "later"),
                new ProposedChange.JobCode(code));
        assertEquals(ChangeStatus.DUPLICATE, again.apply("a();\nb();\n").status(), "line ends do not make a new change");
    }
}
