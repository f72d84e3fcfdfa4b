package io.assistantstream.upstream.control;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assistantstream.platform.Json;
import io.assistantstream.upstream.entity.AnswerRef;
import io.assistantstream.upstream.entity.AnswerRequest;
import io.assistantstream.upstream.entity.ApolloQuestion;
import java.util.Optional;

/**
 * The request body Apollo's services expect (apollo-sse.md); absent fields are left out. The credential is added
 * only as the body is sent ({@link #withCredential}), so no request object the relay keeps or logs holds it.
 */
public final class ApolloRequests {

    private ApolloRequests() {
    }

    public static AnswerRequest of(AnswerRef answer, String apolloUrl, ApolloQuestion question) {
        return new AnswerRequest(answer, question.service(), apolloUrl, body(question));
    }

    static ObjectNode body(ApolloQuestion question) {
        ObjectNode body = Json.object().put("content", question.content());
        ArrayNode history = body.putArray("history");
        question.history().forEach(turn -> history.addObject().put("role", turn.role()).put("content", turn.content()));
        if (question.global() != null) {
            return globalChat(body, question);
        }
        if (question.job() == null) {
            putIfPresent(body, "existing_yaml", question.workflowYaml());
        } else {
            body.putObject("context")
                    .put("expression", question.job().code())
                    .put("adaptor", question.job().adaptor())
                    .put("page_name", question.job().name());
            body.put("suggest_code", true);
        }
        body.set("meta", question.meta() != null && question.meta().isObject() ? question.meta() : Json.object());
        body.put("stream", true);
        return body;
    }

    /** global_chat streams only when asked in {@code options} (a top-level {@code stream} is ignored there). */
    private static ObjectNode globalChat(ObjectNode body, ApolloQuestion question) {
        ApolloQuestion.Global global = question.global();
        putIfPresent(body, "workflow_yaml", question.workflowYaml());
        putIfPresent(body, "page", global.page());
        if (!global.attachments().isEmpty()) {
            ArrayNode attachments = body.putArray("attachments");
            global.attachments().forEach(a -> attachments.addObject().put("type", a.type()).put("content", a.content()));
        }
        ObjectNode meta = body.putObject("meta").put("session_id", global.sessionId());
        if (global.userId() != null) {
            meta.putObject("user").put("id", global.userId());
        }
        body.putObject("options").put("stream", true);
        return body;
    }

    /** The body as sent: a copy with {@code api_key} (Apollo 3 reads the credential only from the body). */
    static ObjectNode withCredential(ObjectNode body, Optional<String> apiKey) {
        ObjectNode sent = body.deepCopy();
        apiKey.ifPresent(key -> sent.put("api_key", key));
        return sent;
    }

    private static void putIfPresent(ObjectNode body, String field, String value) {
        if (value != null) {
            body.put(field, value);
        }
    }
}
