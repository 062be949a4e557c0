package dev.mmcheck.lib.report;

import dev.mmcheck.lib.run.CheckReport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes a check's reports to a file in the format its extension names. */
public final class Report {
    public static final String EXTENSIONS = ".txt, .json, .html, .dot";

    private Report() {
    }

    public enum Format { TEXT, JSON, HTML, DOT }

    /** The format a file name asks for, or null if its extension is not one we write. */
    public static Format formatOf(Path file) {
        String n = file.getFileName().toString().toLowerCase();
        if (n.endsWith(".txt")) return Format.TEXT;
        if (n.endsWith(".json")) return Format.JSON;
        if (n.endsWith(".html")) return Format.HTML;
        if (n.endsWith(".dot")) return Format.DOT;
        return null;
    }

    public static void write(Path file, List<CheckReport> reports, boolean verbose) throws IOException {
        write(file, reports, List.of(), verbose);
    }

    /** @param errors inputs that could not be checked, one located message each; every format lists them */
    public static void write(Path file, List<CheckReport> reports, List<String> errors, boolean verbose) throws IOException {
        String text = switch (formatOf(file)) {
            case JSON -> JsonReport.render(reports, errors) + "\n";
            case HTML -> HtmlReport.render(reports, errors);
            case DOT -> DotReport.render(reports);
            case TEXT -> {
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8);
                for (int i = 0; i < reports.size(); i++) {
                    if (i > 0) ps.println();
                    TextReport.print(reports.get(i), ps, verbose);
                }
                for (String e : errors) ps.println("not checked: " + e);
                yield buf.toString(StandardCharsets.UTF_8);
            }
        };
        Files.writeString(file, text);
    }
}
