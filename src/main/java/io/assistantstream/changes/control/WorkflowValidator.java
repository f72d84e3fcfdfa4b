package io.assistantstream.changes.control;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Checks a workflow in Lightning's YAML format before it is applied. Parsing is SnakeYAML's safe loading (plain
 * maps, lists and scalars only) with explicit bounds on size, aliases and nesting, so a "billion laughs" document
 * is refused in microseconds. Each problem names its path: {@code edges.cron->Fetch.target_job: no job named Fetch}.
 */
public final class WorkflowValidator {

    static final int MAX_ALIASES = 20;
    static final int MAX_NESTING = 30;
    static final Set<String> TRIGGER_TYPES = Set.of("webhook", "cron");
    static final Set<String> CONDITIONS = Set.of("always", "on_job_success", "on_job_failure", "js_expression");
    private static final Pattern CRON_FIELD = Pattern.compile("[0-9*/,\\-A-Za-z?LW#]+");
    private static final int MAX_REPORTED = 5;

    private final int maxBytes;

    public WorkflowValidator(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** The problems of the document, empty when it is a valid workflow. */
    private static final int QUOTED_CHARS = 60;

    public List<String> problems(String yaml) {
        if (yaml.length() > maxBytes) {
            return List.of("the workflow is larger than " + maxBytes + " characters");
        }
        Object document;
        try {
            document = parser().load(yaml);
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark();
            return List.of("not valid YAML: " + e.getProblem()
                    + (mark == null ? "" : " (line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ")"));
        } catch (YAMLException e) {
            return List.of("not accepted as YAML: " + firstLine(e.getMessage()));
        }
        List<String> problems = new ArrayList<>();
        if (!(document instanceof Map<?, ?> workflow)) {
            return List.of("the document must be a mapping with name, jobs, triggers and edges");
        }
        if (!(workflow.get("name") instanceof String name) || name.isBlank()) {
            problems.add("name: a workflow needs a name");
        }
        Map<?, ?> jobs = section(workflow, "jobs", problems, true);
        Map<?, ?> triggers = section(workflow, "triggers", problems, false);
        Map<?, ?> edges = section(workflow, "edges", problems, false);
        jobs.forEach((key, job) -> checkJob("jobs." + quoted(key), job, problems));
        triggers.forEach((key, trigger) -> checkTrigger("triggers." + quoted(key), trigger, problems));
        edges.forEach((key, edge) -> checkEdge("edges." + quoted(key), edge, jobs.keySet(), triggers.keySet(), problems));
        return problems.size() <= MAX_REPORTED ? problems : problems.subList(0, MAX_REPORTED);
    }

    private Yaml parser() {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setNestingDepthLimit(MAX_NESTING);
        options.setCodePointLimit(maxBytes);
        options.setAllowDuplicateKeys(false);
        options.setAllowRecursiveKeys(false);
        return new Yaml(new SafeConstructor(options));
    }

    private static Map<?, ?> section(Map<?, ?> workflow, String name, List<String> problems, boolean required) {
        Object value = workflow.get(name);
        if (value == null) {
            if (required) {
                problems.add(name + ": a workflow needs at least one job");
            }
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            problems.add(name + ": must be a mapping keyed by name");
            return Map.of();
        }
        if (required && map.isEmpty()) {
            problems.add(name + ": a workflow needs at least one job");
        }
        return map;
    }

    private static void checkJob(String path, Object value, List<String> problems) {
        if (!(value instanceof Map<?, ?> job)) {
            problems.add(path + ": must be a mapping with name, adaptor and body");
            return;
        }
        requireText(path, job, "name", problems);
        requireText(path, job, "adaptor", problems);
        if (job.containsKey("body") && !(job.get("body") instanceof String)) {
            problems.add(path + ".body: must be text (the job's code)");
        }
    }

    private static void checkTrigger(String path, Object value, List<String> problems) {
        if (!(value instanceof Map<?, ?> trigger)) {
            problems.add(path + ": must be a mapping with a type");
            return;
        }
        Object type = trigger.get("type");
        if (!TRIGGER_TYPES.contains(type)) {
            problems.add(path + ".type: must be webhook or cron, not " + describe(type));
        } else if ("cron".equals(type)) {
            Object expression = trigger.get("cron_expression");
            if (!(expression instanceof String cron) || !isCron(cron)) {
                problems.add(path + ".cron_expression: a cron trigger needs five fields, like \"0 7 * * 1\"");
            }
        }
        checkEnabled(path, trigger, problems);
    }

    private static void checkEdge(String path, Object value, Set<?> jobs, Set<?> triggers, List<String> problems) {
        if (!(value instanceof Map<?, ?> edge)) {
            problems.add(path + ": must be a mapping with a source, a target_job and a condition_type");
            return;
        }
        Object sourceJob = edge.get("source_job");
        Object sourceTrigger = edge.get("source_trigger");
        if ((sourceJob == null) == (sourceTrigger == null)) {
            problems.add(path + ": needs exactly one of source_job and source_trigger");
        } else if (sourceJob != null && !jobs.contains(sourceJob)) {
            problems.add(path + ".source_job: no job named " + quoted(sourceJob));
        } else if (sourceTrigger != null && !triggers.contains(sourceTrigger)) {
            problems.add(path + ".source_trigger: no trigger named " + quoted(sourceTrigger));
        }
        Object target = edge.get("target_job");
        if (target == null) {
            problems.add(path + ".target_job: missing");
        } else if (!jobs.contains(target)) {
            problems.add(path + ".target_job: no job named " + quoted(target));
        }
        Object condition = edge.get("condition_type");
        if (condition != null && !CONDITIONS.contains(condition)) {
            problems.add(path + ".condition_type: must be one of always, on_job_success, on_job_failure, "
                    + "js_expression, not " + describe(condition));
        }
        if ("js_expression".equals(condition) && !(edge.get("condition_expression") instanceof String)) {
            problems.add(path + ".condition_expression: a js_expression edge needs the expression");
        }
        checkEnabled(path, edge, problems);
    }

    private static void requireText(String path, Map<?, ?> map, String field, List<String> problems) {
        if (!(map.get(field) instanceof String text) || text.isBlank()) {
            problems.add(path + "." + field + ": missing");
        }
    }

    private static void checkEnabled(String path, Map<?, ?> map, List<String> problems) {
        if (map.containsKey("enabled") && !(map.get("enabled") instanceof Boolean)) {
            problems.add(path + ".enabled: must be true or false");
        }
    }

    private static boolean isCron(String expression) {
        String[] fields = expression.trim().split("\\s+");
        if (fields.length != 5) {
            return false;
        }
        for (String field : fields) {
            if (!CRON_FIELD.matcher(field).matches()) {
                return false;
            }
        }
        return true;
    }

    private static String describe(Object value) {
        return value == null ? "nothing" : "\"" + quoted(value) + "\"";
    }

    /**
     * A name or value from the document as a problem quotes it: cut to {@value #QUOTED_CHARS} characters, so five
     * problems stay short enough to show and to store whatever the document holds.
     */
    static String quoted(Object value) {
        String text = String.valueOf(value);
        return text.length() <= QUOTED_CHARS ? text : text.substring(0, QUOTED_CHARS) + "…";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).strip();
    }
}
