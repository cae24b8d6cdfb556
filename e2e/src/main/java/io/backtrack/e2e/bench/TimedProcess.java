package io.backtrack.e2e.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Runs one command under GNU {@code /usr/bin/time} (Debian package {@code time}) and reports its wall time
 * (measured here, in nanoseconds), CPU time and peak RSS. For a {@code bash -c} pipeline the CPU time covers
 * every process of the pipeline and the peak RSS is that of its largest process.
 */
record TimedProcess(double wallSeconds, double userSeconds, double sysSeconds, long maxRssKb, int exitCode,
                    String stdout, String stderr, double loadAverage) {

    static TimedProcess run(List<String> command, Map<String, String> env) {
        Path timeFile;
        try {
            timeFile = Files.createTempFile("bench-time-", ".txt");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> full = new ArrayList<>(List.of("/usr/bin/time", "-f", "%e %U %S %M", "-o", timeFile.toString()));
        full.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(full);
        pb.environment().putAll(env);
        double load = currentLoad();
        try {
            long start = System.nanoTime();
            Process p = pb.start();
            p.getOutputStream().close();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
            int exit = p.waitFor();
            double wall = (System.nanoTime() - start) / 1e9;
            String[] t = Files.readString(timeFile).strip().split("\\R");
            String[] f = t[t.length - 1].trim().split(" ");
            Files.deleteIfExists(timeFile);
            return new TimedProcess(wall, Double.parseDouble(f[1]), Double.parseDouble(f[2]), Long.parseLong(f[3]),
                    exit, out.join(), err.join(), load);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    TimedProcess requireSuccess(String what) {
        if (exitCode != 0) {
            throw new IllegalStateException(what + " failed (exit " + exitCode + "): " + tail(stderr) + " " + tail(stdout));
        }
        return this;
    }

    /** The 1-minute load average from /proc/loadavg. */
    static double currentLoad() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    static String tail(String s) {
        String t = s == null ? "" : s.strip();
        return t.length() <= 2000 ? t : "…" + t.substring(t.length() - 2000);
    }
}
