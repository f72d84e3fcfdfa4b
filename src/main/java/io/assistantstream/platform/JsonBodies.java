package io.assistantstream.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.nio.ByteBuffer;

/** Reads a request body as a JSON object, within the configured size bound. */
public final class JsonBodies {

    private JsonBodies() {
    }

    public static JsonNode readObject(InputStream body, int limit) {
        byte[] bytes;
        try {
            bytes = body.readNBytes(limit + 1);
        } catch (IOException e) {
            throw ProblemException.badRequest("The request body could not be read: " + e.getMessage());
        }
        if (bytes.length > limit) {
            throw new ProblemException(413, "Content Too Large",
                    "The body is larger than the limit of " + limit + " bytes");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw ProblemException.badRequest("The body is not valid UTF-8");
        }
        JsonNode node;
        try {
            node = Json.read(text);
        } catch (JsonProcessingException e) {
            throw ProblemException.badRequest("The body is not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw ProblemException.badRequest("The body must be a JSON object");
        }
        return node;
    }

    /** Refuses (400) a field the body may not have, naming the expected ones. */
    public static void onlyKnownFields(JsonNode body, Set<String> known, String prefix) {
        body.fieldNames().forEachRemaining(field -> {
            if (!known.contains(field)) {
                throw ProblemException.badRequest("Unknown field " + prefix + field + "; expected "
                        + known.stream().sorted().map(name -> prefix + name).toList());
            }
        });
    }

    /** A non-blank text field, or a 400 problem. */
    public static String requiredText(JsonNode body, String field) {
        String value = optionalText(body, field);
        if (value == null || value.isBlank()) {
            throw ProblemException.badRequest(field + " is required and must be a non-empty string");
        }
        return value;
    }

    /** A text field or null, or a 400 problem when it is not text. */
    public static String optionalText(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ProblemException.badRequest(field + " must be a string");
        }
        return value.asText();
    }
}
