package io.assistantstream.changes.control;

import io.assistantstream.changes.entity.ChangeDecided;
import io.assistantstream.stream.control.EventLog;
import io.assistantstream.stream.entity.ClientEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;

/** Tells every tab of the session about an accepted, rejected or reverted change, once it is committed. */
@ApplicationScoped
public class ChangeAnnouncer {

    @Inject
    EventLog eventLog;

    void onDecided(@Observes(during = TransactionPhase.AFTER_SUCCESS) ChangeDecided decided) {
        eventLog.publish(new ClientEvent.ChangeUpdated(decided.sessionId(), decided.changeId(),
                decided.status().wireName(), decided.workflowYaml(), decided.jobCode()));
    }
}
