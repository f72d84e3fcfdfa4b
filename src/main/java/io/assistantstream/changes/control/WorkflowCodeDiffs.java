package io.assistantstream.changes.control;

import io.assistantstream.stream.entity.ClientEvent;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * What a whole-workflow change did to each step's code. global_chat sends the whole workflow and never says which
 * step's code it changed, so each job's {@code body} is compared with the workflow in force before: one unified
 * diff per job whose body changed, was added or was removed, in the order of the new workflow, removed ones last.
 */
final class WorkflowCodeDiffs {

    private WorkflowCodeDiffs() {
    }

    /** Both documents are bounded already: the new one was validated, the old one was applied earlier. */
    static List<ClientEvent.CodeDiff> between(String before, String after, int maxBytes) {
        Map<?, ?> oldJobs = jobs(before, maxBytes);
        Map<?, ?> newJobs = jobs(after, maxBytes);
        Set<Object> keys = new LinkedHashSet<>(newJobs.keySet());
        keys.addAll(oldJobs.keySet());
        List<ClientEvent.CodeDiff> diffs = new ArrayList<>();
        for (Object key : keys) {
            String oldBody = body(oldJobs.get(key));
            String newBody = body(newJobs.get(key));
            boolean unchanged = oldJobs.containsKey(key) && newJobs.containsKey(key) && oldBody.equals(newBody);
            if (!unchanged) {
                String name = name(newJobs.containsKey(key) ? newJobs.get(key) : oldJobs.get(key), key);
                diffs.add(new ClientEvent.CodeDiff(String.valueOf(key), name, UnifiedDiffs.of(name, oldBody, newBody)));
            }
        }
        return List.copyOf(diffs);
    }

    private static Map<?, ?> jobs(String yaml, int maxBytes) {
        if (yaml == null || yaml.isBlank()) {
            return Map.of();
        }
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(Math.max(maxBytes, yaml.length()));
        options.setMaxAliasesForCollections(WorkflowValidator.MAX_ALIASES);
        options.setNestingDepthLimit(WorkflowValidator.MAX_NESTING);
        try {
            Object document = new Yaml(new SafeConstructor(options)).load(yaml);
            return document instanceof Map<?, ?> workflow && workflow.get("jobs") instanceof Map<?, ?> jobs
                    ? jobs : Map.of();
        } catch (YAMLException e) {
            // The workflow before a session's first change came from its creator, unchecked: no jobs to compare.
            return Map.of();
        }
    }

    private static String body(Object job) {
        return job instanceof Map<?, ?> fields && fields.get("body") instanceof String body ? body : "";
    }

    private static String name(Object job, Object key) {
        return job instanceof Map<?, ?> fields && fields.get("name") instanceof String name && !name.isBlank()
                ? name : String.valueOf(key);
    }
}
