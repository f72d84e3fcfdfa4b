package io.assistantstream.demo.control;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;

/**
 * The demo's global_chat, on Apollo 3's three paths: a question that changes nothing; a request about the step
 * the user looks at ({@code page} names it), answered by that step's new code stitched into the whole workflow;
 * any other request, answered by a plan that rewrites several steps at once.
 */
public final class DemoGlobalAnswers {

    private static final String GUARD = "fn(state => {\n  if (!state.data?.length) throw new Error('Nothing came back');\n"
            + "  return state;\n});\n";
    private static final String COUNT = "fn(state => {\n  console.log(`${state.data.length} records`);\n"
            + "  return state;\n});\n";
    private static final int MAX_YAML_CHARS = 1 << 20;

    private DemoGlobalAnswers() {
    }

    public static DemoAnswer pick(String question, String workflowYaml, String page) {
        String words = question == null ? "" : question.toLowerCase(Locale.ROOT);
        if (!DemoAnswers.ASKS_FOR_A_CHANGE.matcher(words).find()) {
            return new DemoAnswer(List.of("Thinking..."), null, null, null,
                    DemoAnswers.resource("about-global.md"), DemoAnswer.Path.GLOBAL_QUESTION);
        }
        Map<String, Object> workflow = parse(workflowYaml);
        String step = page == null ? null : page.substring(page.lastIndexOf('/') + 1);
        if (workflow != null && page != null && page.split("/").length >= 3
                && jobs(workflow).get(step) instanceof Map<?, ?>) {
            return stepAnswer(workflow, step);
        }
        return new DemoAnswer(List.of("Thinking...", "Building workflow outline...",
                "Writing code for \"Fetch Patients\", \"Load to DHIS2\", \"Notify Team\"..."), null,
                DemoAnswers.resource("global-plan.yaml"), null, DemoAnswers.resource("global-plan.md"),
                DemoAnswer.Path.GLOBAL_PLANNER);
    }

    @SuppressWarnings("unchecked")
    private static DemoAnswer stepAnswer(Map<String, Object> workflow, String step) {
        Map<String, Object> job = new LinkedHashMap<>((Map<String, Object>) jobs(workflow).get(step));
        String body = job.get("body") instanceof String text ? text : "";
        boolean guarded = body.contains("Nothing came back");
        job.put("body", (body.isEmpty() || body.endsWith("\n") ? body : body + "\n") + (guarded ? COUNT : GUARD));
        Map<String, Object> jobs = new LinkedHashMap<>(jobs(workflow));
        jobs.put(step, job);
        Map<String, Object> changed = new LinkedHashMap<>(workflow);
        changed.put("jobs", jobs);
        String name = job.get("name") instanceof String text ? text : step;
        String markdown = DemoAnswers.resource(guarded ? "global-step-count.md" : "global-step-guard.md")
                .replace("{step}", name);
        return new DemoAnswer(List.of("Reviewing your code...", "Searching documentation..."), "Writing code...",
                dump(changed), null, markdown, DemoAnswer.Path.GLOBAL_STEP);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> jobs(Map<String, Object> workflow) {
        return workflow.get("jobs") instanceof Map<?, ?> jobs ? (Map<String, Object>) jobs : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(String yaml) {
        if (yaml == null || yaml.isBlank()) {
            return null;
        }
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_YAML_CHARS);
        try {
            return new Yaml(new SafeConstructor(options)).load(yaml) instanceof Map<?, ?> map
                    ? (Map<String, Object>) map : null;
        } catch (YAMLException e) {
            return null;
        }
    }

    /** Block style, with a step's code as a literal block ({@code body: |}) the way Lightning writes it. */
    private static String dump(Map<String, Object> workflow) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setWidth(120);
        return new Yaml(new LiteralBlocks(options), options).dump(workflow);
    }

    private static final class LiteralBlocks extends Representer {
        LiteralBlocks(DumperOptions options) {
            super(options);
            representers.put(String.class, data -> {
                String text = (String) data;
                return representScalar(Tag.STR, text, text.contains("\n")
                        ? DumperOptions.ScalarStyle.LITERAL : DumperOptions.ScalarStyle.PLAIN);
            });
        }
    }
}
