package io.assistantstream.upstream.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.assistantstream.platform.Json;
import io.assistantstream.platform.ModelSettings;
import io.assistantstream.upstream.entity.FailureCode;
import io.assistantstream.upstream.entity.UpstreamEvent;
import java.net.http.HttpHeaders;
import java.util.Locale;
import java.util.Optional;

/**
 * What a model provider's refusal means and what to do about it, whether it came as the response's status (before
 * the stream) or as an error in the stream. OpenAI and the servers that copy it send
 * {@code {"error":{"message","type","code"}}}, Anthropic {@code {"type":"error","error":{"type","message"}}}; both
 * are read the same way. The key is never quoted back.
 */
final class ModelRefusals {

    private static final String KEY_PLACEHOLDER = "[model.api-key]";

    private final ModelSettings model;

    ModelRefusals(ModelSettings model) {
        this.model = model;
    }

    /** A response with a status other than 2xx; {@code body} is its start. */
    UpstreamEvent.Failed ofStatus(int status, HttpHeaders headers, String body) {
        Problem problem = Problem.of(body);
        String head = "The model provider at " + model.baseUrl() + " answered HTTP " + status + ": "
                + masked(problem.message().orElse(body.isBlank() ? "no body" : body));
        if (status == 401 || status == 403 || problem.is("authentication_error", "permission_error", "invalid_api_key")) {
            return new UpstreamEvent.Failed(FailureCode.UPSTREAM_UNAUTHORIZED, head + (model.apiKey().isPresent()
                    ? ". It refused the configured key: set model.api-key to a key this provider accepts"
                    : ". No key is configured: set model.api-key"));
        }
        if (status == 429 || problem.is("rate_limit_error", "rate_limit_exceeded")) {
            Optional<String> retryAfter = headers.firstValue("retry-after");
            return new UpstreamEvent.Failed(FailureCode.RATE_LIMITED, head + ". The provider is rate limiting; "
                    + retryAfter.map(seconds -> "ask again in " + seconds + " s").orElse("ask again in a moment"));
        }
        return of(problem, status, head);
    }

    /** An error the provider put into the stream, or none when {@code data} is not one. */
    Optional<UpstreamEvent.Failed> inStream(String event, String data) {
        Problem problem = Problem.of(data);
        if (!"error".equals(event) && !problem.isError()) {
            return Optional.empty();
        }
        String head = "The model provider reported an error mid-answer: "
                + masked(problem.message().orElse(data));
        if (problem.is("rate_limit_error", "rate_limit_exceeded")) {
            return Optional.of(new UpstreamEvent.Failed(FailureCode.RATE_LIMITED, head + "; ask again in a moment"));
        }
        UpstreamEvent.Failed mapped = of(problem, 0, head);
        return Optional.of(mapped.code() == FailureCode.UPSTREAM_HTTP_ERROR
                ? new UpstreamEvent.Failed(FailureCode.UPSTREAM_ERROR, mapped.message()) : mapped);
    }

    private UpstreamEvent.Failed of(Problem problem, int status, String head) {
        if (status == 404 || problem.is("not_found_error", "model_not_found")) {
            return new UpstreamEvent.Failed(FailureCode.MODEL_NOT_FOUND, head + ". Check model.name ('" + model.name()
                    + "') against the models this provider serves");
        }
        if (status == 529 || status == 503 || problem.is("overloaded_error")) {
            return new UpstreamEvent.Failed(FailureCode.MODEL_OVERLOADED, head + ". The model is overloaded; ask again"
                    + " in a moment");
        }
        if (status == 413 || problem.is("context_length_exceeded", "request_too_large") || problem.saysTooLong()) {
            return new UpstreamEvent.Failed(FailureCode.CONTEXT_TOO_LONG, head + ". The conversation is too long for "
                    + "this model; start a new session");
        }
        return new UpstreamEvent.Failed(FailureCode.UPSTREAM_HTTP_ERROR, head);
    }

    private String masked(String text) {
        return model.apiKey().filter(key -> !key.isEmpty()).map(key -> text.replace(key, KEY_PLACEHOLDER))
                .orElse(text);
    }

    /** The provider's error object, as far as it could be read. */
    private record Problem(JsonNode error) {

        static Problem of(String body) {
            try {
                JsonNode payload = Json.read(body);
                JsonNode error = payload.isObject() ? payload.get("error") : null;
                return new Problem(error != null && error.isObject() ? error : null);
            } catch (JsonProcessingException e) {
                return new Problem(null);
            }
        }

        boolean isError() {
            return error != null;
        }

        Optional<String> message() {
            return Optional.ofNullable(error).map(e -> Json.text(e, "message"));
        }

        /** Whether its type or code is one of {@code names}. */
        boolean is(String... names) {
            if (error == null) {
                return false;
            }
            for (String name : names) {
                if (name.equals(Json.text(error, "type")) || name.equals(Json.text(error, "code"))) {
                    return true;
                }
            }
            return false;
        }

        /** Servers that copy OpenAI say a prompt is too long in words only (llama.cpp, vLLM, Ollama). */
        boolean saysTooLong() {
            String said = message().orElse("").toLowerCase(Locale.ROOT);
            return said.contains("context length") || said.contains("context window") || said.contains("too long")
                    || said.contains("maximum context");
        }
    }
}
