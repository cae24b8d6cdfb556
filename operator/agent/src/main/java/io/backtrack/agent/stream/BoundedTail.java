package io.backtrack.agent.stream;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;

/**
 * Collects a child process's stderr on a daemon thread, keeping only the last {@code limit} bytes:
 * enough for the error message, bounded however chatty the tool is.
 */
public final class BoundedTail {
    private final byte[] ring;
    private long total;
    private final Thread thread;

    private BoundedTail(InputStream in, int limit, String name, Predicate<String> keep) {
        this.ring = new byte[limit];
        this.thread = new Thread(() -> {
            if (keep == null) {
                pump(in);
            } else {
                pumpLines(in, keep);
            }
        }, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    public static BoundedTail collect(InputStream in, int limit, String threadName) {
        return new BoundedTail(in, limit, threadName, null);
    }

    /**
     * As {@link #collect}, line by line: each line goes to {@code keep} as it arrives, and only the lines it returns
     * true for are kept (a tool's progress lines, read and dropped).
     */
    public static BoundedTail collectLines(InputStream in, int limit, String threadName, Predicate<String> keep) {
        return new BoundedTail(in, limit, threadName, keep);
    }

    private void pumpLines(InputStream in, Predicate<String> keep) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (kept(keep, line)) {
                    byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
                    append(bytes, bytes.length);
                }
            }
        } catch (IOException ignored) {
            // the process went away; what we have is what there is
        }
    }

    /** A listener that fails must not stop the reading: the process would block on a full pipe. */
    private static boolean kept(Predicate<String> keep, String line) {
        try {
            return keep.test(line);
        } catch (RuntimeException e) {
            return true;
        }
    }

    private synchronized void append(byte[] buf, int n) {
        for (int i = 0; i < n; i++) {
            ring[(int) (total++ % ring.length)] = buf[i];
        }
    }

    private void pump(InputStream in) {
        byte[] buf = new byte[4096];
        try (in) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                append(buf, n);
            }
        } catch (IOException ignored) {
            // the process went away; what we have is what there is
        }
    }

    /** The collected text after the stream ended (waits up to 5 s for the reader thread). */
    public String text() {
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            int len = (int) Math.min(total, ring.length);
            byte[] out = new byte[len];
            long from = total - len;
            for (int i = 0; i < len; i++) {
                out[i] = ring[(int) ((from + i) % ring.length)];
            }
            return new String(out, StandardCharsets.UTF_8).strip();
        }
    }
}
