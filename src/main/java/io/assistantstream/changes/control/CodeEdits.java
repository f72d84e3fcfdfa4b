package io.assistantstream.changes.control;

import io.assistantstream.upstream.entity.ProposedChange.CodeEdit;
import java.util.List;

/** Applies job_chat's {@code code_edits} in order, as the service itself would have. */
final class CodeEdits {

    /** An edit that cannot be applied; the message names which edit and why. */
    static final class EditFailedException extends Exception {
        EditFailedException(String message) {
            super(message);
        }
    }

    private CodeEdits() {
    }

    static String apply(String code, List<CodeEdit> edits) throws EditFailedException {
        String result = code == null ? "" : code;
        for (int i = 0; i < edits.size(); i++) {
            CodeEdit edit = edits.get(i);
            if ("rewrite".equals(edit.action())) {
                result = edit.newCode();
                continue;
            }
            int first = result.indexOf(edit.oldCode());
            if (first < 0) {
                throw new EditFailedException("code_edits[" + i + "]: old_code is not in the job's current code");
            }
            if (result.indexOf(edit.oldCode(), first + 1) >= 0) {
                throw new EditFailedException("code_edits[" + i + "]: old_code appears more than once in the job's code");
            }
            result = result.substring(0, first) + edit.newCode() + result.substring(first + edit.oldCode().length());
        }
        return result;
    }
}
