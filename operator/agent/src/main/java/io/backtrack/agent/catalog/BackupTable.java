package io.backtrack.agent.catalog;

import io.backtrack.agent.manifest.Manifest;

import java.util.List;
import java.util.Locale;

/** Renders the {@code list} output: a plain-text table for people, one backup per line, newest first. */
public final class BackupTable {
    private BackupTable() {
    }

    public static String render(List<BackupCatalog.Entry> entries) {
        String format = "%-24s  %9s  %-12s  %-16s  %-40s  %s%n";
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, format,
                "COMPLETED", "SIZE", "SHA256", "DATABASE", "KEY", "DESCRIPTION"));
        for (BackupCatalog.Entry e : entries) {
            if (e.manifest().isEmpty()) {
                out.append(String.format(Locale.ROOT, format, "?", "?", "?", "?", e.key(), "(unreadable manifest.json)"));
                continue;
            }
            Manifest m = e.manifest().get();
            out.append(String.format(Locale.ROOT, format,
                    m.completedAt() == null ? "?" : m.completedAt().toString(),
                    humanSize(m.sizeBytes()),
                    m.sha256() == null ? "?" : m.sha256().substring(0, Math.min(12, m.sha256().length())),
                    nullToDash(m.database()), e.key(), nullToDash(m.description()).replace('\n', ' ')));
        }
        return out.toString();
    }

    /** 1023 B, 1.5 KiB, 48.2 MiB … */
    public static String humanSize(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    private static String nullToDash(String s) {
        return s == null || s.isBlank() ? "-" : s;
    }
}
