package io.assistantstream.upstream.control;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assistantstream.platform.Json;
import io.assistantstream.upstream.entity.AnswerRef;
import io.assistantstream.upstream.entity.AnswerRequest;
import io.assistantstream.upstream.entity.ApolloQuestion;

/** The request body Apollo's services expect (apollo-sse.md); absent fields are left out. */
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
        if (question.job() == null) {
            if (question.existingYaml() != null) {
                body.put("existing_yaml", question.existingYaml());
            }
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
}
