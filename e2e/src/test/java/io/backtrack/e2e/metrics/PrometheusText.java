package io.backtrack.e2e.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Prometheus text exposition format as /q/metrics serves it, parsed into samples. */
record PrometheusText(List<Sample> samples, String raw) {
    private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)(\\s+\\d+)?$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    record Sample(String name, Map<String, String> labels, double value) {
    }

    static PrometheusText parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(line.trim());
            if (!m.matches()) {
                throw new IllegalArgumentException("not a Prometheus sample line: " + line);
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(3) != null) {
                Matcher l = LABEL.matcher(m.group(3));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2).replace("\\\"", "\"").replace("\\\\", "\\"));
                }
            }
            samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(4))));
        }
        return new PrometheusText(samples, text);
    }

    /** The one sample with this name whose labels include all the given ones (label=value pairs). */
    Optional<Double> value(String name, String... labelPairs) {
        List<Sample> found = find(name, labelPairs);
        if (found.size() > 1) {
            throw new AssertionError("more than one " + name + " with " + List.of(labelPairs) + ": " + found);
        }
        return found.stream().findFirst().map(Sample::value);
    }

    List<Sample> find(String name, String... labelPairs) {
        if (labelPairs.length % 2 != 0) {
            throw new IllegalArgumentException("label pairs must come in twos");
        }
        return samples.stream().filter(s -> s.name().equals(name)).filter(s -> {
            for (int i = 0; i < labelPairs.length; i += 2) {
                if (!labelPairs[i + 1].equals(s.labels().getOrDefault(labelPairs[i], ""))) {
                    return false;
                }
            }
            return true;
        }).toList();
    }

    /** Backtrack's own lines, for assertion messages. */
    String backtrack() {
        return String.join("\n", raw.lines().filter(l -> l.contains("backtrack_")).toList());
    }

    /** The HELP line of a metric family, or empty. */
    Optional<String> help(String family) {
        return raw.lines().filter(l -> l.startsWith("# HELP " + family + " ")).findFirst()
                .map(l -> l.substring(("# HELP " + family + " ").length()));
    }
}
