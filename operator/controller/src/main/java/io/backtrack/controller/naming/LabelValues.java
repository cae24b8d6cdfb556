package io.backtrack.controller.naming;

import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Label values derived from names (of Backups, Restores and schedules, up to 253 characters) or other text (a
 * database address): a label value holds at most 63 characters of {@code [A-Za-z0-9._-]}, starting and ending
 * alphanumeric, and the API server refuses an object with a longer one. A value that fits is used as it is; one that
 * does not is cut and given a stable hash of the whole text, so the same name always gives the same value and selectors
 * use it the same way. Where the full name is needed, an annotation with the same key as the label holds it.
 */
public final class LabelValues {
    public static final int MAX_LENGTH = 63;
    static final int HASH_LENGTH = 10;
    private static final Pattern VALID = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");

    private LabelValues() {
    }

    /** The label value for this text: the text itself when it is a valid label value, else its shortened form. */
    public static String of(String text) {
        if (text == null || (text.length() <= MAX_LENGTH && VALID.matcher(text).matches())) {
            return text;
        }
        String hash = Digests.sha256Hex(text, HASH_LENGTH);
        String kept = text.replaceAll("[^-A-Za-z0-9_.]", "-");
        kept = kept.substring(0, Math.min(kept.length(), MAX_LENGTH - HASH_LENGTH - 1))
                .replaceAll("^[^A-Za-z0-9]+", "").replaceAll("[^A-Za-z0-9]+$", "");
        return kept.isEmpty() ? hash : kept + "-" + hash;
    }

    public static boolean isValid(String value) {
        return value != null && value.length() <= MAX_LENGTH && VALID.matcher(value).matches();
    }

    /** Puts the name under {@code key}: shortened in the labels, in full in the annotations. */
    public static void put(Map<String, String> labels, Map<String, String> annotations, String key, String name) {
        labels.put(key, of(name));
        annotations.put(key, name);
    }

    /** The full name an object carries under {@code key}: the annotation, else (older objects) the label; may be null. */
    public static String nameIn(HasMetadata object, String key) {
        Map<String, String> annotations = object.getMetadata().getAnnotations();
        String full = annotations == null ? null : annotations.get(key);
        if (full != null) {
            return full;
        }
        Map<String, String> labels = object.getMetadata().getLabels();
        return labels == null ? null : labels.get(key);
    }

    /** Whether the object's label {@code key} names {@code name} (and its annotation, when it has one, in full). */
    public static boolean names(HasMetadata object, String key, String name) {
        Map<String, String> labels = object.getMetadata().getLabels();
        if (labels == null || !of(name).equals(labels.get(key))) {
            return false;
        }
        Map<String, String> annotations = object.getMetadata().getAnnotations();
        String full = annotations == null ? null : annotations.get(key);
        return full == null || full.equals(name);
    }
}
