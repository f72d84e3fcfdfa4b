package io.assistantstream.changes.control;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;
import java.util.Arrays;
import java.util.List;

/** A unified diff of a job's code, as {@code diff -u} would print it (java-diff-utils). */
final class UnifiedDiffs {

    private static final int CONTEXT_LINES = 3;

    private UnifiedDiffs() {
    }

    static String of(String jobName, String before, String after) {
        List<String> original = lines(before);
        List<String> revised = lines(after);
        Patch<String> patch = DiffUtils.diff(original, revised);
        String file = jobName == null || jobName.isBlank() ? "job.js" : jobName;
        List<String> diff = UnifiedDiffUtils.generateUnifiedDiff("a/" + file, "b/" + file, original, patch,
                CONTEXT_LINES);
        return diff.isEmpty() ? "" : String.join("\n", diff) + "\n";
    }

    private static List<String> lines(String code) {
        return code == null || code.isEmpty() ? List.of() : Arrays.asList(code.split("\r?\n", -1));
    }
}
