package io.backtrack.e2e.bench;

import io.backtrack.e2e.harness.RepoPaths;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The agent's class-data sharing archive, made as operator/agent/Dockerfile makes it: {@code java -Xshare:dump} of
 * the classes in {@link #CLASS_LIST} (every class a backup, a restore and a verify load, recorded by
 * {@link AgentClassList}) from the agent jar. The image starts the agent with {@link #IMAGE_OPTION}; the benchmarks
 * start it with the same archive made here for the local jar.
 */
final class AgentCds {
    /** The class list in the repository, which the image build reads. */
    static final String CLASS_LIST = "operator/agent/src/main/cds/agent.classlist";
    /** Where the image keeps its archive, as its ENTRYPOINT names it. */
    static final String IMAGE_OPTION = "-XX:SharedArchiveFile=/opt/backtrack/agent.jsa";

    private AgentCds() {
    }

    /** The JVM option that starts the agent jar with an archive of the repository's class list, made in {@code dir}. */
    static String archiveOption(String java, Path agentJar, Path dir) {
        Path archive = dir.resolve("agent.jsa");
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(DataPathBench.AGENT_IMAGE_JVM);
        command.addAll(List.of("-Xshare:dump", "-XX:SharedClassListFile=" + RepoPaths.root().resolve(CLASS_LIST),
                "-XX:SharedArchiveFile=" + archive, "-cp", agentJar.toString()));
        TimedProcess.run(command, Map.of()).requireSuccess("java -Xshare:dump");
        return "-XX:SharedArchiveFile=" + archive;
    }

    /** The JVM option that records every class the process loads into {@code list}. */
    static String recordOption(Path list) {
        return "-XX:DumpLoadedClassList=" + list;
    }

    /** The recorded lists, each class once, in the order first seen (comments from the first list). */
    static void merge(List<Path> lists, Path into) {
        Set<String> lines = new LinkedHashSet<>();
        try {
            for (Path p : lists) {
                lines.addAll(Files.readAllLines(p));
            }
            Files.createDirectories(into.toAbsolutePath().getParent());
            Files.write(into, lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
