package io.backtrack.api.drill;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.backtrack.contract.durations.Durations;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

import java.util.List;

/**
 * A Restore that is a drill: one Job ({@code backtrack-agent drill}) restores the Backup into target.database, a new
 * scratch database, verifies its SHA-256 and row counts, runs the checks read-only, and drops it unless kept. Nothing
 * else is touched: no quiesce, no safety backup. A BackupSchedule's drill creates such Restores; one can be written by
 * hand too.
 */
@ValidationRule(value = "!has(self.checks) || self.checks.all(c, self.checks.exists_one(d, d.name == c.name))",
        message = "drill.checks need distinct names")
public record RestoreDrill(
        @JsonPropertyDescription("Keep the scratch database after the drill. Default: false (dropped).")
        Boolean keep,
        @Pattern(Durations.PATTERN)
        @JsonPropertyDescription("Statement timeout of each check. Default: " + DrillSpec.DEFAULT_CHECK_TIMEOUT + ".")
        String checkTimeout,
        @Size(max = DrillSpec.MAX_CHECKS)
        @JsonPropertyDescription("Queries run read-only on the restored database; each must return what it expects.")
        List<DrillCheck> checks) {

    public boolean keepOrDefault() {
        return Boolean.TRUE.equals(keep);
    }

    public String checkTimeoutOrDefault() {
        return checkTimeout == null || checkTimeout.isBlank() ? DrillSpec.DEFAULT_CHECK_TIMEOUT : checkTimeout;
    }

    public List<DrillCheck> checksOrEmpty() {
        return checks == null ? List.of() : checks;
    }
}
