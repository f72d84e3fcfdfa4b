package io.assistantstream.upstream.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.assistantstream.platform.Json;
import io.assistantstream.upstream.entity.AnswerRef;
import io.assistantstream.upstream.entity.FailureCode;
import io.assistantstream.upstream.entity.ProposedChange;
import io.assistantstream.upstream.entity.ServerSentEvent;
import io.assistantstream.upstream.entity.UpstreamEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Turns one Apollo event into what the relay acts on, absorbing every deviation instead of throwing: the
 * services' payloads are only loosely typed (an {@code error} may be a bare string, a crashed service says
 * {@code {"message":"Unknown error"}}), and a handler that dies on an odd shape loses the whole answer.
 */
public final class ApolloEventDecoder {

    private static final Logger LOG = Logger.getLogger(ApolloEventDecoder.class.getName());
    private static final int QUOTED_PAYLOAD_LIMIT = 200;

    private ApolloEventDecoder() {
    }

    public static Optional<UpstreamEvent> decode(AnswerRef answer, ServerSentEvent event) {
        return switch (event.type()) {
            case "content_block_delta" -> delta(answer, event.data());
            case "changes" -> Optional.of(new UpstreamEvent.ChangesArrived(changes(event.data())));
            case "complete" -> Optional.of(complete(event.data()));
            case "error" -> Optional.of(error(event.data()));
            case "log" -> {
                LOG.fine(() -> "Upstream log for session " + answer.sessionId() + ": " + event.data());
                yield Optional.empty();
            }
            // message_start, content_block_start/stop, message_delta, message_stop: framing with nothing to relay.
            default -> Optional.empty();
        };
    }

    private static Optional<UpstreamEvent> delta(AnswerRef answer, String data) {
        JsonNode delta;
        try {
            delta = Json.read(data).path("delta");
        } catch (JsonProcessingException e) {
            LOG.warning(() -> "Skipped an upstream content_block_delta that is not valid JSON (session "
                    + answer.sessionId() + ", message " + answer.messageId() + "): " + quote(data)
                    + ". The answer goes on; the final text comes from the service's complete event.");
            return Optional.empty();
        }
        String type = Json.text(delta, "type");
        if ("thinking_delta".equals(type)) {
            return Optional.ofNullable(Json.text(delta, "thinking")).filter(s -> !s.isBlank())
                    .map(UpstreamEvent.StatusLine::new);
        }
        if ("text_delta".equals(type)) {
            return Optional.ofNullable(Json.text(delta, "text")).filter(s -> !s.isEmpty())
                    .map(UpstreamEvent.TextDelta::new);
        }
        return Optional.empty();
    }

    static ProposedChange changes(String data) {
        JsonNode payload;
        try {
            payload = Json.read(data);
        } catch (JsonProcessingException e) {
            return new ProposedChange.Unreadable("the changes event is not valid JSON: "
                    + e.getOriginalMessage());
        }
        String yaml = Json.text(payload, "yaml");
        if (yaml != null) {
            return new ProposedChange.WorkflowYaml(yaml);
        }
        String code = Json.text(payload, "code");
        if (code != null) {
            return new ProposedChange.JobCode(code);
        }
        JsonNode edits = payload.get("code_edits");
        if (edits != null && edits.isArray()) {
            return codeEdits(edits);
        }
        return new ProposedChange.Unreadable("the changes event has no yaml, code or code_edits field");
    }

    private static ProposedChange codeEdits(JsonNode edits) {
        List<ProposedChange.CodeEdit> result = new ArrayList<>();
        for (JsonNode edit : edits) {
            String action = Json.text(edit, "action");
            String newCode = Json.text(edit, "new_code");
            if (!("replace".equals(action) || "rewrite".equals(action)) || newCode == null) {
                return new ProposedChange.Unreadable("code_edits[" + result.size()
                        + "] needs an action of replace or rewrite and a new_code string");
            }
            String oldCode = Json.text(edit, "old_code");
            if ("replace".equals(action) && oldCode == null) {
                return new ProposedChange.Unreadable("code_edits[" + result.size() + "] replaces but has no old_code");
            }
            result.add(new ProposedChange.CodeEdit(action, oldCode, newCode));
        }
        return new ProposedChange.JobCodeEdits(List.copyOf(result));
    }

    private static UpstreamEvent complete(String data) {
        JsonNode payload;
        try {
            payload = Json.read(data);
        } catch (JsonProcessingException e) {
            return new UpstreamEvent.Failed(FailureCode.UPSTREAM_PROTOCOL_ERROR,
                    "The AI service's final result is not valid JSON: " + e.getOriginalMessage());
        }
        if (payload.isNull()) {
            // Apollo 3's early-return paths: the stream ends with no result, so the streamed text stays partial.
            return new UpstreamEvent.Failed(FailureCode.UPSTREAM_PROTOCOL_ERROR,
                    "The AI service ended the answer without a final result (complete: null); ask again");
        }
        String response = Json.text(payload, "response");
        if (!payload.isObject() || response == null) {
            return new UpstreamEvent.Failed(FailureCode.UPSTREAM_PROTOCOL_ERROR,
                    "The AI service's final result has no response text: " + quote(data));
        }
        return new UpstreamEvent.Completed(response, Json.text(payload, "response_yaml"),
                Json.text(payload, "suggested_code"), workflowAttachment(payload.get("attachments")),
                payload.get("usage"), payload.get("meta"));
    }

    /** global_chat's {@code attachments}: the first {@code workflow_yaml} one's content, or null. */
    private static String workflowAttachment(JsonNode attachments) {
        if (attachments == null || !attachments.isArray()) {
            return null;
        }
        for (JsonNode attachment : attachments) {
            if ("workflow_yaml".equals(Json.text(attachment, "type")) && Json.text(attachment, "content") != null) {
                return Json.text(attachment, "content");
            }
        }
        return null;
    }

    static UpstreamEvent.Failed error(String data) {
        JsonNode payload;
        try {
            payload = Json.read(data);
        } catch (JsonProcessingException e) {
            return new UpstreamEvent.Failed(FailureCode.UPSTREAM_ERROR, "The AI service failed: " + quote(data));
        }
        String message;
        if (payload.isTextual()) {
            message = payload.asText();
        } else if (payload.isObject() && Json.text(payload, "message") != null) {
            message = Json.text(payload, "message");
            String type = Json.text(payload, "type");
            if (type != null) {
                message = message + " (" + type + retryAfter(payload) + ")";
            }
        } else {
            message = "The AI service failed without a readable reason: " + quote(data);
        }
        return new UpstreamEvent.Failed(FailureCode.UPSTREAM_ERROR, message);
    }

    private static String retryAfter(JsonNode payload) {
        JsonNode retryAfter = payload.path("details").path("retry_after");
        return retryAfter.isNumber() || retryAfter.isTextual() ? ", retry after " + retryAfter.asText() + " s" : "";
    }

    static String quote(String data) {
        return data.length() <= QUOTED_PAYLOAD_LIMIT ? data : data.substring(0, QUOTED_PAYLOAD_LIMIT) + "…";
    }
}
