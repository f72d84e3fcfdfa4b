package io.assistantstream.chat.control;

import static io.assistantstream.platform.JsonBodies.onlyKnownFields;
import static io.assistantstream.platform.JsonBodies.optionalText;
import static io.assistantstream.platform.JsonBodies.requiredText;

import com.fasterxml.jackson.databind.JsonNode;
import io.assistantstream.chat.entity.Question;
import io.assistantstream.platform.ApiSettings;
import io.assistantstream.platform.ProblemException;
import io.assistantstream.session.entity.SessionKind;
import io.assistantstream.upstream.entity.ApolloQuestion;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads the body of {@code POST …/messages} (or a WebSocket {@code message} frame), refusing with a 400 problem
 * that names the field. {@code page} and {@code attachments} belong to global sessions only: the other services
 * have no place for them, and dropping them silently would answer a question the user did not ask. Attachments
 * count towards {@code api.max-body-bytes}, which bounds them in bytes.
 */
final class QuestionBodies {

    static final int PAGE_LIMIT = 500;
    static final int ATTACHMENTS_LIMIT = 10;
    private static final Set<String> FIELDS = Set.of("content", "page", "attachments");
    private static final Set<String> ATTACHMENT_FIELDS = Set.of("type", "content");

    private QuestionBodies() {
    }

    static Question read(JsonNode body, SessionKind kind, ApiSettings settings) {
        onlyKnownFields(body, FIELDS, "");
        String content = requiredText(body, "content");
        if (content.length() > settings.maxMessageChars()) {
            throw new ProblemException(413, "Content Too Large", "content is longer than "
                    + settings.maxMessageChars() + " characters; shorten the question");
        }
        if (kind != SessionKind.GLOBAL && (body.has("page") || body.has("attachments"))) {
            throw ProblemException.badRequest("page and attachments are for global sessions; this session is a "
                    + kind.wireName() + " session");
        }
        String page = optionalText(body, "page");
        if (page != null && (page.isBlank() || page.length() > PAGE_LIMIT)) {
            throw ProblemException.badRequest("page must be a non-empty string of at most " + PAGE_LIMIT
                    + " characters, like workflows/<workflow>/<step key>");
        }
        return new Question(content, page, attachments(body.get("attachments")));
    }

    private static List<ApolloQuestion.Attachment> attachments(JsonNode attachments) {
        if (attachments == null || attachments.isNull()) {
            return List.of();
        }
        if (!attachments.isArray() || attachments.size() > ATTACHMENTS_LIMIT) {
            throw ProblemException.badRequest("attachments must be a list of at most " + ATTACHMENTS_LIMIT
                    + " objects {type, content}");
        }
        List<ApolloQuestion.Attachment> read = new ArrayList<>();
        for (JsonNode attachment : attachments) {
            String where = "attachments[" + read.size() + "]";
            if (!attachment.isObject()) {
                throw ProblemException.badRequest(where + " must be an object {type, content}");
            }
            onlyKnownFields(attachment, ATTACHMENT_FIELDS, where + ".");
            String type = optionalText(attachment, "type");
            if (!ApolloQuestion.Attachment.TYPES.contains(type)) {
                throw ProblemException.badRequest(where + ".type must be one of " + ApolloQuestion.Attachment.TYPES);
            }
            String text = optionalText(attachment, "content");
            if (text == null || text.isBlank()) {
                throw ProblemException.badRequest(where + ".content is required and must be a non-empty string");
            }
            read.add(new ApolloQuestion.Attachment(type, text));
        }
        return List.copyOf(read);
    }
}
