package io.assistantstream.upstream.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.assistantstream.platform.Json;
import io.assistantstream.upstream.entity.FailureCode;
import io.assistantstream.upstream.entity.UpstreamEvent;
import java.util.Optional;

/**
 * What a refusal before the stream means and what to do about it. Apollo 3 refuses as JSON
 * ({@code {"code","type","message"}}): {@code 401 UNAUTHORIZED} for a missing or wrong key,
 * {@code 503 SERVICE_UNAVAILABLE}, {@code 500 CLIENT_MISCONFIGURED}. The key is never quoted back, even when
 * the service echoes it.
 */
final class Refusals {

    private static final String KEY_PLACEHOLDER = "[apollo.api-key]";

    private Refusals() {
    }

    static UpstreamEvent.Failed of(int status, String body, Optional<String> apiKey) {
        String said = body.isBlank() ? "no body" : ApolloEventDecoder.error(body).message();
        String quoted = apiKey.filter(key -> !key.isEmpty()).map(key -> said.replace(key, KEY_PLACEHOLDER)).orElse(said);
        String head = "The AI service answered HTTP " + status + ": " + quoted;
        if (status == 401 || status == 403) {
            return new UpstreamEvent.Failed(FailureCode.UPSTREAM_UNAUTHORIZED, head + (apiKey.isPresent()
                    ? ". It refused the configured key: set apollo.api-key (APOLLO_API_KEY) to the key of a client "
                    + "registered with this Apollo"
                    : ". No key is configured: set apollo.api-key (APOLLO_API_KEY) to the key of a client registered "
                    + "with this Apollo"));
        }
        String type = type(body);
        if (status == 503 || "SERVICE_UNAVAILABLE".equals(type)) {
            return new UpstreamEvent.Failed(FailureCode.UPSTREAM_HTTP_ERROR,
                    head + ". The AI service is unavailable for now; ask again in a moment");
        }
        if ("CLIENT_MISCONFIGURED".equals(type)) {
            return new UpstreamEvent.Failed(FailureCode.UPSTREAM_HTTP_ERROR, head
                    + ". Apollo's registration of this client is incomplete: its operator must fix it "
                    + "(the client's own model key, say)");
        }
        return new UpstreamEvent.Failed(FailureCode.UPSTREAM_HTTP_ERROR, head);
    }

    private static String type(String body) {
        try {
            JsonNode payload = Json.read(body);
            return payload.isObject() ? Json.text(payload, "type") : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
