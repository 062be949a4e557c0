package dev.mmcheck.lib.report;

import dev.mmcheck.lib.run.CheckReport;
import dev.mmcheck.lib.run.PropertyReport;
import dev.mmcheck.lib.run.Trace;
import dev.mmcheck.lib.run.Verdict;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The human report: a verdict line per property, then each counterexample one step per line in kernel terms. */
public final class TextReport {
    private TextReport() {
    }

    public static void print(CheckReport r, PrintStream out, boolean verbose) {
        out.println(r.file() + ": " + r.spec() + (r.title().isEmpty() ? "" : " - " + r.title()));
        for (String c : r.cites()) out.println("  cites: " + c);
        out.println("  profile: " + r.profile());
        if (verbose) {
            for (String c : r.profileChoices()) out.println("    " + c);
        }
        out.println("  bounds: " + r.boundsSummary());
        out.println();
        int width = 0;
        for (PropertyReport p : r.properties()) width = Math.max(width, p.verdict().text().length());
        for (PropertyReport p : r.properties()) {
            String extra = p.trace().map(t -> "  (" + t.length() + (t.length() == 1 ? " step)" : " steps)")).orElse("");
            if (p.verdict() == Verdict.NO_VIOLATION_WITHIN_BOUNDS) extra = "  (" + r.shortBounds() + ")";
            out.printf("  %-" + width + "s  %s%s%n", p.verdict().text(), p.name(), extra);
        }
        for (PropertyReport p : r.properties()) {
            if (p.verdict() == Verdict.VIOLATED && p.trace().isPresent()) {
                out.println();
                out.println(p.name() + ": " + p.sentence());
                if (!p.citation().isEmpty()) out.println("  source: " + p.citation());
                printTrace(p.trace().get(), "shortest counterexample", out);
                if (!p.detail().isEmpty()) out.println("  broken: " + p.detail());
                p.minimal().ifPresent(m -> printMinimal(m, out));
            } else if (verbose && p.verdict() == Verdict.REACHED && p.trace().isPresent()) {
                out.println();
                out.println(p.name() + ": " + p.sentence());
                printTrace(p.trace().get(), "shortest witness", out);
            }
        }
        out.println();
        out.println(r.failing() ? "result: VIOLATION (exit 1)" : "result: no violation within bounds (exit 0)");
    }

    /** The shrunk operation sequence (setup included) and how much smaller it is than setup + trace. */
    public static void printMinimal(dev.mmcheck.lib.run.Minimizer.Minimized m, PrintStream out) {
        out.println("  minimal: " + m.calls().size() + " of " + m.originalSize() + " operations (setup included), "
                + m.processes() + (m.processes() == 1 ? " process, " : " processes, ") + m.pages() + (m.pages() == 1 ? " page" : " pages")
                + ", still violate it" + (m.calls().size() == m.originalSize() ? "; nothing can be dropped or weakened:" : ":"));
        m.calls().forEach(c -> out.println("      " + c));
    }

    public static void printTrace(Trace t, String what, PrintStream out) {
        List<String> race = raceDiagram(t);
        if (!race.isEmpty()) {
            out.println("  as a race:");
            race.forEach(l -> out.println("    " + l));
        }
        out.println("  " + what + ", " + t.length() + (t.length() == 1 ? " step:" : " steps:"));
        int n = 1;
        for (Trace.TraceStep s : t.steps()) {
            out.printf("  %2d. %s%n", n++, s.call());
            if (!s.path().isEmpty()) out.println("        " + String.join(" -> ", s.path()));
            for (String c : s.changes()) out.println("        " + c);
        }
    }

    private static final int COLUMN = 40;

    /**
     * The two-column (or wider) diagram kernel commit messages use for races: one column per actor
     * (process, kswapd, ksmd), time going down, each step in its actor's column. Empty when only one
     * actor takes part.
     */
    public static List<String> raceDiagram(Trace t) {
        Map<String, Integer> columns = new LinkedHashMap<>();
        List<String[]> rows = new ArrayList<>();
        for (Trace.TraceStep s : t.steps()) {
            String call = s.call();
            String actor;
            String text;
            if (call.matches("P\\d+ .*")) {
                actor = call.substring(0, call.indexOf(' '));
                text = call.substring(call.indexOf(' ') + 1);
            } else {
                actor = call.substring(0, call.indexOf(' '));
                text = call;
            }
            columns.putIfAbsent(actor, columns.size());
            rows.add(new String[] {actor, text});
        }
        if (columns.size() < 2) return List.of();
        List<String> actors = new ArrayList<>(columns.keySet());
        actors.sort((a, b) -> a.compareTo(b));
        List<String> out = new ArrayList<>();
        StringBuilder head = new StringBuilder();
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < actors.size(); i++) {
            String a = actors.get(i);
            head.append(pad(a.startsWith("P") ? "CPU " + i + " (" + a + ")" : "CPU " + i + " (" + a + ")", i, actors.size()));
            rule.append(pad("-".repeat(Math.min(COLUMN - 2, 24)), i, actors.size()));
        }
        out.add(head.toString().stripTrailing());
        out.add(rule.toString().stripTrailing());
        for (String[] r : rows) {
            int col = actors.indexOf(r[0]);
            for (String piece : wrap(r[1], COLUMN - 2)) {
                out.add((" ".repeat(COLUMN * col) + piece).stripTrailing());
            }
        }
        return out;
    }

    private static String pad(String s, int i, int n) {
        return i == n - 1 ? s : String.format("%-" + COLUMN + "s", s);
    }

    private static List<String> wrap(String s, int width) {
        List<String> out = new ArrayList<>();
        String rest = s;
        while (rest.length() > width) {
            int cut = rest.lastIndexOf(' ', width);
            if (cut <= 0) cut = width;
            out.add(rest.substring(0, cut));
            rest = "  " + rest.substring(cut).trim();
        }
        out.add(rest);
        return out;
    }
}
