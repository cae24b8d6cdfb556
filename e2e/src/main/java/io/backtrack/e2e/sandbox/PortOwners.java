package io.backtrack.e2e.sandbox;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Which of the sandbox's fixed ports are taken, and by which process (from /proc: the listening socket's owner). */
final class PortOwners {
    private PortOwners() {
    }

    /** One line per taken port: the port, what the sandbox wanted it for, and its owner. */
    static List<String> taken(Map<Integer, String> wanted) {
        List<String> lines = new ArrayList<>();
        new TreeMap<>(wanted).forEach((port, what) -> {
            if (!free(port)) {
                lines.add("port " + port + " (for " + what + ") is already in use by " + owner(port)
                        .orElse("another process (not visible from here)") + "; stop it or choose another port");
            }
        });
        return lines;
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** "pid N (command line)" of the process listening on the port, when /proc shows it. */
    static Optional<String> owner(int port) {
        List<String> inodes = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 9 && f[1].contains(":") && "0A".equals(f[3])
                            && Integer.parseInt(f[1].substring(f[1].lastIndexOf(':') + 1), 16) == port) {
                        inodes.add("socket:[" + f[9] + "]");
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // no such table here
            }
        }
        if (inodes.isEmpty()) {
            return Optional.empty();
        }
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try (Stream<Path> fds = Files.list(proc.resolve("fd"))) {
                    boolean owns = fds.anyMatch(fd -> {
                        try {
                            return inodes.contains(Files.readSymbolicLink(fd).toString());
                        } catch (IOException e) {
                            return false;
                        }
                    });
                    if (owns) {
                        String cmd = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8)
                                .replace('\0', ' ').replaceAll("\\s+", " ").strip();
                        return Optional.of("pid " + proc.getFileName() + " (" + (cmd.length() > 120 ? cmd.substring(0, 120) + "…" : cmd) + ")");
                    }
                } catch (IOException e) {
                    // a process that ended, or one we may not look into
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
