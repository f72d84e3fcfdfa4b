package io.assistantstream.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The expected client events of a contract fixture ({@code NAME.expect.json}), checked as the fixtures' README
 * says: after the question's message_created, each listed event in order and nothing else, nothing after the end.
 */
final class FixtureExpectation {

    private final Path directory;
    private final String name;
    private final JsonNode expected;

    FixtureExpectation(Path directory, String name) throws IOException {
        this.directory = directory;
        this.name = name;
        this.expected = Clients.JSON.readTree(directory.resolve(name + ".expect.json").toFile());
    }

    /** The fixtures in {@code directory}, by name, sorted. */
    static List<String> namesIn(Path directory) throws IOException {
        try (var files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sse"))
                    .map(n -> n.substring(0, n.length() - 4)).sorted().toList();
        }
    }

    /** The fixture's own {@code POST /api/sessions} body (global_chat's fixtures), or null. */
    JsonNode sessionBody() {
        return expected.path("session").isObject() ? expected.get("session") : null;
    }

    /** The fixture's own question with {@code content} in place of its text, so the fake knows what to stream. */
    JsonNode questionBody(String content) {
        ObjectNode question = expected.path("question").isObject() ? expected.get("question").deepCopy()
                : Clients.JSON.createObjectNode();
        return question.put("content", content);
    }

    String startCode() {
        return expected.path("start_code").isTextual() ? expected.get("start_code").asText() : null;
    }

    /** Whether the fixture's answer comes from job_chat (its change is job code) rather than workflow_chat. */
    boolean isJobChat() throws IOException {
        String stream = Files.readString(directory.resolve(name + ".sse"));
        return stream.contains("\"code\"") || stream.contains("suggested_code") || stream.contains("code_edits");
    }

    /** Checks one client's events of the answer; {@code received} starts with the question's message_created. */
    void check(String client, List<Received> received) {
        String where = name + " via " + client + ": ";
        assertEquals("message_created", received.get(0).name(), where + "starts with the question");
        Iterator<Received> actual = received.subList(1, received.size()).iterator();
        for (JsonNode step : expected.path("events")) {
            String event = step.path("event").asText();
            if (event.equals("streaming_chunk*")) {
                StringBuilder joined = new StringBuilder();
                List<Received> chunks = new ArrayList<>();
                Received next = null;
                while (actual.hasNext()) {
                    next = actual.next();
                    if (!next.name().equals("streaming_chunk")) {
                        break;
                    }
                    chunks.add(next);
                    joined.append(next.data().path("content").asText());
                    next = null;
                }
                assertTrue(!chunks.isEmpty(), where + "at least one streaming_chunk");
                if (step.has("concatenated")) {
                    assertEquals(step.get("concatenated").asText(), joined.toString(), where + "joined chunks");
                } else {
                    assertTrue(step.get("concatenated_prefix_of").asText().startsWith(joined.toString()),
                            where + "joined chunks are a prefix: " + joined);
                }
                if (next != null) {
                    actual = prepend(next, actual);
                }
                continue;
            }
            assertTrue(actual.hasNext(), where + "expected " + event + " but the events ended");
            Received got = actual.next();
            assertEquals(event, got.name(), where + "event in order");
            JsonNode data = got.data();
            for (Map.Entry<String, JsonNode> field : iterable(step)) {
                String key = field.getKey();
                JsonNode want = field.getValue();
                switch (key) {
                    case "event", "notes" -> { }
                    case "code_diffs_for" -> assertEquals(sorted(want), sorted(data.path("code_diffs")),
                            where + "the jobs whose code changed");
                    case "error_present" -> assertTrue(data.path("error").isTextual(), where + "an error is named");
                    case "content" -> assertEquals(want.asText(), data.path("message").path("content").asText(),
                            where + "final content");
                    case "changes" -> assertEquals(want.asInt(), data.path("message").path("changes").size(),
                            where + "changes");
                    case "message_contains" -> assertTrue(
                            data.path("error").path("message").asText().contains(want.asText()),
                            where + "error message " + data);
                    case "code" -> {
                        if (event.equals("streaming_error")) {
                            assertEquals(want.asText(), data.path("error").path("code").asText(), where + "error code");
                        } else {
                            assertEquals(want.asText(), data.path("code").asText(), where + "code");
                        }
                    }
                    default -> assertEquals(want.asText(), data.path(key).asText(), where + key);
                }
            }
        }
        assertTrue(!actual.hasNext(), where + "nothing after the end, but got " + (actual.hasNext() ? actual.next() : ""));
    }

    private static List<String> sorted(JsonNode jobs) {
        List<String> keys = new ArrayList<>();
        jobs.forEach(job -> keys.add(job.isTextual() ? job.asText() : job.path("job").asText()));
        return keys.stream().sorted().toList();
    }

    private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode node) {
        return node::fields;
    }

    private static Iterator<Received> prepend(Received first, Iterator<Received> rest) {
        List<Received> all = new ArrayList<>();
        all.add(first);
        rest.forEachRemaining(all::add);
        return all.iterator();
    }

    @Override
    public String toString() {
        return name;
    }
}
