package io.assistantstream.demo.control;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The demo service's repertoire, picked by the words of the question. A request for a change gets a change and
 * its markdown explanation; a greeting or a question ("hello", "what can you do?") gets an explanation that
 * changes nothing. The answers are files under {@code demo/} in the WAR's resources.
 */
public final class DemoAnswers {

    private static final List<DemoAnswer> WORKFLOW = List.of(
            workflowAnswer("daily-sync"),
            workflowAnswer("with-alerts"));

    private static final List<DemoAnswer> JOB = List.of(
            jobAnswer("filter-code"),
            jobAnswer("safe-code"));

    /** Greetings and questions about the session: answered, with nothing changed. */
    private static final DemoAnswer ABOUT_WORKFLOW = DemoAnswer.classic("Reading the workflow...", null, null, null,
            resource("about-workflow.md"));
    private static final DemoAnswer ABOUT_JOB = DemoAnswer.classic("Reading the code...", null, null, null,
            resource("about-job.md"));

    /** Words that ask for a change; a question with none of them is a greeting or a question, not a request. */
    static final Pattern ASKS_FOR_A_CHANGE = Pattern.compile("\\b(add|change|make|create|build|rewrite|update"
            + "|turn|sync|schedule|run|send|email|alert|notify|filter|keep|only|handle|catch|fix|safe|remove|replace"
            + "|fail\\w*|errors?)\\b");

    private static DemoAnswer workflowAnswer(String name) {
        return DemoAnswer.classic("Reviewing the workflow...", "Formatting workflow...", resource(name + ".yaml"), null,
                resource(name + ".md"));
    }

    private static DemoAnswer jobAnswer(String name) {
        return DemoAnswer.classic("Reviewing the code...", null, null, resource(name + ".js"), resource(name + ".md"));
    }

    static String resource(String file) {
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
        boolean workflow = "workflow_chat".equals(service);
        if (!ASKS_FOR_A_CHANGE.matcher(words).find()) {
            return workflow ? ABOUT_WORKFLOW : ABOUT_JOB;
        }
        if (workflow) {
            boolean alerts = words.contains("fail") || words.contains("error") || words.contains("alert")
                    || words.contains("notif") || words.contains("email");
            return WORKFLOW.get(alerts ? 1 : 0);
        }
        boolean errors = words.contains("error") || words.contains("fail") || words.contains("catch")
                || words.contains("safe");
        return JOB.get(errors ? 1 : 0);
    }
}
