package io.backtrack.e2e.cluster;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** The kubelet's termination message rules: the file's first 4 KiB, or the tail of the log on error. */
final class TerminationMessages {

    private TerminationMessages() {
    }

    /** Up to {@code maxBytes} from the start of {@code file}; empty if missing. */
    static String read(Path file, int maxBytes) {
        if (!Files.isRegularFile(file)) {
            return "";
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            byte[] bytes = new byte[(int) Math.min(maxBytes, in.length())];
            in.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** The last {@code maxLines} lines within the last {@code maxBytes} bytes of {@code file}. */
    static String tail(Path file, int maxLines, int maxBytes) {
        if (!Files.isRegularFile(file)) {
            return "";
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            int size = (int) Math.min(maxBytes, length);
            byte[] bytes = new byte[size];
            in.seek(length - size);
            in.readFully(bytes);
            String text = new String(bytes, StandardCharsets.UTF_8);
            String[] lines = text.split("\n", -1);
            int end = lines.length;
            if (end > 0 && lines[end - 1].isEmpty()) {
                end--; // a trailing newline is not a line
            }
            int start = Math.max(0, end - maxLines);
            String joined = String.join("\n", Arrays.copyOfRange(lines, start, end));
            return text.endsWith("\n") && !joined.isEmpty() ? joined + "\n" : joined;
        } catch (IOException e) {
            return "";
        }
    }
}
