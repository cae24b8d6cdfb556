package io.backtrack.controller.retention;

import java.util.List;
import java.util.Map;

/**
 * What retention decided.
 *
 * @param kept    completed backups kept, each with the rules that keep it
 * @param prune   backups to delete, each with the rule that let it go
 * @param message what retention did or why it holds back, for people
 */
public record RetentionPlan(Map<String, List<String>> kept, List<Prune> prune, String message) {

    /** A backup to delete and why. */
    public record Prune(RetentionCandidate candidate, String reason) {
    }
}
