package io.backtrack.agent.engine.postgres;

import io.backtrack.agent.result.AgentFailure;
import io.backtrack.contract.result.Reason;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Finds client tools in the Debian layout {@code <root>/<major>/bin/<tool>}. pg_dump must be at least the
 * server's major version (older ones refuse newer servers); the smallest such version is the closest match.
 */
public final class PgToolLocator {
    private final Path root;

    public PgToolLocator(Path root) {
        this.root = root;
    }

    public PgTool require(String tool, int minimumMajor, String why) {
        List<Integer> installed = installedMajors(tool);
        return choose(installed, minimumMajor)
                .map(major -> new PgTool(tool, major, root.resolve(String.valueOf(major)).resolve("bin").resolve(tool)))
                .orElseThrow(() -> new AgentFailure(Reason.ToolMissing, "no " + tool + " for PostgreSQL "
                        + minimumMajor + " under " + root + " (found: " + (installed.isEmpty() ? "none"
                        : installed.stream().map(String::valueOf).collect(Collectors.joining(", "))) + "); "
                        + why));
    }

    /** The smallest installed major that is at least {@code minimumMajor}. */
    public static Optional<Integer> choose(List<Integer> installed, int minimumMajor) {
        return installed.stream().filter(m -> m >= minimumMajor).min(Integer::compare);
    }

    /** Majors that have an executable {@code tool}, ascending. */
    public List<Integer> installedMajors(String tool) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(d -> d.getFileName().toString().matches("\\d+"))
                    .filter(d -> Files.isExecutable(d.resolve("bin").resolve(tool)))
                    .map(d -> Integer.parseInt(d.getFileName().toString()))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The major version a tool reports, from its {@code --version} line: "pg_dump (PostgreSQL) 15.14 (…)". */
    public static Optional<Integer> majorOf(String versionLine) {
        if (versionLine == null) {
            return Optional.empty();
        }
        var m = java.util.regex.Pattern.compile("\\(PostgreSQL\\) (\\d+)").matcher(versionLine);
        return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
    }

    /** Runs {@code tool --version}; returns its first line. */
    public static String versionOf(PgTool tool) {
        try {
            Process p = new ProcessBuilder(tool.path().toString(), "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            p.waitFor();
            return out.lines().findFirst().orElse(tool.name() + " " + tool.major()).strip();
        } catch (IOException e) {
            throw new AgentFailure(Reason.ToolMissing, "cannot run " + tool.path() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentFailure(Reason.ToolMissing, "interrupted while running " + tool.path() + " --version", e);
        }
    }
}
