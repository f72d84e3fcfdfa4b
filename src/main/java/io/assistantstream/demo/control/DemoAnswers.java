package io.assistantstream.demo.control;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The demo service's repertoire, picked by the words of the question. Each answer is a change and its markdown
 * explanation, kept as files under {@code demo/} in the WAR's resources.
 */
public final class DemoAnswers {

    private static final List<DemoAnswer> WORKFLOW = List.of(
            workflowAnswer("daily-sync"),
            workflowAnswer("with-alerts"));

    private static final List<DemoAnswer> JOB = List.of(
            jobAnswer("filter-code"),
            jobAnswer("safe-code"));

    private static DemoAnswer workflowAnswer(String name) {
        return new DemoAnswer("Reviewing the workflow...", "Formatting workflow...", resource(name + ".yaml"), null,
                resource(name + ".md"));
    }

    private static DemoAnswer jobAnswer(String name) {
        return new DemoAnswer("Reviewing the code...", null, null, resource(name + ".js"), resource(name + ".md"));
    }

    private static String resource(String file) {
        try (InputStream in = DemoAnswers.class.getResourceAsStream("/demo/" + file)) {
            if (in == null) {
                throw new IllegalStateException("The WAR lacks its demo answer demo/" + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private DemoAnswers() {
    }

    public static DemoAnswer pick(String service, String question) {
        String words = question == null ? "" : question.toLowerCase(Locale.ROOT);
        if ("workflow_chat".equals(service)) {
            boolean alerts = words.contains("fail") || words.contains("error") || words.contains("alert")
                    || words.contains("notif") || words.contains("email");
            return WORKFLOW.get(alerts ? 1 : 0);
        }
        boolean errors = words.contains("error") || words.contains("fail") || words.contains("catch")
                || words.contains("safe");
        return JOB.get(errors ? 1 : 0);
    }
}
