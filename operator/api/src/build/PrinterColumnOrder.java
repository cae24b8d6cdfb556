import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Build step of operator/api, run after fabric8's crd-generator (process-classes): puts each generated CRD's
 * additionalPrinterColumns in the order the {@code @AdditionalPrinterColumn} annotations are declared on the
 * resource class. The generator sorts them by JSON path, which shows AGE first and PHASE last; kubectl prints them
 * in the CRD's order, and README.md shows the declared one.
 *
 * <p>Usage (single-file source, on the module's classpath): {@code java PrinterColumnOrder.java CLASSES_DIR CRD_DIR}
 */
public final class PrinterColumnOrder {
    private static final Pattern KIND = Pattern.compile("^\\s+kind: \"?(\\w+)\"?$");
    private static final Pattern NAME = Pattern.compile("^\\s+-?\\s*name: \"?([^\"]+)\"?$");

    public static void main(String[] args) throws Exception {
        Path classes = Path.of(args[0]);
        try (Stream<Path> files = Files.list(Path.of(args[1]))) {
            for (Path crd : files.filter(f -> f.toString().endsWith(".yml")).sorted().toList()) {
                reorder(crd, classes);
            }
        }
    }

    private static void reorder(Path crd, Path classes) throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(crd));
        String kind = lines.stream().map(KIND::matcher).filter(Matcher::matches).map(m -> m.group(1)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no kind in " + crd));
        List<String> declared = declaredColumns(classes, kind);
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).trim().endsWith("additionalPrinterColumns:")) {
                continue;
            }
            String itemStart = lines.get(i + 1).substring(0, lines.get(i + 1).indexOf('-') + 2);
            String continuation = " ".repeat(itemStart.length());
            List<List<String>> items = new ArrayList<>();
            int end = i + 1;
            while (end < lines.size() && (lines.get(end).startsWith(itemStart) || lines.get(end).startsWith(continuation))) {
                if (lines.get(end).startsWith(itemStart)) {
                    items.add(new ArrayList<>());
                }
                items.get(items.size() - 1).add(lines.get(end));
                end++;
            }
            items.sort(Comparator.comparingInt(item -> position(declared, name(item))));
            List<String> ordered = items.stream().flatMap(List::stream).toList();
            for (int k = 0; k < ordered.size(); k++) {
                lines.set(i + 1 + k, ordered.get(k));
            }
        }
        Files.write(crd, lines);
    }

    private static int position(List<String> declared, String name) {
        int i = declared.indexOf(name);
        if (i < 0) {
            throw new IllegalStateException("printer column " + name + " is not declared with @AdditionalPrinterColumn");
        }
        return i;
    }

    private static String name(List<String> item) {
        return item.stream().map(NAME::matcher).filter(Matcher::matches).map(m -> m.group(1)).findFirst()
                .orElseThrow(() -> new IllegalStateException("printer column without a name: " + item));
    }

    /** The column names of the resource class {@code kind}, in declaration order. */
    private static List<String> declaredColumns(Path classes, String kind) throws IOException, ClassNotFoundException {
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(f -> f.getFileName().toString().equals(kind + ".class")).toList()) {
                String binaryName = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type = Class.forName(binaryName);
                AdditionalPrinterColumn[] columns = type.getAnnotationsByType(AdditionalPrinterColumn.class);
                if (columns.length > 0) {
                    return Stream.of(columns).map(AdditionalPrinterColumn::name).toList();
                }
            }
        }
        throw new IllegalStateException("no class " + kind + " with @AdditionalPrinterColumn under " + classes);
    }
}
