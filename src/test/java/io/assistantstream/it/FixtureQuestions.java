package io.assistantstream.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The contract fixtures that name their question (global_chat's): asked in those words, the fake service replays
 * the fixture in pieces with pauses, as a model would, so a browser test can ask what a user would.
 */
final class FixtureQuestions {

    private static final String PACE = ";piece=200;pause=40";
    private static final Map<String, String> SCENARIOS = load();

    private FixtureQuestions() {
    }

    /** The fake's scenario for a question: the fixture whose question it is, or the question itself. */
    static String scenarioFor(String content) {
        return SCENARIOS.getOrDefault(content, content);
    }

    private static Map<String, String> load() {
        Map<String, String> scenarios = new HashMap<>();
        try {
            for (String name : FixtureExpectation.namesIn(FakeApollo.FIXTURES)) {
                JsonNode question = Clients.JSON.readTree(FakeApollo.FIXTURES.resolve(name + ".expect.json").toFile())
                        .path("question").path("content");
                if (question.isTextual()) {
                    scenarios.put(question.asText(), "fixture:" + name + PACE);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.copyOf(scenarios);
    }
}
