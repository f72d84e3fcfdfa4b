package io.assistantstream.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
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
}
