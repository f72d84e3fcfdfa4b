package io.assistantstream.chat.control;

import com.fasterxml.jackson.databind.JsonNode;
import io.assistantstream.chat.entity.ChatMessage;
import io.assistantstream.chat.entity.MessageStatus;
import io.assistantstream.chat.entity.Question;
import io.assistantstream.platform.Json;
import io.assistantstream.session.entity.ChatSession;
import io.assistantstream.session.entity.SessionKind;
import io.assistantstream.upstream.entity.ApolloQuestion;
import java.util.ArrayList;
import java.util.List;

/** The question as the session's service takes it, built from what is stored when it is asked. */
final class UpstreamQuestions {

    private UpstreamQuestions() {
    }

    /**
     * Complete earlier messages as history, the latest meta the service sent, and the session's current workflow
     * or job: the state the last answer left, so each question sends what the one before it applied.
     */
    static ApolloQuestion of(ChatSession session, List<ChatMessage> earlier, Question question) {
        List<ApolloQuestion.Turn> history = new ArrayList<>();
        JsonNode meta = null;
        for (ChatMessage message : earlier) {
            if (message.getStatus() == MessageStatus.COMPLETE) {
                history.add(new ApolloQuestion.Turn(message.getRole(), message.getContent()));
                if (message.getMetaJson() != null) {
                    meta = Json.readStored(message.getMetaJson());
                }
            }
        }
        ApolloQuestion.Job job = session.holdsWorkflow() ? null
                : new ApolloQuestion.Job(session.getJobCode(), session.getJobAdaptor(), session.getJobName());
        ApolloQuestion.Global global = session.getKind() != SessionKind.GLOBAL ? null
                : new ApolloQuestion.Global(question.page(), question.attachments(), session.getId(), session.getOwner());
        return new ApolloQuestion(question.content(), history, meta, session.getWorkflowYaml(), job, global);
    }
}
